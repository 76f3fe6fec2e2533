// Shared fixture for the model-core tests: complete parameter sets built in
// C++ (no YAML loader involved) and a helper that runs replications through
// run::run_monte_carlo and keeps every metric series for inspection.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "model/metrics.hpp"
#include "model/parameters.hpp"
#include "run/monte_carlo.hpp"
#include "run/results.hpp"

namespace wfsim::test {

// The council of scenarios/lancashire-2015/baseline.yaml, value for value.
inline model::Parameters baseline_parameters() {
  model::Parameters p;
  p.time.start = {2015, 11};
  p.time.months = 36;

  auto& w = p.workforce;
  w.social_workers = {185, 75, 190};
  w.advanced_practitioners = 80;
  w.practice_managers = 70;
  w.trainees = 6;
  w.agency = 60;
  w.experienced_extra_pq_mean_months = 72;
  w.senior_min_pq_months = 48;
  w.tenure_share_of_pq_min = 0.3;
  w.part_time_share = 0.1;
  w.part_time_fte = 0.6;
  w.accepted_offers_nqsw = 10;
  w.accepted_offers_experienced = 3;

  p.demand.initial_cases = 16500;
  p.demand.annual_growth = 0.05;
  p.demand.monthly_noise_sd = 0.01;
  p.demand.shocks = {};

  p.caseload.standard_by_band = {15, 20, 23};
  p.caseload.advanced_practitioner_standard = 20;
  p.caseload.agency_standard = 20;
  p.caseload.allocation_weight_by_band = {1.25, 1.05, 1.0};

  p.supervision.standard_span = 7;
  p.supervision.progression_slowdown = 1.0;

  p.burnout.memory_months = 6;
  p.burnout.load_weight = 1.0;
  p.burnout.span_weight = 0.5;
  p.burnout.baseline_strain = 0.05;
  p.burnout.resilience_sd = 0.25;

  auto& at = p.attrition;
  at.annual_rate_by_band = {0.03, 0.115, 0.033};
  at.practice_manager_annual_rate = 0.03;
  at.tenure_multiplier_first_year = 1.1;
  at.tenure_multiplier_second_year = 1.05;
  at.burnout_coefficient = 2.0;
  at.pay_gap_coefficient = 3.0;
  at.advanced_practitioner_coefficient = -0.3;
  at.destination_shares = {0.35, 0.25, 0.25, 0.15};
  at.trainee_annual_rate = 0.05;

  p.asye.failure_probability = 0.03;
  p.asye.support_gbp_per_nqsw_per_year = 2000;

  p.progression.ap_min_pq_months = 36;
  p.progression.ap_monthly_probability = 0.008;
  p.progression.ap_post_limit = -1;
  p.progression.pm_min_pq_months = 48;
  p.progression.pm_internal_probability = 0.5;

  p.step_up.cohort_size = 6;
  p.step_up.intake_calendar_months = {1};
  p.step_up.training_months = 14;
  p.step_up.bond_months = 24;
  p.step_up.bond_hazard_multiplier = 0.5;

  auto& r = p.recruitment;
  r.social_work_posts = 600;
  r.practice_manager_posts = 78;
  r.nqsw_applicants_per_month = 24;
  r.experienced_applicants_per_month = 5;
  r.practice_manager_applicants_per_month = 0.5;
  r.nqsw_season = {0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 2.0, 2.5, 2.0, 1.0, 0.5, 0.5};
  r.attraction_pay_gap_coefficient = 4.0;
  r.attraction_reputation_coefficient = 1.0;
  r.marketing_attraction = 0.0;
  r.reputation_memory_months = 12;
  r.reputation_overload_weight = 2.5;
  r.reputation_turnover_weight = 0.5;
  r.nqsw_acceptance_probability = 0.8;
  r.experienced_acceptance_probability = 0.7;
  r.nqsw_notice_months = 2;
  r.experienced_notice_months = 3;
  r.max_nqsw_share_of_hires = 1.0;
  r.cost_gbp_per_hire = 3000;
  r.marketing_gbp_per_month = 0;

  p.agency.new_workers_per_month = 4.5;
  p.agency.cap = -1;
  p.agency.monthly_end_probability = 0.04;
  p.agency.monthly_conversion_probability = 0;
  p.agency.cost_gbp_per_year = 62000;

  p.pay.salary_gbp_per_year.social_worker = 30000;
  p.pay.salary_gbp_per_year.practice_manager = 40000;
  p.pay.salary_gbp_per_year.trainee = 19000;
  p.pay.advanced_practitioner_uplift_gbp_per_year = 1500;
  p.pay.on_cost_multiplier = 1.28;
  p.pay.neighbour_gap = {0.05, 0.04, 0.03};
  return p;
}

// The baseline with every flow the identities must survive switched on: a
// larger step-up scheme with two intakes, agency conversion, a capped AP
// grade, extra practice manager and frontline posts, a hiring-mix rule,
// marketing and a demand shock.
inline model::Parameters busy_variant_parameters() {
  model::Parameters p = baseline_parameters();
  p.step_up.cohort_size = 12;
  p.step_up.intake_calendar_months = {1, 9};
  p.workforce.trainees = 10;
  p.agency.monthly_conversion_probability = 0.05;
  p.agency.cap = 70;
  p.progression.ap_monthly_probability = 0.03;
  p.progression.ap_post_limit = 95;
  p.progression.pm_internal_probability = 0.6;
  p.recruitment.practice_manager_posts = 86;
  p.recruitment.social_work_posts = 630;
  p.recruitment.max_nqsw_share_of_hires = 0.4;
  p.recruitment.marketing_attraction = 0.2;
  p.recruitment.marketing_gbp_per_month = 5000;
  p.demand.shocks = {{6, 1.1}, {20, 0.95}};
  return p;
}

// The baseline with every policy lever of MODEL.md section 12 switched on,
// most from a later month, so that every policy path and its switch-on month
// meet the accounting identities.
inline model::Parameters all_policies_parameters() {
  model::Parameters p = baseline_parameters();
  auto& q = p.policies;
  q.retention_payment.enabled = true;
  q.retention_payment.start_month = 3;
  q.retention_payment.amount_gbp = 2000;
  q.retention_payment.tenure_milestones_months = {12, 24, 36};
  q.retention_payment.anticipation_months = 3;
  q.retention_payment.anticipation_coefficient = 2.0;
  q.retention_payment.clawback_months = 12;
  q.retention_payment.clawback_hazard_multiplier = 0.5;
  q.retention_payment.roles = {true, true, false};
  q.retention_payment.bands = {true, true, true};
  q.market_supplement.enabled = true;
  q.market_supplement.start_month = 0;
  q.market_supplement.gbp_per_year = {1500, 1500, 1000};
  q.extra_posts.enabled = true;
  q.extra_posts.phases = {{6, 30, 8}, {12, 10, 0}};
  q.caseload_cap.enabled = true;
  q.caseload_cap.start_month = 6;
  q.caseload_cap.cap_cases = {18, 24, 28};
  q.step_up.enabled = true;
  q.step_up.start_month = 0;
  q.step_up.cohort_size = 10;
  q.step_up.intake_calendar_months = {9};
  q.step_up.cost_gbp_per_trainee = 20000;
  q.asye_programme.enabled = true;
  q.asye_programme.start_month = 2;
  q.asye_programme.nqsw_strain_multiplier = 0.8;
  q.asye_programme.nqsw_hazard_multiplier = 0.8;
  q.asye_programme.failure_multiplier = 0.5;
  q.asye_programme.cost_gbp_per_nqsw_per_year = 1000;
  q.advanced_practitioner.enabled = true;
  q.advanced_practitioner.start_month = 4;
  q.advanced_practitioner.monthly_probability = 0.02;
  q.advanced_practitioner.uplift_gbp_per_year = 2500;
  q.advanced_practitioner.post_limit = 120;
  q.advanced_practitioner.recognition_coefficient = -0.2;
  q.recruitment_marketing.enabled = true;
  q.recruitment_marketing.start_month = 1;
  q.recruitment_marketing.duration_months = 12;
  q.recruitment_marketing.gbp_per_month = 10000;
  q.recruitment_marketing.max_attraction_gain = 0.4;
  q.recruitment_marketing.half_effect_gbp_per_month = 5000;
  q.recruitment_marketing.notice_reduction_months = 1;
  q.hiring_mix.enabled = true;
  q.hiring_mix.start_month = 0;
  q.hiring_mix.max_nqsw_share_of_hires = 0.5;
  q.hiring_mix.target_nqsw_share = 0.3;
  q.agency.enabled = true;
  q.agency.start_month = 6;
  q.agency.cap = 50;
  q.agency.monthly_conversion_probability = 0.05;
  q.agency.cost_gbp_per_year = 58000;
  q.workload_relief.enabled = true;
  q.workload_relief.start_month = 3;
  q.workload_relief.phase_in_months = 6;
  q.workload_relief.out_of_hours_demand_share = 0.03;
  q.workload_relief.post16_demand_share = 0.02;
  q.workload_relief.specialism_strain_reduction = 0.02;
  q.workload_relief.cost_gbp_per_month = 20000;
  q.work_life.enabled = true;
  q.work_life.start_month = 0;
  q.work_life.extra_leave_days = 3;
  q.work_life.strain_reduction_per_leave_day = 0.005;
  q.work_life.flexible_working_hazard_multiplier = 0.95;
  q.work_life.career_break_hazard_multiplier = 0.8;
  q.work_life.cost_gbp_per_month = 5000;
  q.mobility.enabled = true;
  q.mobility.start_month = 2;
  q.mobility.moves_in_per_month = 1.5;
  q.mobility.internal_exit_multiplier = 0.7;
  return p;
}

// Every feedback loop and every flow switched off, nobody employed and no
// demand: tests switch on exactly the mechanism they check. Pay gaps stay
// non-zero so that zero coefficients are what removes them.
inline model::Parameters quiet_parameters() {
  model::Parameters p;
  p.time.start = {2015, 11};
  p.time.months = 36;
  p.workforce = {};
  p.workforce.part_time_share = 0.0;
  p.demand = {};
  p.burnout.load_weight = 0;
  p.burnout.span_weight = 0;
  p.burnout.baseline_strain = 0;
  p.burnout.resilience_sd = 0;
  p.attrition.annual_rate_by_band = {0, 0, 0};
  p.attrition.practice_manager_annual_rate = 0;
  p.attrition.tenure_multiplier_first_year = 1;
  p.attrition.tenure_multiplier_second_year = 1;
  p.attrition.burnout_coefficient = 0;
  p.attrition.pay_gap_coefficient = 0;
  p.attrition.advanced_practitioner_coefficient = 0;
  p.attrition.trainee_annual_rate = 0;
  p.asye.failure_probability = 0;
  p.progression.ap_monthly_probability = 0;
  p.progression.pm_internal_probability = 0;
  p.supervision.progression_slowdown = 0;
  p.step_up.cohort_size = 0;
  p.step_up.intake_calendar_months = {};
  p.recruitment = {};
  p.agency = {};
  p.pay.salary_gbp_per_year.social_worker = 30000;
  p.pay.salary_gbp_per_year.practice_manager = 40000;
  p.pay.salary_gbp_per_year.trainee = 19000;
  p.pay.neighbour_gap = {0.05, 0.04, 0.03};
  return p;
}

// Switches a policy lever on from month `start_month` and returns it, for the
// caller to set the lever's own fields.
template <class Policy>
Policy& switch_on(Policy& lever, int start_month) {
  lever.enabled = true;
  lever.start_month = start_month;
  return lever;
}

// Every metric of every replication of every scenario of one run.
struct RunSeries {
  int scenarios = 0;
  int replications = 0;
  int months = 0;
  std::vector<double> values;  // [scenario][metric][replication][month]

