#include "model/costs.hpp"

#include "model/terms.hpp"

namespace wfsim::model {

CostTerms cost_terms(const Parameters& p, int month) {
  const auto& policy = p.policies;
  CostTerms terms;
  terms.asye_support_gbp_per_nqsw_per_year =
      p.asye.support_gbp_per_nqsw_per_year +
      (policy.asye_programme.active_in(month) ? policy.asye_programme.cost_gbp_per_nqsw_per_year : 0.0);
  terms.programmes_gbp_per_month =
      (policy.workload_relief.active_in(month) ? policy.workload_relief.cost_gbp_per_month : 0.0) +
      (policy.work_life.active_in(month) ? policy.work_life.cost_gbp_per_month : 0.0);
  return terms;
}

MonthCosts month_costs(const Parameters& p, const MonthTerms& terms, const StaffInPost& staff,
                       const MonthFlows& flows) {
  double salaries_gbp_per_year = staff.trainee_fte * p.pay.trainee_gbp_per_year;
  double supplements_gbp_per_year = 0;
  for (std::size_t r = 0; r < kPermanentRoleCount; ++r) {
    salaries_gbp_per_year += staff.fte_in_role[r] * terms.pay.salary_gbp_per_year[r];
    supplements_gbp_per_year += staff.fte_in_role[r] * terms.pay.supplement_gbp_per_year[r];
  }
  MonthCosts costs;
  costs.salaries = salaries_gbp_per_year * p.pay.on_cost_multiplier / 12.0;
  costs.supplements = supplements_gbp_per_year * p.pay.on_cost_multiplier / 12.0;
  costs.agency = staff.agency_fte * terms.agency.cost_gbp_per_year / 12.0;
  costs.recruitment = flows.external_starters * p.recruitment.cost_gbp_per_hire;
  costs.asye = staff.band_fte[0] * terms.costs.asye_support_gbp_per_nqsw_per_year / 12.0;
  costs.marketing = terms.recruitment.marketing_gbp_per_month;
  costs.retention = flows.retention_payments * p.policies.retention_payment.amount_gbp;
  costs.programmes = terms.costs.programmes_gbp_per_month +
                     flows.paid_trainee_intake * p.policies.step_up.cost_gbp_per_trainee;
  return costs;
}

}  // namespace wfsim::model
