// The analytic projection (`wfsim expect`) against the microsimulation: with
// feedback off the projection is the microsimulation's expectation, so the
// Monte Carlo mean must stay within kZ standard errors of it in every month;
// and the projection conserves people exactly.
//
// False failures: 3 tests x 9 metrics x 36 months = 972 checks at |z| <= 4.9
// (two-sided 9.6e-7 each) fail a correct model at most once in about 1,000
// runs of this file (Bonferroni; the checks are correlated, so less often).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "analysis/markov_projection.hpp"
#include "cli_runner.hpp"
#include "model/entry.hpp"
#include "model/simulation.hpp"
#include "model_fixture.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using namespace wfsim::analysis;
using namespace wfsim::model;
using namespace wfsim::test;

// A quiet council (no demand, no burnout, no agency, reputation fixed at 0)
// with every mechanism the projection models exactly switched on: attrition
// by band, role, tenure year and pay gap; ASYE failure; grade 9 progression;
// step-up cohorts in two calendar months with drop-outs and a bond; offers
// accepted before the start; and newly qualified (seasonal) and experienced
// applicants, with so many funded posts that no offer is ever refused for
// want of a post. Practice manager promotion is tested separately below.
Parameters exact_flows_parameters() {
  Parameters p = quiet_parameters();
  auto& w = p.workforce;
  w.social_workers = {60, 40, 80};
  w.advanced_practitioners = 40;
  w.practice_managers = 14;
  w.trainees = 8;
  w.experienced_extra_pq_mean_months = 60;
  w.senior_min_pq_months = 48;
  // Initial tenure at least 60% of pq: every advanced practitioner who can
  // become a practice manager (pq 48 or more) has two years' tenure.
  w.tenure_share_of_pq_min = 0.6;
  w.accepted_offers_nqsw = 7;
  w.accepted_offers_experienced = 4;

  auto& at = p.attrition;
  at.annual_rate_by_band = {0.15, 0.25, 0.12};
  at.practice_manager_annual_rate = 0.10;
  at.tenure_multiplier_first_year = 1.6;
  at.tenure_multiplier_second_year = 1.2;
  at.pay_gap_coefficient = 3.0;  // quiet_parameters keeps the pay gaps non-zero
  at.advanced_practitioner_coefficient = -0.4;
  at.trainee_annual_rate = 0.10;

  p.asye.failure_probability = 0.08;
  p.progression.ap_min_pq_months = 36;
  p.progression.ap_monthly_probability = 0.02;
  p.progression.pm_min_pq_months = 48;

  p.step_up.cohort_size = 6;
  p.step_up.intake_calendar_months = {1, 9};
  p.step_up.training_months = 14;
  p.step_up.bond_months = 24;
  p.step_up.bond_hazard_multiplier = 0.4;

  auto& r = p.recruitment;
  r.social_work_posts = 100000;
  r.nqsw_applicants_per_month = 6;
  r.experienced_applicants_per_month = 2;
  r.nqsw_season = {0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 2.0, 2.5, 2.0, 1.0, 0.5, 0.5};
  r.attraction_pay_gap_coefficient = 2.0;
  r.marketing_attraction = 0.1;
  r.nqsw_acceptance_probability = 0.8;
  r.experienced_acceptance_probability = 0.7;
  r.nqsw_notice_months = 2;
  r.experienced_notice_months = 3;
  return p;
}

// Internal promotion to practice manager with practice managers leaving:
// exact when every eligible advanced practitioner is in a state that behaves
// the same (pq 48 or more, two years' tenure, no bond), so no external hires
// here, and when there are always more candidates than vacancies.
Parameters practice_manager_parameters() {
  Parameters p = exact_flows_parameters();
  p.workforce.accepted_offers_nqsw = 0;
  p.workforce.accepted_offers_experienced = 0;
  p.recruitment.nqsw_applicants_per_month = 0;
  p.recruitment.experienced_applicants_per_month = 0;
  p.recruitment.practice_manager_posts = 20;
  p.progression.pm_internal_probability = 0.5;
  return p;
}

// The exact-flows council given as a roster instead: pq, tenure and FTE one
// person a row, trainees whose tenure is not their months of training (one
// already past the end of training), and agency workers the projection leaves
// out (they never convert here). Counts hold the roster's totals, as the
// loader fills them.
Parameters roster_parameters() {
  Parameters p = exact_flows_parameters();
  auto& w = p.workforce;
  auto add = [&](Role role, int pq, int tenure, double fte) {
    w.roster.push_back({.role = role, .pq_months = pq, .tenure_months = tenure, .fte = fte});
  };
  for (int k = 0; k < 150; ++k) {
    const int pq = (k * 7) % 90;
    add(Role::social_worker, pq, (k * 5) % (pq + 1), k % 4 == 0 ? 0.6 : 1.0);
  }
  for (int k = 0; k < 30; ++k) add(Role::advanced_practitioner, 40 + (k * 3) % 50, (k * 11) % 40, 1.0);
  for (int k = 0; k < 10; ++k) add(Role::practice_manager, 60 + k, 6 * k, 1.0);
  for (int k = 0; k < 9; ++k) add(Role::trainee, 2 * k, 2 * k + k % 3, 1.0);  // 16 months: past training
  for (int k = 0; k < 5; ++k) add(Role::agency, 30, k, 1.0);

  auto headcount = [&](Role role) {
    return static_cast<int>(std::ranges::count(w.roster, role, &RosterRow::role));
  };
  w.advanced_practitioners = headcount(Role::advanced_practitioner);
  w.practice_managers = headcount(Role::practice_manager);
  w.trainees = headcount(Role::trainee);
  w.agency = headcount(Role::agency);
  w.social_workers = {0, 0, 0};  // by band of pq
  for (const RosterRow& row : w.roster) {
    if (row.role == Role::social_worker) ++w.social_workers[static_cast<std::size_t>(band_of(row.pq_months))];
  }
  return p;
}

