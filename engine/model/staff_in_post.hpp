// Who is in post at the end of a month, counted in one pass over people: the
// stocks the month records, the cost lines read, and the capacity next
// month's allocation starts from.
#pragma once

#include "model/allocation.hpp"
#include "model/parameters.hpp"
#include "model/workforce.hpp"

namespace wfsim::model {

struct StaffInPost {
  std::array<int, kBandCount> band_count{};  // permanent case holders by band
  BandValues band_fte{};
  BandValues band_cases{};  // cases held at this month's caseload ratios
  BandValues band_burnout{};
  int under_two_years = 0;
  std::array<int, kPermanentRoleCount> in_role{};
  PermanentRoleValues fte_in_role{};
  int trainees = 0;
  double trainee_fte = 0;
  int agency = 0;
  double agency_fte = 0;
  double burnout_sum = 0;  // permanent staff
  int a_year_or_more = 0;  // permanent staff with 12 or more months of tenure
  // Cohorts of kCohortRoutes that joined kCohortHorizonsMonths ago, still in post.
  std::array<std::array<int, kCohortHorizonsMonths.size()>, kCohortRoutes.size()> cohort_in_post{};
  Capacity capacity;  // for next month's allocation

  int permanent() const { return in_role[0] + in_role[1] + in_role[2]; }
  double permanent_fte() const { return fte_in_role[0] + fte_in_role[1] + fte_in_role[2]; }
  int case_holders() const { return band_count[0] + band_count[1] + band_count[2]; }
};

// Removes everyone marked as leaving and counts who stays, in the same pass:
// the simulation's end of a month. `band_ratio` is this month's caseload /
// standard by band.
StaffInPost remove_leavers_and_count(const CaseloadParameters& caseload, Workforce& people,
                                     const BandValues& band_ratio, int month);

}  // namespace wfsim::model
