// Demand (MODEL.md section 3): open cases that need an allocated qualified
// social worker, growing with noise and listed shocks; workload relief takes
// a share of them away from the teams.
#pragma once

#include <vector>

#include "model/parameters.hpp"
#include "random/addressed_stream.hpp"

namespace wfsim::model {

struct DemandTerms {
  double relief_phase = 0;  // 0 before workload relief, rising to 1 over its phase-in
  double multiplier = 1;    // share of the open cases the frontline teams hold
};

DemandTerms demand_terms(const Parameters& parameters, int month);

// The product of the shocks listed for each month of the horizon.
std::vector<double> shock_by_month(const Parameters& parameters);

// The month's open cases from last month's: mean-one lognormal noise and the
// month's shock (month 0: the initial cases and its shock only).
double next_demand(const DemandParameters& demand, double previous, double shock, int month,
                   const random::StreamKey& stream);

}  // namespace wfsim::model
