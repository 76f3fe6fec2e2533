// Pay: salaries by role, market supplements and the gap to the best-paying
// neighbour that leaving (section 7) and attractiveness (section 9) read.
#pragma once

#include "model/parameters.hpp"

namespace wfsim::model {

struct PayTerms {
  PermanentRoleValues salary_gbp_per_year{};      // grade 9 is grade 8 plus the uplift in force
  PermanentRoleValues supplement_gbp_per_year{};  // market supplements in force
  PermanentRoleValues neighbour_gap{};  // relative pay advantage of the best neighbour, after supplements
};

PayTerms pay_terms(const Parameters& parameters, int month);

}  // namespace wfsim::model
