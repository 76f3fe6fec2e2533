// Statistical checks of the model's mechanisms against analytic expectations
// (MODEL.md sections 3, 7, 8, 9). Feedback is switched off so that each
// mechanism has a closed form. Every tolerance is five standard errors, from
// the binomial or Poisson formula or from the sample's own spread; with
// normal tails that is a 6e-7 chance per check for a correct model, and the
// file makes about 60 such checks (many positively correlated), so a correct
// model fails at most about 1 in 27,000 seeds. Seeds are fixed, so the outcome is
// reproducible; expected counts are in the hundreds or more, so the normal
// approximation behind the tolerances holds.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "model/metrics.hpp"
#include "model_fixture.hpp"

namespace wfsim::test {
namespace {

using model::Metric;
constexpr double kZ = 5.0;

double monthly_leaving_probability(double annual_rate) {
  return -std::expm1(-annual_rate / 12.0);
}

// A closed cohort of `n` people per replication, each leaving with annual
// rate `rate`: the count in post at the end of month t is Binomial(n, S_t)
// with S_t = exp(-rate * (t + 1) / 12), independently across replications.
void expect_exponential_survivors(const RunSeries& series, double n, double rate) {
  for (int t : {2, 11, 23, 35}) {
    const double survival = std::exp(-rate * (t + 1) / 12.0);
    const double trials = n * series.replications;
    EXPECT_NEAR(series.total(0, Metric::permanent_qsw, t), trials * survival,
                binomial_tolerance(trials, survival, kZ))
        << "month " << t << ", annual rate " << rate;
  }
}

// A closed cohort of 2,000 in one role, the base leaving rates by band, one
// mechanism that changes them, and the annual rate the cohort must leave at.
struct CohortLeaving {
  const char* name;
  std::uint64_t seed;
  model::BandValues annual_rate_by_band;
  double annual_rate;
  void (*set_up)(model::Parameters& p);  // the cohort and the mechanism, on quiet_parameters()
};

// Named in test listings by its case name, not its bytes.
void PrintTo(const CohortLeaving& leaving, std::ostream* out) {
  *out << leaving.name;
}

class Attrition : public ::testing::TestWithParam<CohortLeaving> {};

TEST_P(Attrition, SurvivorsFollowTheExponentialOfTheExpectedRate) {
  const CohortLeaving& leaving = GetParam();
  auto p = quiet_parameters();
  p.attrition.annual_rate_by_band = leaving.annual_rate_by_band;
  leaving.set_up(p);
  const auto series = run_series(p, 10, leaving.seed);
  expect_exponential_survivors(series, 2000, leaving.annual_rate);
}

INSTANTIATE_TEST_SUITE_P(
    ModelStatistics, Attrition,
    ::testing::Values(
        // Only the experienced rate may matter.
        CohortLeaving{"NoFeedback_SurvivorsFollowExponential",
                      101,
                      {0.9, 0.9, 0.25},
                      0.25,
                      [](model::Parameters& p) {
                        p.workforce.social_workers = {0, 0, 2000};
                      }},
        // The rates are observed at the scenario's own pay gap: a supplement that
        // narrows it by 10% of salary multiplies the hazard by exp(-3 x 0.1).
        CohortLeaving{"PayGapChangeMultipliesHazardByExpBetaChange",
                      102,
                      {0, 0, 0.15},
                      0.15 * std::exp(-0.3),
                      [](model::Parameters& p) {
                        p.workforce.social_workers = {0, 0, 2000};
                        p.attrition.pay_gap_coefficient = 3.0;
                        p.pay.neighbour_gap[0] = 0.1;
                        p.pay.salary_gbp_per_year.social_worker = 30000;
                        p.policies.market_supplement.enabled = true;
                        p.policies.market_supplement.gbp_per_year[0] = 3000;
                      }},
        CohortLeaving{"AdvancedPractitionersLeaveAtRecognitionAdjustedRate",
                      103,
                      {0, 0, 0.3},
                      0.3 * std::exp(-0.5),
                      [](model::Parameters& p) {
                        p.workforce.advanced_practitioners = 2000;
                        p.attrition.advanced_practitioner_coefficient = -0.5;
                        // The AP pay gap 0.04 is the observed one: no change, no effect.
                        p.attrition.pay_gap_coefficient = 2.0;
                      }},
        CohortLeaving{"PracticeManagersLeaveAtTheirOwnRate",
                      104,
                      {0.9, 0.9, 0.9},
                      0.2,
                      [](model::Parameters& p) {
                        p.workforce.practice_managers = 2000;
                        p.attrition.practice_manager_annual_rate = 0.2;
                      }},
        // Uniform strain 0.25 with no resilience spread: burnout is 0.25 from the first month on.
        CohortLeaving{"ConstantBurnoutRaisesHazardByExpBetaBurnout",
                      105,
                      {0, 0, 0.1},
                      0.1 * std::exp(0.5),
                      [](model::Parameters& p) {
                        p.workforce.social_workers = {0, 0, 2000};
                        p.burnout.baseline_strain = 0.25;
                        p.attrition.burnout_coefficient = 2.0;
                      }}),
    [](const ::testing::TestParamInfo<CohortLeaving>& info) { return std::string(info.param.name); });

TEST(ModelStatistics, Attrition_LeaverDestinationsMatchShares) {
  auto p = quiet_parameters();
  p.workforce.social_workers = {0, 0, 2000};
  p.attrition.annual_rate_by_band = {0, 0, 0.25};
  p.attrition.destination_shares = {0.4, 0.1, 0.3, 0.2};
  const auto series = run_series(p, 10, 106);
  const int last = series.months - 1;
  const double leavers = series.total(0, Metric::leavers, 0, last);
  ASSERT_GT(leavers, 10000);
  const std::array destinations{Metric::leavers_neighbour, Metric::leavers_agency, Metric::leavers_profession,
                                Metric::leavers_internal};
  // Given the total, each destination's count is Binomial(leavers, share).
  for (std::size_t k = 0; k < destinations.size(); ++k) {
    const double share = p.attrition.destination_shares[k];
    EXPECT_NEAR(series.total(0, destinations[k], 0, last), leavers * share,
                binomial_tolerance(leavers, share, kZ))
        << model::kMetrics[model::index_of(destinations[k])].name;
  }
}

TEST(ModelStatistics, Asye_FailuresAreBinomialInTheCohort) {
  auto p = quiet_parameters();
  p.workforce.social_workers = {2000, 0, 0};
  p.asye.failure_probability = 0.1;
  const auto series = run_series(p, 5, 107);
  const double trials = 2000.0 * series.replications;
  // Every initial NQSW reaches 12 pq months once, in months 0..11.
  EXPECT_NEAR(series.total(0, Metric::asye_failures, 0, series.months - 1), trials * 0.1,
              binomial_tolerance(trials, 0.1, kZ));
}

TEST(ModelStatistics, Progression_ApPromotionsFollowGeometricPassTimes) {
  auto p = quiet_parameters();
  p.workforce.social_workers = {0, 0, 2000};  // all eligible (pq >= 36) from the first month
  p.progression.ap_monthly_probability = 0.05;
  const auto series = run_series(p, 5, 108);
  const double trials = 2000.0 * series.replications;
  EXPECT_NEAR(series.total(0, Metric::promotions_ap, 0), trials * 0.05, binomial_tolerance(trials, 0.05, kZ));
  // Cumulative promotions over k months: Binomial(n, 1 - (1 - p)^k).
  for (int k : {3, 12, 36}) {
    const double promoted = 1.0 - std::pow(1.0 - 0.05, k);
    EXPECT_NEAR(series.total(0, Metric::promotions_ap, 0, k - 1), trials * promoted,
                binomial_tolerance(trials, promoted, kZ))
        << "after " << k << " months";
    // Nobody leaves, so the AP headcount is exactly the cumulative promotions.
    EXPECT_EQ(series.total(0, Metric::advanced_practitioners, k - 1),
              series.total(0, Metric::promotions_ap, 0, k - 1));
  }
}

TEST(ModelStatistics, Progression_OverstretchDividesApPassRate) {
  // 2000 case holders and 100 practice managers: span 20 against a standard
  // of 7, overstretch 20/7 - 1, pass rate p / (1 + slowdown * overstretch).
  auto p = quiet_parameters();
  p.workforce.social_workers = {0, 0, 2000};
  p.workforce.practice_managers = 100;
  p.supervision.standard_span = 7;
  p.supervision.progression_slowdown = 1.5;
  p.progression.ap_monthly_probability = 0.2;
  const auto series = run_series(p, 5, 109);
  const double overstretch = 20.0 / 7.0 - 1.0;
  const double pass = 0.2 / (1.0 + 1.5 * overstretch);
  const double trials = 2000.0 * series.replications;
  EXPECT_NEAR(series.total(0, Metric::promotions_ap, 0), trials * pass, binomial_tolerance(trials, pass, kZ));
  EXPECT_DOUBLE_EQ(series.at(0, Metric::supervision_span, 0, 0), 20.0);
}

TEST(ModelStatistics, StepUp_DropoutsFollowMonthlyExponentialHazard) {
  auto p = quiet_parameters();
  p.time.months = 12;  // one intake: the cohort starts in month 0 (November)
  p.step_up.cohort_size = 2000;
  p.step_up.intake_calendar_months = {11};
  p.step_up.training_months = 24;
  p.attrition.trainee_annual_rate = 0.6;
  const auto series = run_series(p, 5, 110);
  const double q = monthly_leaving_probability(0.6);
  const double trials = 2000.0 * series.replications;
  EXPECT_EQ(series.total(0, Metric::trainee_dropouts, 0), 0);  // the intake follows the month's dropouts
  // Cumulative dropouts after k months of training: Binomial(n, 1 - (1 - q)^k).
  for (int k : {3, 11}) {
    const double gone = 1.0 - std::pow(1.0 - q, k);
    EXPECT_NEAR(series.total(0, Metric::trainee_dropouts, 1, k), trials * gone,
                binomial_tolerance(trials, gone, kZ))
        << "after " << k << " months";
  }
  // Month by month, pooled: dropouts over those at risk is q.
  double at_risk = 0;
  double dropouts = 0;
  for (int t = 1; t < series.months; ++t) {
    at_risk += series.total(0, Metric::trainees, t - 1);
    dropouts += series.total(0, Metric::trainee_dropouts, t);
  }
  // Sum of conditionally binomial counts: variance sum(n_t q (1 - q)).
  EXPECT_NEAR(dropouts, at_risk * q, binomial_tolerance(at_risk, q, kZ));
}

TEST(ModelStatistics, Recruitment_ApplicantsArePoissonWithSeasonalMean) {
  auto p = quiet_parameters();
  p.recruitment.nqsw_applicants_per_month = 24;
  p.recruitment.experienced_applicants_per_month = 5;
  p.recruitment.nqsw_season = {0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 2.0, 2.5, 2.0, 1.0, 0.5, 0.5};
  const auto series = run_series(p, 400, 111);
  const double n = series.replications;
  for (Metric metric : {Metric::applicants_nqsw, Metric::applicants_experienced}) {
    const auto name = model::kMetrics[model::index_of(metric)].name;
    auto lambda_of = [&](int calendar) {
      return metric == Metric::applicants_nqsw
                 ? 24 * p.recruitment.nqsw_season[static_cast<std::size_t>(calendar - 1)]
                 : 5.0;
    };
    // Means by calendar month: each occurs in 3 of the 36 months, so the
    // total over them and all replications is Poisson(3 n lambda).
    std::array<double, 12> totals{};
    for (int t = 0; t < series.months; ++t)
      totals[static_cast<std::size_t>(p.time.start.plus_months(t).month - 1)] += series.total(0, metric, t);
    for (int calendar = 1; calendar <= 12; ++calendar) {
      const double expected = 3 * n * lambda_of(calendar);
      EXPECT_NEAR(totals[static_cast<std::size_t>(calendar - 1)], expected, kZ * std::sqrt(expected))
          << name << " in calendar month " << calendar;
    }
    // Variance equal to the mean: (x - lambda)^2 / lambda has mean 1 and
    // variance 2 + 1 / lambda for a Poisson, so its average over all draws
    // is 1 within kZ standard errors sqrt(sum (2 + 1 / lambda)) / draws.
    double dispersion = 0;
    double dispersion_variance = 0;
    for (int t = 0; t < series.months; ++t) {
      const double lambda = lambda_of(p.time.start.plus_months(t).month);
      for (int r = 0; r < series.replications; ++r)
        dispersion += std::pow(series.at(0, metric, r, t) - lambda, 2) / lambda;
      dispersion_variance += n * (2.0 + 1.0 / lambda);
    }
    const double draws = n * series.months;
    EXPECT_NEAR(dispersion / draws, 1.0, kZ * std::sqrt(dispersion_variance) / draws)
        << name << ": variance equals mean";
  }
}

// Demand alone: 10,000 cases growing 5% a year, with monthly lognormal noise
// of standard deviation `noise_sd`.
model::Parameters growing_demand(double noise_sd) {
  auto p = quiet_parameters();
  p.demand.initial_cases = 10000;
  p.demand.annual_growth = 0.05;
  p.demand.monthly_noise_sd = noise_sd;
  return p;
}

// Scenario 0 is `p`, scenario 1 the same council with demand `shocks`, run
// side by side under common random numbers.
RunSeries run_with_and_without_shocks(const model::Parameters& p, std::vector<model::DemandShock> shocks,
                                      std::uint64_t seed, int replications) {
  auto shocked = p;
  shocked.demand.shocks = std::move(shocks);
  run::MonteCarloSettings settings;
  settings.seed = seed;
  settings.replications = replications;
  settings.threads = 2;
  return run_series({&p, &shocked}, settings);
}

TEST(ModelStatistics, Demand_NoisyGrowthHasMeanOneLognormalNoise) {
  const auto series = run_series(growing_demand(0.08), 2000, 112);
  const double n = series.replications;
  EXPECT_EQ(series.sample_variance(0, Metric::demand_cases, 0), 0);  // no noise before month 1
  for (int t : {6, 12, 35}) {
    const double expected = 10000 * std::pow(1.05, t / 12.0);
    // Standard error of the mean from the sample's own spread.
    const double se = std::sqrt(series.sample_variance(0, Metric::demand_cases, t) / n);
    EXPECT_NEAR(series.mean(0, Metric::demand_cases, t), expected, kZ * se) << "month " << t;
  }
  // log D_35 is normal with variance 35 sigma^2; a normal sample variance has
  // standard error variance * sqrt(2 / (n - 1)).
  double mean_log = 0;
  for (int r = 0; r < series.replications; ++r)
    mean_log += std::log(series.at(0, Metric::demand_cases, r, 35));
  mean_log /= n;
  double variance_log = 0;
  for (int r = 0; r < series.replications; ++r)
    variance_log += std::pow(std::log(series.at(0, Metric::demand_cases, r, 35)) - mean_log, 2);
  variance_log /= n - 1;
  const double expected_variance = 35 * 0.08 * 0.08;
  EXPECT_NEAR(variance_log, expected_variance, kZ * expected_variance * std::sqrt(2.0 / (n - 1)));
  // ... and mean log(D0) + 35/12 log(1 + g) - 35 sigma^2 / 2, standard error sqrt(variance / n).
  EXPECT_NEAR(mean_log, std::log(10000.0) + 35.0 / 12.0 * std::log(1.05) - expected_variance / 2,
              kZ * std::sqrt(expected_variance / n));
}

TEST(ModelStatistics, Demand_WithoutNoiseGrowsExactlyAndShocksApplyFromTheirMonth) {
  const auto series = run_with_and_without_shocks(growing_demand(0.0), {{12, 1.2}, {24, 0.9}}, 113, 3);
  for (int r = 0; r < series.replications; ++r) {
    for (int t = 0; t < series.months; ++t) {
      const double expected = 10000 * std::pow(1.05, t / 12.0);
      const double shock = (t >= 12 ? 1.2 : 1.0) * (t >= 24 ? 0.9 : 1.0);
      EXPECT_NEAR(series.at(0, Metric::demand_cases, r, t), expected, 1e-9 * expected) << "month " << t;
      EXPECT_NEAR(series.at(1, Metric::demand_cases, r, t), expected * shock, 1e-9 * expected)
          << "month " << t;
    }
  }
}

TEST(ModelStatistics, Demand_ShockScalesTheSameNoisyPathUnderCommonRandomNumbers) {
  const auto series = run_with_and_without_shocks(growing_demand(0.04), {{9, 1.3}}, 114, 20);
  for (int r = 0; r < series.replications; ++r) {
    for (int t = 0; t < series.months; ++t) {
      const double base = series.at(0, Metric::demand_cases, r, t);
      const double ratio = series.at(1, Metric::demand_cases, r, t) / base;
      if (t < 9) {
        EXPECT_EQ(ratio, 1.0) << "month " << t;
      } else {
        EXPECT_NEAR(ratio, 1.3, 1e-12) << "month " << t;
      }
    }
  }
}

}  // namespace
}  // namespace wfsim::test
