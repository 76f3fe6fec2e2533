// wfsim region as users run it: the shipped North West region, paired
// regions, any thread count giving the same bits, and broken region files
// refused with a located message and nothing written.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "cli_runner.hpp"
#include "dataset_checksums.hpp"
#include "scratch_directory.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using wfsim::test::shell_quote;
using wfsim::test::source_path;

std::string north_west(const std::string& file) {
  return shell_quote(source_path("scenarios/north-west-2015/" + file).string());
}

// Replaces every "$S" of `text` with the seed council's scenario file.
std::string with_seed_council(std::string text) {
  const std::string seed_council = source_path("scenarios/lancashire-2015/baseline.yaml").string();
  for (auto at = text.find("$S"); at != std::string::npos; at = text.find("$S"))
    text.replace(at, 2, seed_council);
  return text;
}

TEST(RegionCommand, AnyThreadCountGivesTheSameBits) {
  const wfsim::test::ScratchDirectory dir("wfsim_region_threads");
  std::ofstream(dir.path() / "three.yaml") << with_seed_council(
      "name: three\ncouncils:\n  - {name: A, scenario: $S}\n  - {name: B, scenario: $S}\n"
      "  - {name: C, scenario: $S}\nneighbours: [[A, B], [B, C]]\n");
  std::ofstream(dir.path() / "supplement.yaml")
      << "name: supplement\nextends: three.yaml\npolicies:\n  - councils: [B]\n    scenario: {policies: "
         "{market_supplement: {start: 2016-04, gbp_per_year: {social_worker: 1500, advanced_practitioner: "
         "1500, "
         "practice_manager: 0}}}}\n";
  std::map<std::string, std::string> checksums[2];
  for (int threads = 1; threads <= 2; ++threads) {
    const fs::path out = dir.path() / fmt::format("threads{}.h5", threads);
    const auto result =
        wfsim::test::run_wfsim(fmt::format("region {} {} -n 6 --seed 7 --threads {} -q -o {}",
                                           shell_quote((dir.path() / "three.yaml").string()),
                                           shell_quote((dir.path() / "supplement.yaml").string()), threads,
                                           shell_quote(out.string())),
                               dir.path() / "stderr.txt");
    ASSERT_EQ(result.exit_status, 0) << result.stderr_text;
    checksums[threads - 1] = wfsim::test::dataset_checksums(out);
  }
  EXPECT_EQ(checksums[0], checksums[1]);
  // Each region's councils and its totals, and the second compared with the first council by council.
  for (const char* path :
       {"scenarios/three:A/series/permanent_qsw", "scenarios/three:region/series/starters_neighbour",
        "scenarios/supplement:C/series/leavers_neighbour", "comparisons/supplement:B/net_loss",
        "comparisons/supplement:region/net_loss"})
    EXPECT_TRUE(checksums[0].count(path)) << path;
}

TEST(RegionCommand, TheShippedNorthWestRunsAndTheReportSaysWhatItIs) {
  const wfsim::test::ScratchDirectory dir("wfsim_region_north_west");
  const fs::path out = dir.path() / "north-west.h5";
  const auto result = wfsim::test::run_wfsim(
      fmt::format("region {} -n 2 -q -o {}", north_west("region.yaml"), shell_quote(out.string())),
      dir.path() / "stderr.txt");
  ASSERT_EQ(result.exit_status, 0) << result.stderr_text;
  const auto checksums = wfsim::test::dataset_checksums(out);
  int councils = 0;
  for (const auto& [path, checksum] : checksums)
    councils += path.starts_with("scenarios/north-west-2015:") && path.ends_with("/series/permanent_qsw");
  EXPECT_EQ(councils, 24);  // 23 councils and the region
  const auto report =
      wfsim::test::run_wfsim(fmt::format("report {} -o {}", shell_quote(out.string()),
                                         shell_quote((dir.path() / "north-west.html").string())),
                             dir.path() / "report-stderr.txt");
  EXPECT_EQ(report.exit_status, 2);
  EXPECT_NE(report.stderr_text.find("is a region run file"), std::string::npos) << report.stderr_text;
}

