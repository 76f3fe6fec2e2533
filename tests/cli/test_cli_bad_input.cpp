// The real binary over every broken scenario: exit status 2, a located
// message on stderr, and no output file (or temporary) left behind.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "bad_scenario_cases.hpp"
#include "cli_runner.hpp"

namespace {

using wfsim::test::CommandResult;
using wfsim::test::shell_quote;

namespace fs = std::filesystem;

class CliBadInput : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(WFSIM_BINARY)) << WFSIM_BINARY << " is not built";
    expected_ = wfsim::test::read_bad_scenario_case(wfsim::test::bad_scenario_dir() / GetParam());
    ASSERT_GT(expected_.line, 0) << "missing '# expect: <line> <key>' comment";
    work_dir_ = fs::temp_directory_path() /
                fmt::format("wfsim_cli_bad_input_{}_{}", ::getpid(), wfsim::test::test_name_of(GetParam()));
    fs::remove_all(work_dir_);
    fs::create_directories(work_dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(work_dir_, ignored);
  }

  CommandResult run(const std::string& arguments) const {
    const fs::path stderr_file = work_dir_ / "stderr.txt";
    const std::string command = fmt::format("{} {} >/dev/null 2>{}", shell_quote(WFSIM_BINARY), arguments,
                                            shell_quote(stderr_file.string()));
    const int status = std::system(command.c_str());
    CommandResult result;
    if (status != -1 && WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
    std::ifstream in(stderr_file);
    std::ostringstream text;
    text << in.rdbuf();
    result.stderr_text = text.str();
    return result;
  }

  void expect_located_error(const CommandResult& result) const {
    SCOPED_TRACE(result.stderr_text);
    EXPECT_EQ(result.exit_status, 2);
    EXPECT_NE(result.stderr_text.find(fmt::format(":{}:", expected_.line)), std::string::npos);
    EXPECT_NE(result.stderr_text.find(expected_.key), std::string::npos);
    EXPECT_NE(result.stderr_text.find(expected_.error_file), std::string::npos);
  }

  wfsim::test::BadScenarioCase expected_;
  fs::path work_dir_;
};

TEST_P(CliBadInput, ValidateExitsWithStatus2AndALocatedMessage) {
  expect_located_error(run(fmt::format("validate {}", shell_quote(expected_.file.string()))));
}

TEST_P(CliBadInput, RunExitsWithStatus2AndLeavesNoOutput) {
  const fs::path output = work_dir_ / "out.h5";
  expect_located_error(run(fmt::format("run {} -n 2 --threads 1 -o {}", shell_quote(expected_.file.string()),
                                       shell_quote(output.string()))));
  EXPECT_FALSE(fs::exists(output));
  for (const auto& entry : fs::directory_iterator(work_dir_)) {
    EXPECT_NE(entry.path().filename().string().rfind(output.filename().string() + ".", 0), 0u)
        << "temporary left behind: " << entry.path();
  }
}

INSTANTIATE_TEST_SUITE_P(Files, CliBadInput, ::testing::ValuesIn(wfsim::test::bad_scenario_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return wfsim::test::test_name_of(info.param);
                         });

}  // namespace
