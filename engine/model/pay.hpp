// Pay: salaries by role, market supplements and the gap to the best-paying
// neighbour that leaving (section 7) and attractiveness (section 9) read.
#pragma once

#include "model/parameters.hpp"

namespace wfsim::model {

struct PayTerms {
  PermanentRoleValues salary_gbp_per_year{};      // grade 9 is grade 8 plus the uplift in force
  PermanentRoleValues supplement_gbp_per_year{};  // market supplements in force
  PermanentRoleValues neighbour_gap{};  // relative pay advantage of the best neighbour, after supplements
  // The gap's change from the scenario's own (pay.neighbour_gap, the gap at
  // the operating point where leaving and applicants were observed).
  PermanentRoleValues gap_change{};
};

// `neighbour_supplement`: in a region, what the council's neighbours pay in
// market supplements that month (their mean, outside neighbours counting
// nothing); a neighbour's supplement widens the gap as the council's own
// narrows it. Alone, a council's neighbours pay none.
PayTerms pay_terms(const Parameters& parameters, int month,
                   const PermanentRoleValues& neighbour_supplement = {});

}  // namespace wfsim::model
