// wfsim optimise as a user runs it, on the small councils of tests/scenarios:
// bad input stops with status 2 and writes nothing; a search writes its file
// and its packages, and `wfsim run` of a package with the re-run's seed gives
// the figures the search reports; the report shows the frontier and the
// sentence.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "hdf5_read.hpp"
#include "markdown_blocks.hpp"
#include "output/policy_search_file.hpp"
#include "report/report.hpp"
#include "report/svg_chart.hpp"
#include "run/statistics.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using namespace wfsim;
using namespace wfsim::test;

fs::path fresh_directory(const std::string& name) {
  const fs::path directory = fs::path(::testing::TempDir()) / ("optimise-" + name);
  fs::remove_all(directory);
  fs::create_directories(directory);
  return directory;
}

// A levers file in `directory` taking its measures from tests/scenarios.
fs::path write_levers(const fs::path& directory, const std::string& body) {
  const fs::path file = directory / "levers.yaml";
  std::ofstream(file) << fmt::format("measures: \"{}\"\n{}",
                                     test_scenario_path("search_measures.yaml").string(), body);
  return file;
}

constexpr const char* kLevers = R"(objective: leavers_total
budget: {rule: probability, max_probability: 0.2}
levers:
  - policy: retention_payment
    vary:
      - {path: amount_gbp, min: 200, max: 3000, label: "payment"}
  - policy: extra_posts
    vary:
      - {path: "phases[0].social_work_posts", min: 0, max: 10}
  - policy: workload_relief
)";

// A small search; `budget`, `maximum` and `threads` are the options the tests change.
std::string quick(const fs::path& levers, const fs::path& output, const std::string& more = "",
                  const std::string& budget = "300000", int maximum = 16, int threads = 2) {
  return fmt::format(
      "optimise {} --levers {} --budget {} -n 8 --max-replications {} --rerun-replications 24 --finalists 2 "
      "--frontier-points 1 --threads {} -q -o {} {}",
      shell_quote(test_scenario_path("search_noisy.yaml").string()), shell_quote(levers.string()), budget,
      maximum, threads, shell_quote(output.string()), more);
}

std::vector<fs::path> files_in(const fs::path& directory) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory)) files.push_back(entry.path().filename());
  std::sort(files.begin(), files.end());
  return files;
}

struct BadCall {
  const char* name;
  std::string levers;     // the levers file's body after `measures:`
  std::string arguments;  // more arguments
  std::string message;    // stderr must contain this
  bool missing_output_directory = false;
  std::string budget = "300000";
  int maximum = 16;  // --max-replications
};

class OptimiseBadInput : public ::testing::TestWithParam<BadCall> {};

TEST_P(OptimiseBadInput, ExitsWith2AndWritesNothing) {
  const BadCall& c = GetParam();
  const fs::path directory = fresh_directory(std::string("bad-") + c.name);
  const fs::path levers = write_levers(directory, c.levers);
  const fs::path output_directory = c.missing_output_directory ? directory / "missing" : directory / "out";
  if (!c.missing_output_directory) fs::create_directories(output_directory);
  const auto result = run_wfsim(
      quick(levers, output_directory / "search.h5", c.arguments, c.budget, c.maximum), directory / "stderr");
  EXPECT_EQ(result.exit_status, 2) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find(c.message), std::string::npos) << result.stderr_text;
  if (!c.missing_output_directory) {
    EXPECT_TRUE(files_in(output_directory).empty());
  }
  EXPECT_FALSE(fs::exists(directory / "missing"));
}

