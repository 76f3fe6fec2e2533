#include "model/leaving.hpp"

#include <algorithm>
#include <limits>
#include <numbers>

namespace wfsim::model {

using random::AddressedStream;
using random::Purpose;

namespace {

// exp(x) <= 1 / (1 - x/8)^8 for 0 <= x < 8: the denominator of a bound far
// cheaper than exp, good enough to decide most draws without it, and
// multiplied out of the comparison so that the loop divides by nothing.
// 1 for x <= 0 (exp(x) <= 1), 0 for x >= 8 (no bound).
double exp_bound_denominator(double x) {
  if (x <= 0) return 1.0;
  if (x >= 8) return 0.0;
  double t = 1.0 - x * 0.125;
  t *= t;
  t *= t;
  return t * t;
}

// Room for the rounding of the screen's few products: any bound above the
// exact hazard / 12 decides the same, since the exact test follows.
constexpr double kScreenMargin = 1 + 1e-9;

}  // namespace

double log_mean_burnout_term(double coefficient, double strain, double resilience_sd) {
  const double c = coefficient * strain;
  if (!(resilience_sd > 0) || c == 0) return c;
  // Resilience is exp(mu + sigma z), z standard normal: Simpson's rule over z
  // in [-8, 8], summed in the log domain.
  const double sigma = std::sqrt(std::log1p(resilience_sd * resilience_sd));
  const double mu = -0.5 * sigma * sigma;
  constexpr int kIntervals = 320;
  constexpr double kLow = -8.0;
  constexpr double kStep = 16.0 / kIntervals;
  double largest = -std::numeric_limits<double>::infinity();
  std::array<double, kIntervals + 1> exponent{};
  for (int k = 0; k <= kIntervals; ++k) {
    const double z = kLow + k * kStep;
    exponent[static_cast<std::size_t>(k)] = c * std::exp(mu + sigma * z) - 0.5 * z * z;
    largest = std::max(largest, exponent[static_cast<std::size_t>(k)]);
  }
  double sum = 0;
  for (int k = 0; k <= kIntervals; ++k) {
    const double weight = k == 0 || k == kIntervals ? 1.0 : (k % 2 == 1 ? 4.0 : 2.0);
    sum += weight * std::exp(exponent[static_cast<std::size_t>(k)] - largest);
  }
  return largest + std::log(sum * kStep / 3.0 / std::sqrt(2.0 * std::numbers::pi));
}

BurnoutOffsets burnout_offsets(const Parameters& p) {
  const auto& at = p.attrition;
  const double sd = p.burnout.resilience_sd;
  BurnoutOffsets offsets;
  for (int band = 0; band < kBandCount; ++band)
    offsets.case_holder[band] =
        log_mean_burnout_term(at.burnout_coefficient, at.burnout_reference_by_band[band], sd);
  offsets.practice_manager =
      log_mean_burnout_term(at.burnout_coefficient, at.practice_manager_burnout_reference, sd);
  return offsets;
}

LeavingTerms leaving_terms(const Parameters& p, const PayTerms& pay, const BurnoutOffsets& offsets,
                           int month) {
  const auto& at = p.attrition;
  const auto& policy = p.policies;
  LeavingTerms terms;
  terms.burnout_offset = offsets;
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
  // The observed rates include the pay gap of their time: only its change moves them.
  const auto& gap = pay.gap_change;
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

double retention_multiplier(const RetentionPaymentPolicy& policy, const AttritionParameters& at,
                            const PayTerms& pay, Role role, Band band, int tenure, int month) {
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
    } else if (milestone <= tenure &&
               tenure - milestone < policy.clawback_months + at.retention_exodus_months) {
      multiplier *=
          retention_exodus_multiplier(policy, at, pay.salary_gbp_per_year[static_cast<std::size_t>(role)]);
    }
  }
  return multiplier;
}

