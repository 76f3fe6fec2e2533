#include "model/allocation.hpp"

#include <algorithm>
#include <limits>

namespace wfsim::model {

namespace {

// A ceiling in cases per FTE as a caseload ratio; a negative ceiling is none.
double ceiling_ratio(double ceiling_cases, double standard) {
  return ceiling_cases < 0 ? std::numeric_limits<double>::infinity() : ceiling_cases / standard;
}

}  // namespace

AllocationTerms allocation_terms(const Parameters& p, int month) {
  constexpr double kWorkingDaysPerYear = 220;  // days a full-time worker is available before extra leave
  AllocationTerms terms;
  const auto& cap = p.policies.caseload_cap;
  const auto& ceiling = p.response;
  for (int band = 0; band < kBandCount; ++band) {
    const double standard = p.caseload.standard_by_band[band];
    const double policy_cap =
        cap.active_in(month) ? cap.cap_cases[band] / standard : std::numeric_limits<double>::infinity();
    terms.ratio_cap[band] =
        std::min(policy_cap, ceiling_ratio(ceiling.caseload_ceiling_by_band[band], standard));
  }
  terms.agency_ratio_cap = ceiling_ratio(ceiling.agency_caseload_ceiling, p.caseload.agency_standard);
  const auto& work_life = p.policies.work_life;
  terms.availability =
      work_life.active_in(month) ? 1.0 - work_life.extra_leave_days / kWorkingDaysPerYear : 1.0;
  return terms;
}

CaseAllocation allocate(double effective_demand, const BandValues& band_capacity, double agency_capacity,
                        const BandValues& allocation_weight, const BandValues& ratio_cap,
                        double agency_ratio_cap, double manager_capacity) {
  CaseAllocation a;
  const double standard_capacity = band_capacity[0] + band_capacity[1] + band_capacity[2] + agency_capacity;
  a.load_ratio = effective_demand / std::max(standard_capacity, 1.0);

  std::array<bool, kBandCount> capped{};
  bool agency_capped = false;
  double remaining = effective_demand;
  double ratio = 0;
  for (int round = 0; round <= kBandCount + 1; ++round) {
    double weighted = agency_capped ? 0.0 : agency_capacity;
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
    if (!agency_capped && agency_capacity > 0 && ratio > agency_ratio_cap) {
      agency_capped = true;
      newly_capped = true;
      remaining -= agency_ratio_cap * agency_capacity;
    }
    if (!newly_capped) break;
  }
  double allocated_elsewhere = agency_capped ? 0.0 : agency_capacity;
  for (int band = 0; band < kBandCount; ++band) {
    a.band_ratio[band] = capped[band] ? ratio_cap[band] : ratio * allocation_weight[band];
    if (!capped[band]) allocated_elsewhere += band_capacity[band] * allocation_weight[band];
  }
  a.agency_ratio = agency_capped ? agency_ratio_cap : ratio;
  const double left_over = allocated_elsewhere > 0 ? 0.0 : std::max(0.0, remaining);
  a.held_by_managers = std::min(left_over, manager_capacity);
  a.unallocated_cases = left_over - a.held_by_managers;
  a.held_load_ratio = (effective_demand - left_over) / std::max(standard_capacity, 1.0);
  return a;
}

MonthAllocation allocate_month(const Parameters& p, const AllocationTerms& terms, double effective_demand,
                               const BandValues& band_capacity, double agency_capacity, double case_holders,
                               double practice_managers, double practice_manager_fte) {
  BandValues available = band_capacity;
  for (auto& band : available) band *= terms.availability;
  MonthAllocation month;
  month.effective_demand = effective_demand;
  month.cases =
      allocate(effective_demand, available, agency_capacity, p.caseload.allocation_weight_by_band,
               terms.ratio_cap, terms.agency_ratio_cap, p.response.manager_cases * practice_manager_fte);
  // With no practice manager the span is the number of case holders.
  month.span = practice_managers > 0 ? case_holders / practice_managers : case_holders;
  month.overstretch = std::max(0.0, month.span / p.supervision.standard_span - 1.0);
  return month;
}

MonthAllocation allocate_month(const Parameters& p, const AllocationTerms& terms, double effective_demand,
                               const Capacity& capacity) {
  return allocate_month(p, terms, effective_demand, capacity.band, capacity.agency, capacity.case_holders,
                        capacity.practice_managers, capacity.practice_manager_fte);
}

}  // namespace wfsim::model
