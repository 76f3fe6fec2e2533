// Sensitivity designs where the answer is known: a parameter the output
// cannot depend on has exactly zero effect (common random numbers), a
// parameter with a known monotone effect has the right sign, Morris ranks
// parameters as the tornado does, a policy effect size that crosses "no
// effect" flips the ranking; the ranges file's located errors; the HDF5
// sensitivity file; the command's exit status 2 on bad input.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/sensitivity.hpp"
#include "cli_runner.hpp"
#include "hdf5_read.hpp"
#include "input_file_command.hpp"
#include "model_fixture.hpp"
#include "output/sensitivity_file.hpp"
#include "scenario/analysis_files.hpp"
#include "scenario/parameter_registry.hpp"
#include "scenario/scenario.hpp"
#include "scratch_directory.hpp"
#include "source_path.hpp"

namespace wfsim::analysis {
namespace {

namespace fs = std::filesystem;

// A small, fast version of the baseline: two years, few replications.
model::Parameters small_baseline() {
  model::Parameters p = test::baseline_parameters();
  p.time.months = 24;
  return p;
}

SensitivitySettings fast(SensitivityDesign design, std::string output) {
  return {.design = design,
          .output = std::move(output),
          .seed = 99,
          .replications = 16,
          .threads = 2,
          .trajectories = 6,
          .levels = 4};
}

std::vector<scenario::ParameterRange> ranges_of(const std::string& text,
                                                std::vector<const model::Parameters*> scenarios) {
  return scenario::load_ranges_text(text, "ranges.yaml", scenarios).parameters;
}

constexpr const char* kThreeRanges =
    "parameters:\n"
    "  - {path: agency.cost_gbp_per_year, low: 40000, high: 90000}\n"               // costs only
    "  - {path: attrition.annual_rate.early, low: 0.05, high: 0.25}\n"              // strong, more leavers
    "  - {path: attrition.annual_rate.practice_manager, low: 0.02, high: 0.05}\n";  // weak, more leavers

TEST(Sensitivity, TornadoHasExactZerosAndTheKnownSigns) {
  const model::Parameters p = small_baseline();
  const auto ranges = ranges_of(kThreeRanges, {&p});
  const SensitivityResult r =
      run_sensitivity(p, nullptr, ranges, fast(SensitivityDesign::tornado, "leavers_total"));
  ASSERT_EQ(r.parameters.size(), 3u);
  EXPECT_EQ(r.evaluations, 7);
  // Agency charges cannot change who leaves: with the same random numbers
  // the output is identical, not merely close.
  EXPECT_EQ(r.output_low[0], r.base_value);
  EXPECT_EQ(r.output_high[0], r.base_value);
  EXPECT_EQ(r.swing(0), 0.0);
  // A higher base leaving rate means more leavers.
  EXPECT_GT(r.output_high[1], r.base_value);
  EXPECT_LT(r.output_low[1], r.base_value);
  EXPECT_GT(r.output_high[2], r.output_low[2]);
  EXPECT_EQ(tornado_order(r), (std::vector<std::size_t>{1, 2, 0}));
  for (int flip : r.flips_ranking) EXPECT_EQ(flip, 0) << "no policy, no ranking";
  EXPECT_EQ(r.baseline[1], 0.115);
}

TEST(Sensitivity, MorrisRanksAsTheTornadoDoesAndAZeroEffectIsExactlyZero) {
  const model::Parameters p = small_baseline();
  const auto ranges = ranges_of(kThreeRanges, {&p});
  const SensitivityResult tornado =
      run_sensitivity(p, nullptr, ranges, fast(SensitivityDesign::tornado, "leavers_total"));
  const SensitivityResult morris =
      run_sensitivity(p, nullptr, ranges, fast(SensitivityDesign::morris, "leavers_total"));
  EXPECT_EQ(morris.evaluations, 1 + 6 * 4);
  EXPECT_EQ(morris.mu_star[0], 0.0);
  EXPECT_EQ(morris.mu[0], 0.0);
  EXPECT_EQ(morris.sigma[0], 0.0);
  EXPECT_GT(morris.mu[1], 0.0);  // monotone: every elementary effect positive
  EXPECT_EQ(morris.mu[1], morris.mu_star[1]);
  EXPECT_EQ(morris_order(morris), tornado_order(tornado));
  // Effects are per whole range, as the tornado's swing is: same size.
  EXPECT_NEAR(morris.mu_star[1], tornado.swing(1), 0.5 * tornado.swing(1));
}

TEST(Sensitivity, APolicyEffectThatCrossesNoEffectFlipsTheRanking) {
  const model::Parameters reference = small_baseline();
  model::Parameters policy = reference;
  auto& asye = test::switch_on(policy.policies.asye_programme, 0);
  asye.nqsw_strain_multiplier = 1.0;
  asye.nqsw_hazard_multiplier = 0.7;
  asye.failure_multiplier = 1.0;
  asye.cost_gbp_per_nqsw_per_year = 0;
  const auto ranges = ranges_of(
      "parameters:\n"
      "  - {path: policies.asye_programme.nqsw_hazard_multiplier, low: 0.5, high: 2.0}\n"
      "  - {path: agency.cost_gbp_per_year, low: 40000, high: 90000}\n",
      {&reference, &policy});
  const SensitivityResult r =
      run_sensitivity(reference, &policy, ranges, fast(SensitivityDesign::tornado, "leavers_total"));
  ASSERT_TRUE(r.paired);
  EXPECT_LT(r.base_value, 0.0);      // the programme as specified keeps people
  EXPECT_LT(r.output_low[0], 0.0);   // more so at half the hazard
  EXPECT_GT(r.output_high[0], 0.0);  // at twice the hazard it loses them
  EXPECT_EQ(r.flips_ranking[0], 1);
  EXPECT_EQ(r.flips_ranking[1], 0);
  EXPECT_EQ(r.output_low[1], r.base_value);  // the difference cannot depend on agency charges
  EXPECT_EQ(r.baseline[0], 0.7);             // read from the policy, which switches the lever on
  const std::string table = sensitivity_table(r);
  EXPECT_NE(table.find("YES"), std::string::npos) << table;

  const SensitivityResult m =
      run_sensitivity(reference, &policy, ranges, fast(SensitivityDesign::morris, "leavers_total"));
  EXPECT_EQ(m.flips_ranking[0], 1);
  EXPECT_EQ(m.flips_ranking[1], 0);
  EXPECT_EQ(m.mu_star[1], 0.0);
}

// ---- the ranges file ---------------------------------------------------------------

struct BadRanges {
  const char* name;
  const char* text;
  int line;
  const char* key;
  const char* message;
};

// Named in test listings by its case name, not its bytes.
void PrintTo(const BadRanges& bad, std::ostream* out) {
  *out << bad.name;
}

const std::vector<BadRanges> kBadRanges = {
    {"unknown_parameter", "parameters:\n  - {path: demand.anual_growth, low: 0, high: 0.1}\n", 2,
     "parameters[0].path", "did you mean 'demand.annual_growth'"},
    {"low_outside_registry_range",
     "parameters:\n  - {path: asye.failure_probability, low: -0.1, high: 0.1}\n", 2, "parameters[0].low",
     "expected a number in [0, 1]"},
    {"high_not_above_low", "parameters:\n  - {path: demand.annual_growth, low: 0.1, high: 0.05}\n", 2,
     "parameters[0].high", "above low"},
    {"fractional_whole_number", "parameters:\n  - {path: agency.cap, low: 10, high: 20.5}\n", 2,
     "parameters[0].high", "expected a whole number"},
    {"horizon", "parameters:\n  - {path: months, low: 12, high: 24}\n", 2, "parameters[0].path",
     "horizon cannot vary"},
    {"repeated",
     "parameters:\n  - {path: demand.annual_growth, low: 0, high: 0.1}\n"
     "  - {path: demand.annual_growth, low: 0, high: 0.2}\n",
     3, "parameters[1].path", "already given at line 2"},
    {"missing_high", "parameters:\n  - {path: demand.annual_growth, low: 0}\n", 2, "parameters[0].high",
     "missing required key 'high'"},
    {"not_a_list", "parameters: {path: demand.annual_growth}\n", 1, "parameters", "non-empty list"},
    {"unknown_key", "parameters:\n  - {path: demand.annual_growth, low: 0, hihg: 0.1}\n", 2,
     "parameters[0].hihg", "did you mean 'high'"},
    {"empty_file", "", 1, "", "the file is empty"},
};

class RangesErrors : public ::testing::TestWithParam<BadRanges> {};

TEST_P(RangesErrors, AreLocatedAndExplained) {
  const BadRanges& bad = GetParam();
  const model::Parameters p = small_baseline();
  try {
    ranges_of(bad.text, {&p});
    FAIL() << "no error for " << bad.name;
  } catch (const scenario::ScenarioError& e) {
    EXPECT_EQ(e.line(), bad.line) << e.what();
    EXPECT_EQ(e.key(), bad.key) << e.what();
    EXPECT_NE(std::string(e.what()).find(bad.message), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Files, RangesErrors, ::testing::ValuesIn(kBadRanges),
                         [](const ::testing::TestParamInfo<BadRanges>& info) {
                           return std::string(info.param.name);
                         });

TEST(Ranges, ARangeThatWouldOverwriteAPolicysOwnValueIsRejected) {
  const model::Parameters reference = small_baseline();
  model::Parameters policy = reference;
  policy.recruitment.max_nqsw_share_of_hires = 0.5;
  try {
    ranges_of("parameters:\n  - {path: recruitment.max_nqsw_share_of_hires, low: 0.3, high: 1}\n",
              {&reference, &policy});
    FAIL();
  } catch (const scenario::ScenarioError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(std::string(e.what()).find("different values (1 and 0.5)"), std::string::npos) << e.what();
  }
}

TEST(Ranges, WorkloadSharesMustStayBelowOneAtTheirHighestValues) {
  model::Parameters p = small_baseline();
  auto& relief = test::switch_on(p.policies.workload_relief, 0);
  relief.phase_in_months = 1;
  relief.out_of_hours_demand_share = 0.3;
  relief.post16_demand_share = 0.3;
  relief.specialism_strain_reduction = 0;
  relief.cost_gbp_per_month = 0;
  EXPECT_THROW(
      ranges_of(
          "parameters:\n  - {path: policies.workload_relief.post16_demand_share, low: 0.1, high: 0.8}\n",
          {&p}),
      scenario::ScenarioError);
  EXPECT_NO_THROW(ranges_of(
      "parameters:\n  - {path: policies.workload_relief.post16_demand_share, low: 0.1, high: 0.5}\n", {&p}));
}

// Every shipped scenario that uses a parameter of the ranges file sets it
// inside its range, so it is drawn (a value outside is taken as given), and
// every range is used by some shipped scenario.
TEST(Ranges, TheShippedRangesHoldEveryShippedScenariosValues) {
  const fs::path dir = wfsim::test::source_path("scenarios/lancashire-2015");
  std::vector<scenario::Scenario> scenarios;
  for (const char* name :
       {"baseline", "strategy", "advanced_practitioner", "agency", "asye_programme", "caseload_cap",
        "extra_posts", "hiring_mix", "market_supplement", "mobility", "recruitment_marketing",
        "retention_payment", "step_up", "work_life", "workload_relief"})
    scenarios.push_back(scenario::load_scenario(dir / fmt::format("{}.yaml", name)));
  const scenario::Scenario baseline = scenario::load_scenario(dir / "baseline.yaml");
  const auto ranges =
      scenario::load_ranges(dir / "ranges.yaml", std::vector<const model::Parameters*>{&baseline.parameters});
  EXPECT_GE(ranges.parameters.size(), 40u);
  for (const auto& range : ranges.parameters) {
    int users = 0;
    for (const scenario::Scenario& s : scenarios) {
      if (!scenario::parameter_in_force(s.parameters, range.path)) continue;
      ++users;
      const auto drawn = std::find_if(s.uncertain.begin(), s.uncertain.end(),
                                      [&](const auto& u) { return u.path == range.path; });
      EXPECT_NE(drawn, s.uncertain.end()) << range.path << " is not drawn in " << s.name;
    }
    EXPECT_GT(users, 0) << range.path << " is used by no shipped scenario";
  }
}

// ---- the file ------------------------------------------------------------------------

TEST(SensitivityFile, HoldsTheDocumentedLayoutAndIsCompleteOrAbsent) {
  using namespace wfsim::test_h5;
  const test::ScratchDirectory scratch("wfsim_sensitivity_file");
  const fs::path& dir = scratch.path();
  output::SensitivityFileInfo info;
  info.wfsim_version = "test";
  info.design = "tornado";
  info.output = "net_loss_total";
  info.output_units = "headcount";
  info.scenario = "baseline";
  info.policy = "strategy";
  info.replications = 16;
  info.seed = 7;
  info.base_value = -3.5;
  output::SensitivityColumns columns;
  columns.parameters = {"a.b", "c.d"};
  columns.baseline = {1, 2};
  columns.low = {0.5, 1};
  columns.high = {1.5, 3};
  columns.output_low = {-1, -4};
  columns.output_high = {-6, 2};
  columns.flips_ranking = {0, 1};
  const fs::path path = dir / "s.h5";
  output::write_sensitivity_file(path, info, columns);
  {
    h5::File file(must(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open"));
    EXPECT_EQ(read_int_attribute(file.get(), "complete"), 1);
    EXPECT_EQ(read_string_attribute(file.get(), "filetype"), "wfsim-sensitivity");
    h5::Group group(must(H5Gopen2(file.get(), "sensitivity", H5P_DEFAULT), "open group"));
    EXPECT_EQ(read_string_attribute(group.get(), "design"), "tornado");
    EXPECT_EQ(read_string_attribute(group.get(), "output"), "net_loss_total");
    EXPECT_EQ(read_string_attribute(group.get(), "scenario"), "baseline");
    EXPECT_EQ(read_string_attribute(group.get(), "policy"), "strategy");
    EXPECT_EQ(read_int_attribute(group.get(), "replications"), 16);
    EXPECT_EQ(read_scalar_attribute<std::uint64_t>(group.get(), "seed", H5T_NATIVE_UINT64), 7u);
    EXPECT_EQ(read_scalar_attribute<double>(group.get(), "base_value", H5T_NATIVE_DOUBLE), -3.5);
    h5::Dataset names(must(H5Dopen2(group.get(), "parameters", H5P_DEFAULT), "open parameters"));
    EXPECT_EQ(read_string_dataset(names.get()), columns.parameters);
    EXPECT_EQ(read_doubles(file.get(), "/sensitivity/output_high"), columns.output_high);
    EXPECT_EQ(read_doubles(file.get(), "/sensitivity/low"), columns.low);
    EXPECT_EQ(read_doubles(file.get(), "/sensitivity/flips_ranking"), (std::vector<double>{0, 1}));
    EXPECT_LE(H5Lexists(group.get(), "mu_star", H5P_DEFAULT), 0);
  }
  // A column of the wrong length: nothing is written at all.
  columns.mu = {1, 2};
  EXPECT_THROW(output::write_sensitivity_file(dir / "bad.h5", info, columns), std::runtime_error);
  EXPECT_FALSE(fs::exists(dir / "bad.h5"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

// ---- the command ------------------------------------------------------------------------

class SensitivityCommand : public test::InputFileCommand {
 protected:
  SensitivityCommand() : InputFileCommand("wfsim_sensitivity_cli", "ranges.yaml") {}

  // Exit status and stderr of `wfsim sensitivity baseline strategy --ranges <ranges> -o <dir>/out.h5 ...`.
  std::pair<int, std::string> run(const std::string& ranges_text, const std::string& extra) const {
    return run_with_input(ranges_text,
                          fmt::format("sensitivity{} --ranges {} -n 2 --threads 1 -q -o {} {}",
                                      test::lancashire_scenarios({"baseline", "strategy"}), quoted_input(),
                                      test::shell_quote((dir_ / "out.h5").string()), extra));
  }
};

TEST_F(SensitivityCommand, BadRangesExitWithStatus2AndALocatedMessageAndWriteNothing) {
  const auto [status, text] =
      run("parameters:\n  - {path: demand.annual_growth, low: 0.1, high: 0.05}\n", "");
  EXPECT_EQ(status, 2) << text;
  EXPECT_NE(text.find("ranges.yaml:2:"), std::string::npos) << text;
  EXPECT_NE(text.find("parameters[0].high"), std::string::npos) << text;
  EXPECT_FALSE(fs::exists(dir_ / "out.h5"));
}

TEST_F(SensitivityCommand, AnUnknownOutputOrDesignIsBadInput) {
  const std::string ok = "parameters:\n  - {path: demand.annual_growth, low: 0.02, high: 0.08}\n";
  EXPECT_EQ(run(ok, "--output-metric net_los").first, 2);
  EXPECT_EQ(run(ok, "--design sobol").first, 2);
  EXPECT_FALSE(fs::exists(dir_ / "out.h5"));
}

TEST_F(SensitivityCommand, WritesACompleteFile) {
  const auto [status, text] = run("parameters:\n  - {path: demand.annual_growth, low: 0.02, high: 0.08}\n",
                                  "--design morris --trajectories 2");
  ASSERT_EQ(status, 0) << text;
  using namespace wfsim::test_h5;
  h5::File file(must(H5Fopen((dir_ / "out.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open"));
  EXPECT_EQ(read_int_attribute(file.get(), "complete"), 1);
  EXPECT_EQ(read_doubles(file.get(), "/sensitivity/mu_star").size(), 1u);
}

}  // namespace
}  // namespace wfsim::analysis
