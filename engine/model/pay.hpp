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

// What a region sets of a council's pay in a month (model/region.hpp).
struct RegionPay {
  // What its neighbours pay in market supplements: their mean, outside
  // neighbours counting none. A neighbour's supplement widens the council's
  // gap as its own narrows it.
  PermanentRoleValues neighbour_supplement{};
  // The supplement it pays in matching its neighbours' (the region's
  // responses): it pays the larger of this and its own policy's.
  PermanentRoleValues matched_supplement{};
};

// Alone, a council's neighbours pay none and it matches nothing.
PayTerms pay_terms(const Parameters& parameters, int month, const RegionPay& region = {});

}  // namespace wfsim::model