  std::size_t offset(int scenario, model::Metric metric, int replication) const {
    return ((static_cast<std::size_t>(scenario) * model::kMetricCount +
             static_cast<std::size_t>(model::index_of(metric))) *
                static_cast<std::size_t>(replications) +
            static_cast<std::size_t>(replication)) *
           static_cast<std::size_t>(months);
  }
  double at(int scenario, model::Metric metric, int replication, int month) const {
    return values[offset(scenario, metric, replication) + static_cast<std::size_t>(month)];
  }
  // One replication's series of one metric, months in order.
  std::span<const double> row(int scenario, model::Metric metric, int replication) const {
    return {values.data() + offset(scenario, metric, replication), static_cast<std::size_t>(months)};
  }
  // All replications of one metric of one scenario, [replication][month].
  std::span<const double> metric(int scenario, model::Metric metric) const {
    return {values.data() + offset(scenario, metric, 0),
            static_cast<std::size_t>(replications) * static_cast<std::size_t>(months)};
  }
  // Everything one scenario recorded, all metrics.
  std::span<const double> scenario(int scenario) const {
    const std::size_t size =
        static_cast<std::size_t>(model::kMetricCount) * static_cast<std::size_t>(replications * months);
    return {values.data() + static_cast<std::size_t>(scenario) * size, size};
  }

