// The levers file of `wfsim optimise`: what it reads, every mistake located
// at its line and key, and the packages it describes written as scenario
// files that load to exactly what the search runs.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analysis/policy_search.hpp"
#include "cli_runner.hpp"
#include "scenario/levers.hpp"
#include "scenario/parameter_registry.hpp"
#include "scenario/scenario.hpp"
#include "source_path.hpp"

namespace wfsim::scenario {
namespace {

namespace fs = std::filesystem;
using test::source_path;
using test::test_scenario_path;

const Scenario& quiet() {
  static const Scenario scenario = load_scenario(test_scenario_path("search_quiet.yaml"));
  return scenario;
}

Levers levers_of(const std::string& text, const Scenario& reference = quiet()) {
  return load_levers_text(text, "levers.yaml", source_path("tests/scenarios"), reference,
                          analysis::objective_outcomes());
}

constexpr const char* kLevers = R"(description: "posts, a decoy and a payment"
measures: search_measures.yaml
objective: {weights: {net_loss_total: 1, vacancy_rate_end: 100}}
budget: {rule: probability, max_probability: 0.1}
levers:
  - policy: extra_posts
    label: "extra posts"
    vary:
      - {path: "phases[0].social_work_posts", min: 0, max: 20, label: "social workers"}
      - {path: "phases[0].month", min: 2015-12, max: 2016-06}
  - policy: workload_relief
  - policy: retention_payment
    optional: false
    vary:
      - {path: policies.retention_payment.amount_gbp, min: 200, max: 3000, start: 1000}
)";

TEST(Levers, ReadsLeversNumbersObjectiveAndBudget) {
  const Levers levers = levers_of(kLevers);
  EXPECT_EQ(levers.description, "posts, a decoy and a payment");
  EXPECT_EQ(levers.measures_file, source_path("tests/scenarios/search_measures.yaml").lexically_normal());
  ASSERT_EQ(levers.objective.size(), 2u);
  EXPECT_EQ(levers.objective[1].outcome, "vacancy_rate_end");
  EXPECT_EQ(levers.objective[1].weight, 100);
  EXPECT_EQ(levers.budget_rule, BudgetRule::probability);
  EXPECT_EQ(levers.max_probability, 0.1);
  ASSERT_EQ(levers.levers.size(), 3u);
  EXPECT_EQ(levers.variable_count(), 3u);

  const Lever& posts = levers.levers[0];
  EXPECT_TRUE(posts.optional);
  ASSERT_EQ(posts.variables.size(), 2u);
  EXPECT_EQ(posts.variables[0].paths,
            std::vector<std::string>{"policies.extra_posts.phases[0].social_work_posts"});
  EXPECT_EQ(posts.variables[0].kind, LeverVariableKind::posts);
  EXPECT_TRUE(posts.variables[0].integer);
  EXPECT_EQ(posts.variables[0].start, 0);  // the cheaper end by default
  // A month: months after the start (2015-11), starting at the latest, the cheaper end.
  EXPECT_EQ(posts.variables[1].kind, LeverVariableKind::month);
  EXPECT_EQ(posts.variables[1].min, 1);
  EXPECT_EQ(posts.variables[1].max, 7);
  EXPECT_EQ(posts.variables[1].start, 7);
  EXPECT_EQ(posts.variables[1].label, "month");

  EXPECT_TRUE(levers.levers[1].variables.empty());
  EXPECT_EQ(levers.levers[1].label, "workload relief");

  const LeverVariable& payment = levers.levers[2].variables[0];
  EXPECT_FALSE(levers.levers[2].optional);
  EXPECT_EQ(payment.kind, LeverVariableKind::amount);
  EXPECT_FALSE(payment.integer);
  EXPECT_EQ(payment.units, "GBP");
  EXPECT_EQ(payment.start, 1000);
}

TEST(Levers, DefaultsToNetLossAndTheMeanRule) {
  const Levers levers = levers_of("measures: search_measures.yaml\nlevers:\n  - policy: workload_relief\n");
  ASSERT_EQ(levers.objective.size(), 1u);
  EXPECT_EQ(levers.objective[0].outcome, "net_loss_total");
  EXPECT_EQ(levers.budget_rule, BudgetRule::mean);
  EXPECT_EQ(analysis::objective_text(levers), "net_loss_total");
  EXPECT_EQ(analysis::objective_units(levers), "headcount");
}

TEST(Levers, TheShippedLeversReadAgainstTheShippedBaseline) {
  const Scenario baseline = load_scenario(source_path("scenarios/lancashire-2015/baseline.yaml"));
  const Levers levers = load_levers(source_path("scenarios/lancashire-2015/levers.yaml"), baseline,
                                    analysis::objective_outcomes());
  EXPECT_EQ(levers.measures_file.filename(), "strategy.yaml");
  EXPECT_FALSE(levers.levers.empty());
  for (const Lever& lever : levers.levers) EXPECT_TRUE(lever.optional) << lever.policy;

  // The strategy's extra posts are drawn from its assumptions; a package
  // chooses them, and its choice is taken as given, while the effect sizes
  // the strategy leaves uncertain stay uncertain.
  const auto extra_posts = std::find_if(levers.levers.begin(), levers.levers.end(),
                                        [](const Lever& l) { return l.policy == "extra_posts"; });
  const auto retention = std::find_if(levers.levers.begin(), levers.levers.end(),
                                      [](const Lever& l) { return l.policy == "retention_payment"; });
  ASSERT_NE(extra_posts, levers.levers.end());
  ASSERT_NE(retention, levers.levers.end());
  ASSERT_EQ(extra_posts->variables.size(), 2u);
  Package package;
  package.on.assign(levers.levers.size(), false);
  for (const Lever& lever : levers.levers) {
    std::vector<double> values;
    for (const LeverVariable& variable : lever.variables) values.push_back(variable.min);
    package.values.push_back(values);
  }
  const auto posts = static_cast<std::size_t>(extra_posts - levers.levers.begin());
  const auto payment = static_cast<std::size_t>(retention - levers.levers.begin());
  package.on[posts] = package.on[payment] = true;
  package.values[posts] = {17, 3};
  const Scenario loaded =
      load_scenario_over(baseline, package_yaml(levers, package, baseline.file.string(), ""), "package.yaml");
  const model::ExtraPostsPolicy& extra = loaded.parameters.policies.extra_posts;
  ASSERT_TRUE(extra.enabled);
  EXPECT_EQ(extra.posts.social_work_posts, 17);
  EXPECT_EQ(extra.posts.practice_manager_posts, 3);
  std::vector<std::string> uncertain;
  for (const auto& u : loaded.uncertain) uncertain.push_back(u.path);
  const auto has = [&](const std::string& path) {
    return std::find(uncertain.begin(), uncertain.end(), path) != uncertain.end();
  };
  EXPECT_FALSE(has("policies.extra_posts.social_work_posts"));
  EXPECT_FALSE(has("policies.extra_posts.practice_manager_posts"));
  EXPECT_TRUE(has("policies.retention_payment.anticipation_coefficient"));
  EXPECT_TRUE(has("attrition.burnout_coefficient"));  // the reference's own assumptions stay too
}

// One mistake per case: the loader must name the line and key and say why.
struct BadLevers {
  const char* name;
  std::string text;
  int line;
  const char* key;
  const char* message;
};

const std::string kHead = "measures: search_measures.yaml\n";

std::vector<BadLevers> bad_levers() {
  return {
      {"UnknownTopLevelKey", kHead + "lever:\n  - policy: workload_relief\n", 2, "lever",
       "did you mean 'levers'"},
      {"NoLevers", kHead, 1, "levers", "missing required key"},
      {"EmptyLevers", kHead + "levers: []\n", 2, "levers", "non-empty list"},
      {"MeasuresMissing", "measures: nowhere.yaml\nlevers:\n  - policy: workload_relief\n", 1, "measures",
       "cannot read the scenario file"},
      {"UnknownPolicy", kHead + "levers:\n  - policy: workload_releif\n", 3, "levers[0].policy",
       "did you mean 'workload_relief'"},
      {"PolicyNotInMeasures", kHead + "levers:\n  - policy: caseload_cap\n", 3, "levers[0].policy",
       "does not switch on 'caseload_cap'"},
      {"LeverGivenTwice", kHead + "levers:\n  - policy: workload_relief\n  - policy: workload_relief\n", 4,
       "levers[1].policy", "already given at line 3"},
      {"OptionalNotABoolean", kHead + "levers:\n  - policy: workload_relief\n    optional: yes\n", 4,
       "levers[0].optional", "expected true or false"},
      {"NeverOffAndNothingVaries", kHead + "levers:\n  - policy: workload_relief\n    optional: false\n", 3,
       "levers[0]", "switch it on in the reference"},
      {"PathNotSet",
       kHead +
           "levers:\n  - policy: retention_payment\n    vary:\n      - {path: amount_gpb, min: 1, max: 2}\n",
       5, "levers[0].vary[0].path",
       "does not set 'policies.retention_payment.amount_gpb'; did you mean 'amount_gbp'?"},
      {"PathCannotVary",
       kHead + "levers:\n  - policy: retention_payment\n    vary:\n      - {path: "
               "\"tenure_milestones_months[0]\", min: 1, max: 2}\n",
       5, "levers[0].vary[0].path", "cannot vary"},
      {"PathMalformed",
       kHead + "levers:\n  - policy: extra_posts\n    vary:\n      - {path: \"phases[x].month\", min: 1, "
               "max: 2}\n",
       5, "levers[0].vary[0].path", "is not a path of keys"},
      {"PathIsADistribution",
       kHead + "levers:\n  - policy: retention_payment\n    vary:\n      - {path: anticipation_coefficient, "
               "min: 1, max: 2}\n",
       5, "levers[0].vary[0].path", "is a distribution in the measures"},
      {"PathsOfDifferentKinds",
       kHead + "levers:\n  - policy: extra_posts\n    vary:\n      - path: [\"phases[0].social_work_posts\", "
               "\"phases[0].month\"]\n        min: 1\n        max: 2\n",
       5, "levers[0].vary[0].path", "not the same kind of number"},
      {"PathTwice",
       kHead + "levers:\n  - policy: workload_relief\n    vary:\n      - {path: cost_gbp_per_month, min: 1, "
               "max: 2}\n      - {path: cost_gbp_per_month, min: 1, max: 2}\n",
       6, "levers[0].vary[1].path", "already given at line 5"},
      {"MinNotBelowMax",
       kHead + "levers:\n  - policy: workload_relief\n    vary:\n      - {path: cost_gbp_per_month, min: 5, "
               "max: 5}\n",
       5, "levers[0].vary[0].max", "expected a value above min"},
      {"MinOutsideTheParameter",
       kHead + "levers:\n  - policy: workload_relief\n    vary:\n      - {path: cost_gbp_per_month, min: -5, "
               "max: 5}\n",
       5, "levers[0].vary[0].min", "expected a number in [0, "},
      {"MonthOutsideTheRun",
       kHead + "levers:\n  - policy: extra_posts\n    vary:\n      - {path: \"phases[0].month\", min: "
               "2015-11, max: 2019-01}\n",
       5, "levers[0].vary[0].max", "outside the simulated months"},
      {"PostsNotWhole",
       kHead + "levers:\n  - policy: extra_posts\n    vary:\n      - {path: \"phases[0].social_work_posts\", "
               "min: 0, max: 2.5}\n",
       5, "levers[0].vary[0].max", "whole number"},
      {"StartOutsideTheRange",
       kHead + "levers:\n  - policy: workload_relief\n    vary:\n      - {path: cost_gbp_per_month, min: 1, "
               "max: 5, start: 9}\n",
       5, "levers[0].vary[0].start", "within [1, 5]"},
      {"ExtremesMakeAnInvalidScenario",
       kHead + "levers:\n  - policy: workload_relief\n    vary:\n      - {path: out_of_hours_demand_share, "
               "min: 0, max: 0.6}\n      - {path: post16_demand_share, min: 0, max: 0.6}\n",
       3, "levers[0]", "demand shares moved away must sum to less than 1"},
      {"UnknownObjective", kHead + "objective: net_los_total\nlevers:\n  - policy: workload_relief\n", 2,
       "objective", "did you mean 'net_loss_total'"},
      {"ObjectiveUndefinedInSomeFutures",
       kHead + "objective: nqsw_retention_24\nlevers:\n  - policy: workload_relief\n", 2, "objective",
       "cannot be an objective"},
      {"ZeroWeight",
       kHead + "objective: {weights: {net_loss_total: 0}}\nlevers:\n  - policy: workload_relief\n", 2,
       "objective.weights.net_loss_total", "expected a weight"},
      {"ObjectiveList", kHead + "objective: [net_loss_total]\nlevers:\n  - policy: workload_relief\n", 2,
       "objective", "an outcome name, or a mapping"},
      {"UnknownBudgetRule", kHead + "budget: {rule: median}\nlevers:\n  - policy: workload_relief\n", 2,
       "budget.rule", "expected mean or probability"},
      {"ProbabilityWithoutMax", kHead + "budget: {rule: probability}\nlevers:\n  - policy: workload_relief\n",
       2, "budget.max_probability", "needs max_probability"},
      {"MaxProbabilityWithMean",
       kHead + "budget: {rule: mean, max_probability: 0.1}\nlevers:\n  - policy: workload_relief\n", 2,
       "budget.max_probability", "applies only to rule: probability"},
      {"MaxProbabilityOne",
       kHead + "budget: {rule: probability, max_probability: 1}\nlevers:\n  - policy: workload_relief\n", 2,
       "budget.max_probability", "a probability"},
  };
}

class BadLeversFile : public ::testing::TestWithParam<BadLevers> {};

TEST_P(BadLeversFile, IsLocatedAtItsLineAndKey) {
  const BadLevers& c = GetParam();
  try {
    levers_of(c.text);
    FAIL() << "no error for:\n" << c.text;
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.file(), "levers.yaml") << e.what();
    EXPECT_EQ(e.line(), c.line) << e.what();
    EXPECT_EQ(e.key(), c.key) << e.what();
    EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Levers, BadLeversFile, ::testing::ValuesIn(bad_levers()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Levers, ALeverTheReferenceAlreadySwitchesOnIsRefused) {
  const Scenario measures = load_scenario(test_scenario_path("search_measures.yaml"));
  try {
    levers_of(kHead + "levers:\n  - policy: workload_relief\n", measures);
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.key(), "levers[0].policy");
    EXPECT_NE(std::string(e.what()).find("already switches on 'workload_relief'"), std::string::npos)
        << e.what();
  }
}

TEST(Levers, AtMostTwelveLeversCanBeSwitchedOnOrOff) {
  // Every policy of the schema, switched on, as the measures.
  const Scenario reference = load_scenario(test_scenario_path("valid_full.yaml"));
  std::string text = "measures: valid_all_policies.yaml\nlevers:\n";
  const std::vector<std::string> policies = {"retention_payment",
                                             "market_supplement",
                                             "extra_posts",
                                             "caseload_cap",
                                             "step_up",
                                             "asye_programme",
                                             "advanced_practitioner",
                                             "recruitment_marketing",
                                             "hiring_mix",
                                             "agency",
                                             "workload_relief",
                                             "work_life",
                                             "mobility"};
  for (const std::string& policy : policies) text += fmt::format("  - policy: {}\n", policy);
  try {
    levers_of(text, reference);
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.line(), 15);
    EXPECT_EQ(e.key(), "levers[12]");
    EXPECT_NE(std::string(e.what()).find("at most 12 levers"), std::string::npos) << e.what();
  }
  // Twelve load.
  text.resize(text.rfind("  - policy: mobility"));
  EXPECT_EQ(levers_of(text, reference).levers.size(), 12u);
}

