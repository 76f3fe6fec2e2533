#include <fmt/format.h>
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "bad_scenario_cases.hpp"
#include "cli_runner.hpp"
#include "scenario/document.hpp"
#include "scenario/parameter_registry.hpp"
#include "scenario/scenario.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using namespace wfsim::scenario;
using namespace wfsim::test;
using wfsim::model::Parameters;

// Replaces the first `from` in `text` by `to`; a `from` not there fails the test.
void replace_first(std::string& text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
}

std::uint64_t bits(double value) {
  return std::bit_cast<std::uint64_t>(value);
}

// What the numeric registry does not cover: switches, months and lists.
void expect_identical_policies(const wfsim::model::Policies& a, const wfsim::model::Policies& b) {
  const auto& ra = a.retention_payment;
  const auto& rb = b.retention_payment;
  EXPECT_EQ(ra.enabled, rb.enabled);
  EXPECT_EQ(ra.start_month, rb.start_month);
  EXPECT_EQ(ra.tenure_milestones_months, rb.tenure_milestones_months);
  EXPECT_EQ(ra.roles, rb.roles);
  EXPECT_EQ(ra.bands, rb.bands);
  EXPECT_EQ(a.market_supplement.enabled, b.market_supplement.enabled);
  EXPECT_EQ(a.market_supplement.start_month, b.market_supplement.start_month);
  EXPECT_EQ(a.extra_posts.enabled, b.extra_posts.enabled);
  ASSERT_EQ(a.extra_posts.phases.size(), b.extra_posts.phases.size());
  for (std::size_t i = 0; i < a.extra_posts.phases.size(); ++i) {
    EXPECT_EQ(a.extra_posts.phases[i].month_index, b.extra_posts.phases[i].month_index) << i;
    EXPECT_TRUE(a.extra_posts.phases[i].posts == b.extra_posts.phases[i].posts) << i;
  }
  EXPECT_EQ(a.caseload_cap.enabled, b.caseload_cap.enabled);
  EXPECT_EQ(a.caseload_cap.start_month, b.caseload_cap.start_month);
  EXPECT_EQ(a.step_up.enabled, b.step_up.enabled);
  EXPECT_EQ(a.step_up.start_month, b.step_up.start_month);
  EXPECT_EQ(a.step_up.intake_calendar_months, b.step_up.intake_calendar_months);
  EXPECT_EQ(a.asye_programme.enabled, b.asye_programme.enabled);
  EXPECT_EQ(a.asye_programme.start_month, b.asye_programme.start_month);
  EXPECT_EQ(a.advanced_practitioner.enabled, b.advanced_practitioner.enabled);
  EXPECT_EQ(a.advanced_practitioner.start_month, b.advanced_practitioner.start_month);
  EXPECT_EQ(a.recruitment_marketing.enabled, b.recruitment_marketing.enabled);
  EXPECT_EQ(a.recruitment_marketing.start_month, b.recruitment_marketing.start_month);
  EXPECT_EQ(a.hiring_mix.enabled, b.hiring_mix.enabled);
  EXPECT_EQ(a.hiring_mix.start_month, b.hiring_mix.start_month);
  EXPECT_EQ(a.agency.enabled, b.agency.enabled);
  EXPECT_EQ(a.agency.start_month, b.agency.start_month);
  EXPECT_EQ(a.workload_relief.enabled, b.workload_relief.enabled);
  EXPECT_EQ(a.workload_relief.start_month, b.workload_relief.start_month);
  EXPECT_EQ(a.work_life.enabled, b.work_life.enabled);
  EXPECT_EQ(a.work_life.start_month, b.work_life.start_month);
  EXPECT_EQ(a.mobility.enabled, b.mobility.enabled);
  EXPECT_EQ(a.mobility.start_month, b.mobility.start_month);
}

