#include "model/allocation.hpp"

#include <algorithm>
#include <limits>

namespace wfsim::model {

AllocationTerms allocation_terms(const Parameters& p, int month) {
  constexpr double kWorkingDaysPerYear = 220;  // days a full-time worker is available before extra leave
  AllocationTerms terms;
  const auto& cap = p.policies.caseload_cap;
  for (int band = 0; band < kBandCount; ++band)
    terms.ratio_cap[band] = cap.active_in(month) ? cap.cap_cases[band] / p.caseload.standard_by_band[band]
                                                 : std::numeric_limits<double>::infinity();
  const auto& work_life = p.policies.work_life;
  terms.availability =
      work_life.active_in(month) ? 1.0 - work_life.extra_leave_days / kWorkingDaysPerYear : 1.0;
  return terms;
}

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

MonthAllocation allocate_month(const Parameters& p, const AllocationTerms& terms, double effective_demand,
                               const BandValues& band_capacity, double agency_capacity, double case_holders,
                               double practice_managers) {
  BandValues available = band_capacity;
  for (auto& band : available) band *= terms.availability;
  MonthAllocation month;
  month.effective_demand = effective_demand;
  month.cases = allocate(effective_demand, available, agency_capacity, p.caseload.allocation_weight_by_band,
                         terms.ratio_cap);
  // With no practice manager the span is the number of case holders.
  month.span = practice_managers > 0 ? case_holders / practice_managers : case_holders;
  month.overstretch = std::max(0.0, month.span / p.supervision.standard_span - 1.0);
  return month;
}

MonthAllocation allocate_month(const Parameters& p, const AllocationTerms& terms, double effective_demand,
                               const Capacity& capacity) {
  return allocate_month(p, terms, effective_demand, capacity.band, capacity.agency, capacity.case_holders,
                        capacity.practice_managers);
}

}  // namespace wfsim::model
