#include "model/allocation.hpp"

#include <algorithm>

namespace wfsim::model {

CaseAllocation allocate(double effective_demand, const BandValues& band_capacity, double agency_capacity,
                        const BandValues& allocation_weight, const BandValues& ratio_cap) {
  CaseAllocation a;
  const double standard_capacity = band_capacity[0] + band_capacity[1] + band_capacity[2] + agency_capacity;
  a.load_ratio = effective_demand / std::max(standard_capacity, 1.0);

  std::array<bool, kBandCount> capped{};
  double remaining = effective_demand;
  double ratio = 0;
  for (int round = 0; round <= kBandCount; ++round) {
    double weighted = agency_capacity;
    for (int band = 0; band < kBandCount; ++band)
      if (!capped[band]) weighted += band_capacity[band] * allocation_weight[band];
    ratio = weighted > 0 ? remaining / weighted : 0.0;
    bool newly_capped = false;
    for (int band = 0; band < kBandCount; ++band) {
      if (capped[band] || ratio * allocation_weight[band] <= ratio_cap[band]) continue;
      capped[band] = true;
      newly_capped = true;
      remaining -= ratio_cap[band] * band_capacity[band];
    }
    if (!newly_capped) break;
  }
  double allocated_elsewhere = agency_capacity;
  for (int band = 0; band < kBandCount; ++band) {
    a.band_ratio[band] = capped[band] ? ratio_cap[band] : ratio * allocation_weight[band];
    if (!capped[band]) allocated_elsewhere += band_capacity[band] * allocation_weight[band];
  }
  a.agency_ratio = ratio;
  a.unallocated_cases = allocated_elsewhere > 0 ? 0.0 : std::max(0.0, remaining);
  return a;
}

}  // namespace wfsim::model