TEST(Levers, APackageIsTheMeasuresPoliciesWithItsNumbers) {
  const Levers levers = levers_of(kLevers);
  const Package package = {{true, false, true}, {{12, 3}, {}, {2500}}};
  const std::string text = package_yaml(levers, package, "search_quiet.yaml", "twelve posts", {"a header"});
  EXPECT_EQ(text.rfind("# a header\nextends: \"search_quiet.yaml\"\ndescription: \"twelve posts\"\n", 0), 0u)
      << text;
  EXPECT_EQ(text.find("workload_relief"), std::string::npos) << text;

  const Scenario loaded = load_scenario_over(quiet(), text, "package.yaml");
  const model::Policies& p = loaded.parameters.policies;
  EXPECT_FALSE(p.workload_relief.enabled);
  EXPECT_FALSE(p.recruitment_marketing.enabled);  // in the measures, but no lever names it
  ASSERT_TRUE(p.extra_posts.enabled);
  ASSERT_EQ(p.extra_posts.phases.size(), 1u);
  EXPECT_EQ(p.extra_posts.phases[0].posts.social_work_posts, 12);
  EXPECT_EQ(p.extra_posts.phases[0].posts.practice_manager_posts, 1);  // as the measures set it
  EXPECT_EQ(p.extra_posts.phases[0].month_index, 3);
  ASSERT_TRUE(p.retention_payment.enabled);
  EXPECT_EQ(p.retention_payment.amount_gbp, 2500);
  EXPECT_EQ(p.retention_payment.tenure_milestones_months, (std::vector<int>{12, 24}));
  // The measures' uncertain anticipation comes with the policy.
  ASSERT_EQ(loaded.uncertain.size(), 1u);
  EXPECT_EQ(loaded.uncertain[0].path, "policies.retention_payment.anticipation_coefficient");
  EXPECT_EQ(analysis::package_words(levers, package),
            "extra posts (social workers: 12, month: 2016-02), retention payment (amount gbp: £2,500)");
}

