// The policy search on councils where the answer is known or can be
// derived: in search_quiet.yaml an extra post is exactly one more starter
// and costs its salary with on-costs, so the best package within a budget is
// as many social work posts as it pays for and nothing that only costs
// money. With chance back (search_noisy.yaml): the search is the same bits
// whatever the thread count, replications grow only for the sets still
// racing, the budget rule holds for every package it calls feasible, and the
// figures it reports are a fresh run's.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "analysis/outcome_runs.hpp"
#include "analysis/policy_search.hpp"
#include "run/comparison.hpp"
#include "run/statistics.hpp"
#include "scenario/levers.hpp"
#include "scenario/scenario.hpp"
#include "source_path.hpp"

namespace wfsim::analysis {
namespace {

using scenario::Levers;
using scenario::Scenario;
using test::source_path;
using test::test_scenario_path;

Levers levers_of(const std::string& text, const Scenario& reference) {
  return scenario::load_levers_text(text, "levers.yaml", source_path("tests/scenarios"), reference,
                                    objective_outcomes());
}

constexpr const char* kPostsAndDecoys = R"(measures: search_measures.yaml
levers:
  - policy: extra_posts
    vary:
      - {path: "phases[0].social_work_posts", min: 0, max: 20}
      - {path: "phases[0].practice_manager_posts", min: 0, max: 10}
  - policy: workload_relief
  - policy: recruitment_marketing
    vary:
      - {path: gbp_per_month, min: 1000, max: 5000}
)";

TEST(PolicySearch, FindsTheBestPackageOfACouncilWhereItIsKnown) {
  const Scenario quiet = scenario::load_scenario(test_scenario_path("search_quiet.yaml"));
  const Levers levers = levers_of(kPostsAndDecoys, quiet);
  // A post's budget over the three years, from the scenario itself.
  const model::PayParameters& pay = quiet.parameters.pay;
  const double years = quiet.parameters.time.months / 12.0;
  const double social_work_post = pay.salary_gbp_per_year.social_worker * pay.on_cost_multiplier * years;
  const double manager_post = pay.salary_gbp_per_year.practice_manager * pay.on_cost_multiplier * years;
  ASSERT_GT(manager_post, social_work_post);
  // Enough for 12.2 social work posts: 12 of them, and not 11 with a manager
  // (12.33) or either decoy (a month of relief or marketing costs more than the 0.2 left).
  PolicySearchSettings settings;
  settings.budget_gbp = 12.2 * social_work_post;
  ASSERT_GT(11 * social_work_post + manager_post, settings.budget_gbp);
  settings.replications = 4;
  settings.max_replications = 8;
  settings.rerun_replications = 8;
  settings.frontier_points = 3;
  settings.threads = 2;
  const PolicySearchResult result = search_policies(quiet, levers, settings);

  ASSERT_GE(result.chosen, 0);
  const RerunPackage& chosen = result.reruns[static_cast<std::size_t>(result.chosen)];
  EXPECT_EQ(chosen.finalist_rank, 1);
  const scenario::Package& package = result.candidates[static_cast<std::size_t>(chosen.candidate)].package;
  EXPECT_EQ(package.on, (std::vector<bool>{true, false, false}));
  EXPECT_EQ(package.values[0], (std::vector<double>{12, 0}));
  // Every post filled, nobody leaving: exactly 12 fewer net leavers in every future.
  EXPECT_EQ(chosen.net_loss_difference.mean, -12);
  EXPECT_EQ(chosen.net_loss_difference.p10, -12);
  EXPECT_EQ(chosen.net_loss_difference.p90, -12);
  EXPECT_NEAR(chosen.spend.mean, 12 * social_work_post, 1e-6 * social_work_post);
  EXPECT_TRUE(chosen.feasible);
  EXPECT_EQ(chosen.overspend_probability, 0);
  // The search's own figures and the fresh seed's agree where nothing is left to chance.
  EXPECT_EQ(result.candidates[static_cast<std::size_t>(chosen.candidate)].net_loss_difference, -12);
  // The frontier starts at doing nothing and does better with every step up in spending.
  EXPECT_TRUE(result.candidates[0].frontier);
  std::vector<const SearchCandidate*> frontier;
  for (const SearchCandidate& c : result.candidates)
    if (c.frontier) frontier.push_back(&c);
  std::sort(frontier.begin(), frontier.end(),
            [](const SearchCandidate* a, const SearchCandidate* b) { return a->spend_mean < b->spend_mean; });
  for (std::size_t k = 1; k < frontier.size(); ++k) {
    EXPECT_GT(frontier[k]->spend_mean, frontier[k - 1]->spend_mean);
    EXPECT_LT(frontier[k]->score_difference, frontier[k - 1]->score_difference);
  }
  // No package tried does better than the frontier for its money.
  for (const SearchCandidate& c : result.candidates) {
    double frontier_best = 0;
    for (const SearchCandidate* f : frontier)
      if (f->spend_mean <= c.spend_mean) frontier_best = std::min(frontier_best, f->score_difference);
    EXPECT_LE(frontier_best, c.score_difference);
  }
}

constexpr const char* kNoisy = R"(measures: search_measures.yaml
objective: leavers_total
budget: {rule: probability, max_probability: 0.2}
levers:
  - policy: retention_payment
    vary:
      - {path: amount_gbp, min: 200, max: 3000}
  - policy: extra_posts
    vary:
      - {path: "phases[0].social_work_posts", min: 0, max: 10}
  - policy: workload_relief
)";

