// The optional `policies` section: each lever block present turns it on, its
// fields land in model::Policies, absent blocks leave the defaults, and
// `extends` merges policy fields one by one.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "scenario/parameter_registry.hpp"
#include "scenario/scenario.hpp"
#include "source_path.hpp"

namespace {

using namespace wfsim::model;
using namespace wfsim::scenario;
using wfsim::test::test_scenario_path;

// The resolved text of valid_all_policies.yaml, to edit and reload.
std::string all_policies_text() {
  return load_scenario(test_scenario_path("valid_all_policies.yaml")).resolved_yaml;
}

// `text` with the one occurrence of `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) {
    throw std::runtime_error(fmt::format("expected exactly one '{}' in:\n{}", from, text));
  }
  return text.replace(at, from.size(), to);
}

// `text` without the lines from `first_line` up to the next line at the same indentation or less.
std::string without_block(const std::string& text, const std::string& first_line) {
  const std::size_t begin = text.find(first_line);
  if (begin == std::string::npos) throw std::runtime_error("no " + first_line);
  const std::size_t indent = first_line.find_first_not_of(' ');
  std::size_t end = text.find('\n', begin) + 1;
  while (end < text.size() && text.find_first_not_of(' ', end) - end > indent) end = text.find('\n', end) + 1;
  return text.substr(0, begin) + text.substr(end);
}

std::vector<bool> enabled_flags(const Policies& p) {
  return {p.retention_payment.enabled,
          p.market_supplement.enabled,
          p.extra_posts.enabled,
          p.caseload_cap.enabled,
          p.step_up.enabled,
          p.asye_programme.enabled,
          p.advanced_practitioner.enabled,
          p.recruitment_marketing.enabled,
          p.hiring_mix.enabled,
          p.agency.enabled,
          p.workload_relief.enabled,
          p.work_life.enabled,
          p.mobility.enabled};
}

