// The paired comparison's figures recomputed from the raw series in the
// test, never from compare() itself: the net loss over the horizon, the
// share of replications in which the option does better (ties half), and the
// cost per leaver avoided against the funded establishment.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "model_fixture.hpp"
#include "run/comparison.hpp"

namespace wfsim::run {
namespace {

using model::Metric;

constexpr int kReplications = 40;
constexpr std::uint64_t kSeed = 20151101;

MonteCarloSettings settings() {
  MonteCarloSettings s;
  s.seed = kSeed;
  s.replications = kReplications;
  s.threads = 1;
  return s;
}

// Sum of a metric over the horizon's whole years, per replication.
std::vector<double> horizon_totals(const test::RunSeries& series, int scenario, Metric metric) {
  std::vector<double> totals(kReplications, 0.0);
  const int whole_months = 12 * (series.months / 12);
  for (int r = 0; r < kReplications; ++r)
    for (int t = 0; t < whole_months; ++t) totals[r] += series.at(scenario, metric, r, t);
  return totals;
}

double mean_of(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

// The baseline against the all-policies council, once for the file's tests:
// every series for the test's own sums, and the tally compare() reads.
struct PairedRun {
  model::Parameters baseline = test::baseline_parameters();
  model::Parameters option = test::all_policies_parameters();
  test::RunSeries series;
  OutcomeTally tally{2, baseline.time.months};
  Comparison comparison;

  PairedRun() {
    const std::vector<const model::Parameters*> scenarios = {&baseline, &option};
    series = test::run_series(scenarios, settings());
    run_monte_carlo(scenarios, settings(), [&](const ResultBlock& block) { tally.add(block); });
    comparison = compare(tally, 1, 0);
  }
};

const PairedRun& paired_run() {
  static const PairedRun run;
  return run;
}

TEST(Comparison, ProbabilityBetterAndCostPerLeaverAvoidedMatchTheRawSeries) {
  const PairedRun& run = paired_run();
  const test::RunSeries& series = run.series;
  const Comparison& c = run.comparison;

  // Net loss over the horizon: leavers less starters, each replication.
  const auto leavers_base = horizon_totals(series, 0, Metric::leavers);
  const auto leavers_option = horizon_totals(series, 1, Metric::leavers);
  const auto starters_base = horizon_totals(series, 0, Metric::starters);
  const auto starters_option = horizon_totals(series, 1, Metric::starters);
  double better = 0;
  int ties = 0;
  std::vector<double> net_loss_difference(kReplications);
  for (int r = 0; r < kReplications; ++r) {
    net_loss_difference[r] = (leavers_option[r] - starters_option[r]) - (leavers_base[r] - starters_base[r]);
    if (net_loss_difference[r] < 0) better += 1;
    if (net_loss_difference[r] == 0) {
      better += 0.5;
      ++ties;
    }
  }
  const auto& net_loss = c.summaries[static_cast<std::size_t>(outcome_index("net_loss_total"))][0];
  EXPECT_NEAR(net_loss.difference.mean, mean_of(net_loss_difference), 1e-9);
  EXPECT_DOUBLE_EQ(net_loss.probability_better, better / kReplications) << ties << " ties";

  // Cost per leaver avoided: the mean extra cost against the establishment
  // over the mean leavers avoided.
  const auto cost_base = horizon_totals(series, 0, Metric::cost_against_establishment);
  const auto cost_option = horizon_totals(series, 1, Metric::cost_against_establishment);
  const double extra_cost = mean_of(cost_option) - mean_of(cost_base);
  const double avoided = mean_of(leavers_base) - mean_of(leavers_option);
  ASSERT_GT(avoided, 0) << "the all-policies council should keep more staff than the baseline";
  EXPECT_NEAR(c.cost_per_leaver_avoided, extra_cost / avoided, 1e-9 * std::abs(extra_cost / avoided));

  // Against itself an option is never better nor worse: every replication a tie.
  const Comparison same = compare(run.tally, 0, 0);
  EXPECT_EQ(same.summaries[static_cast<std::size_t>(outcome_index("net_loss_total"))][0].probability_better,
            0.5);
  EXPECT_TRUE(std::isnan(same.cost_per_leaver_avoided));
}

TEST(Comparison, HigherIsBetterOutcomesCountTheOtherWay) {
  // Starters: more is better. The share better for each year's starters is
  // the share of replications with more starters in the option that year.
  const PairedRun& run = paired_run();
  const test::RunSeries& series = run.series;
  const Comparison& c = run.comparison;
  const auto& starters = c.summaries[static_cast<std::size_t>(outcome_index("starters"))];
  ASSERT_EQ(starters.size(), 3u);
  for (int year = 0; year < 3; ++year) {
    double better = 0;
    for (int r = 0; r < kReplications; ++r) {
      double base = 0, with_option = 0;
      for (int t = 12 * year; t < 12 * year + 12; ++t) {
        base += series.at(0, Metric::starters, r, t);
        with_option += series.at(1, Metric::starters, r, t);
      }
      better += with_option > base ? 1.0 : with_option == base ? 0.5 : 0.0;
    }
    EXPECT_DOUBLE_EQ(starters[static_cast<std::size_t>(year)].probability_better, better / kReplications)
        << "year " << year;
  }
}

}  // namespace
}  // namespace wfsim::run