PolicySearchSettings noisy_settings(int threads) {
  PolicySearchSettings settings;
  settings.budget_gbp = 300000;
  settings.replications = 8;
  settings.max_replications = 32;
  settings.rerun_replications = 40;
  settings.finalists = 2;
  settings.frontier_points = 2;
  settings.threads = threads;
  return settings;
}

const Scenario& noisy() {
  static const Scenario scenario = scenario::load_scenario(test_scenario_path("search_noisy.yaml"));
  return scenario;
}

const PolicySearchResult& noisy_result() {
  static const PolicySearchResult result =
      search_policies(noisy(), levers_of(kNoisy, noisy()), noisy_settings(2));
  return result;
}

TEST(PolicySearch, IsTheSameBitsWhateverTheThreadCount) {
  const PolicySearchResult one = search_policies(noisy(), levers_of(kNoisy, noisy()), noisy_settings(1));
  const PolicySearchResult& two = noisy_result();
  ASSERT_EQ(one.candidates.size(), two.candidates.size());
  for (std::size_t c = 0; c < one.candidates.size(); ++c) {
    EXPECT_EQ(one.candidates[c].package.values, two.candidates[c].package.values) << c;
    EXPECT_EQ(one.candidates[c].score, two.candidates[c].score) << c;
    EXPECT_EQ(one.candidates[c].spend_mean, two.candidates[c].spend_mean) << c;
  }
  ASSERT_EQ(one.reruns.size(), two.reruns.size());
  for (std::size_t r = 0; r < one.reruns.size(); ++r) {
    EXPECT_EQ(one.reruns[r].candidate, two.reruns[r].candidate);
    EXPECT_EQ(one.reruns[r].score.mean, two.reruns[r].score.mean);
  }
  EXPECT_EQ(one.chosen, two.chosen);
  EXPECT_EQ(one.evaluations, two.evaluations);
}

TEST(PolicySearch, ReplicationsGrowOnlyForTheSetsStillRacing) {
  const PolicySearchResult& result = noisy_result();
  const auto& s = result.settings;
  ASSERT_GT(result.rounds, 1);
  // Round k runs on replications(k) = min(r0 2^k, maximum).
  const auto replications_in = [&](int round) {
    return std::min(s.replications << round, s.max_replications);
  };
  int left = 0;
  for (const SearchContender& contender : result.contenders) {
    // Doing nothing is the reference every package is paired with: it runs as far as any package.
    if (contender.best == 0) continue;
    const SearchCandidate& best = result.candidates[static_cast<std::size_t>(contender.best)];
    const int last_round = contender.eliminated >= 0 ? contender.eliminated : result.rounds - 1;
    EXPECT_EQ(best.replications, replications_in(last_round)) << contender.why_eliminated;
    if (contender.eliminated < 0) ++left;
    // A package is never run for more replications than its set raced for.
    for (const SearchCandidate& c : result.candidates) {
      if (c.set == static_cast<int>(&contender - result.contenders.data())) {
        EXPECT_LE(c.replications, replications_in(last_round));
      }
    }
  }
  EXPECT_GE(left, 1);
}