// Every numeric registry parameter bit-for-bit, and every list.
void expect_identical(const Parameters& a, const Parameters& b) {
  for (const auto& parameter : numeric_parameters()) {
    EXPECT_EQ(bits(parameter.get(a)), bits(parameter.get(b))) << parameter.path;
  }
  EXPECT_EQ(a.time.start, b.time.start);
  ASSERT_EQ(a.demand.shocks.size(), b.demand.shocks.size());
  for (std::size_t i = 0; i < a.demand.shocks.size(); ++i) {
    EXPECT_EQ(a.demand.shocks[i].month_index, b.demand.shocks[i].month_index);
    EXPECT_EQ(bits(a.demand.shocks[i].multiplier), bits(b.demand.shocks[i].multiplier));
  }
  EXPECT_EQ(a.step_up.intake_calendar_months, b.step_up.intake_calendar_months);
  for (std::size_t i = 0; i < a.recruitment.nqsw_season.size(); ++i) {
    EXPECT_EQ(bits(a.recruitment.nqsw_season[i]), bits(b.recruitment.nqsw_season[i])) << i;
  }
  expect_identical_policies(a.policies, b.policies);
}

void expect_round_trip(const Scenario& scenario) {
  const Scenario reloaded = load_scenario_text(scenario.resolved_yaml, "resolved.yaml");
  expect_identical(scenario.parameters, reloaded.parameters);
  EXPECT_EQ(reloaded.name, scenario.name);
  EXPECT_EQ(reloaded.description, scenario.description);
  EXPECT_EQ(reloaded.resolved_yaml, scenario.resolved_yaml);
}

double value_at(const Parameters& parameters, std::string_view path) {
  const auto* parameter = find_numeric_parameter(path);
  if (!parameter) throw std::runtime_error(fmt::format("no parameter {}", path));
  return parameter->get(parameters);
}

TEST(ScenarioError, WhatIsFileLineColumnKeyMessage) {
  const ScenarioError error("scenarios/x.yaml", 12, 5, "demand.anual_growth",
                            "unknown key; did you mean 'annual_growth'?");
  EXPECT_STREQ(
      error.what(),
      "scenarios/x.yaml:12:5: error: demand.anual_growth: unknown key; did you mean 'annual_growth'?");
  EXPECT_EQ(error.line(), 12);
  EXPECT_EQ(error.column(), 5);
  EXPECT_EQ(error.key(), "demand.anual_growth");
  EXPECT_EQ(error.file(), "scenarios/x.yaml");
}

TEST(ScenarioError, WhatOmitsUnknownPositionAndEmptyKey) {
  EXPECT_STREQ(ScenarioError("a.yaml", 0, 0, "", "cannot read").what(), "a.yaml: error: cannot read");
}

TEST(LoadScenario, ValidFullFillsEveryParameter) {
  const Scenario scenario = load_scenario(test_scenario_path("valid_full.yaml"));
  const Parameters& p = scenario.parameters;
  EXPECT_EQ(scenario.name, "valid_full");
  EXPECT_EQ(scenario.description, "Every key, with the values of the schema example");
  EXPECT_TRUE(scenario.inherited_files.empty());
  EXPECT_EQ(p.time.start, (wfsim::model::YearMonth{2015, 11}));
  EXPECT_EQ(p.time.months, 36);
  EXPECT_EQ(p.workforce.social_workers, (std::array<int, 3>{185, 75, 190}));
  EXPECT_EQ(p.workforce.agency, 55);
  EXPECT_EQ(p.workforce.part_time_fte, 0.6);
  EXPECT_EQ(p.demand.annual_growth, 0.04);
  ASSERT_EQ(p.demand.shocks.size(), 1u);
  EXPECT_EQ(p.demand.shocks[0].month_index, 5);  // 2016-04 is five months after 2015-11
  EXPECT_EQ(p.demand.shocks[0].multiplier, 1.03);
  EXPECT_EQ(p.caseload.standard_by_band, (wfsim::model::BandValues{15, 20, 23}));
  EXPECT_EQ(p.caseload.agency_standard, 20.0);
  EXPECT_EQ(p.attrition.annual_rate_by_band, (wfsim::model::BandValues{0.15, 0.15, 0.10}));
  EXPECT_EQ(p.attrition.practice_manager_annual_rate, 0.08);
  EXPECT_EQ(p.attrition.destination_shares, (std::array<double, 4>{0.35, 0.25, 0.25, 0.15}));
  EXPECT_EQ(p.attrition.advanced_practitioner_coefficient, -0.3);
  EXPECT_EQ(p.progression.ap_post_limit, 100);
  EXPECT_EQ(p.progression.pm_min_pq_months, 48);
  EXPECT_EQ(p.step_up.intake_calendar_months, std::vector<int>{1});
  EXPECT_EQ(p.recruitment.nqsw_season,
            (std::array<double, 12>{0.5, 0.5, 0.5, 0.5, 0.5, 1, 2, 2.5, 2, 1, 0.5, 0.5}));
  EXPECT_EQ(p.recruitment.practice_manager_applicants_per_month, 0.5);
  EXPECT_EQ(p.recruitment.experienced_acceptance_probability, 0.7);
  EXPECT_EQ(p.recruitment.experienced_notice_months, 3);
  EXPECT_EQ(p.agency.cap, 100);
  EXPECT_EQ(p.pay.salary_gbp_per_year.trainee, 18000.0);
  EXPECT_EQ(p.pay.neighbour_gap[2], 0.03);
}

