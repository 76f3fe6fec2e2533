// The shipped backcast runs from the past and is set beside the observed
// figures, as docs/model.md ("Backcast") shows.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "source_path.hpp"

namespace {

using wfsim::test::source_path;
using wfsim::test::test_scenario_path;

namespace fs = std::filesystem;

TEST(Backcast, ShippedExampleComparesTheRunWithTheObservedFigures) {
  const fs::path directory = fs::temp_directory_path() / ("wfsim-backcast-" + std::to_string(::getpid()));
  fs::create_directories(directory);
  const std::string scenarios = source_path("scenarios/lancashire-2015/").string();
  const fs::path report = directory / "backcast.md";
  const std::string command =
      std::string(WFSIM_BINARY) + " calibrate " + scenarios + "backcast-2012.yaml --targets " + scenarios +
      "observed-2012-2015.yaml --max-evaluations 1 -n 5 -q -o " + (directory / "overlay.yaml").string() +
      " --report " + report.string() + " 2>&1";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << command;
  std::ifstream in(report);
  std::stringstream text;
  text << in.rdbuf();
  // One row per observed figure, each beside its simulated value.
  for (const char* row : {"| net_loss | 2013-10 |", "| net_loss | 2014-10 |", "| net_loss | 2015-10 |",
                          "| nqsw_share | 2015-10 |", "| caseload_experienced | 2015-10 |"}) {
    EXPECT_NE(text.str().find(row), std::string::npos) << row << " missing from\n" << text.str();
  }
  fs::remove_all(directory);
}

}  // namespace
