// Leaving the council (MODEL.md section 7): each permanent worker's annual
// hazard from the base rate of their role and band, length of service, a
// step-up bond, burnout, the pay gap, grade 9 recognition and retention
// payments with clawback; where leavers go. Trainees drop out of training.
// The simulation's pass over people and the projection's transition rates
// both read the rules here.
#pragma once

#include <cmath>
#include <vector>

#include "model/burnout.hpp"
#include "model/month.hpp"
#include "model/parameters.hpp"
#include "model/pay.hpp"
#include "model/workforce.hpp"
#include "random/addressed_stream.hpp"

namespace wfsim::model {

struct LeavingTerms {
  // Annual hazard by permanent role and band before length of service, bond,
  // burnout and retention payments: the base rate with the pay gap, grade 9
  // recognition and every policy multiplier in force.
  std::array<BandValues, kPermanentRoleCount> hazard_factor{};
  std::array<double, kDestinationCount> destination_shares{};
};

LeavingTerms leaving_terms(const Parameters& parameters, const PayTerms& pay, int month);

// The probability of an event in a month at an annual hazard rate.
inline double monthly_probability(double annual_rate) {
  return -std::expm1(-annual_rate / 12.0);
}

// The classic length-of-service wastage curve: a multiplier by tenure year.
inline double tenure_multiplier(const AttritionParameters& at, int tenure_months) {
  return tenure_months < kFirstYearEndTenureMonths    ? at.tenure_multiplier_first_year
         : tenure_months < kSecondYearEndTenureMonths ? at.tenure_multiplier_second_year
                                                      : 1.0;
}

// The hazard before burnout and retention payments; `bond_multiplier` is
// step_up.bond_hazard_multiplier.
inline double hazard_before_burnout(const LeavingTerms& terms, const AttritionParameters& at,
                                    double bond_multiplier, Role role, Band band, int tenure_months,
                                    bool in_step_up_bond) {
  const double bond = in_step_up_bond ? bond_multiplier : 1.0;
  return terms.hazard_factor[static_cast<std::size_t>(role)][static_cast<std::size_t>(band)] *
         tenure_multiplier(at, tenure_months) * bond;
}

inline double burnout_hazard_multiplier(const AttritionParameters& at, double burnout) {
  return std::exp(at.burnout_coefficient * burnout);
}

// Whether retention payments reach a worker of this role and band at all.
bool retention_applies(const RetentionPaymentPolicy& policy, Role role, Band band);

// Retention payments change the hazard around each payment: lower while one
// is in sight (anticipation), multiplied again while leaving would mean
// repaying it (clawback), and back to normal once the clawback ends.
double retention_multiplier(const RetentionPaymentPolicy& policy, const PayTerms& pay, Role role, Band band,
                            int tenure_months, int month);

// Whether a payment falls due in the month whose ageing takes a worker's
// tenure to `tenure_months`.
bool retention_payment_due(const RetentionPaymentPolicy& policy, Role role, Band band, int tenure_months,
                           int month);

// The annual hazard of a permanent worker, as both drivers compute it.
inline double annual_hazard(double before_burnout, double burnout_multiplier, double retention) {
  return before_burnout * burnout_multiplier * retention;
}

// A leaver's destination from one uniform.
Destination destination_of(const std::array<double, kDestinationCount>& shares, double u);

// What the steps after leaving need to know of it.
struct LeavingCounts {
  int permanent_at_start = 0;  // permanent staff before anyone left this month
  int advanced_practitioners_staying = 0;
  double practice_manager_fte_staying = 0;
};

// The simulation's pass over people: burnout is updated and each permanent
// worker leaves (or a trainee drops out) on the person-month block's first
// uniform; its second is kept in `progress_draws` for the progression step.
LeavingCounts leaving_step(const Parameters& parameters, const LeavingTerms& terms, const PayTerms& pay,
                           const MonthStrain& strain, const random::StreamKey& stream, int month,
                           Workforce& people, std::vector<double>& progress_draws, MonthFlows& flows);

}  // namespace wfsim::model