TEST(LoadScenario, ExtendsOverridesExactlyTheNestedValuesAndKeepsSiblings) {
  const Scenario base = load_scenario(test_scenario_path("valid_full.yaml"));
  const Scenario child = load_scenario(test_scenario_path("valid_override.yaml"));
  const std::set<std::string> overridden{"attrition.annual_rate.nqsw",
                                         "recruitment.acceptance_probability.experienced"};
  for (const auto& parameter : numeric_parameters()) {
    if (overridden.count(parameter.path)) continue;
    EXPECT_EQ(bits(parameter.get(child.parameters)), bits(parameter.get(base.parameters))) << parameter.path;
  }
  EXPECT_EQ(value_at(child.parameters, "attrition.annual_rate.nqsw"), 0.2);
  EXPECT_EQ(value_at(child.parameters, "recruitment.acceptance_probability.experienced"), 0.6);
  // Siblings in the same mappings survive the merge.
  EXPECT_EQ(value_at(child.parameters, "attrition.annual_rate.early"), 0.15);
  EXPECT_EQ(value_at(child.parameters, "recruitment.acceptance_probability.nqsw"), 0.8);
  EXPECT_EQ(child.parameters.demand.shocks.size(), 1u);
  EXPECT_EQ(child.parameters.recruitment.nqsw_season, base.parameters.recruitment.nqsw_season);
}

// What a scenario that extends others says of itself: its own name and
// description, never inherited, and the files it extends, nearest first.
void expect_extending(const Scenario& scenario, const std::string& name, const std::string& description,
                      const std::vector<std::string>& inherited_nearest_first) {
  EXPECT_EQ(scenario.name, name);
  EXPECT_EQ(scenario.description, description);
  ASSERT_EQ(scenario.inherited_files.size(), inherited_nearest_first.size());
  for (std::size_t i = 0; i < inherited_nearest_first.size(); ++i)
    EXPECT_EQ(scenario.inherited_files[i].filename(), inherited_nearest_first[i]) << "inherited file " << i;
}

TEST(LoadScenario, NameAndDescriptionAreNotInherited) {
  const Scenario child = load_scenario(test_scenario_path("valid_override.yaml"));
  expect_extending(child, "valid_override", "", {"valid_full.yaml"});
  EXPECT_EQ(child.file, test_scenario_path("valid_override.yaml"));
}

TEST(LoadScenario, ChainsReplaceSequencesAndListNearestFirst) {
  const Scenario chain = load_scenario(test_scenario_path("valid_chain.yaml"));
  expect_extending(chain, "chained", "Two levels of extends", {"valid_override.yaml", "valid_full.yaml"});
  EXPECT_TRUE(chain.parameters.demand.shocks.empty());
  EXPECT_EQ(chain.parameters.step_up.intake_calendar_months, (std::vector<int>{1, 9}));
  EXPECT_EQ(chain.parameters.agency.cap, 40);
  EXPECT_EQ(chain.parameters.agency.cost_gbp_per_year, 60000.0);
  EXPECT_EQ(chain.parameters.attrition.annual_rate_by_band[0], 0.2);
}