TEST(PolicySchema, EveryBlockLandsInItsStructFields) {
  const Scenario scenario = load_scenario(test_scenario_path("valid_all_policies.yaml"));
  const Policies& p = scenario.parameters.policies;
  EXPECT_EQ(enabled_flags(p), std::vector<bool>(13, true));
  // Months count from the start, 2015-11.
  const auto& retention = p.retention_payment;
  EXPECT_EQ(retention.start_month, 5);
  EXPECT_EQ(retention.amount_gbp, 2000.0);
  EXPECT_EQ(retention.tenure_milestones_months, (std::vector<int>{24, 48, 72}));
  EXPECT_EQ(retention.anticipation_months, 12);
  EXPECT_EQ(retention.anticipation_coefficient, 3.0);
  EXPECT_EQ(retention.clawback_months, 12);
  EXPECT_EQ(retention.clawback_hazard_multiplier, 0.5);
  EXPECT_EQ(retention.roles, (std::array<bool, 3>{false, true, true}));
  EXPECT_EQ(retention.bands, (std::array<bool, 3>{false, true, true}));

  EXPECT_EQ(p.market_supplement.start_month, 6);
  EXPECT_EQ(p.market_supplement.gbp_per_year, (PermanentRoleValues{1500.0, 1250.0, 0.0}));

  ASSERT_EQ(p.extra_posts.phases.size(), 2u);
  EXPECT_EQ(p.extra_posts.phases[0].month_index, 5);
  EXPECT_EQ(p.extra_posts.phases[0].posts.social_work_posts, 10);
  EXPECT_EQ(p.extra_posts.phases[0].posts.practice_manager_posts, 4);
  EXPECT_EQ(p.extra_posts.phases[1].month_index, 17);
  EXPECT_EQ(p.extra_posts.phases[1].posts.social_work_posts, 5);
  EXPECT_EQ(p.extra_posts.phases[1].posts.practice_manager_posts, 0);

  EXPECT_EQ(p.caseload_cap.start_month, 7);
  EXPECT_EQ(p.caseload_cap.cap_cases, (BandValues{15, 1e300, 23}));

  EXPECT_EQ(p.step_up.start_month, 2);
  EXPECT_EQ(p.step_up.cohort_size, 10);
  EXPECT_EQ(p.step_up.intake_calendar_months, (std::vector<int>{9, 1}));
  EXPECT_EQ(p.step_up.cost_gbp_per_trainee, 12000.0);
  // The existing scheme is a different section and keeps its own months.
  EXPECT_EQ(scenario.parameters.step_up.intake_calendar_months, std::vector<int>{1});

  EXPECT_EQ(p.asye_programme.start_month, 8);
  EXPECT_EQ(p.asye_programme.nqsw_strain_multiplier, 0.8);
  EXPECT_EQ(p.asye_programme.nqsw_hazard_multiplier, 0.85);
  EXPECT_EQ(p.asye_programme.failure_multiplier, 0.6);
  EXPECT_EQ(p.asye_programme.cost_gbp_per_nqsw_per_year, 1000.0);

  EXPECT_EQ(p.advanced_practitioner.start_month, 9);
  EXPECT_EQ(p.advanced_practitioner.monthly_probability, 0.015);
  EXPECT_EQ(p.advanced_practitioner.uplift_gbp_per_year, 3000.0);
  EXPECT_EQ(p.advanced_practitioner.post_limit, 120);
  EXPECT_EQ(p.advanced_practitioner.recognition_coefficient, -0.2);

  EXPECT_EQ(p.recruitment_marketing.start_month, 2);
  EXPECT_EQ(p.recruitment_marketing.duration_months, 24);
  EXPECT_EQ(p.recruitment_marketing.gbp_per_month, 5000.0);
  EXPECT_EQ(p.recruitment_marketing.max_attraction_gain, 0.4);
  EXPECT_EQ(p.recruitment_marketing.half_effect_gbp_per_month, 4000.0);
  EXPECT_EQ(p.recruitment_marketing.notice_reduction_months, 1);

  EXPECT_EQ(p.hiring_mix.start_month, 3);
  EXPECT_EQ(p.hiring_mix.max_nqsw_share_of_hires, 0.5);
  EXPECT_EQ(p.hiring_mix.target_nqsw_share, 0.15);

  EXPECT_EQ(p.agency.start_month, 10);
  EXPECT_EQ(p.agency.cap, 60);
  EXPECT_EQ(p.agency.monthly_conversion_probability, 0.02);
  EXPECT_EQ(p.agency.cost_gbp_per_year, 58000.0);
  EXPECT_EQ(scenario.parameters.agency.cap, 100);  // the base agency section is untouched

  EXPECT_EQ(p.workload_relief.start_month, 11);
  EXPECT_EQ(p.workload_relief.phase_in_months, 6);
  EXPECT_EQ(p.workload_relief.out_of_hours_demand_share, 0.03);
  EXPECT_EQ(p.workload_relief.post16_demand_share, 0.04);
  EXPECT_EQ(p.workload_relief.specialism_strain_reduction, 0.05);
  EXPECT_EQ(p.workload_relief.cost_gbp_per_month, 20000.0);

  EXPECT_EQ(p.work_life.start_month, 12);
  EXPECT_EQ(p.work_life.extra_leave_days, 3.0);
  EXPECT_EQ(p.work_life.strain_reduction_per_leave_day, 0.01);
  EXPECT_EQ(p.work_life.flexible_working_hazard_multiplier, 0.95);
  EXPECT_EQ(p.work_life.career_break_hazard_multiplier, 0.8);
  EXPECT_EQ(p.work_life.cost_gbp_per_month, 0.0);

  EXPECT_EQ(p.mobility.start_month, 13);
  EXPECT_EQ(p.mobility.moves_in_per_month, 1.0);
  EXPECT_EQ(p.mobility.internal_exit_multiplier, 0.5);
}

