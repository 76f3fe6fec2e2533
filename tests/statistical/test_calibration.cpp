// Calibration: census statistics as defined, the targets file's located
// errors, recovery of parameters a run was generated with, the overlay that
// reloads to the fitted values, and the command's exit status 2 on bad input.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/calibration.hpp"
#include "analysis/census_statistics.hpp"
#include "cli_runner.hpp"
#include "input_file_command.hpp"
#include "model_fixture.hpp"
#include "scenario/analysis_files.hpp"
#include "scenario/parameter_registry.hpp"
#include "scenario/scenario.hpp"
#include "scratch_directory.hpp"
#include "source_path.hpp"

namespace wfsim::analysis {
namespace {

using wfsim::test::source_path;
using wfsim::test::test_scenario_path;

namespace fs = std::filesystem;
using model::Metric;

scenario::Targets targets_from(const std::string& text, const model::Parameters& scenario) {
  return scenario::load_targets_text(text, "targets.yaml", scenario, census_statistic_rules());
}

// ---- the statistics -----------------------------------------------------------

TEST(CensusStatistics, FollowTheCensusDefinitionsOnARunsSeries) {
  const model::Parameters p = test::baseline_parameters();
  const test::RunSeries series = test::run_series(p, 3, 7);
  run::ResultBlock block;
  block.reset(0, 3, 1, p.time.months);
  for (int m = 0; m < model::kMetricCount; ++m) {
    const auto rows = block.metric_rows(0, m);
    const auto source = series.metric(0, static_cast<Metric>(m));
    std::copy(source.begin(), source.end(), rows.begin());
  }
  for (int r = 0; r < 3; ++r) {
    double leavers = 0, starters = 0;
    for (int t = 12; t <= 23; ++t) {
      leavers += series.at(0, Metric::leavers, r, t);
      starters += series.at(0, Metric::starters, r, t);
    }
    const double headcount = series.at(0, Metric::permanent_qsw, r, 23);
    EXPECT_DOUBLE_EQ(census_statistic(CensusStatistic::turnover, block, 0, r, 23), leavers / headcount);
    EXPECT_DOUBLE_EQ(census_statistic(CensusStatistic::leavers, block, 0, r, 23), leavers);
    EXPECT_DOUBLE_EQ(census_statistic(CensusStatistic::starters, block, 0, r, 23), starters);
    EXPECT_DOUBLE_EQ(census_statistic(CensusStatistic::net_loss, block, 0, r, 23), leavers - starters);
    EXPECT_EQ(census_statistic(CensusStatistic::vacancy_rate, block, 0, r, 5),
              series.at(0, Metric::vacancy_rate, r, 5));
    EXPECT_EQ(census_statistic(CensusStatistic::nqsw_share, block, 0, r, 0),
              series.at(0, Metric::nqsw_share, r, 0));
    // The all-band caseload lies between the band averages.
    const double all = census_statistic(CensusStatistic::caseload, block, 0, r, 0);
    EXPECT_GT(all, series.at(0, Metric::caseload_nqsw, r, 0) - 1e-9);
    EXPECT_LT(all, series.at(0, Metric::caseload_experienced, r, 0) + 1e-9);
  }
  // A year that starts before the run is not a census year.
  EXPECT_THROW(census_statistic(CensusStatistic::leavers, block, 0, 0, 10), std::out_of_range);
}

// ---- the targets file -----------------------------------------------------------

TEST(Targets, LoadWithDefaultsAndTheScenariosStartingValues) {
  const model::Parameters p = test::baseline_parameters();
  const auto targets = targets_from(
      "reference_date: 2016-10\n"
      "statistics:\n"
      "  - {statistic: net_loss, value: 75}\n"
      "  - {statistic: nqsw_share, value: 0.35, month: 2015-11, weight: 2}\n"
      "parameters:\n"
      "  - {path: attrition.burnout_coefficient, min: 0.5, max: 4}\n"
      "  - {path: demand.initial_cases, min: 12000, max: 22000, start: 15000}\n",
      p);
  ASSERT_EQ(targets.statistics.size(), 2u);
  EXPECT_EQ(targets.statistics[0].month_index, 11);
  EXPECT_EQ(targets.statistics[0].weight, 1);
  EXPECT_EQ(targets.statistics[1].month_index, 0);
  EXPECT_EQ(targets.statistics[1].weight, 2);
  ASSERT_EQ(targets.parameters.size(), 2u);
  EXPECT_EQ(targets.parameters[0].start, 2.0);  // the scenario's value
  EXPECT_EQ(targets.parameters[1].start, 15000);
}

struct BadTargets {
  const char* name;
  const char* body;  // after the reference date line
  int line;
  const char* key;
  const char* message;
};

// Named in test listings by its case name, not its bytes.
void PrintTo(const BadTargets& bad, std::ostream* out) {
  *out << bad.name;
}

constexpr const char* kGoodParameters =
    "parameters:\n  - {path: attrition.burnout_coefficient, min: 0.5, max: 4}\n";
constexpr const char* kGoodStatistics = "statistics:\n  - {statistic: net_loss, value: 75}\n";

class TargetsErrors : public ::testing::TestWithParam<BadTargets> {};

TEST_P(TargetsErrors, AreLocatedAndExplained) {
  const BadTargets& bad = GetParam();
  const std::string text = fmt::format("reference_date: 2016-10\n{}", bad.body);
  try {
    targets_from(text, test::baseline_parameters());
    FAIL() << "no error for " << bad.name;
  } catch (const scenario::ScenarioError& e) {
    EXPECT_EQ(e.line(), bad.line) << e.what();
    EXPECT_EQ(e.key(), bad.key) << e.what();
    EXPECT_NE(std::string(e.what()).find(bad.message), std::string::npos) << e.what();
    EXPECT_EQ(e.file(), "targets.yaml");
  }
}

const std::string kStats = kGoodStatistics;
const std::string kParams = kGoodParameters;
const std::vector<BadTargets> kBadTargets = {
    {"unknown_statistic", "statistics:\n  - {statistic: turnvoer, value: 0.2}\nparameters: []\n", 3,
     "statistics[0].statistic", "did you mean 'turnover'"},
    {"flow_before_a_whole_year", "statistics:\n  - {statistic: leavers, value: 100, month: 2016-03}\n", 3,
     "statistics[0].month", "the first year inside the run ends 2016-10"},
    {"month_outside_run", "statistics:\n  - {statistic: nqsw_share, value: 0.3, month: 2020-01}\n", 3,
     "statistics[0].month", "outside the simulated months"},
    {"share_above_one", "statistics:\n  - {statistic: nqsw_share, value: 35}\n", 3, "statistics[0].value",
     "expected a fraction in [0, 1]"},
    {"zero_weight", "statistics:\n  - {statistic: net_loss, value: 75, weight: 0}\n", 3,
     "statistics[0].weight", "expected a weight > 0"},
    {"unknown_statistic_key", "statistics:\n  - {statistic: net_loss, valeu: 75}\n", 3, "statistics[0].valeu",
     "did you mean 'value'"},
    {"repeated_statistic",
     "statistics:\n  - {statistic: net_loss, value: 75}\n  - {statistic: net_loss, value: 70}\n", 4,
     "statistics[1]", "already given at line 3"},
    {"empty_statistics", "statistics: []\n", 2, "statistics", "expected a non-empty list"},
    {"unknown_parameter",
     "statistics:\n  - {statistic: net_loss, value: 75}\nparameters:\n"
     "  - {path: attrition.burnout_coeficient, min: 0, max: 4}\n",
     5, "parameters[0].path", "did you mean 'attrition.burnout_coefficient'"},
    {"whole_number_parameter",
     "statistics:\n  - {statistic: net_loss, value: 75}\nparameters:\n"
     "  - {path: recruitment.notice_months.nqsw, min: 1, max: 4}\n",
     5, "parameters[0].path", "is a whole number"},
    {"destination_share",
     "statistics:\n  - {statistic: net_loss, value: 75}\nparameters:\n"
     "  - {path: attrition.destinations.agency, min: 0.1, max: 0.4}\n",
     5, "parameters[0].path", "must sum to 1"},
    {"bound_outside_registry_range",
     "statistics:\n  - {statistic: net_loss, value: 75}\nparameters:\n"
     "  - {path: asye.failure_probability, min: 0, max: 1.5}\n",
     5, "parameters[0].max", "expected a number in [0, 1]"},
    {"max_not_above_min",
     "statistics:\n  - {statistic: net_loss, value: 75}\nparameters:\n"
     "  - {path: attrition.burnout_coefficient, min: 3, max: 3}\n",
     5, "parameters[0].max", "above min"},
    {"scenario_value_outside_bounds",
     "statistics:\n  - {statistic: net_loss, value: 75}\nparameters:\n"
     "  - {path: attrition.burnout_coefficient, min: 3, max: 4}\n",
     5, "parameters[0].path", "the scenario's value 2 lies outside [3, 4]"},
    {"start_outside_bounds",
     "statistics:\n  - {statistic: net_loss, value: 75}\nparameters:\n"
     "  - {path: attrition.burnout_coefficient, min: 1, max: 4, start: 5}\n",
     5, "parameters[0].start", "within [1, 4]"},
    {"repeated_parameter",
     "statistics:\n  - {statistic: net_loss, value: 75}\nparameters:\n"
     "  - {path: attrition.burnout_coefficient, min: 1, max: 4}\n"
     "  - {path: attrition.burnout_coefficient, min: 1, max: 3}\n",
     6, "parameters[1].path", "already given at line 5"},
    {"missing_parameters", "statistics:\n  - {statistic: net_loss, value: 75}\n", 1, "parameters",
     "missing required key 'parameters'"},
    {"unknown_top_level_key", "statistic:\n  - {statistic: net_loss, value: 75}\n", 2, "statistic",
     "did you mean 'statistics'"},
};

INSTANTIATE_TEST_SUITE_P(Files, TargetsErrors, ::testing::ValuesIn(kBadTargets),
                         [](const ::testing::TestParamInfo<BadTargets>& info) {
                           return std::string(info.param.name);
                         });

TEST(Targets, MissingReferenceDateIsLocated) {
  try {
    targets_from(kStats + kParams, test::baseline_parameters());
    FAIL();
  } catch (const scenario::ScenarioError& e) {
    EXPECT_EQ(e.key(), "reference_date") << e.what();
  }
}

TEST(Targets, TheShippedTargetsLoadAgainstTheBaseline) {
  const fs::path dir = source_path("scenarios/lancashire-2015");
  const scenario::Scenario baseline = scenario::load_scenario(dir / "baseline.yaml");
  const auto targets =
      scenario::load_targets(dir / "targets-2015.yaml", baseline.parameters, census_statistic_rules());
  EXPECT_GE(targets.statistics.size(), 5u);
  EXPECT_GE(targets.parameters.size(), 2u);
}

// ---- recovery -------------------------------------------------------------------

// The parameters a run is generated with, and the statistics it is fitted to.
constexpr double kBurnoutTruth = 2.0;
constexpr double kApplicantsTruth = 24.0;
constexpr double kCasesTruth = 16500.0;
constexpr int kReplications = 16;
constexpr std::uint64_t kSeed = 4242;

model::Parameters recovery_scenario() {
  model::Parameters p = test::baseline_parameters();
  p.time.months = 24;
  p.attrition.burnout_coefficient = kBurnoutTruth;
  p.recruitment.nqsw_applicants_per_month = kApplicantsTruth;
  p.demand.initial_cases = kCasesTruth;

  return p;
}

TEST(Calibration, RecoversTheParametersARunWasGeneratedWith) {
  const model::Parameters truth = recovery_scenario();
  // "Observed" statistics: the truth's own simulated means. Calibration uses
  // the same seed and replications (common random numbers), so the objective
  // is exactly 0 at the truth and the truth is the global minimum.
  const std::string statistics =
      "  - {statistic: net_loss, value: 0}\n"
      "  - {statistic: starters, value: 0}\n"
      "  - {statistic: turnover, value: 0, month: 2016-10}\n"
      "  - {statistic: caseload_nqsw, value: 0, month: 2015-11}\n"
      "  - {statistic: caseload_experienced, value: 0, month: 2015-11}\n";
  // The fit is local (BOBYQA): it starts 5-25% from the truth. From much
  // further (demand 12% and the burnout coefficient 30% high) this fixture's
  // service empties, its net loss saturates and the objective is flat there:
  // no local method finds its way back, which is why `wfsim calibrate`
  // starts from the scenario's own values.
  scenario::Targets targets =
      targets_from("reference_date: 2017-10\nstatistics:\n" + statistics +
                       "parameters:\n"
                       "  - {path: attrition.burnout_coefficient, min: 0.5, max: 4, start: 2.4}\n"
                       "  - {path: recruitment.applicants_per_month.nqsw, min: 5, max: 60, start: 18}\n"
                       "  - {path: demand.initial_cases, min: 12000, max: 22000, start: 17300}\n",
                   truth);
  const SimulatedStatistics observed =
      simulate_statistics(truth, targets.statistics, kSeed, kReplications, 2);
  for (std::size_t k = 0; k < targets.statistics.size(); ++k) {
    ASSERT_TRUE(std::isfinite(observed.mean[k]));
    targets.statistics[k].value = observed.mean[k];
  }

  CalibrationSettings settings;
  settings.seed = kSeed;
  settings.replications = kReplications;
  settings.threads = 2;
  settings.search.max_evaluations = 400;
  const CalibrationResult result = calibrate(truth, targets, settings);

  ASSERT_EQ(result.parameters.size(), 3u);
  EXPECT_LT(result.objective_fitted, 1e-2 * result.objective_start);
  // Tolerance: 5% of the true value. It is justified by the objective
  // itself, below: moving any one parameter 5% away from the truth costs
  // more than the fit's remaining objective, so the statistics can tell a
  // 5% error apart and a fit that recovers them is within it.
  const std::vector<double> truths = {kBurnoutTruth, kApplicantsTruth, kCasesTruth};
  constexpr double kTolerance = 0.05;
  for (std::size_t i = 0; i < truths.size(); ++i) {
    EXPECT_NEAR(result.parameters[i].fitted, truths[i], kTolerance * truths[i]) << result.parameters[i].path;
    EXPECT_FALSE(result.parameters[i].at_bound) << result.parameters[i].path;
    for (double side : {-1.0, 1.0}) {
      model::Parameters moved = truth;
      const auto* parameter = scenario::find_numeric_parameter(result.parameters[i].path);
      parameter->set(moved, truths[i] * (1 + side * kTolerance));
      const double objective = calibration_objective(
          targets.statistics, simulate_statistics(moved, targets.statistics, kSeed, kReplications, 2).mean);
      EXPECT_GT(objective, result.objective_fitted)
          << result.parameters[i].path << " moved by " << side * 5 << "%";
    }
  }
}

TEST(Calibration, TheOverlayReloadsToExactlyTheFittedValues) {
  const test::ScratchDirectory scratch("wfsim_overlay");
  const fs::path& dir = scratch.path();
  const fs::path baseline = source_path("scenarios/lancashire-2015/baseline.yaml");
  const std::vector<std::pair<std::string, double>> fitted = {{"demand.initial_cases", 16123.456789012345},
                                                              {"attrition.annual_rate.early", 0.1 / 3},
                                                              {"attrition.burnout_coefficient", 2.0 + 1e-13},
                                                              {"caseload.allocation_weight.nqsw", 1.3}};
  const std::string text = scenario::overlay_yaml(baseline.string(), "fitted", fitted, {"a header"});
  EXPECT_EQ(text.find("attrition:"), text.rfind("attrition:")) << "one attrition section:\n" << text;
  EXPECT_EQ(text.rfind("# a header", 0), 0u);
  { std::ofstream(dir / "overlay.yaml") << text; }
  const scenario::Scenario reloaded = scenario::load_scenario(dir / "overlay.yaml");
  const scenario::Scenario base = scenario::load_scenario(baseline);
  for (const auto& [path, value] : fitted) {
    EXPECT_EQ(scenario::find_numeric_parameter(path)->get(reloaded.parameters), value) << path;
  }
  // Everything else is the baseline's.
  EXPECT_EQ(reloaded.parameters.attrition.annual_rate_by_band[0],
            base.parameters.attrition.annual_rate_by_band[0]);
  EXPECT_EQ(reloaded.parameters.recruitment.nqsw_applicants_per_month,
            base.parameters.recruitment.nqsw_applicants_per_month);
}

// ---- the command ------------------------------------------------------------------

class CalibrateCommand : public test::InputFileCommand {
 protected:
  CalibrateCommand() : InputFileCommand("wfsim_calibrate_cli", "targets.yaml") {}