  // Over replications, for one month.
  double total(int scenario, model::Metric metric, int month) const {
    double sum = 0;
    for (int r = 0; r < replications; ++r) sum += at(scenario, metric, r, month);
    return sum;
  }
  double mean(int scenario, model::Metric metric, int month) const {
    return total(scenario, metric, month) / replications;
  }
  double sample_variance(int scenario, model::Metric metric, int month) const {
    const double m = mean(scenario, metric, month);
    double sum = 0;
    for (int r = 0; r < replications; ++r) sum += std::pow(at(scenario, metric, r, month) - m, 2);
    return sum / (replications - 1);
  }
  // Over replications and the months first..last inclusive.
  double total(int scenario, model::Metric metric, int first, int last) const {
    double sum = 0;
    for (int t = first; t <= last; ++t) sum += total(scenario, metric, t);
    return sum;
  }
};

inline RunSeries run_series(const std::vector<const model::Parameters*>& scenarios,
                            const run::MonteCarloSettings& settings) {
  RunSeries out;
  out.scenarios = static_cast<int>(scenarios.size());
  out.replications = settings.replications;
  out.months = scenarios.front()->time.months;
  out.values.assign(static_cast<std::size_t>(out.scenarios) * model::kMetricCount *
                        static_cast<std::size_t>(out.replications) * static_cast<std::size_t>(out.months),
                    0.0);
  run::run_monte_carlo(scenarios, settings, [&](const run::ResultBlock& block) {
    for (int s = 0; s < block.scenarios; ++s) {
      for (int m = 0; m < model::kMetricCount; ++m) {
        const auto rows = block.metric_rows(s, m);
        const std::size_t first = out.offset(s, static_cast<model::Metric>(m), block.first_replication);
        for (std::size_t k = 0; k < rows.size(); ++k) out.values[first + k] = rows[k];
      }
    }
  });
  return out;
}

inline RunSeries run_series(const model::Parameters& parameters, int replications, std::uint64_t seed,
                            int threads = 2) {
  run::MonteCarloSettings settings;
  settings.seed = seed;
  settings.replications = replications;
  settings.threads = threads;
  return run_series({&parameters}, settings);
}

// Acceptance half-width for a count that is Binomial(trials, p): `z`
// standard errors, sqrt(trials * p * (1 - p)).
inline double binomial_tolerance(double trials, double p, double z = 5.0) {
  return z * std::sqrt(trials * p * (1.0 - p));
}

}  // namespace wfsim::test