TEST(PolicySchema, WithoutPoliciesEveryLeverIsOffAtItsDefaults) {
  const Scenario scenario = load_scenario(test_scenario_path("valid_full.yaml"));
  const Policies& p = scenario.parameters.policies;
  EXPECT_EQ(enabled_flags(p), std::vector<bool>(13, false));
  const Policies defaults;
  EXPECT_EQ(p.retention_payment.roles, defaults.retention_payment.roles);
  EXPECT_TRUE(p.extra_posts.phases.empty());
  EXPECT_EQ(p.caseload_cap.cap_cases, defaults.caseload_cap.cap_cases);
  EXPECT_EQ(p.agency.cost_gbp_per_year, -1.0);
  EXPECT_EQ(p.hiring_mix.target_nqsw_share, 1.0);
  EXPECT_EQ(scenario.resolved_yaml.find("policies"), std::string::npos);
}

TEST(PolicySchema, AnAbsentBlockIsOffWhileTheOthersStayOn) {
  for (const char* block :
       {"  mobility:\n", "  retention_payment:\n", "  extra_posts:\n", "  caseload_cap:\n"}) {
    SCOPED_TRACE(block);
    const Scenario scenario = load_scenario_text(without_block(all_policies_text(), block), "one_off.yaml");
    const Policies& p = scenario.parameters.policies;
    const std::vector<bool> flags = enabled_flags(p);
    EXPECT_EQ(std::count(flags.begin(), flags.end(), false), 1);
    const std::string name = std::string(block).substr(2, std::string(block).size() - 4);
    EXPECT_EQ(scenario.resolved_yaml.find(name + ":"), std::string::npos);
  }
  const Scenario no_mobility =
      load_scenario_text(without_block(all_policies_text(), "  mobility:\n"), "no_mobility.yaml");
  EXPECT_FALSE(no_mobility.parameters.policies.mobility.enabled);
  EXPECT_EQ(no_mobility.parameters.policies.mobility.internal_exit_multiplier, 1.0);
  EXPECT_TRUE(no_mobility.parameters.policies.work_life.enabled);
}

TEST(PolicySchema, AnEmptyPoliciesMappingTurnsNothingOn) {
  std::string text = load_scenario(test_scenario_path("valid_full.yaml")).resolved_yaml + "policies: {}\n";
  const Scenario scenario = load_scenario_text(text, "empty_policies.yaml");
  EXPECT_EQ(enabled_flags(scenario.parameters.policies), std::vector<bool>(13, false));
}

TEST(PolicySchema, OptionalFieldsTakeTheirDefaultsWhenOmitted) {
  std::string text = all_policies_text();
  text = without_block(text, "    roles: ");
  text = without_block(text, "    bands: ");
  text = without_block(text, "    post_limit: 120\n");
  text = without_block(text, "    duration_months: 24\n");
  text = without_block(text, "    max_nqsw_share_of_hires: 0.5\n");
  text = without_block(text, "    cap: 60\n");
  text = without_block(text, "    cost_gbp_per_year: 58000\n");
  const Scenario scenario = load_scenario_text(text, "defaults.yaml");
  const Policies& p = scenario.parameters.policies;
  EXPECT_EQ(p.retention_payment.roles, (std::array<bool, 3>{true, true, false}));
  EXPECT_EQ(p.retention_payment.bands, (std::array<bool, 3>{true, true, true}));
  EXPECT_EQ(p.advanced_practitioner.post_limit, -1);
  EXPECT_EQ(p.recruitment_marketing.duration_months, 0);
  EXPECT_EQ(p.hiring_mix.max_nqsw_share_of_hires, 1.0);
  EXPECT_EQ(p.hiring_mix.target_nqsw_share, 0.15);
  EXPECT_EQ(p.agency.cap, -1);
  EXPECT_EQ(p.agency.cost_gbp_per_year, -1.0);
  EXPECT_EQ(p.caseload_cap.cap_cases[1], 1e300);
  EXPECT_EQ(enabled_flags(p), std::vector<bool>(13, true));
  // The default lists are written out; absent numbers stay absent.
  EXPECT_NE(scenario.resolved_yaml.find("    roles: [social_worker, advanced_practitioner]\n"),
            std::string::npos);
  EXPECT_NE(scenario.resolved_yaml.find("    bands: [nqsw, early, experienced]\n"), std::string::npos);
  EXPECT_EQ(scenario.resolved_yaml.find("post_limit: 120"), std::string::npos);
  EXPECT_EQ(scenario.resolved_yaml.find("max_nqsw_share_of_hires: "),
            scenario.resolved_yaml.rfind("max_nqsw"))
      << "only the base recruitment section's key";
  EXPECT_EQ(scenario.resolved_yaml.find("      early:"), std::string::npos);
}

