// The golden run: the README's first command (its five shipped scenarios) at
// a small replication count, every dataset of the run file reduced to a
// checksum and compared with tests/golden/readme-run.tsv. Any change of
// results fails it. When a change of the model moves the results on purpose,
// regenerate the file with
//   WFSIM_UPDATE_GOLDEN=1 build/release/tests/wfsim_cli_tests --gtest_filter='GoldenRun.*'
// and say why in the commit.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "cli_runner.hpp"
#include "dataset_checksums.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using wfsim::test::shell_quote;
using wfsim::test::source_path;

constexpr const char* kScenarios[] = {"baseline", "strategy", "retention_payment", "market_supplement",
                                      "workload_relief"};

TEST(GoldenRun, ReadmeScenariosGiveThePinnedResults) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("wfsim_golden_{}", ::getpid());
  fs::create_directories(dir);
  const fs::path run_file = dir / "golden.h5";
  std::string arguments = "run";
  for (const char* name : kScenarios)
    arguments += fmt::format(
        " {}", shell_quote(source_path(fmt::format("scenarios/lancashire-2015/{}.yaml", name)).string()));
  arguments += fmt::format(" -n 40 --seed 20151101 --threads 2 -q -o {}", shell_quote(run_file.string()));
  const auto result = wfsim::test::run_wfsim(arguments, dir / "stderr.txt");
  ASSERT_EQ(result.exit_status, 0) << result.stderr_text;

  const auto actual = wfsim::test::dataset_checksums(run_file);
  std::ostringstream table;
  for (const auto& [path, checksum] : actual) table << path << '\t' << checksum << '\n';
  const fs::path golden = source_path("tests/golden/readme-run.tsv");
  if (const char* update = std::getenv("WFSIM_UPDATE_GOLDEN"); update && std::strcmp(update, "1") == 0) {
    std::ofstream(golden) << table.str();
    GTEST_SKIP() << "wrote " << golden;
  }

  std::map<std::string, std::string> expected;
  std::ifstream in(golden);
  ASSERT_TRUE(in) << "missing " << golden;
  for (std::string line; std::getline(in, line);) {
    const auto tab = line.find('\t');
    expected[line.substr(0, tab)] = line.substr(tab + 1);
  }
  for (const auto& [path, checksum] : expected) {
    const auto found = actual.find(path);
    if (found == actual.end()) {
      ADD_FAILURE() << path << " is in the golden file but not in the run file";
    } else {
      EXPECT_EQ(found->second, checksum) << path << " changed";
    }
  }
  for (const auto& [path, checksum] : actual)
    EXPECT_TRUE(expected.count(path)) << path << " is new: not in the golden file";
  fs::remove_all(dir);
}

}  // namespace
