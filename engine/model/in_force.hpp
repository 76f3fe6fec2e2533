// The parameters in force in a month, once the policies active in it are
// applied (MODEL.md section 12). The simulation's monthly loop reads these,
// never the policy blocks; the analytic projection reads the same.
#pragma once

#include <array>
#include <cmath>

#include "model/parameters.hpp"

namespace wfsim::model {

struct InForce {
  int social_work_posts = 0;
  int practice_manager_posts = 0;
  double demand_multiplier = 1;
  std::array<double, kBandCount> ratio_cap{};  // maximum caseload / standard, by band
  double availability = 1;                     // share of case holders' time left for cases
  double baseline_strain = 0;
  double nqsw_strain_multiplier = 1;
  std::array<std::array<double, kBandCount>, 3> hazard_factor{};  // [role][band], per year
  std::array<double, kDestinationCount> destination_shares{};
  double asye_failure_probability = 0;
  double ap_monthly_probability = 0;
  int ap_post_limit = -1;
  std::array<double, 3> salary_gbp_per_year{};      // social worker, advanced practitioner, practice manager
  std::array<double, 3> supplement_gbp_per_year{};  // market supplements by role
  double attraction = 1;                            // attractiveness before reputation
  int nqsw_notice_months = 1;
  int experienced_notice_months = 1;
  double max_nqsw_share_of_hires = 1;
  double target_nqsw_share = 1;
  int agency_cap = -1;
  double agency_conversion_probability = 0;
  double agency_cost_gbp_per_year = 0;
  bool retention_active = false;
  double asye_support_gbp_per_nqsw_per_year = 0;
  double marketing_gbp_per_month = 0;
  double programmes_gbp_per_month = 0;
  double moves_in_per_month = 0;
  int trainee_intake = 0;       // step-up trainees starting this month, existing scheme and policy
  int paid_trainee_intake = 0;  // of which the policy's extra cohorts, costed per trainee
};

InForce terms_in_force(const Parameters& parameters, int month);

// The probability of an event in a month at an annual hazard rate.
inline double monthly_probability(double annual_rate) {
  return -std::expm1(-annual_rate / 12.0);
}

}  // namespace wfsim::model
