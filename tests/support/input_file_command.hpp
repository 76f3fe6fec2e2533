// A fixture for tests of a `wfsim` command that reads one input file (a
// targets or a ranges file): each run writes the file afresh into the test's
// own scratch directory, and the test reads the exit status and stderr.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "cli_runner.hpp"
#include "scratch_directory.hpp"

namespace wfsim::test {

class InputFileCommand : public ::testing::Test {
 protected:
  InputFileCommand(const std::string& scratch_prefix, std::string input_name)
      : scratch_(scratch_prefix), input_name_(std::move(input_name)) {}

  // The input file, quoted for the command line.
  std::string quoted_input() const { return shell_quote((dir_ / input_name_).string()); }

  // Exit status and stderr of `wfsim ARGUMENTS`, with `input_text` as the input file.
  std::pair<int, std::string> run_with_input(const std::string& input_text,
                                             const std::string& arguments) const {
    { std::ofstream(dir_ / input_name_) << input_text; }
    const CommandResult result = run_wfsim(arguments, dir_ / "stderr.txt");
    return {result.exit_status, result.stderr_text};
  }

  const ScratchDirectory scratch_;
  const std::filesystem::path& dir_ = scratch_.path();

 private:
  const std::string input_name_;
};

}  // namespace wfsim::test
