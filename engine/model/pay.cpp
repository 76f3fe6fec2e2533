#include "model/pay.hpp"

#include <algorithm>

namespace wfsim::model {

PayTerms pay_terms(const Parameters& p, int month, const RegionPay& region) {
  PayTerms pay;
  const auto& ap = p.policies.advanced_practitioner;
  const double ap_uplift =
      ap.active_in(month) ? ap.uplift_gbp_per_year : p.pay.advanced_practitioner_uplift_gbp_per_year;
  const Salaries& salary = p.pay.salary_gbp_per_year;
  pay.salary_gbp_per_year = {salary.social_worker, salary.social_worker + ap_uplift, salary.practice_manager};

  const auto& supplement = p.policies.market_supplement;
  if (supplement.active_in(month)) pay.supplement_gbp_per_year = supplement.gbp_per_year;
  for (int role = 0; role < kPermanentRoleCount; ++role)
    pay.supplement_gbp_per_year[role] =
        std::max(pay.supplement_gbp_per_year[role], region.matched_supplement[role]);
  // A supplement narrows the gap to the best-paying neighbour by its share
  // of salary; a neighbour's widens it.
  pay.neighbour_gap = p.pay.neighbour_gap;
  for (int role = 0; role < kPermanentRoleCount; ++role)
    if (pay.salary_gbp_per_year[role] > 0)
      pay.gap_change[role] = (region.neighbour_supplement[role] - pay.supplement_gbp_per_year[role]) /
                             pay.salary_gbp_per_year[role];
  for (int role = 0; role < kPermanentRoleCount; ++role) pay.neighbour_gap[role] += pay.gap_change[role];
  return pay;
}

}  // namespace wfsim::model
