#include "model/in_force.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace wfsim::model {

namespace {

constexpr double kWorkingDaysPerYear = 220;  // days a full-time worker is available before extra leave

bool active(bool enabled, int start_month, int month) {
  return enabled && month >= start_month;
}

}  // namespace

InForce terms_in_force(const Parameters& p, int month) {
  const auto& policy = p.policies;
  InForce n;

  n.social_work_posts = p.recruitment.social_work_posts;
  n.practice_manager_posts = p.recruitment.practice_manager_posts;
  if (policy.extra_posts.enabled) {
    for (const auto& phase : policy.extra_posts.phases) {
      if (month < phase.month_index) continue;
      n.social_work_posts += phase.social_work_posts;
      n.practice_manager_posts += phase.practice_manager_posts;
    }
  }

  const auto& relief = policy.workload_relief;
  const bool relief_on = active(relief.enabled, relief.start_month, month);
  const double relief_phase =
      relief_on ? std::min(1.0, static_cast<double>(month - relief.start_month + 1) / relief.phase_in_months)
                : 0.0;
  n.demand_multiplier = 1.0 - relief_phase * (relief.out_of_hours_demand_share + relief.post16_demand_share);

  const auto& cap = policy.caseload_cap;
  const bool cap_on = active(cap.enabled, cap.start_month, month);
  for (int band = 0; band < kBandCount; ++band)
    n.ratio_cap[band] = cap_on ? cap.cap_cases[band] / p.caseload.standard_by_band[band]
                               : std::numeric_limits<double>::infinity();

  const auto& work_life = policy.work_life;
  const bool work_life_on = active(work_life.enabled, work_life.start_month, month);
  n.availability = work_life_on ? 1.0 - work_life.extra_leave_days / kWorkingDaysPerYear : 1.0;
  n.baseline_strain = std::max(
      0.0, p.burnout.baseline_strain - relief_phase * relief.specialism_strain_reduction -
               (work_life_on ? work_life.extra_leave_days * work_life.strain_reduction_per_leave_day : 0.0));

  const auto& asye = policy.asye_programme;
  const bool asye_on = active(asye.enabled, asye.start_month, month);
  n.nqsw_strain_multiplier = asye_on ? asye.nqsw_strain_multiplier : 1.0;
  n.asye_failure_probability =
      std::min(1.0, p.asye.failure_probability * (asye_on ? asye.failure_multiplier : 1.0));
  n.asye_support_gbp_per_nqsw_per_year =
      p.asye.support_gbp_per_nqsw_per_year + (asye_on ? asye.cost_gbp_per_nqsw_per_year : 0.0);

  const auto& ap = policy.advanced_practitioner;
  const bool ap_on = active(ap.enabled, ap.start_month, month);
  n.ap_monthly_probability = ap_on ? ap.monthly_probability : p.progression.ap_monthly_probability;
  n.ap_post_limit = ap_on ? ap.post_limit : p.progression.ap_post_limit;
  const double ap_uplift = ap_on ? ap.uplift_gbp_per_year : p.pay.advanced_practitioner_uplift_gbp_per_year;
  n.salary_gbp_per_year = {p.pay.social_worker_gbp_per_year, p.pay.social_worker_gbp_per_year + ap_uplift,
                           p.pay.practice_manager_gbp_per_year};

  const auto& supplement = policy.market_supplement;
  const bool supplement_on = active(supplement.enabled, supplement.start_month, month);
  n.supplement_gbp_per_year = supplement_on
                                  ? std::array<double, 3>{supplement.social_worker_gbp_per_year,
                                                          supplement.advanced_practitioner_gbp_per_year,
                                                          supplement.practice_manager_gbp_per_year}
                                  : std::array<double, 3>{0, 0, 0};
  // A supplement narrows the gap to the best-paying neighbour by its share of salary.
  std::array<double, 3> gap = {p.pay.neighbour_gap_social_worker, p.pay.neighbour_gap_advanced_practitioner,
                               p.pay.neighbour_gap_practice_manager};
  for (int role = 0; role < 3; ++role)
    if (n.salary_gbp_per_year[role] > 0)
      gap[role] -= n.supplement_gbp_per_year[role] / n.salary_gbp_per_year[role];

  // Leaving by destination: career breaks keep some who would leave the
  // profession, the mobility policy some who would move out of frontline.
  const auto& at = p.attrition;
  const auto& mobility = policy.mobility;
  const bool mobility_on = active(mobility.enabled, mobility.start_month, month);
  n.destination_shares = at.destination_shares;
  if (work_life_on) n.destination_shares[2] *= work_life.career_break_hazard_multiplier;
  if (mobility_on) n.destination_shares[3] *= mobility.internal_exit_multiplier;
  const double destination_total =
      n.destination_shares[0] + n.destination_shares[1] + n.destination_shares[2] + n.destination_shares[3];
  for (auto& share : n.destination_shares) share = destination_total > 0 ? share / destination_total : 0.25;
  const double common =
      destination_total * (work_life_on ? work_life.flexible_working_hazard_multiplier : 1.0);
  const double ap_coefficient =
      at.advanced_practitioner_coefficient + (ap_on ? ap.recognition_coefficient : 0.0);
  const double nqsw_hazard = asye_on ? asye.nqsw_hazard_multiplier : 1.0;
  for (int band = 0; band < kBandCount; ++band) {
    const double rate = at.annual_rate_by_band[band] * common * (band == 0 ? nqsw_hazard : 1.0);
    n.hazard_factor[0][band] = rate * std::exp(at.pay_gap_coefficient * gap[0]);
    n.hazard_factor[1][band] = rate * std::exp(at.pay_gap_coefficient * gap[1] + ap_coefficient);
    n.hazard_factor[2][band] =
        at.practice_manager_annual_rate * common * std::exp(at.pay_gap_coefficient * gap[2]);
  }

  const auto& r = p.recruitment;
  const auto& marketing = policy.recruitment_marketing;
  const bool marketing_on =
      active(marketing.enabled, marketing.start_month, month) &&
      (marketing.duration_months == 0 || month < marketing.start_month + marketing.duration_months);
  const double spend = marketing_on ? marketing.gbp_per_month : 0.0;
  const double marketing_gain =
      spend > 0 ? marketing.max_attraction_gain * spend / (spend + marketing.half_effect_gbp_per_month) : 0.0;
  n.attraction =
      std::exp(-r.attraction_pay_gap_coefficient * gap[0] + r.marketing_attraction + marketing_gain);
  const int notice_cut = spend > 0 ? marketing.notice_reduction_months : 0;
  n.nqsw_notice_months = std::max(1, r.nqsw_notice_months - notice_cut);
  n.experienced_notice_months = std::max(1, r.experienced_notice_months - notice_cut);
  n.marketing_gbp_per_month = r.marketing_gbp_per_month + spend;

  const auto& mix = policy.hiring_mix;
  const bool mix_on = active(mix.enabled, mix.start_month, month);
  n.max_nqsw_share_of_hires =
      mix_on ? std::min(r.max_nqsw_share_of_hires, mix.max_nqsw_share_of_hires) : r.max_nqsw_share_of_hires;
  n.target_nqsw_share = mix_on ? mix.target_nqsw_share : 1.0;

  const auto& agency = policy.agency;
  const bool agency_on = active(agency.enabled, agency.start_month, month);
  n.agency_cap = agency_on && agency.cap >= 0 ? agency.cap : p.agency.cap;
  n.agency_conversion_probability =
      agency_on ? agency.monthly_conversion_probability : p.agency.monthly_conversion_probability;
  n.agency_cost_gbp_per_year =
      agency_on && agency.cost_gbp_per_year >= 0 ? agency.cost_gbp_per_year : p.agency.cost_gbp_per_year;

  n.retention_active = active(policy.retention_payment.enabled, policy.retention_payment.start_month, month);
  n.programmes_gbp_per_month =
      (relief_on ? relief.cost_gbp_per_month : 0.0) + (work_life_on ? work_life.cost_gbp_per_month : 0.0);
  n.moves_in_per_month = mobility_on ? mobility.moves_in_per_month : 0.0;

  const int calendar_month = p.time.start.plus_months(month).month;
  auto intake_now = [&](const std::vector<int>& months) {
    return std::find(months.begin(), months.end(), calendar_month) != months.end();
  };
  const auto& extra = policy.step_up;
  n.paid_trainee_intake =
      active(extra.enabled, extra.start_month, month) && intake_now(extra.intake_calendar_months)
          ? extra.cohort_size
          : 0;
  n.trainee_intake =
      (intake_now(p.step_up.intake_calendar_months) ? p.step_up.cohort_size : 0) + n.paid_trainee_intake;
  return n;
}

}  // namespace wfsim::model
