// Cases over case holders (MODEL.md section 4), shared by the simulation and
// the analytic projection.
#pragma once

#include "model/parameters.hpp"

namespace wfsim::model {

struct CaseAllocation {
  double load_ratio = 0;    // effective demand over standard capacity, before caps
  BandValues band_ratio{};  // caseload / standard of permanent case holders, by band
  double agency_ratio = 0;
  double unallocated_cases = 0;
};

// Cases go out in proportion to weighted standard capacity; a band at its cap
// keeps the cap and its excess is shared among the others (water-filling).
// What no one can take stays unallocated. With nobody to hold cases the load
// ratio is reported against a single notional worker rather than infinity.
CaseAllocation allocate(double effective_demand, const BandValues& band_capacity, double agency_capacity,
                        const BandValues& allocation_weight, const BandValues& ratio_cap);

}  // namespace wfsim::model