TEST(Levers, APackageFileLoadsAsTheSearchLoadsIt) {
  const Levers levers = levers_of(kLevers);
  const Package package = {{true, true, true}, {{7, 5}, {}, {1234.5678}}};
  const fs::path directory = fs::path(::testing::TempDir()) / "levers-package";
  fs::create_directories(directory);
  const fs::path file = directory / "package.yaml";
  const std::string text =
      package_yaml(levers, package, test_scenario_path("search_quiet.yaml").string(), "");
  std::ofstream(file) << text;
  const Scenario from_file = load_scenario(file);
  const Scenario over = load_scenario_over(quiet(), text, file.string());
  EXPECT_EQ(from_file.resolved_yaml, over.resolved_yaml);
  EXPECT_EQ(from_file.parameters.policies.retention_payment.amount_gbp, 1234.5678);
  EXPECT_EQ(from_file.parameters.policies.workload_relief.cost_gbp_per_month, 2000);
}

TEST(Levers, NothingOnIsTheReference) {
  const Levers levers = levers_of(kLevers);
  const Package nothing = {{false, false, false}, {{0, 7}, {}, {1000}}};
  const std::string text = package_yaml(levers, nothing, "search_quiet.yaml", "");
  EXPECT_EQ(text.find("policies"), std::string::npos) << text;
  const std::string same = package_yaml(levers, nothing, "search_quiet.yaml", quiet().description);
  EXPECT_EQ(load_scenario_over(quiet(), same, "search_quiet.yaml").resolved_yaml, quiet().resolved_yaml);
  EXPECT_EQ(analysis::package_words(levers, nothing), "doing nothing");
}

}  // namespace
}  // namespace wfsim::scenario