TEST(PolicySchema, AChildOverridingOneFieldKeepsTheRestOfTheBlock) {
  const Parameters base = load_scenario(test_scenario_path("valid_all_policies.yaml")).parameters;
  const Scenario child = load_scenario(test_scenario_path("valid_policy_override.yaml"));
  const Parameters& p = child.parameters;
  EXPECT_EQ(p.policies.retention_payment.amount_gbp, 3500.0);
  EXPECT_EQ(p.policies.retention_payment.start_month, base.policies.retention_payment.start_month);
  EXPECT_EQ(p.policies.retention_payment.tenure_milestones_months,
            base.policies.retention_payment.tenure_milestones_months);
  EXPECT_EQ(p.policies.retention_payment.roles, base.policies.retention_payment.roles);
  EXPECT_EQ(p.policies.retention_payment.clawback_hazard_multiplier, 0.5);
  EXPECT_EQ(p.policies.caseload_cap.cap_cases, (BandValues{15, 19, 23}));
  EXPECT_EQ(p.policies.caseload_cap.start_month, 7);
  EXPECT_EQ(p.policies.agency.cap, 45);
  EXPECT_EQ(p.policies.agency.cost_gbp_per_year, 58000.0);
  EXPECT_EQ(enabled_flags(p.policies), std::vector<bool>(13, true));
  // Every numeric policy field not overridden is inherited bit for bit.
  for (const auto& parameter : numeric_parameters()) {
    if (parameter.path.rfind("policies.", 0) != 0) continue;
    if (parameter.path == "policies.retention_payment.amount_gbp" ||
        parameter.path == "policies.caseload_cap.cases.early" || parameter.path == "policies.agency.cap") {
      continue;
    }
    EXPECT_EQ(parameter.get(p), parameter.get(base)) << parameter.path;
  }
}

TEST(PolicySchema, ResolvedYamlWritesPoliciesLastWithMonthsAsWritten) {
  const std::string yaml = all_policies_text();
  const std::size_t policies = yaml.find("\npolicies:\n  retention_payment:\n    start: 2016-04\n");
  ASSERT_NE(policies, std::string::npos) << yaml;
  EXPECT_GT(policies, yaml.find("\npay:\n"));
  EXPECT_NE(yaml.find("    tenure_milestones_months: [24, 48, 72]\n"), std::string::npos);
  EXPECT_NE(yaml.find("    roles: [advanced_practitioner, practice_manager]\n"), std::string::npos);
  EXPECT_NE(yaml.find("    phases: [{month: 2016-04, social_work_posts: 10, practice_manager_posts: 4}, "
                      "{month: 2017-04, social_work_posts: 5, practice_manager_posts: 0}]\n"),
            std::string::npos);
  EXPECT_NE(yaml.find("    intake_months: [9, 1]\n"), std::string::npos);
  EXPECT_NE(yaml.find("    cases:\n      nqsw: 15\n      experienced: 23\n"), std::string::npos);
}