// The metrics the projection and the microsimulation must agree on.
constexpr std::array kComparedMetrics = {Metric::permanent_qsw,
                                         Metric::nqsw,
                                         Metric::early,
                                         Metric::experienced,
                                         Metric::advanced_practitioners,
                                         Metric::practice_managers,
                                         Metric::trainees,
                                         Metric::leavers,
                                         Metric::starters};

constexpr double kZ = 4.9;

// The largest |Monte Carlo mean - projection| / standard error over every
// month and metric; the standard error has a floor of 1/R for months in
// which every replication agrees.
void expect_within_standard_errors(const Parameters& p, const std::string& label) {
  constexpr int kReplications = 400;
  const Projection projection = project(p);
  const auto series = run_series(p, kReplications, 20151101);
  ASSERT_EQ(static_cast<int>(projection.months.size()), series.months);
  double worst = 0;
  std::string worst_at;
  for (const Metric metric : kComparedMetrics) {
    const auto name = kMetrics[static_cast<std::size_t>(index_of(metric))].name;
    for (int t = 0; t < series.months; ++t) {
      const double mean = series.mean(0, metric, t);
      const double se =
          std::max(std::sqrt(series.sample_variance(0, metric, t) / kReplications), 1.0 / kReplications);
      const double expected = projection.months[static_cast<std::size_t>(t)][metric];
      const double z = std::abs(mean - expected) / se;
      EXPECT_LE(z, kZ) << label << ": " << name << " in month " << t << ": Monte Carlo mean " << mean
                       << ", projection " << expected << ", standard error " << se;
      if (z > worst) {
        worst = z;
        worst_at = fmt::format("{} in month {}", name, t);
      }
    }
  }
  std::cout << fmt::format("[ worst    ] {}: {:.2f} standard errors ({})\n", label, worst, worst_at);
  ::testing::Test::RecordProperty("worst_standard_errors", fmt::format("{:.2f}", worst));
}

TEST(MarkovProjection, MonteCarloMeanWithinStandardErrorsOfEveryExactFlow) {
  expect_within_standard_errors(exact_flows_parameters(), "exact flows");
}

TEST(MarkovProjection, MonteCarloMeanWithinStandardErrorsWithPracticeManagerPromotion) {
  expect_within_standard_errors(practice_manager_parameters(), "practice manager promotion");
}

TEST(MarkovProjection, MonteCarloMeanWithinStandardErrorsFromARoster) {
  expect_within_standard_errors(roster_parameters(), "roster");
}

// Stock change = inflow - outflow, for permanent staff and for trainees, and
// P_t row-stochastic: nobody is created or lost by the matrix, with every
// flow, policy and held feedback of the shipped baseline and its variants.
TEST(MarkovProjection, ConservesPeopleExactly) {
  for (const auto& [label, p] :
       {std::pair{"baseline", baseline_parameters()}, std::pair{"busy variant", busy_variant_parameters()},
        std::pair{"all policies", all_policies_parameters()},
        std::pair{"exact flows", exact_flows_parameters()},
        std::pair{"practice managers", practice_manager_parameters()},
        std::pair{"roster", roster_parameters()}}) {
    SCOPED_TRACE(label);
    const MarkovProjection markov(p);
    const Projection projection = markov.run();
    ASSERT_EQ(static_cast<int>(projection.months.size()), p.time.months);
    EXPECT_DOUBLE_EQ(projection.initial_permanent_qsw, initial_permanent_qsw(p));
    EXPECT_NEAR(markov.initial_stock().sum(), projection.initial_permanent_qsw + p.workforce.trainees, 1e-9);

    double permanent = projection.initial_permanent_qsw;
    double trainees = projection.initial_trainees;
    for (const auto& m : projection.months) {
      EXPECT_NEAR(m[Metric::permanent_qsw] - permanent, m[Metric::starters] - m[Metric::leavers], 1e-9);
      EXPECT_NEAR(m[Metric::trainees] - trainees,
                  m[Metric::trainee_intake] - m[Metric::trainee_dropouts] - m[Metric::starters_trainees],
                  1e-9);
      EXPECT_NEAR(m[Metric::nqsw] + m[Metric::early] + m[Metric::experienced],
                  m[Metric::social_workers] + m[Metric::advanced_practitioners], 1e-9);
      EXPECT_NEAR(
          m[Metric::permanent_qsw],
          m[Metric::social_workers] + m[Metric::advanced_practitioners] + m[Metric::practice_managers], 1e-9);
      for (const Metric flow : {Metric::leavers, Metric::starters, Metric::promotions_ap,
                                Metric::promotions_pm, Metric::trainee_dropouts})
        EXPECT_GE(m[flow], 0.0);
      permanent = m[Metric::permanent_qsw];
      trainees = m[Metric::trainees];
    }

    // The matrix itself: rows sum to one, entries are probabilities, and the
    // whole stock (exits included) changes by exactly the inflow.
    Eigen::VectorXd stock = markov.initial_stock();
    for (int t = 0; t < p.time.months; ++t) {
      const auto transition = markov.transition(t, stock);
      const Eigen::VectorXd row_sums = transition * Eigen::VectorXd::Ones(markov.state_count());
      EXPECT_LT((row_sums.array() - 1.0).abs().maxCoeff(), 1e-12) << "month " << t;
      EXPECT_GE(transition.coeffs().minCoeff(), 0.0) << "month " << t;
      const Eigen::VectorXd entrants = markov.inflow(t);
      const Eigen::VectorXd next = transition.transpose() * stock + entrants;
      EXPECT_NEAR(next.sum() - stock.sum(), entrants.sum(), 1e-9) << "month " << t;
      stock = next;
    }
  }
}