TEST(ResolvedYaml, ReloadsToIdenticalParameters) {
  for (const char* name : {"valid_full.yaml", "valid_override.yaml", "valid_chain.yaml",
                           "valid_all_policies.yaml", "valid_policy_override.yaml"}) {
    SCOPED_TRACE(name);
    expect_round_trip(load_scenario(test_scenario_path(name)));
  }
}

TEST(ResolvedYaml, IsSelfContainedInCanonicalOrder) {
  const Scenario chain = load_scenario(test_scenario_path("valid_chain.yaml"));
  const std::string& yaml = chain.resolved_yaml;
  EXPECT_EQ(yaml.find("\nextends:"), std::string::npos);
  EXPECT_EQ(yaml.rfind("name: \"chained\"\n", 0), 0u) << yaml;
  std::size_t previous = 0;
  for (const char* key :
       {"\nstart:", "\nmonths:", "\nworkforce:", "\ndemand:", "\ncaseload:", "\nsupervision:", "\nburnout:",
        "\nattrition:", "\nasye:", "\nprogression:", "\nstep_up:", "\nrecruitment:", "\nagency:", "\npay:"}) {
    const std::size_t at = yaml.find(key);
    ASSERT_NE(at, std::string::npos) << key;
    EXPECT_GT(at, previous) << key;
    previous = at;
  }
}

TEST(ResolvedYaml, OmitsAbsentOptionalsAndKeepsThemAbsent) {
  std::string text = read_text(test_scenario_path("valid_full.yaml"));
  replace_first(text, "  cap: 100\n", "");
  replace_first(text, ", post_limit: 100}", "}");
  const Scenario scenario = load_scenario_text(text, "no_limits.yaml");
  EXPECT_EQ(scenario.parameters.agency.cap, -1);
  EXPECT_EQ(scenario.parameters.progression.ap_post_limit, -1);
  EXPECT_EQ(scenario.name, "valid_full");
  EXPECT_EQ(scenario.resolved_yaml.find("cap:"), std::string::npos);
  EXPECT_EQ(scenario.resolved_yaml.find("post_limit"), std::string::npos);
  expect_round_trip(scenario);
}

TEST(ResolvedYaml, RoundTripsAwkwardDoublesBitForBit) {
  std::string text = read_text(test_scenario_path("valid_full.yaml"));
  replace_first(text, "annual_growth: 0.04", "annual_growth: 0.30000000000000004");
  replace_first(text, "initial_cases: 15000", "initial_cases: 1.2345678901234567e-300");
  replace_first(text, "burnout_coefficient: 1.5", "burnout_coefficient: -0.0");
  replace_first(text, "marketing: 0}", "marketing: -2.9999999999999996}");
  replace_first(text, "multiplier: 1.03}", "multiplier: 1.0000000000000002}");
  replace_first(text, "description: \"Every key, with the values of the schema example\"",
                "description: \"Quotes \\\" and \\\\ backslashes, tabs\\t and \\u00e9\"");
  const Scenario scenario = load_scenario_text(text, "awkward.yaml");
  EXPECT_EQ(scenario.parameters.demand.annual_growth, 0.1 + 0.2);
  EXPECT_TRUE(std::signbit(scenario.parameters.attrition.burnout_coefficient));
  EXPECT_EQ(scenario.description, "Quotes \" and \\ backslashes, tabs\t and \u00e9");
  expect_round_trip(scenario);
}

TEST(ResolvedYaml, TextWithExtendsIsRejected) {
  try {
    load_scenario_text("extends: valid_full.yaml\n", "stored.yaml");
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(error.key(), "extends");
    EXPECT_EQ(error.line(), 1);
    EXPECT_EQ(error.file(), "stored.yaml");
  }
}

TEST(LoadScenario, MissingFileIsAScenarioErrorNamingIt) {
  try {
    load_scenario("no/such/scenario.yaml");
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(error.file(), "no/such/scenario.yaml");
    EXPECT_NE(std::string(error.what()).find("no/such/scenario.yaml"), std::string::npos);
  }
}

