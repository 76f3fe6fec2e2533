// Running the real wfsim binary from tests: quoting, exit status, stderr.
#pragma once

#include <fmt/format.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "source_path.hpp"

namespace wfsim::test {

struct CommandResult {
  int exit_status = -1;
  std::string stdout_text;  // empty unless kept
  std::string stderr_text;
};

inline std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `PROGRAM ARGUMENTS` (arguments already quoted), stderr kept in
// `stderr_file` and stdout in `stdout_file`, or discarded if that is empty.
inline CommandResult run_program(const std::string& program, const std::string& arguments,
                                 const std::filesystem::path& stderr_file,
                                 const std::filesystem::path& stdout_file = {}) {
  const std::string command =
      fmt::format("{} {} >{} 2>{}", shell_quote(program), arguments,
                  stdout_file.empty() ? std::string("/dev/null") : shell_quote(stdout_file.string()),
                  shell_quote(stderr_file.string()));
  const int status = std::system(command.c_str());
  CommandResult result;
  if (status != -1 && WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
  if (!stdout_file.empty()) result.stdout_text = read_text(stdout_file);
  result.stderr_text = read_text(stderr_file);
  return result;
}

// Shipped scenarios of scenarios/lancashire-2015 by name, as quoted `wfsim run` arguments.
inline std::string lancashire_scenarios(const std::vector<std::string>& names) {
  std::string arguments;
  for (const std::string& name : names) {
    arguments += fmt::format(" {}", shell_quote(lancashire_scenario_path(name).string()));
  }
  return arguments;
}

// Runs `wfsim ARGUMENTS`, stdout discarded, stderr kept in `stderr_file`.
inline CommandResult run_wfsim(const std::string& arguments, const std::filesystem::path& stderr_file) {
  return run_program(WFSIM_BINARY, arguments, stderr_file);
}

// `wfsim run` of shipped scenarios of scenarios/lancashire-2015 by name, quietly
// on two threads, into `run_file`: the one run a suite of report or reader
// tests shares.
inline CommandResult run_lancashire(const std::vector<std::string>& names, int replications,
                                    const std::filesystem::path& run_file,
                                    const std::filesystem::path& stderr_file) {
  return run_wfsim(fmt::format("run{} -n {} --threads 2 -q -o {}", lancashire_scenarios(names), replications,
                               shell_quote(run_file.string())),
                   stderr_file);
}

}  // namespace wfsim::test