// The net loss a member reads is the sum of the monthly flows.
TEST(MarkovProjection, AnnualNetLossIsLeaversMinusStartersByYear) {
  const Projection projection = project(baseline_parameters());
  const auto net_loss = projection.annual_net_loss();
  ASSERT_EQ(net_loss.size(), 3u);
  for (std::size_t y = 0; y < net_loss.size(); ++y) {
    double sum = 0;
    for (std::size_t t = 12 * y; t < 12 * y + 12; ++t)
      sum += projection.months[t][Metric::leavers] - projection.months[t][Metric::starters];
    EXPECT_NEAR(net_loss[y], sum, 1e-9);
  }
}

// A chosen inflow replaces the applicant-derived one, from month 0.
TEST(MarkovProjection, ChosenInflowReplacesDerivedRecruitment) {
  ProjectionOptions options;
  options.nqsw_starters_per_month = 3.5;
  options.experienced_starters_per_month = 1.25;
  const Projection projection = project(baseline_parameters(), options);
  for (const auto& m : projection.months) {
    EXPECT_DOUBLE_EQ(m[Metric::starters_nqsw], 3.5);
    // Experienced starters include practice manager hires, still derived.
    EXPECT_GE(m[Metric::starters_experienced], 1.25);
    EXPECT_LT(m[Metric::starters_experienced], 1.25 + 1.0);
  }
}

int run_command(const std::string& arguments, const fs::path& output) {
  const std::string command = fmt::format("'{}' {} >'{}' 2>&1", WFSIM_BINARY, arguments, output.string());
  const int status = std::system(command.c_str());
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ExpectCommand, PrintsTheTableWritesCsvAndSaysWhatItHoldsFixed) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("wfsim_expect_{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path csv = dir / "expect.csv";
  const fs::path out = dir / "stdout.txt";
  const std::string baseline = source_path("scenarios/lancashire-2015/baseline.yaml").string();
  ASSERT_EQ(run_command(fmt::format("expect '{}' --csv '{}'", baseline, csv.string()), out), 0)
      << read_text(out);
  const std::string text = read_text(out);
  EXPECT_NE(text.find("Held fixed"), std::string::npos) << text;
  EXPECT_NE(text.find("burnout"), std::string::npos) << text;
  EXPECT_NE(text.find("net loss"), std::string::npos) << text;
  EXPECT_NE(text.find("2015-11"), std::string::npos) << text;

  std::ifstream in(csv);
  std::string line;
  int lines = 0;
  std::getline(in, line);
  EXPECT_EQ(line.rfind("month,permanent_qsw,nqsw,early,experienced,", 0), 0u) << line;
  while (std::getline(in, line)) ++lines;
  EXPECT_EQ(lines, 36);
  fs::remove_all(dir);
}

TEST(ExpectCommand, BadScenarioExitsTwoWithALocatedMessage) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("wfsim_expect_bad_{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path out = dir / "stdout.txt";
  const std::string bad = source_path("tests/bad_scenarios/negative_rate.yaml").string();
  EXPECT_EQ(run_command(fmt::format("expect '{}'", bad), out), 2);
  EXPECT_NE(read_text(out).find("negative_rate.yaml:"), std::string::npos) << read_text(out);
  EXPECT_EQ(run_command(fmt::format("expect '{}' --csv '{}'",
                                    source_path("scenarios/lancashire-2015/baseline.yaml").string(),
                                    (dir / "missing" / "x.csv").string()),
                        out),
            2);
  EXPECT_FALSE(fs::exists(dir / "missing"));
  fs::remove_all(dir);
}

}  // namespace