TEST(LoadScenario, ErrorsInInheritedFilesNameTheNormalisedPath) {
  try {
    load_scenario(bad_scenario_dir() / "shock_outside_shortened_horizon.yaml");
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(fs::path(error.file()), test_scenario_path("valid_full.yaml").lexically_normal());
  }
}

TEST(ParameterRegistry, PathsAreUniqueAndFindable) {
  std::set<std::string> paths;
  for (const auto& parameter : numeric_parameters()) {
    EXPECT_TRUE(paths.insert(parameter.path).second) << parameter.path;
    EXPECT_EQ(find_numeric_parameter(parameter.path), &parameter);
    EXPECT_FALSE(parameter.units.empty()) << parameter.path;
    EXPECT_FALSE(parameter.description.empty()) << parameter.path;
    EXPECT_TRUE((parameter.real_field == nullptr) != (parameter.integer_field == nullptr)) << parameter.path;
  }
  EXPECT_GE(paths.size(), 80u);
  EXPECT_EQ(find_numeric_parameter("demand.anual_growth"), nullptr);
  EXPECT_EQ(find_numeric_parameter("recruitment.nqsw_season"), nullptr);  // a list, not a scalar
}

TEST(ParameterRegistry, EachParameterWritesOnlyItsOwnField) {
  const Parameters base = load_scenario(test_scenario_path("valid_full.yaml")).parameters;
  for (const auto& target : numeric_parameters()) {
    Parameters changed = base;
    const double value = target.get(base) + (target.integer ? 1.0 : 0.5);
    target.set(changed, value);
    EXPECT_EQ(target.get(changed), value) << target.path;
    for (const auto& other : numeric_parameters()) {
      if (&other == &target) continue;
      EXPECT_EQ(bits(other.get(changed)), bits(other.get(base)))
          << target.path << " also changed " << other.path;
    }
  }
}

TEST(ParameterRegistry, IntegersAreRoundedOnSet) {
  Parameters parameters;
  const auto* agency = find_numeric_parameter("workforce.agency");
  ASSERT_NE(agency, nullptr);
  EXPECT_TRUE(agency->integer);
  agency->set(parameters, 54.6);
  EXPECT_EQ(parameters.workforce.agency, 55);
  agency->set(parameters, 54.4);
  EXPECT_EQ(agency->get(parameters), 54.0);
}

TEST(ParameterRegistry, RangesMatchTheSchema) {
  const auto* probability = find_numeric_parameter("asye.failure_probability");
  ASSERT_NE(probability, nullptr);
  EXPECT_EQ(probability->min, 0.0);
  EXPECT_EQ(probability->max, 1.0);
  EXPECT_TRUE(probability->admits(1.0));
  EXPECT_FALSE(probability->admits(1.4));
  const auto* fte = find_numeric_parameter("workforce.part_time_fte");
  ASSERT_NE(fte, nullptr);
  EXPECT_FALSE(fte->admits(0.0));
  EXPECT_TRUE(fte->admits(1.0));
  const auto* cap = find_numeric_parameter("agency.cap");
  ASSERT_NE(cap, nullptr);
  EXPECT_FALSE(cap->required);
  EXPECT_EQ(cap->absent_value, -1.0);
  EXPECT_TRUE(cap->admits(-1.0));
  EXPECT_FALSE(cap->admits(-2.0));
  EXPECT_FALSE(cap->admits(2.5));
  const auto* growth = find_numeric_parameter("demand.annual_growth");
  ASSERT_NE(growth, nullptr);
  EXPECT_FALSE(growth->admits(-1.0));
  EXPECT_TRUE(growth->admits(-0.5));
}