INSTANTIATE_TEST_SUITE_P(
    Optimise, OptimiseBadInput,
    ::testing::Values(
        BadCall{"LeversError", "levers:\n  - policy: workload_releif\n", "",
                "levers.yaml:3:13: error: levers[0].policy: unknown policy 'workload_releif'; did you mean "
                "'workload_relief'?"},
        BadCall{"BudgetZero", kLevers, "", "--budget 0: expected an amount in GBP above 0", false, "0"},
        BadCall{"RerunSeedNotFresh", kLevers, "--seed 7 --rerun-seed 7", "it must differ from --seed"},
        BadCall{"FewerMaximumReplications", kLevers, "",
                "--max-replications 4: expected at least --replications (8)", false, "300000", 4},
        BadCall{"OutputDirectoryMissing", kLevers, "", "does not exist", true}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Optimise, ABadReferenceScenarioExitsWith2) {
  const fs::path directory = fresh_directory("bad-reference");
  const fs::path levers = write_levers(directory, kLevers);
  const auto result =
      run_wfsim(fmt::format("optimise {} --levers {} --budget 1000 -o {}",
                            shell_quote(source_path("tests/bad_scenarios/typo_nested.yaml").string()),
                            shell_quote(levers.string()), shell_quote((directory / "search.h5").string())),
                directory / "stderr");
  EXPECT_EQ(result.exit_status, 2) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("typo_nested.yaml:"), std::string::npos) << result.stderr_text;
  EXPECT_EQ(files_in(directory), (std::vector<fs::path>{"levers.yaml", "stderr"}));
}