  // Exit status and stderr of `wfsim calibrate baseline --targets <targets> -o <dir>/out.yaml ...`.
  std::pair<int, std::string> run(const std::string& targets_text, const std::string& extra = "") const {
    return run_with_input(
        targets_text,
        fmt::format("calibrate {} --targets {} -n 2 --threads 1 --max-evaluations 3 -q -o {} {}",
                    test::shell_quote(test::lancashire_scenario_path("baseline").string()), quoted_input(),
                    test::shell_quote((dir_ / "out.yaml").string()), extra));
  }
};

TEST_F(CalibrateCommand, BadTargetsExitWithStatus2AndALocatedMessageAndWriteNothing) {
  const auto [status, text] =
      run("reference_date: 2016-10\nstatistics:\n  - {statistic: net_loss, value: 75}\nparameters:\n"
          "  - {path: attrition.burnout_coefficent, min: 0.5, max: 4}\n");
  EXPECT_EQ(status, 2) << text;
  EXPECT_NE(text.find("targets.yaml:5:"), std::string::npos) << text;
  EXPECT_NE(text.find("parameters[0].path"), std::string::npos) << text;
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 2) << "only the inputs";
}

TEST_F(CalibrateCommand, AnUnknownOptimiserIsBadInput) {
  const auto [status, text] =
      run(std::string("reference_date: 2016-10\n") + kStats + kParams, "--optimiser cobyla");
  EXPECT_EQ(status, 2) << text;
  EXPECT_FALSE(fs::exists(dir_ / "out.yaml"));
}

TEST_F(CalibrateCommand, WritesAnOverlayThatLoads) {
  const auto [status, text] = run(std::string("reference_date: 2016-10\n") + kStats + kParams,
                                  fmt::format("--report '{}'", (dir_ / "fit.md").string()));
  ASSERT_EQ(status, 0) << text;
  const scenario::Scenario overlay = scenario::load_scenario(dir_ / "out.yaml");
  EXPECT_EQ(overlay.inherited_files.size(), 1u);
  const std::string markdown = test::read_text(dir_ / "fit.md");
  EXPECT_NE(markdown.find("| net_loss | 2016-10 |"), std::string::npos) << markdown;
}

}  // namespace
}  // namespace wfsim::analysis
