// Costs (MODEL.md section 11): each month's spending by line, from the staff
// in post at its end and what happened during it.
#pragma once

#include "model/month.hpp"
#include "model/parameters.hpp"
#include "model/staff_in_post.hpp"

namespace wfsim::model {

struct CostTerms {
  double asye_support_gbp_per_nqsw_per_year = 0;  // the scheme's support and the ASYE programme's
  double programmes_gbp_per_month = 0;            // workload relief and work-life measures
};

CostTerms cost_terms(const Parameters& parameters, int month);

struct MonthTerms;

// One month's spending, pounds.
struct MonthCosts {
  double salaries = 0;  // permanent staff and trainees, with on-costs
  double supplements = 0;
  double agency = 0;
  double recruitment = 0;
  double asye = 0;
  double marketing = 0;
  double retention = 0;
  double programmes = 0;
  double total() const {
    return salaries + supplements + agency + recruitment + asye + marketing + retention + programmes;
  }
};

MonthCosts month_costs(const Parameters& parameters, const MonthTerms& terms, const StaffInPost& staff,
                       const MonthFlows& flows);

}  // namespace wfsim::model
