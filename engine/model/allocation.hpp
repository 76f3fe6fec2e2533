// Allocation of cases (MODEL.md section 4) and the span of supervision
// (section 5): cases over the case holders in post, in proportion to their
// weighted standard caseloads, within any caps. Shared by the simulation and
// the analytic projection.
#pragma once

#include "model/parameters.hpp"

namespace wfsim::model {

struct AllocationTerms {
  BandValues ratio_cap{};   // maximum caseload / standard, by band (caseload cap policy)
  double availability = 1;  // share of case holders' time left for cases (extra leave)
};

AllocationTerms allocation_terms(const Parameters& parameters, int month);

// Standard caseload capacity of the people in post, before leave.
struct Capacity {
  BandValues band{};  // permanent case holders by band: FTE x standard caseload
  double agency = 0;
  int case_holders = 0;  // permanent and agency
  int practice_managers = 0;
};

// A person's standard caseload: by band for grade 8, one value for grade 9
// and for agency workers; none for practice managers and trainees.
inline double standard_caseload(const CaseloadParameters& c, Role role, Band band) {
  switch (role) {
    case Role::social_worker:
      return c.standard_by_band[static_cast<std::size_t>(band)];
    case Role::advanced_practitioner:
      return c.advanced_practitioner_standard;
    case Role::agency:
      return c.agency_standard;
    default:
      return 0.0;
  }
}

// Adds one person to `capacity`. Inline: it runs for every person-month.
inline void count_capacity(const CaseloadParameters& c, Role role, int pq_months, float fte,
                           Capacity& capacity) {
  if (is_case_holder(role)) {
    const Band band = band_of(pq_months);
    capacity.band[static_cast<std::size_t>(band)] += fte * standard_caseload(c, role, band);
    ++capacity.case_holders;
  } else if (role == Role::agency) {
    capacity.agency += fte * c.agency_standard;
    ++capacity.case_holders;
  } else if (role == Role::practice_manager) {
    ++capacity.practice_managers;
  }
}

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

// The month's allocation and supervision, as every mechanism after it reads them.
struct MonthAllocation {
  double effective_demand = 0;
  CaseAllocation cases;
  double span = 0;         // case holders per practice manager
  double overstretch = 0;  // max(0, span / standard span - 1)
};

// Allocates the month's open cases over `capacity` (the people in post at
// the start of the month) and measures the span of supervision. Weights may
// be fractional head counts (the projection's expected staff).
MonthAllocation allocate_month(const Parameters& parameters, const AllocationTerms& terms,
                               double effective_demand, const Capacity& capacity);
MonthAllocation allocate_month(const Parameters& parameters, const AllocationTerms& terms,
                               double effective_demand, const BandValues& band_capacity,
                               double agency_capacity, double case_holders, double practice_managers);

}  // namespace wfsim::model