// The mean of /comparisons/<option>/<outcome> in a run file, as its summary holds it.
double comparison_mean(const fs::path& run_file, const std::string& option, const std::string& outcome) {
  const test_h5::h5::File file(test_h5::must(H5Fopen(run_file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open"));
  return test_h5::read_doubles(file.get(), fmt::format("/comparisons/{}/summary/{}", option, outcome)).at(0);
}

TEST(Optimise, WritesTheSearchAndPackagesThatWfsimRunReproduces) {
  const fs::path directory = fresh_directory("search");
  const fs::path levers = write_levers(directory, kLevers);
  const fs::path output = directory / "search.h5";
  const auto searched = run_wfsim(quick(levers, output, "--seed 11 --rerun-seed 12"), directory / "stderr");
  ASSERT_EQ(searched.exit_status, 0) << searched.stderr_text;

  const output::PolicySearchRecord record = output::read_policy_search_file(output);
  EXPECT_EQ(record.info.objective, "leavers_total");
  EXPECT_EQ(record.info.budget_rule, "probability");
  EXPECT_EQ(record.info.rerun_seed, 12u);
  EXPECT_GT(record.info.evaluations, 0);
  const auto& packages = record.tables.packages;
  ASSERT_GE(packages.rows(), 1u);
  EXPECT_EQ(record.tables.candidates.number("set")[0], -1);  // row 0: the reference
  EXPECT_EQ(record.tables.contenders.rows(), 8u);            // 2^3 on/off sets
  EXPECT_EQ(record.tables.candidates.matrix("on").columns, 3u);

  for (std::size_t i = 0; i < packages.rows(); ++i) {
    const fs::path package = packages.text("file")[i];
    ASSERT_TRUE(fs::exists(package)) << package;
    EXPECT_EQ(read_text(package), packages.text("yaml")[i]);
    // The re-run's figures, from the package file and the re-run's seed and replications.
    const fs::path run_file = directory / fmt::format("run-{}.h5", i);
    const auto ran = run_wfsim(fmt::format("run {} {} --seed 12 -n 24 --threads 1 -q -o {}",
                                           shell_quote(test_scenario_path("search_noisy.yaml").string()),
                                           shell_quote(package.string()), shell_quote(run_file.string())),
                               directory / "run-stderr");
    ASSERT_EQ(ran.exit_status, 0) << ran.stderr_text;
    const std::string option = package.stem().string();
    EXPECT_EQ(comparison_mean(run_file, option, "leavers_total"),
              packages.number("score_difference_mean")[i]);
    EXPECT_EQ(comparison_mean(run_file, option, "net_loss_total"),
              packages.number("net_loss_difference_mean")[i]);
    EXPECT_EQ(comparison_mean(run_file, option, "policy_spend_total"), packages.number("spend_mean")[i]);
    EXPECT_EQ(comparison_mean(run_file, option, "cost_against_establishment_total"),
              packages.number("extra_cost_mean")[i]);
  }

  // The same search on one thread: the same file, time and date aside.
  const fs::path again = directory / "again.h5";
  ASSERT_EQ(
      run_wfsim(quick(levers, again, "--seed 11 --rerun-seed 12", "300000", 16, 1), directory / "stderr")
          .exit_status,
      0);
  const output::PolicySearchRecord one = output::read_policy_search_file(again);
  EXPECT_EQ(one.tables.candidates.number("score"), record.tables.candidates.number("score"));
  // NaN where a lever is off: compared as bits.
  const auto& values_one = one.tables.candidates.matrix("values").values;
  const auto& values_two = record.tables.candidates.matrix("values").values;
  ASSERT_EQ(values_one.size(), values_two.size());
  EXPECT_EQ(std::memcmp(values_one.data(), values_two.data(), values_one.size() * sizeof(double)), 0);
  EXPECT_EQ(one.tables.packages.number("score_difference_mean"), packages.number("score_difference_mean"));

  // The report: the frontier chart and the sentence, in the page and the Markdown.
  const fs::path run_file = directory / "run-0.h5";
  const auto reported = run_wfsim(
      fmt::format("report {} --policy-search {} -o {} --markdown {}", shell_quote(run_file.string()),
                  shell_quote(output.string()), shell_quote((directory / "report.html").string()),
                  shell_quote((directory / "report.md").string())),
      directory / "report-stderr");
  ASSERT_EQ(reported.exit_status, 0) << reported.stderr_text;
  const std::string page = read_text(directory / "report.html");
  const std::string sentence = report::policy_search_sentence(record);
  EXPECT_NE(sentence.find("For £300,000"), std::string::npos) << sentence;
  EXPECT_NE(page.find("<svg class=\"frontier\""), std::string::npos);
  EXPECT_NE(page.find("What the money buys"), std::string::npos);
  EXPECT_NE(page.find(report::html_escape(sentence)), std::string::npos);
  std::size_t drawn = 0;
  for (std::size_t at = page.find("<g class=\"package\""); at != std::string::npos;
       at = page.find("<g class=\"package\"", at + 1))
    ++drawn;
  EXPECT_EQ(drawn, packages.rows());
  const std::string markdown = read_text(directory / "report.md");
  EXPECT_NE(markdown.find("## What the money buys"), std::string::npos);
  EXPECT_NE(markdown.find(sentence), std::string::npos);

  // The h5py recipe of outputs/README.md, as written, on this file.
  const fs::path recipe = directory / "recipe.py";
  std::ofstream(recipe) << replace_all(
      code_block(read_text(source_path("outputs/README.md")), "python", "f[\"packages\"]"),
      "outputs/search.h5", output.string());
  const auto printed = run_program(WFSIM_PYTHON, shell_quote(recipe.string()), directory / "recipe.stderr",
                                   directory / "recipe.stdout");
  ASSERT_EQ(printed.exit_status, 0) << printed.stderr_text;
  // One line a package after the first: [chosen] kept spend words.
  std::istringstream lines(printed.stdout_text);
  std::string line;
  std::getline(lines, line);
  for (std::size_t i = 0; i < packages.rows() && std::getline(lines, line); ++i) {
    std::istringstream words(line);
    std::string first;
    words >> first;
    const bool chosen = first == "chosen";
    EXPECT_EQ(chosen, packages.number("chosen")[i] == 1) << line;
    if (chosen) words >> first;
    const double kept = std::stod(first);
    double spend = 0;
    words >> spend;
    EXPECT_NEAR(kept, -packages.number("net_loss_difference_mean")[i], 0.05) << line;
    EXPECT_NEAR(spend, packages.number("spend_mean")[i], 0.5) << line;
    EXPECT_NE(line.find(packages.text("package")[i]), std::string::npos) << line;
  }
  EXPECT_NE(printed.stdout_text.find("frontier: [("), std::string::npos) << printed.stdout_text;
}

TEST(Optimise, TheReportRefusesAFileThatIsNotAPolicySearch) {
  const fs::path directory = fresh_directory("report-refuses");
  const fs::path run_file = directory / "run.h5";
  ASSERT_EQ(run_wfsim(fmt::format("run {} -n 2 -q -o {}",
                                  shell_quote(test_scenario_path("search_quiet.yaml").string()),
                                  shell_quote(run_file.string())),
                      directory / "stderr")
                .exit_status,
            0);
  const auto result =
      run_wfsim(fmt::format("report {} --policy-search {} -o {}", shell_quote(run_file.string()),
                            shell_quote(run_file.string()), shell_quote((directory / "page.html").string())),
                directory / "stderr");
  EXPECT_EQ(result.exit_status, 2) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("policy search file"), std::string::npos) << result.stderr_text;
  EXPECT_FALSE(fs::exists(directory / "page.html"));
}

}  // namespace
