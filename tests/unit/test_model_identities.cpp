// Exact accounting identities of the model core (MODEL.md section 14): they
// hold for every replication and every month, so they are checked exactly,
// not statistically.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "model/entry.hpp"
#include "model/metrics.hpp"
#include "model/simulation.hpp"
#include "model_fixture.hpp"

namespace wfsim::test {
namespace {

using model::Metric;

// Counts are stored as doubles; they must be whole numbers to be compared exactly.
bool is_whole(double x) {
  return std::floor(x) == x;
}

// Every metric whose name starts with `prefix`, except the one named `except`.
std::vector<Metric> metrics_named(std::string_view prefix,
                                  std::initializer_list<std::string_view> except = {}) {
  std::vector<Metric> found;
  for (int m = 0; m < model::kMetricCount; ++m) {
    const std::string_view name = model::kMetrics[static_cast<std::size_t>(m)].name;
    if (name.starts_with(prefix) && std::find(except.begin(), except.end(), name) == except.end())
      found.push_back(static_cast<Metric>(m));
  }
  return found;
}

double sum_of(const RunSeries& series, int scenario, int r, int t, const std::vector<Metric>& parts) {
  double sum = 0;
  for (Metric m : parts) sum += series.at(scenario, m, r, t);
  return sum;
}

void expect_identities(const model::Parameters& p, const RunSeries& series, int scenario,
                       const std::string& label) {
  const double initial = model::initial_permanent_qsw(p);
  // The parts are found by name in the metric table, so a new destination,
  // starter source or cost component is covered as soon as it is recorded.
  const auto leaver_parts = metrics_named("leavers_");
  const auto starter_parts = metrics_named("starters_");
  // Every cost_ series is a line of spending, but the total and the
  // accounts against the establishment.
  const auto cost_parts =
      metrics_named("cost_", {"cost_total", "cost_budget", "cost_underspend", "cost_policy", "cost_staffing",
                              "cost_against_establishment"});
  ASSERT_EQ(leaver_parts.size(), 4u);
  ASSERT_GE(starter_parts.size(), 4u);
  ASSERT_GE(cost_parts.size(), 5u);
  int failures = 0;
  auto check = [&](bool ok, int r, int t, const char* what) {
    if (ok) return;
    if (++failures <= 10)
      ADD_FAILURE() << label << ": " << what << " fails at replication " << r << ", month " << t;
  };
  for (int r = 0; r < series.replications; ++r) {
    double previous = initial;
    for (int t = 0; t < series.months; ++t) {
      auto v = [&](Metric m) { return series.at(scenario, m, r, t); };
      const double permanent = v(Metric::permanent_qsw);
      check(is_whole(permanent) && is_whole(v(Metric::starters)) && is_whole(v(Metric::leavers)), r, t,
            "whole-number counts");
      check(permanent - previous == v(Metric::starters) - v(Metric::leavers), r, t,
            "permanent_qsw[t] - permanent_qsw[t-1] == starters - leavers");
      previous = permanent;

      check(v(Metric::leavers) == sum_of(series, scenario, r, t, leaver_parts), r, t,
            "leavers == sum of the leavers_* destinations");
      check(v(Metric::starters) == sum_of(series, scenario, r, t, starter_parts), r, t,
            "starters == sum of the starters_* sources");
      check(v(Metric::leavers) == v(Metric::nqsw_leavers) + v(Metric::early_leavers) +
                                      v(Metric::experienced_leavers) + v(Metric::practice_manager_leavers),
            r, t, "leavers == the leavers of each band and practice managers");
      check(v(Metric::nqsw) + v(Metric::early) + v(Metric::experienced) ==
                v(Metric::social_workers) + v(Metric::advanced_practitioners),
            r, t, "nqsw + early + experienced == social workers + advanced practitioners");
      check(permanent ==
                v(Metric::social_workers) + v(Metric::advanced_practitioners) + v(Metric::practice_managers),
            r, t, "permanent_qsw == social workers + advanced practitioners + practice managers");
      check(v(Metric::asye_failures) <= v(Metric::leavers_profession), r, t,
            "ASYE failures are counted among leavers out of the profession");
      check(v(Metric::permanent_qsw_fte) <= permanent + 1e-9, r, t, "FTE <= headcount");

      const double components = sum_of(series, scenario, r, t, cost_parts);
      check(std::abs(v(Metric::cost_total) - components) <= 1e-9 * std::max(1.0, std::abs(components)), r, t,
            "cost_total == sum of cost components");
      // Against the establishment: the policy's and the staffing spending are
      // what is spent plus the budget of empty, uncovered posts.
      const double against = v(Metric::cost_policy) + v(Metric::cost_staffing);
      check(std::abs(against - v(Metric::cost_total) - v(Metric::cost_underspend)) <=
                1e-9 * std::max(1.0, against),
            r, t, "cost_policy + cost_staffing == cost_total + cost_underspend");
      check(v(Metric::cost_against_establishment) == against, r, t,
            "cost_against_establishment == cost_policy + cost_staffing");
      check(v(Metric::cost_underspend) >= 0 && v(Metric::cost_underspend) <= v(Metric::cost_budget), r, t,
            "0 <= underspend <= budget");
      for (Metric share :
           {Metric::vacancy_rate, Metric::agency_rate, Metric::nqsw_share, Metric::under_2y_share})
        check(v(share) >= 0.0 && v(share) <= 1.0, r, t, "shares lie in [0, 1]");
    }
  }
  EXPECT_EQ(failures, 0) << label;
}

constexpr int kReplications = 100;

TEST(ModelIdentities, Baseline_StockFlowAndAccountingIdentitiesHoldExactly) {
  const auto p = baseline_parameters();
  const auto series = run_series(p, kReplications, 20151101);
  expect_identities(p, series, 0, "baseline");
  // Not vacuous: the baseline really has flows to account for.
  EXPECT_GT(series.total(0, Metric::leavers, 0, series.months - 1), 0);
  EXPECT_GT(series.total(0, Metric::starters_nqsw, 0, series.months - 1), 0);
  EXPECT_GT(series.total(0, Metric::starters_trainees, 0, series.months - 1), 0);
  EXPECT_GT(series.total(0, Metric::asye_failures, 0, series.months - 1), 0);
  EXPECT_GT(series.total(0, Metric::promotions_pm, 0, series.months - 1), 0);
}

TEST(ModelIdentities, BusyVariant_StockFlowIdentityHoldsWithStepUpConversionAndPromotion) {
  const auto p = busy_variant_parameters();
  const auto series = run_series(p, kReplications, 20151102);
  expect_identities(p, series, 0, "busy variant");
  // Every flow the variant switches on actually happens somewhere in the run.
  for (Metric m : {Metric::starters_trainees, Metric::starters_agency_conversions,
                   Metric::starters_experienced, Metric::starters_nqsw, Metric::promotions_ap,
                   Metric::promotions_pm, Metric::trainee_dropouts, Metric::asye_failures})
    EXPECT_GT(series.total(0, m, 0, series.months - 1), 0) << model::kMetrics[model::index_of(m)].name;
}

TEST(ModelIdentities, AllPolicies_StockFlowIdentityHoldsWithEveryLeverSwitchedOn) {
  const auto p = all_policies_parameters();
  const auto series = run_series(p, kReplications, 20151103);
  expect_identities(p, series, 0, "all policies");
  for (Metric m : {Metric::starters_internal, Metric::starters_agency_conversions, Metric::starters_trainees,
                   Metric::retention_payments, Metric::cost_retention, Metric::cost_supplements,
                   Metric::cost_programmes})
    EXPECT_GT(series.total(0, m, 0, series.months - 1), 0) << model::kMetrics[model::index_of(m)].name;
}

TEST(ModelIdentities, BusyVariant_AdvancedPractitionerPostLimitIsNeverExceeded) {
  auto p = busy_variant_parameters();
  p.progression.ap_monthly_probability = 0.2;  // press hard against the limit
  const auto series = run_series(p, 10, 7);
  double highest = 0;
  for (double v : series.metric(0, Metric::advanced_practitioners)) highest = std::max(highest, v);
  EXPECT_LE(highest, p.progression.ap_post_limit);
  EXPECT_EQ(highest, p.progression.ap_post_limit);  // reached, so the check above bites
}

TEST(ModelIdentities, StepUp_TraineesQualifyExactlyAfterTrainingMonths) {
  auto p = quiet_parameters();
  p.step_up.cohort_size = 50;
  p.step_up.intake_calendar_months = {1};  // start 2015-11: intakes at months 2, 14 and 26
  p.step_up.training_months = 14;
  const auto series = run_series(p, 3, 11);
  for (int r = 0; r < series.replications; ++r) {
    for (int t = 0; t < series.months; ++t) {
      const bool intake = t == 2 || t == 14 || t == 26;
      const bool qualifying = t == 16 || t == 28;
      EXPECT_EQ(series.at(0, Metric::trainee_intake, r, t), intake ? 50 : 0) << "month " << t;
      EXPECT_EQ(series.at(0, Metric::starters_trainees, r, t), qualifying ? 50 : 0) << "month " << t;
      EXPECT_EQ(series.at(0, Metric::trainee_dropouts, r, t), 0);
      // Each cohort is in training from its intake month until the month before it qualifies.
      const int in_training = (t >= 2 && t < 16) * 50 + (t >= 14 && t < 28) * 50 + (t >= 26) * 50;
      EXPECT_EQ(series.at(0, Metric::trainees, r, t), in_training) << "month " << t;
      // Qualified trainees join as newly qualified social workers.
      const int qualified = (t >= 16) * 50 + (t >= 28) * 50;
      EXPECT_EQ(series.at(0, Metric::social_workers, r, t), qualified) << "month " << t;
      EXPECT_EQ(series.at(0, Metric::nqsw, r, t), qualified - (t >= 28) * 50) << "month " << t;
    }
  }
}

TEST(ModelIdentities, StepUp_BondHoldsForExactlyItsMonthsAfterQualifying) {
  auto p = quiet_parameters();
  p.time.months = 26;  // one cohort qualifies, in month 16; the next would in month 28
  p.step_up.cohort_size = 50;
  p.step_up.intake_calendar_months = {1};
  p.step_up.training_months = 14;
  p.step_up.bond_months = 6;
  p.step_up.bond_hazard_multiplier = 0;         // nobody leaves while bonded
  p.attrition.annual_rate_by_band = {3, 3, 3};  // a fifth a month once free
  const auto series = run_series(p, 3, 11);
  for (int r = 0; r < series.replications; ++r) {
    ASSERT_EQ(series.at(0, Metric::starters_trainees, r, 16), 50);
    // Qualified at the end of month 16: bonded for the leaving of months 17 to 22.
    for (int t = 0; t <= 22; ++t) EXPECT_EQ(series.at(0, Metric::leavers, r, t), 0) << "month " << t;
    // Free from month 23: with 50 at a fifth a month, none leaving is a 1e-5 chance.
    EXPECT_GT(series.at(0, Metric::leavers, r, 23), 0);
  }
}

TEST(ModelIdentities, Asye_AllNewlyQualifiedPassThroughAssessmentWithinTwelveMonths) {
  auto p = quiet_parameters();
  p.workforce.social_workers = {600, 0, 0};
  p.asye.failure_probability = 0.2;
  const auto series = run_series(p, 3, 12);
  for (int r = 0; r < series.replications; ++r) {
    double failed = 0;
    for (int t = 0; t < series.months; ++t) {
      failed += series.at(0, Metric::asye_failures, r, t);
      if (t >= 12) {
        EXPECT_EQ(series.at(0, Metric::asye_failures, r, t), 0) << "month " << t;
      }
      // With no other leaving, every leaver is an ASYE failure, out of the profession.
      EXPECT_EQ(series.at(0, Metric::leavers_profession, r, t), series.at(0, Metric::asye_failures, r, t));
      EXPECT_EQ(series.at(0, Metric::leavers, r, t), series.at(0, Metric::asye_failures, r, t));
    }
    // Initial NQSWs have 0..11 pq months, so after month 11 none is left in the band.
    EXPECT_EQ(series.at(0, Metric::nqsw, r, 11), 0);
    EXPECT_EQ(series.at(0, Metric::early, r, 11), 600 - failed);
  }
}

TEST(ModelIdentities, Burnout_StepInLoadApproachesNewStrainWithMemoryTau) {
  // 100 experienced workers of two years' tenure, no resilience spread:
  // strain is exactly the overload.
  auto p = quiet_parameters();
  p.workforce.social_workers = {0, 0, 100};
  p.workforce.roster.assign(100, model::RosterRow{model::Role::social_worker, 60, 24, 1.0});
  p.burnout.load_weight = 1.0;
  p.burnout.memory_months = 6.0;
  p.demand.initial_cases = 100 * 23 * 1.2;  // load ratio 1.2: strain 0.2
  p.demand.shocks = {{6, 1.5}};             // load ratio 1.8 from month 6: strain 0.8
  const auto series = run_series(p, 2, 13);
  for (int r = 0; r < series.replications; ++r) {
    // In month 0 each carries what 24 months at that strain built up, from none.
    double expected = 0.2 * (1.0 - std::pow(5.0 / 6.0, 25));
    for (int t = 0; t < series.months; ++t) {
      const double strain = t < 6 ? 0.2 : 0.8;
      if (t > 0) expected += (strain - expected) / 6.0;
      // burnout is stored in single precision
      EXPECT_NEAR(series.at(0, Metric::burnout_mean, r, t), expected, 1e-6) << "month " << t;
    }
  }
}

}  // namespace
}  // namespace wfsim::test