TEST(ParameterRegistry, MarkdownTableListsTheWholeSchema) {
  const std::string table = parameter_table_markdown();
  EXPECT_EQ(table.rfind("| Key | Units | Range | Required | Description |\n|---|", 0), 0u);
  for (const auto& parameter : numeric_parameters()) {
    EXPECT_NE(table.find(fmt::format("| `{}` |", parameter.path)), std::string::npos) << parameter.path;
  }
  for (const char* path :
       {"name", "extends", "start", "demand.shocks", "step_up.intake_months", "recruitment.nqsw_season"}) {
    EXPECT_NE(table.find(fmt::format("| `{}` |", path)), std::string::npos) << path;
  }
  EXPECT_NE(table.find("| `asye.failure_probability` | probability | [0, 1] | yes |"), std::string::npos);
  EXPECT_NE(table.find("| `agency.cap` | people | whole, 0..20000 | no (default: no cap beyond vacancies) |"),
            std::string::npos);
}

TEST(YamlNumbers, FollowTheCoreSchemaOnly) {
  using wfsim::scenario::detail::parse_yaml_number;
  EXPECT_EQ(parse_yaml_number("15"), 15.0);
  EXPECT_EQ(parse_yaml_number("+5"), 5.0);
  EXPECT_EQ(parse_yaml_number("-0.25"), -0.25);
  EXPECT_EQ(parse_yaml_number(".5"), 0.5);
  EXPECT_EQ(parse_yaml_number("1."), 1.0);
  EXPECT_EQ(parse_yaml_number("1e3"), 1000.0);
  EXPECT_EQ(parse_yaml_number("2.5E-1"), 0.25);
  EXPECT_TRUE(std::isinf(*parse_yaml_number("-.inf")));
  EXPECT_TRUE(std::isnan(*parse_yaml_number(".nan")));
  for (const char* bad : {"", "-", ".", "1e", "0x10", "1_000", "1,5", "inf", "nan", "12abc", " 1", "1 "}) {
    EXPECT_FALSE(parse_yaml_number(bad).has_value()) << '"' << bad << '"';
  }
}

TEST(Suggestions, NearestKeyOnlyWhenReasonablyClose) {
  using wfsim::scenario::detail::nearest_key;
  const std::vector<std::string> keys{"initial_cases", "annual_growth", "monthly_noise_sd", "shocks"};
  EXPECT_EQ(nearest_key("anual_growth", keys), "annual_growth");
  EXPECT_EQ(nearest_key("annaul_growth", keys), "annual_growth");  // transposition
  EXPECT_EQ(nearest_key("shock", keys), "shocks");
  EXPECT_EQ(nearest_key("colour", keys), std::nullopt);
  EXPECT_EQ(nearest_key("growth", keys), std::nullopt);
}

// ---- every file in tests/bad_scenarios ----------------------------------

class BadScenario : public ::testing::TestWithParam<std::string> {};

TEST(BadScenarios, AtLeast32FilesEachWithAnExpectation) {
  const auto names = bad_scenario_names();
  EXPECT_GE(names.size(), 32u);
  for (const std::string& name : names) {
    EXPECT_GT(read_bad_scenario_case(bad_scenario_dir() / name).line, 0) << name;
  }
}

TEST_P(BadScenario, ThrowsLocatedScenarioError) {
  const auto expected = read_bad_scenario_case(bad_scenario_dir() / GetParam());
  ASSERT_GT(expected.line, 0) << "missing '# expect: <line> <key>' comment";
  try {
    load_scenario(expected.file);
    FAIL() << "loaded without error";
  } catch (const ScenarioError& error) {
    const std::string what = error.what();
    SCOPED_TRACE(what);
    EXPECT_EQ(error.line(), expected.line);
    EXPECT_EQ(error.key(), expected.key);
    EXPECT_GE(error.column(), 1);
    EXPECT_EQ(fs::path(error.file()).filename(), expected.error_file);
    EXPECT_NE(what.find(expected.error_file), std::string::npos);
    EXPECT_NE(what.find(fmt::format(":{}:{}: error: ", error.line(), error.column())), std::string::npos);
    EXPECT_NE(what.find(expected.key), std::string::npos);
    if (expected.suggestion) {
      EXPECT_NE(what.find(fmt::format("did you mean '{}'?", *expected.suggestion)), std::string::npos);
    }
    if (expected.message) {
      EXPECT_NE(what.find(*expected.message), std::string::npos);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Files, BadScenario, ::testing::ValuesIn(bad_scenario_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return test_name_of(info.param);
                         });

}  // namespace