TEST(PolicySchema, ValuesGivenEqualToTheOmittedValueSurviveTheRoundTrip) {
  // hiring_mix needs one of its two keys present, even when it says 1.
  const std::string text =
      replaced(all_policies_text(), "    max_nqsw_share_of_hires: 0.5\n    target_nqsw_share: 0.15\n",
               "    max_nqsw_share_of_hires: 1\n");
  const Scenario scenario = load_scenario_text(text, "share_one.yaml");
  EXPECT_EQ(scenario.parameters.policies.hiring_mix.max_nqsw_share_of_hires, 1.0);
  const Scenario reloaded = load_scenario_text(scenario.resolved_yaml, "resolved.yaml");
  EXPECT_EQ(reloaded.resolved_yaml, scenario.resolved_yaml);
  EXPECT_TRUE(reloaded.parameters.policies.hiring_mix.enabled);
}

TEST(PolicySchema, MonthsAreCheckedAgainstTheRunAsResolved) {
  // 2016-04 is the sixth month of a run from 2015-11: fine for six months, not five.
  std::string text = replaced(all_policies_text(), "\nmonths: 36\n", "\nmonths: 6\n");
  text = without_block(text, "  extra_posts:\n");
  for (const char* later :
       {"2016-05", "2016-06", "2016-07", "2016-08", "2016-09", "2016-10", "2016-11", "2016-12"}) {
    text = replaced(text, fmt::format("start: {}", later), "start: 2016-04");
  }
  EXPECT_EQ(load_scenario_text(text, "six.yaml").parameters.policies.retention_payment.start_month, 5);
  try {
    load_scenario_text(replaced(text, "\nmonths: 6\n", "\nmonths: 5\n"), "five.yaml");
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(error.key(), "policies.retention_payment.start");
    EXPECT_NE(
        std::string(error.what()).find("month 2016-04 is outside the simulated months 2015-11 to 2016-03"),
        std::string::npos)
        << error.what();
  }
}

TEST(PolicySchema, NumericFieldsAreRegisteredAndEveryFieldIsDocumented) {
  EXPECT_NE(find_numeric_parameter("policies.retention_payment.amount_gbp"), nullptr);
  EXPECT_NE(find_numeric_parameter("policies.caseload_cap.cases.nqsw"), nullptr);
  EXPECT_NE(find_numeric_parameter("policies.mobility.internal_exit_multiplier"), nullptr);
  EXPECT_EQ(find_numeric_parameter("policies.retention_payment.start"), nullptr);  // a month
  EXPECT_EQ(find_numeric_parameter("policies.retention_payment"), nullptr);        // a block
  const auto* cap = find_numeric_parameter("policies.agency.cap");
  ASSERT_NE(cap, nullptr);
  EXPECT_EQ(cap->absent_value, -1.0);
  const auto* share = find_numeric_parameter("policies.workload_relief.post16_demand_share");
  ASSERT_NE(share, nullptr);
  EXPECT_TRUE(share->admits(0.99));
  EXPECT_FALSE(share->admits(1.0));

  const std::string table = parameter_table_markdown();
  for (const char* lever : {"retention_payment", "market_supplement", "extra_posts", "caseload_cap",
                            "step_up", "asye_programme", "advanced_practitioner", "recruitment_marketing",
                            "hiring_mix", "agency", "workload_relief", "work_life", "mobility"}) {
    EXPECT_NE(table.find(fmt::format("| `policies.{}` | lever | mapping | no (default: off) |", lever)),
              std::string::npos)
        << lever;
  }
  EXPECT_NE(table.find("| `policies.retention_payment.start` | calendar month | YYYY-MM, within the run | "
                       "yes, in the block |"),
            std::string::npos);
  EXPECT_NE(table.find("| `policies.extra_posts.phases` |"), std::string::npos);
  EXPECT_NE(table.find("| `policies.retention_payment.roles` |"), std::string::npos);
  EXPECT_NE(table.find("| `policies.workload_relief.out_of_hours_demand_share` | share | [0, 1) |"),
            std::string::npos);
  // Fields outside blocks are still plainly required.
  EXPECT_NE(table.find("| `pay.on_cost_multiplier` | factor | [1, 100] | yes |"), std::string::npos);
}

}  // namespace
