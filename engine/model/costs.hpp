// Costs (MODEL.md sections 11 and 16): each month's spending by line, from
// the staff in post at its end and what happened during it, and the same
// counted against the funded establishment: every funded post has a budget,
// a post left empty and uncovered is an underspend on its own line, and the
// policy's own spending is told apart from the staffing spend.
#pragma once

#include "model/month.hpp"
#include "model/parameters.hpp"
#include "model/staff_in_post.hpp"

namespace wfsim::model {

struct CostTerms {
  double asye_support_gbp_per_nqsw_per_year = 0;    // the scheme's support and the ASYE programme's
  double asye_programme_gbp_per_nqsw_per_year = 0;  // of which the ASYE programme's
  double programmes_gbp_per_month = 0;              // workload relief and work-life measures
};

CostTerms cost_terms(const Parameters& parameters, int month);

struct MonthTerms;

// One month's spending, pounds.
struct MonthCosts {
  // What is spent, by line.
  double salaries = 0;  // permanent staff and trainees, with on-costs
  double supplements = 0;
  double agency = 0;
  double recruitment = 0;
  double asye = 0;
  double marketing = 0;
  double retention = 0;
  double programmes = 0;
  // Against the funded establishment.
  double budget = 0;      // every funded post at its salary with on-costs
  double underspend = 0;  // the budget of posts with nobody in them and no agency cover
  double policy = 0;      // the policy's own spending: payments, supplements, programmes, its marketing,
                          // the ASYE programme and the budget of the posts it adds
  double staffing = 0;    // the rest, counted against the establishment the reference funds: salaries,
                          // agency, recruitment and support, with the underspend counted as spent

  double total() const {
    return salaries + supplements + agency + recruitment + asye + marketing + retention + programmes;
  }
  // What comparisons set against each other: spending with empty posts
  // counted at their budget, so that an empty post is never a saving.
  double against_establishment() const { return policy + staffing; }
};

// `agency_rate_multiple`: the month's agency rate over the reference rate;
// `recruitment_drive`: how hard the management response drove recruitment (0 to 1).
MonthCosts month_costs(const Parameters& parameters, const MonthTerms& terms, const StaffInPost& staff,
                       const MonthFlows& flows, double agency_rate_multiple, double recruitment_drive);

}  // namespace wfsim::model