struct BadRegion {
  std::string name;
  std::string text;  // $S is replaced by the seed council's scenario file
  int line;
  std::string key;
};

class RegionCommandBadInput : public ::testing::TestWithParam<BadRegion> {};

TEST_P(RegionCommandBadInput, ExitsWithStatus2AndALocatedMessageAndWritesNothing) {
  const BadRegion& bad = GetParam();
  const wfsim::test::ScratchDirectory dir("wfsim_region_bad_" + bad.name);
  const std::string text = with_seed_council(bad.text);
  const fs::path file = dir.path() / "region.yaml";
  std::ofstream(file) << text;
  std::ofstream(dir.path() / "loop.yaml") << "extends: region.yaml\n";
  const fs::path out = dir.path() / "out.h5";
  const auto result = wfsim::test::run_wfsim(
      fmt::format("region {} -n 2 -q -o {}", shell_quote(file.string()), shell_quote(out.string())),
      dir.path() / "stderr.txt");
  SCOPED_TRACE(result.stderr_text);
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_NE(result.stderr_text.find(fmt::format("region.yaml:{}:", bad.line)), std::string::npos);
  EXPECT_NE(result.stderr_text.find(bad.key), std::string::npos);
  EXPECT_FALSE(fs::exists(out));
}

const BadRegion kBadRegions[] = {
    {"unknown_neighbour",
     "councils:\n  - {name: A, scenario: $S}\n  - {name: B, scenario: $S}\nneighbours:\n  - [A, C]\n", 5,
     "neighbours[0]"},
    {"own_neighbour", "councils:\n  - {name: A, scenario: $S}\nneighbours:\n  - [A, A]\n", 4,
     "neighbours[0]"},
    {"pair_twice",
     "councils:\n  - {name: A, scenario: $S}\n  - {name: B, scenario: $S}\nneighbours:\n  - [A, B]\n  - [B, "
     "A]\n",
     6, "neighbours[1]"},
    {"council_twice", "councils:\n  - {name: A, scenario: $S}\n  - {name: A, scenario: $S}\n", 3,
     "councils[1].name"},
    {"council_named_region", "councils:\n  - {name: region, scenario: $S}\n", 2, "councils[0].name"},
    {"missing_scenario", "councils:\n  - {name: A, scenario: nowhere.yaml}\n", 2, "councils[0].scenario"},
    {"no_councils", "councils: []\n", 1, "councils"},
    {"unknown_key", "councils:\n  - {name: A, scenario: $S}\nneighbors: []\n", 3, "neighbors"},
    {"share_above_one", "councils:\n  - {name: A, scenario: $S, outside_neighbour_share: 1.5}\n", 2,
     "councils[0].outside_neighbour_share"},
    {"weight_negative", "councils:\n  - {name: A, scenario: $S}\nmoves: {pay_weight: -1}\n", 3,
     "moves.pay_weight"},
    {"response_lag_zero", "councils:\n  - {name: A, scenario: $S}\nresponses: {lag_months: 0}\n", 3,
     "responses.lag_months"},
    {"extends_cycle", "extends: loop.yaml\n", 1, "extends"},
    {"extends_and_councils", "extends: loop.yaml\ncouncils:\n  - {name: A, scenario: $S}\n", 1, "extends"},
    {"policy_unknown_council",
     "councils:\n  - {name: A, scenario: $S}\npolicies:\n  - {councils: [B], scenario: {}}\n", 4,
     "policies[0].councils"},
    {"policy_changes_horizon",
     "councils:\n  - {name: A, scenario: $S}\n  - {name: B, scenario: $S}\npolicies:\n  - councils: [B]\n"
     "    scenario: {months: 12}\n",
     6, "policies[0].scenario"},
    {"policy_bad_value",
     "councils:\n  - {name: A, scenario: $S}\npolicies:\n  - councils: all\n    scenario: {agency: "
     "{max_rate_multiple: -2}}\n",
     5, "policies[0].scenario.agency.max_rate_multiple"},
};

INSTANTIATE_TEST_SUITE_P(Files, RegionCommandBadInput, ::testing::ValuesIn(kBadRegions),
                         [](const auto& info) { return info.param.name; });

}  // namespace
