// Leaving the council (MODEL.md section 7): each permanent worker's annual
// hazard from the base rate of their role and band, length of service, a
// step-up bond, burnout, the pay gap, grade 9 recognition and retention
// payments with clawback; where leavers go. Trainees drop out of training.
// The simulation's pass over people and the projection's transition rates
// both read the rules here.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "model/burnout.hpp"
#include "model/month.hpp"
#include "model/parameters.hpp"
#include "model/pay.hpp"
#include "model/workforce.hpp"
#include "random/addressed_stream.hpp"
#include "random/person_month_draws.hpp"

namespace wfsim::model {

// The burnout term of the hazard is exp(burnout_coefficient * burnout -
// offset): the offset is log E[exp(burnout_coefficient * resilience *
// reference strain)] over resilience, so that at the operating point's strain
// the term is 1 on average and the base rates are the observed ones.
struct BurnoutOffsets {
  BandValues case_holder{};
  double practice_manager = 0;
};

// Depends only on the scenario's parameters: computed once a replication.
BurnoutOffsets burnout_offsets(const Parameters& parameters);

// log E[exp(coefficient * strain * resilience)] over resilience (lognormal,
// mean 1, standard deviation resilience_sd).
double log_mean_burnout_term(double coefficient, double strain, double resilience_sd);

// The burnout multiplier of the hazard averaged over resilience, for people
// who all carry `strain` times their resilience (the projection's held
// burnout): E[exp(coefficient * strain * resilience)] / exp(offset).
inline double mean_burnout_multiplier(double coefficient, double strain, double resilience_sd,
                                      double offset) {
  return std::exp(log_mean_burnout_term(coefficient, strain, resilience_sd) - offset);
}

struct LeavingTerms {
  // Annual hazard by permanent role and band before length of service, bond,
  // burnout and retention payments: the observed rate, the change of the pay
  // gap, grade 9 recognition and every policy multiplier in force.
  std::array<BandValues, kPermanentRoleCount> hazard_factor{};
  std::array<double, kDestinationCount> destination_shares{};
  BurnoutOffsets burnout_offset;
};

LeavingTerms leaving_terms(const Parameters& parameters, const PayTerms& pay, const BurnoutOffsets& offsets,
                           int month);

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

// The burnout term's exponent for a person of `role` and `band`.
inline double burnout_exponent(const AttritionParameters& at, const BurnoutOffsets& offset, Role role,
                               Band band, double burnout) {
  return at.burnout_coefficient * burnout - (role == Role::practice_manager
                                                 ? offset.practice_manager
                                                 : offset.case_holder[static_cast<std::size_t>(band)]);
}

// Whether retention payments reach a worker of this role and band at all.
bool retention_applies(const RetentionPaymentPolicy& policy, Role role, Band band);

// Retention payments change the hazard around each payment: lower while one
// is in sight (anticipation), multiplied again while leaving would mean
// repaying it (clawback), then raised for exodus_months while those who
// stayed for it leave (the exodus), and back to normal after.
double retention_multiplier(const RetentionPaymentPolicy& policy, const AttritionParameters& attrition,
                            const PayTerms& pay, Role role, Band band, int tenure_months, int month);

// The hazard multiplier of the exodus after a payment's clawback: the share
// retention_exodus_share of the leaving the anticipation and clawback
// windows held back, spread over retention_exodus_months.
double retention_exodus_multiplier(const RetentionPaymentPolicy& policy, const AttritionParameters& at,
                                   double salary_gbp_per_year);

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
// uniform (`draws`, drawn for every person before the step). The indices of
// those who leave for a neighbour go in `neighbour_leavers`, for a region's
// moves between its councils.
LeavingCounts leaving_step(const Parameters& parameters, const LeavingTerms& terms, const PayTerms& pay,
                           const MonthStrain& strain, const random::StreamKey& stream, int month,
                           const random::PersonMonthDraws& draws, Workforce& people, MonthFlows& flows,
                           std::vector<std::uint32_t>& neighbour_leavers);

}  // namespace wfsim::model