double retention_exodus_multiplier(const RetentionPaymentPolicy& policy, const AttritionParameters& at,
                                   double salary) {
  if (!(at.retention_exodus_share > 0) || at.retention_exodus_months <= 0) return 1.0;
  const double anticipation =
      std::exp(-policy.anticipation_coefficient * policy.amount_gbp / std::max(salary, 1.0));
  // Months of leaving held back, at the hazard of the time.
  const double held_back = policy.anticipation_months * (1.0 - anticipation) +
                           policy.clawback_months * std::max(0.0, 1.0 - policy.clawback_hazard_multiplier);
  return 1.0 + at.retention_exodus_share * held_back / at.retention_exodus_months;
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
                           const random::PersonMonthDraws& draws, Workforce& people, MonthFlows& flows,
                           std::vector<std::uint32_t>& neighbour_leavers) {
  neighbour_leavers.clear();
  // Local copies: the loop's stores into people and flows could otherwise
  // alias them, and they would be read again for every person.
  const LeavingTerms terms = month_terms;
  const MonthStrain strain = month_strain;
  const AttritionParameters at = p.attrition;
  const double memory = 1.0 / p.burnout.memory_months;
  const double trainee_leaving = monthly_probability(at.trainee_annual_rate);
  const bool first_month = month == 0;
  const auto& payments = p.policies.retention_payment;
  // The retention multiplier is at most the largest of the clawback and
  // exodus multipliers (if above 1) once for every milestone whose window a
  // person can be in.
  double retention_bound = 1.0;
  if (payments.enabled) {
    double largest = std::max(1.0, payments.clawback_hazard_multiplier);
    for (const double salary : pay.salary_gbp_per_year)
      largest = std::max(largest, retention_exodus_multiplier(payments, at, salary));
    retention_bound = std::pow(largest, static_cast<double>(payments.tenure_milestones_months.size()));
  }

  // Counted in locals, returned once after the loop, so that no store in the
  // loop can alias them.
  int permanent_at_start = 0;
  int advanced_practitioners_staying = 0;
  double practice_manager_fte_staying = 0;
  const double bond_multiplier = p.step_up.bond_hazard_multiplier;
  const double screen_factor = retention_bound / 12.0 * kScreenMargin;
  for (std::size_t i = 0; i < people.size(); ++i) {
    const Role role = people.role[i];
    if (role == Role::agency) continue;
    const double u = draws.leaving[i];
    if (role == Role::trainee) {
      if (u < trainee_leaving) {
        people.leaving[i] = Leaving::yes;
        ++flows.trainee_dropouts;
      }
      continue;
    }
    ++permanent_at_start;
    const Band band = band_of(people.pq_months[i]);
    const double stress = people.resilience[i] * (role == Role::practice_manager
                                                      ? strain.practice_manager
                                                      : strain.case_holder[static_cast<std::size_t>(band)]);
    const double burnout =
        updated_burnout(people.burnout[i], stress, memory, first_month, people.tenure_months[i]);
    people.burnout[i] = static_cast<float>(burnout);

    const int tenure = people.tenure_months[i];
    const double before_burnout = hazard_before_burnout(terms, at, bond_multiplier, role, band, tenure,
                                                        tenure < people.bond_end_tenure[i]);
    // 1 - exp(-x) <= x: most draws are decided against a bound of hazard /
    // 12 without computing the exact probability.
    bool leaves = false;
    const double burnout_term = burnout_exponent(at, terms.burnout_offset, role, band, burnout);
    if (u * exp_bound_denominator(burnout_term) < before_burnout * screen_factor) {
      const double hazard = annual_hazard(
          before_burnout, std::exp(burnout_term),
          payments.enabled ? retention_multiplier(payments, at, pay, role, band, tenure, month) : 1.0);
      leaves = u < hazard / 12.0 && u < monthly_probability(hazard);
    }
    if (leaves) {
      people.leaving[i] = Leaving::yes;
      if (role == Role::practice_manager) {
        ++flows.practice_manager_leavers;
      } else {
        ++flows.case_holder_leavers[static_cast<std::size_t>(band)];
      }
      const double where = random::uniform01(stream, Purpose::destination, people.id[i], month);
      const Destination destination = destination_of(terms.destination_shares, where);
      ++flows.leavers[static_cast<std::size_t>(destination)];
      if (destination == Destination::neighbour) neighbour_leavers.push_back(static_cast<std::uint32_t>(i));
    } else {
      advanced_practitioners_staying += role == Role::advanced_practitioner;
      if (role == Role::practice_manager) practice_manager_fte_staying += people.fte[i];
    }
  }
  return {permanent_at_start, advanced_practitioners_staying, practice_manager_fte_staying};
}

}  // namespace wfsim::model
