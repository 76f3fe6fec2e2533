// The shipped backcast runs from the past and is set beside the observed
// figures, as docs/model.md ("Backcast") shows.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
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
      "observed-2012-2015.yaml --max-evaluations 1 -n 40 -q -o " + (directory / "overlay.yaml").string() +
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
  // What the backcast reproduces (docs/model.md, "Backcast"): the caseloads
  // of November 2015 within 5% and the share under two years within 5
  // points. Monte Carlo error at 40 replications is under 1% for each. What
  // it cannot reproduce, the three net losses of 75, is documented there
  // with the arithmetic, not tested here.
  const auto error_of = [&](const std::string& row) {
    const std::size_t at = text.str().find(row);
    if (at == std::string::npos) return std::nan("");
    const std::string line = text.str().substr(at, text.str().find('\n', at) - at);
    const std::size_t last = line.rfind('|', line.size() - 2);
    return std::strtod(line.c_str() + last + 1, nullptr) / 100;
  };
  for (const char* row :
       {"| caseload_nqsw | 2015-10 |", "| caseload_early | 2015-10 |", "| caseload_experienced | 2015-10 |"})
    EXPECT_LT(std::fabs(error_of(row)), 0.05) << row;
  EXPECT_LT(std::fabs(error_of("| under_2y_share | 2015-10 |") * 0.41), 0.05);
  fs::remove_all(directory);
}

}  // namespace
