#include "model/leaving.hpp"

#include <algorithm>
#include <limits>

namespace wfsim::model {

using random::AddressedStream;
using random::Purpose;

namespace {

// exp(x) <= (1 - x/8)^-8 for 0 <= x < 8, with a margin for rounding: a bound
// far cheaper than exp, good enough to decide most draws without it.
double exp_upper_bound(double x) {
  if (x <= 0) return 1.0;
  if (x >= 8) return std::numeric_limits<double>::infinity();
  double r = 1.0 / (1.0 - x / 8.0);
  r *= r;
  r *= r;
  r *= r;
  return r * (1 + 1e-12);
}

}  // namespace

LeavingTerms leaving_terms(const Parameters& p, const PayTerms& pay, int month) {
  const auto& at = p.attrition;
  const auto& policy = p.policies;
  LeavingTerms terms;
  // Leaving by destination: career breaks keep some who would leave the
  // profession, the mobility policy some who would move out of frontline.
  const bool work_life_on = policy.work_life.active_in(month);
  terms.destination_shares = at.destination_shares;
  if (work_life_on) terms.destination_shares[2] *= policy.work_life.career_break_hazard_multiplier;
  if (policy.mobility.active_in(month))
    terms.destination_shares[3] *= policy.mobility.internal_exit_multiplier;
  const double destination_total = terms.destination_shares[0] + terms.destination_shares[1] +
                                   terms.destination_shares[2] + terms.destination_shares[3];
  for (auto& share : terms.destination_shares)
    share = destination_total > 0 ? share / destination_total : 0.25;

  const double common =
      destination_total * (work_life_on ? policy.work_life.flexible_working_hazard_multiplier : 1.0);
  const auto& ap = policy.advanced_practitioner;
  const double ap_coefficient =
      at.advanced_practitioner_coefficient + (ap.active_in(month) ? ap.recognition_coefficient : 0.0);
  const auto& asye = policy.asye_programme;
  const double nqsw_hazard = asye.active_in(month) ? asye.nqsw_hazard_multiplier : 1.0;
  const auto& gap = pay.neighbour_gap;
  for (int band = 0; band < kBandCount; ++band) {
    const double rate = at.annual_rate_by_band[band] * common * (band == 0 ? nqsw_hazard : 1.0);
    terms.hazard_factor[0][band] = rate * std::exp(at.pay_gap_coefficient * gap[0]);
    terms.hazard_factor[1][band] = rate * std::exp(at.pay_gap_coefficient * gap[1] + ap_coefficient);
    terms.hazard_factor[2][band] =
        at.practice_manager_annual_rate * common * std::exp(at.pay_gap_coefficient * gap[2]);
  }
  return terms;
}

bool retention_applies(const RetentionPaymentPolicy& policy, Role role, Band band) {
  // A payment of nothing changes nothing: no anticipation, nothing to claw back.
  return policy.enabled && policy.amount_gbp > 0 && is_permanent(role) &&
         policy.roles[static_cast<std::size_t>(role)] && policy.bands[static_cast<std::size_t>(band)];
}

double retention_multiplier(const RetentionPaymentPolicy& policy, const PayTerms& pay, Role role, Band band,
                            int tenure, int month) {
  if (!retention_applies(policy, role, band)) return 1.0;
  double multiplier = 1.0;
  for (const int milestone : policy.tenure_milestones_months) {
    // Paid in the month whose progression step takes tenure to the milestone.
    const int payment_month = month + (milestone - tenure) - 1;
    if (payment_month < policy.start_month) continue;
    if (milestone > tenure && milestone - tenure <= policy.anticipation_months) {
      const double salary = pay.salary_gbp_per_year[static_cast<std::size_t>(role)];
      multiplier *= std::exp(-policy.anticipation_coefficient * policy.amount_gbp / std::max(salary, 1.0));
    } else if (milestone <= tenure && tenure - milestone < policy.clawback_months) {
      multiplier *= policy.clawback_hazard_multiplier;
    }
  }
  return multiplier;
}

bool retention_payment_due(const RetentionPaymentPolicy& policy, Role role, Band band, int tenure,
                           int month) {
  return policy.active_in(month) && retention_applies(policy, role, band) &&
         std::find(policy.tenure_milestones_months.begin(), policy.tenure_milestones_months.end(), tenure) !=
             policy.tenure_milestones_months.end();
}

Destination destination_of(const std::array<double, kDestinationCount>& shares, double u) {
  double cumulative = 0;
  for (int k = 0; k < kDestinationCount - 1; ++k) {
    cumulative += shares[static_cast<std::size_t>(k)];
    if (u < cumulative) return static_cast<Destination>(k);
  }
  return static_cast<Destination>(kDestinationCount - 1);
}

LeavingCounts leaving_step(const Parameters& p, const LeavingTerms& month_terms, const PayTerms& pay,
                           const MonthStrain& month_strain, const random::StreamKey& stream, int month,
                           Workforce& people, std::vector<double>& progress_draws, MonthFlows& flows) {
  // Local copies: the loop's byte stores (people.leaving) could otherwise
  // alias them, and they would be read again for every person.
  const LeavingTerms terms = month_terms;
  const MonthStrain strain = month_strain;
  const AttritionParameters at = p.attrition;
  const double memory = 1.0 / p.burnout.memory_months;
  const double trainee_leaving = monthly_probability(at.trainee_annual_rate);
  const bool first_month = month == 0;
  const auto& payments = p.policies.retention_payment;
  // The retention multiplier is at most the clawback multiplier (if above 1)
  // once for every milestone whose window a person can be in.
  const double retention_bound = payments.enabled
                                     ? std::pow(std::max(1.0, payments.clawback_hazard_multiplier),
                                                static_cast<double>(payments.tenure_milestones_months.size()))
                                     : 1.0;

  // Counted in locals, returned once after the loop: a store through
  // `people.leaving` (bytes) could alias anything the loop keeps elsewhere.
  int permanent_at_start = 0;
  int advanced_practitioners_staying = 0;
  double practice_manager_fte_staying = 0;
  const double bond_multiplier = p.step_up.bond_hazard_multiplier;
  const double burnout_coefficient = at.burnout_coefficient;
  progress_draws.resize(people.size());
  for (std::size_t i = 0; i < people.size(); ++i) {
    const Role role = people.role[i];
    if (role == Role::agency) continue;
    // One block of four words a person-month: whether they leave, and (kept
    // for the progression step) whether they progress.
    AddressedStream draws(stream, Purpose::person_month, people.id[i], month);
    const double u = draws.uniform01();
    progress_draws[i] = draws.uniform01();
    if (role == Role::trainee) {
      if (u < trainee_leaving) {
        people.leaving[i] = 1;
        ++flows.trainee_dropouts;
      }
      continue;
    }
    ++permanent_at_start;
    const Band band = band_of(people.pq_months[i]);
    const double stress = people.resilience[i] * (role == Role::practice_manager
                                                      ? strain.practice_manager
                                                      : strain.case_holder[static_cast<std::size_t>(band)]);
    const double burnout = updated_burnout(people.burnout[i], stress, memory, first_month);
    people.burnout[i] = static_cast<float>(burnout);

    const int tenure = people.tenure_months[i];
    const double before_burnout = hazard_before_burnout(terms, at, bond_multiplier, role, band, tenure,
                                                        tenure < people.bond_end_tenure[i]);
    // 1 - exp(-x) <= x: most draws are decided against hazard / 12, or its
    // bound, without computing the exact probability.
    bool leaves = false;
    const double burnout_term = burnout_coefficient * burnout;
    if (u < before_burnout * exp_upper_bound(burnout_term) * retention_bound / 12.0) {
      const double hazard = annual_hazard(
          before_burnout, std::exp(burnout_term),
          payments.enabled ? retention_multiplier(payments, pay, role, band, tenure, month) : 1.0);
      leaves = u < hazard / 12.0 && u < monthly_probability(hazard);
    }
    if (leaves) {
      people.leaving[i] = 1;
      const double where = random::uniform01(stream, Purpose::destination, people.id[i], month);
      ++flows.leavers[static_cast<std::size_t>(destination_of(terms.destination_shares, where))];
    } else {
      advanced_practitioners_staying += role == Role::advanced_practitioner;
      if (role == Role::practice_manager) practice_manager_fte_staying += people.fte[i];
    }
  }
  return {permanent_at_start, advanced_practitioners_staying, practice_manager_fte_staying};
}

}  // namespace wfsim::model