TEST(PolicySearch, APackageWithinTheBudgetMeetsTheProbabilityRule) {
  const PolicySearchResult& result = noisy_result();
  int feasible = 0;
  for (const SearchCandidate& c : result.candidates) {
    if (!c.feasible) continue;
    ++feasible;
    // Spend above the budget in at most 20% of the package's futures, give or
    // take the one replication the quantile interpolates across.
    EXPECT_LE(c.spend_quantile, result.settings.budget_gbp);
    EXPECT_LE(c.overspend_probability, 0.2 + 1.0 / c.replications);
  }
  EXPECT_GT(feasible, 0);
}

// With the mean rule the search settles on the budget's edge; its packages
// within the budget keep their mean spend two standard errors below it, so a
// fresh seed does not find the winner over the budget half the time.
TEST(PolicySearch, WithTheMeanRuleAPackageWithinTheBudgetKeepsTwoStandardErrorsBelowIt) {
  std::string text = kNoisy;
  const std::string rule = "budget: {rule: probability, max_probability: 0.2}";
  text.replace(text.find(rule), rule.size(), "budget: {rule: mean}");
  const Levers levers = levers_of(text, noisy());
  PolicySearchSettings settings = noisy_settings(2);
  settings.budget_gbp = 100000;
  settings.max_replications = 16;
  settings.rerun_replications = 8;
  const PolicySearchResult result = search_policies(noisy(), levers, settings);
  // The packages at the budget's edge, run again on the search's own
  // replications: their mean spend plus two standard errors is within it.
  const int spend = run::outcome_index("policy_spend_total");
  int checked = 0;
  for (const SearchCandidate& c : result.candidates) {
    if (!c.feasible || c.spend_mean < 0.9 * settings.budget_gbp) continue;
    const Scenario loaded = scenario::load_scenario_over(
        noisy(), scenario::package_yaml(levers, c.package, noisy().file.string(), ""), "package.yaml");
    const std::vector<double> values =
        horizon_values(run_outcomes({scenario_input(loaded)}, settings.seed, 0, c.replications, 2), 0, spend);
    const double mean = run::mean(values);
    EXPECT_DOUBLE_EQ(mean, c.spend_mean);
    const double standard_error =
        std::sqrt(run::sample_variance(values) / static_cast<double>(values.size()));
    EXPECT_GT(standard_error, 0);
    EXPECT_LE(mean + 2 * standard_error, settings.budget_gbp);
    if (++checked == 6) break;
  }
  // The budget binds: packages were tried at its edge.
  EXPECT_GT(checked, 0);
}

TEST(PolicySearch, ReportsTheFiguresOfAFreshRunOfTheBestPackages) {
  const PolicySearchResult& result = noisy_result();
  const Levers levers = levers_of(kNoisy, noisy());
  ASSERT_FALSE(result.reruns.empty());
  ASSERT_NE(result.settings.rerun_seed, result.settings.seed);
  for (const RerunPackage& rerun : result.reruns) {
    // The package as its file would load, against the reference, on the fresh seed.
    const scenario::Package& package = result.candidates[static_cast<std::size_t>(rerun.candidate)].package;
    const Scenario loaded = scenario::load_scenario_over(
        noisy(), scenario::package_yaml(levers, package, noisy().file.string(), ""), "package.yaml");
    const run::OutcomeTally tally =
        run_outcomes({scenario_input(noisy()), scenario_input(loaded)}, result.settings.rerun_seed, 0,
                     result.settings.rerun_replications, 2);
    const int leavers = run::outcome_index("leavers_total");
    const std::vector<double> option = horizon_values(tally, 1, leavers);
    const std::vector<double> reference = horizon_values(tally, 0, leavers);
    std::vector<double> difference(option.size());
    for (std::size_t r = 0; r < option.size(); ++r) difference[r] = option[r] - reference[r];
    // Summarised as a run file's comparison summarises them (run::summarise).
    EXPECT_EQ(rerun.score_difference.mean, run::summarise(difference).mean);
    EXPECT_EQ(rerun.spend.mean,
              run::summarise(horizon_values(tally, 1, run::outcome_index("policy_spend_total"))).mean);
  }
  // The first finalist is the search's best, and the chosen one is within the budget on the fresh seed.
  ASSERT_GE(result.chosen, 0);
  EXPECT_TRUE(result.reruns[static_cast<std::size_t>(result.chosen)].feasible);
  EXPECT_EQ(result.reruns.front().finalist_rank, 1);
}

}  // namespace
}  // namespace wfsim::analysis
