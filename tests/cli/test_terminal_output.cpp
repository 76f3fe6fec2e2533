// What the terminal shows, read as a user reads it and compared with the
// files the same command wrote: `wfsim run`'s net-loss table and paired
// comparison against the run file, `wfsim expect`'s yearly net loss against
// its monthly CSV, `wfsim sensitivity`'s tornado table against its file,
// `wfsim calibrate`'s fitted values against the scenario overlay it writes.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_runner.hpp"
#include "output/run_file_reader.hpp"
#include "output/sensitivity_file.hpp"
#include "suite_scratch_directory.hpp"

namespace wfsim::test {
namespace {

struct Interval {
  double mean, p10, p90;
};

// Every "mean [p10, p90]" on a line, in order.
std::vector<Interval> intervals_on(const std::string& line) {
  static const std::regex pattern(R"((-?\d+\.?\d*) \[(-?\d+\.?\d*), (-?\d+\.?\d*)\])");
  std::vector<Interval> found;
  for (std::sregex_iterator it(line.begin(), line.end(), pattern), end; it != end; ++it)
    found.push_back({std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3])});
  return found;
}

// The first line after the line containing `after` that starts with `prefix`.
std::string line_starting(const std::string& text, const std::string& after, const std::string& prefix) {
  std::istringstream in(text);
  std::string line;
  bool seen = after.empty();
  while (std::getline(in, line)) {
    if (!seen) {
      seen = line.find(after) != std::string::npos;
      continue;
    }
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return {};
}

// Printed with `decimals` decimals: within half a unit of the last one.
void expect_printed(double printed, double value, int decimals, const std::string& what) {
  EXPECT_LE(std::abs(printed - value), 0.5 * std::pow(10.0, -decimals) + 1e-9)
      << what << ": printed " << printed << ", file " << value;
}

class TerminalOutput : public SuiteWithScratchDirectory<TerminalOutput> {
 protected:
  static void SetUpTestSuite() {
    make_work_dir("wfsim_terminal_output");
    run_file_ = work_dir() / "run.h5";
    const CommandResult result =
        run_program(WFSIM_BINARY,
                    "run" + lancashire_scenarios({"baseline", "retention_payment"}) +
                        " -n 60 --seed 11 --threads 2 -o " + shell_quote(run_file_.string()),
                    work_dir() / "stderr.txt", work_dir() / "stdout.txt");
    ASSERT_EQ(result.exit_status, 0) << result.stderr_text;
    stdout_ = result.stdout_text;
  }
  static inline std::filesystem::path run_file_;
  static inline std::optional<std::string> stdout_;
};

TEST_F(TerminalOutput, RunNetLossTableIsTheRunFilesSummary) {
  ASSERT_TRUE(stdout_.has_value());
  const output::RunFileReader reader(run_file_);
  for (const auto& scenario : reader.run().scenarios) {
    SCOPED_TRACE(scenario.name);
    const std::string line = line_starting(*stdout_, "Net loss of permanent qualified", scenario.name + " ");
    ASSERT_FALSE(line.empty()) << *stdout_;
    const std::vector<Interval> printed = intervals_on(line);
    ASSERT_EQ(printed.size(), 5u) << line;  // three years, vacancy and agency rates at the end
    const auto& net_loss = scenario.annual_summary("net_loss");
    for (std::size_t year = 0; year < 3; ++year) {
      expect_printed(printed[year].mean, net_loss.at("mean", year), 1, "net loss mean");
      expect_printed(printed[year].p10, net_loss.at("p10", year), 1, "net loss p10");
      expect_printed(printed[year].p90, net_loss.at("p90", year), 1, "net loss p90");
    }
    const auto& vacancy = scenario.summary("vacancy_rate");
    const auto& agency = scenario.summary("agency_rate");
    const std::size_t last = vacancy.columns - 1;
    expect_printed(printed[3].mean, 100 * vacancy.at("mean", last), 1, "vacancy rate");
    expect_printed(printed[3].p90, 100 * vacancy.at("p90", last), 1, "vacancy rate p90");
    expect_printed(printed[4].mean, 100 * agency.at("mean", last), 1, "agency rate");
    expect_printed(printed[4].p10, 100 * agency.at("p10", last), 1, "agency rate p10");
  }
}

TEST_F(TerminalOutput, RunComparisonIsTheRunFilesComparison) {
  ASSERT_TRUE(stdout_.has_value());
  const output::RunFileReader reader(run_file_);
  const output::ComparisonRecord* comparison = reader.run().comparison("retention_payment");
  ASSERT_NE(comparison, nullptr);
  const std::string heading = "retention_payment against baseline";
  const auto& net_loss = comparison->summary("net_loss");
  for (std::size_t year = 0; year < 3; ++year) {
    std::istringstream in(*stdout_);
    std::string line;
    std::vector<std::string> rows;
    bool seen = false;
    while (std::getline(in, line)) {
      if (line.find(heading) != std::string::npos) seen = true;
      if (seen && line.rfind("  net loss ", 0) == 0) rows.push_back(line);
    }
    ASSERT_EQ(rows.size(), 3u) << *stdout_;
    const std::vector<Interval> printed = intervals_on(rows[year]);
    ASSERT_EQ(printed.size(), 1u) << rows[year];
    expect_printed(printed[0].mean, net_loss.at("mean", year), 1, "net loss difference");
    expect_printed(printed[0].p10, net_loss.at("p10", year), 1, "net loss difference p10");
    expect_printed(printed[0].p90, net_loss.at("p90", year), 1, "net loss difference p90");
    std::smatch share;
    ASSERT_TRUE(std::regex_search(rows[year], share, std::regex(R"((\d+)%\s*$)"))) << rows[year];
    expect_printed(std::stod(share[1]), 100 * net_loss.at("probability_better", year), 0, "share better");
  }
  const std::string cost = line_starting(*stdout_, heading, "  extra cost (both), GBP million");
  ASSERT_FALSE(cost.empty());
  const std::vector<Interval> extra = intervals_on(cost);
  ASSERT_EQ(extra.size(), 1u) << cost;
  expect_printed(extra[0].mean, 1e-6 * comparison->summary("cost_against_establishment_total").at("mean", 0),
                 2, "extra cost");
  const std::string per_leaver = line_starting(*stdout_, heading, "  cost per leaver avoided");
  ASSERT_FALSE(per_leaver.empty());
  std::smatch amount;
  if (std::isnan(comparison->cost_per_leaver_avoided)) {
    EXPECT_NE(per_leaver.find("no leavers avoided"), std::string::npos) << per_leaver;
  } else {
    ASSERT_TRUE(std::regex_search(per_leaver, amount, std::regex(R"(GBP (\d+))"))) << per_leaver;
    const bool saves = per_leaver.find("saves") != std::string::npos;
    EXPECT_EQ(saves, comparison->cost_per_leaver_avoided < 0) << per_leaver;
    expect_printed((saves ? -1 : 1) * std::stod(amount[1]), comparison->cost_per_leaver_avoided, 0,
                   "cost per leaver avoided");
  }
}

TEST(TerminalOutputExpect, YearlyNetLossIsTheSumOfTheMonthlyTable) {
  const ScratchDirectory scratch("wfsim_terminal_output_expect");
  const auto csv = scratch.path() / "expect.csv";
  const CommandResult result =
      run_program(WFSIM_BINARY,
                  "expect " + shell_quote(lancashire_scenario_path("baseline").string()) + " --csv " +
                      shell_quote(csv.string()),
                  scratch.path() / "stderr.txt", scratch.path() / "stdout.txt");
  ASSERT_EQ(result.exit_status, 0) << result.stderr_text;

  // The monthly table: month, ..., leavers, starters.
  std::ifstream in(csv);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  ASSERT_EQ(line.substr(line.size() - std::string(",leavers,starters").size()), ",leavers,starters") << line;
  std::vector<double> monthly_net_loss;
  while (std::getline(in, line)) {
    const auto starters_at = line.rfind(',');
    const auto leavers_at = line.rfind(',', starters_at - 1);
    monthly_net_loss.push_back(std::stod(line.substr(leavers_at + 1, starters_at - leavers_at - 1)) -
                               std::stod(line.substr(starters_at + 1)));
  }
  ASSERT_EQ(monthly_net_loss.size(), 36u);

  const std::vector<std::string> years = {"2015-11 to 2016-10", "2016-11 to 2017-10", "2017-11 to 2018-10"};
  for (std::size_t year = 0; year < years.size(); ++year) {
    const std::string printed = line_starting(result.stdout_text, "Expected net loss", "  " + years[year]);
    ASSERT_FALSE(printed.empty()) << result.stdout_text;
    double sum = 0;
    for (std::size_t t = 12 * year; t < 12 * year + 12; ++t) sum += monthly_net_loss[t];
    expect_printed(std::stod(printed.substr(2 + years[year].size())), sum, 1, years[year]);
  }
}

TEST(TerminalOutputSensitivity, TornadoTableIsTheSensitivityFile) {
  const ScratchDirectory scratch("wfsim_terminal_output_sensitivity");
  const auto ranges = scratch.path() / "ranges.yaml";
  std::ofstream(ranges) << "parameters:\n"
                           "  - {path: attrition.burnout_coefficient, low: 1, high: 3}\n"
                           "  - {path: burnout.memory_months, low: 3, high: 12}\n"
                           "  - {path: pay.neighbour_gap.social_worker, low: 0.0, high: 0.1}\n";
  const auto file = scratch.path() / "tornado.h5";
  const CommandResult result =
      run_program(WFSIM_BINARY,
                  "sensitivity " + shell_quote(lancashire_scenario_path("baseline").string()) + " --ranges " +
                      shell_quote(ranges.string()) + " --design tornado -n 10 --threads 2 -o " +
                      shell_quote(file.string()),
                  scratch.path() / "stderr.txt", scratch.path() / "stdout.txt");
  ASSERT_EQ(result.exit_status, 0) << result.stderr_text;
  const output::SensitivityRecord record = output::read_sensitivity_file(file);
  ASSERT_EQ(record.columns.parameters.size(), 3u);

  std::smatch base;
  ASSERT_TRUE(std::regex_search(result.stdout_text, base, std::regex(R"(own value (-?[\d.]+))")))
      << result.stdout_text;
  expect_printed(std::stod(base[1]), record.info.base_value, 2, "output at the scenario's values");
  for (std::size_t k = 0; k < record.columns.parameters.size(); ++k) {
    const std::string& name = record.columns.parameters[k];
    SCOPED_TRACE(name);
    const std::string line = line_starting(result.stdout_text, "Tornado:", name + " ");
    ASSERT_FALSE(line.empty()) << result.stdout_text;
    // parameter, low, value, high, output low, output high, swing
    std::istringstream fields(line.substr(name.size()));
    double low = 0, value = 0, high = 0, output_low = 0, output_high = 0, swing = 0;
    ASSERT_TRUE(fields >> low >> value >> high >> output_low >> output_high >> swing) << line;
    EXPECT_NEAR(low, record.columns.low[k], 1e-3 * std::max(1.0, std::abs(low)));
    EXPECT_NEAR(high, record.columns.high[k], 1e-3 * std::max(1.0, std::abs(high)));
    expect_printed(output_low, record.columns.output_low[k], 2, "output low");
    expect_printed(output_high, record.columns.output_high[k], 2, "output high");
    expect_printed(swing, record.swing(k), 2, "swing");
  }
}

TEST(TerminalOutputCalibrate, FittedValuesAreTheOverlaysAndTheReportIsWhatWasShown) {
  const ScratchDirectory scratch("wfsim_terminal_output_calibrate");
  const auto overlay = scratch.path() / "overlay.yaml";
  const auto report = scratch.path() / "report.md";
  const CommandResult result = run_program(
      WFSIM_BINARY,
      "calibrate " + shell_quote(lancashire_scenario_path("baseline").string()) + " --targets " +
          shell_quote(lancashire_scenario_path("targets-2015").string()) + " --max-evaluations 3 -n 10 -o " +
          shell_quote(overlay.string()) + " --report " + shell_quote(report.string()),
      scratch.path() / "stderr.txt", scratch.path() / "stdout.txt");
  ASSERT_EQ(result.exit_status, 0) << result.stderr_text;
  EXPECT_EQ(result.stdout_text, read_text(report));

  // Rows "| `path` | min | max | start | fitted |" of the parameter table.
  const YAML::Node fitted = YAML::LoadFile(overlay.string());
  std::istringstream in(result.stdout_text);
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    const std::size_t path_end = line.find('`', 3);
    const std::string path = line.substr(3, path_end - 3);
    SCOPED_TRACE(path);
    std::vector<std::string> cells;
    std::istringstream row(line.substr(path_end + 1));
    std::string cell;
    while (std::getline(row, cell, '|'))
      if (cell.find_first_not_of(' ') != std::string::npos) cells.push_back(cell);
    ASSERT_GE(cells.size(), 4u) << line;
    const double printed = std::stod(cells[3]);  // min, max, start, fitted
    // Walk the overlay by the dotted path; reset() rebinds (assignment would write).
    YAML::Node node;
    node.reset(fitted);
    std::istringstream keys(path);
    std::string key;
    while (std::getline(keys, key, '.') && node.IsMap()) node.reset(std::as_const(node)[key]);
    ASSERT_TRUE(node.IsScalar()) << "the overlay does not set " << path;
    EXPECT_NEAR(printed, node.as<double>(), 1e-5 * std::abs(node.as<double>()));  // printed to 6 digits
    ++rows;
  }
  EXPECT_GE(rows, 5) << result.stdout_text;
}

}  // namespace
}  // namespace wfsim::test
