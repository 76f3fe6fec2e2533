#include "model/costs.hpp"

#include <algorithm>

#include "model/terms.hpp"

namespace wfsim::model {

CostTerms cost_terms(const Parameters& p, int month) {
  const auto& policy = p.policies;
  CostTerms terms;
  terms.asye_programme_gbp_per_nqsw_per_year =
      policy.asye_programme.active_in(month) ? policy.asye_programme.cost_gbp_per_nqsw_per_year : 0.0;
  terms.asye_support_gbp_per_nqsw_per_year =
      p.asye.support_gbp_per_nqsw_per_year + terms.asye_programme_gbp_per_nqsw_per_year;
  terms.programmes_gbp_per_month =
      (policy.workload_relief.active_in(month) ? policy.workload_relief.cost_gbp_per_month : 0.0) +
      (policy.work_life.active_in(month) ? policy.work_life.cost_gbp_per_month : 0.0);
  return terms;
}

MonthCosts month_costs(const Parameters& p, const MonthTerms& terms, const StaffInPost& staff,
                       const MonthFlows& flows, double agency_rate_multiple, double recruitment_drive) {
  const double on_cost_per_month = p.pay.on_cost_multiplier / 12.0;
  double salaries_gbp_per_year = staff.trainee_fte * p.pay.salary_gbp_per_year.trainee;
  double supplements_gbp_per_year = 0;
  for (std::size_t r = 0; r < kPermanentRoleCount; ++r) {
    salaries_gbp_per_year += staff.fte_in_role[r] * terms.pay.salary_gbp_per_year[r];
    supplements_gbp_per_year += staff.fte_in_role[r] * terms.pay.supplement_gbp_per_year[r];
  }
  MonthCosts costs;
  costs.salaries = salaries_gbp_per_year * on_cost_per_month;
  costs.supplements = supplements_gbp_per_year * on_cost_per_month;
  costs.agency = staff.agency_fte * terms.agency.cost_gbp_per_year * agency_rate_multiple / 12.0;
  costs.recruitment = flows.external_starters * p.recruitment.cost_gbp_per_hire +
                      recruitment_drive * p.response.recruitment_drive_gbp_per_month;
  costs.asye = staff.band_fte[0] * terms.costs.asye_support_gbp_per_nqsw_per_year / 12.0;
  costs.marketing = terms.recruitment.marketing_gbp_per_month;
  costs.retention = flows.retention_payments * p.policies.retention_payment.amount_gbp;
  costs.programmes = terms.costs.programmes_gbp_per_month +
                     flows.paid_trainee_intake * p.policies.step_up.cost_gbp_per_trainee;

  // A case-holding post is budgeted at grade 8 (the grade 9 uplift is paid
  // within it), a practice manager post at its salary.
  const auto& r = terms.recruitment;
  const double social_work_post = terms.pay.salary_gbp_per_year[0] * on_cost_per_month;
  const double manager_post = terms.pay.salary_gbp_per_year[2] * on_cost_per_month;
  costs.budget = r.social_work_posts * social_work_post + r.practice_manager_posts * manager_post;
  const double empty_social_work =
      std::max(0.0, r.social_work_posts - staff.fte_in_role[0] - staff.fte_in_role[1] - staff.agency_fte);
  const double empty_manager = std::max(0.0, r.practice_manager_posts - staff.fte_in_role[2]);
  costs.underspend = empty_social_work * social_work_post + empty_manager * manager_post;
  const double added_posts =
      r.extra_social_work_posts * social_work_post + r.extra_practice_manager_posts * manager_post;
  costs.policy = costs.supplements + costs.retention + costs.programmes + r.policy_marketing_gbp_per_month +
                 staff.band_fte[0] * terms.costs.asye_programme_gbp_per_nqsw_per_year / 12.0 + added_posts;
  costs.staffing = costs.total() + costs.underspend - costs.policy;
  return costs;
}

}  // namespace wfsim::model
