#include "model/staff_in_post.hpp"

namespace wfsim::model {

namespace {

// Adds person i to the month's counts.
inline void count_person(const CaseloadParameters& c, const Workforce& people, std::size_t i,
                         const BandValues& band_ratio, int month, StaffInPost& s) {
  const Role role = people.role[i];
  count_capacity(c, role, people.pq_months[i], people.fte[i], s.capacity);
  const double fte = people.fte[i];
  if (role == Role::agency) {
    ++s.agency;
    s.agency_fte += fte;
    return;
  }
  if (role == Role::trainee) {
    ++s.trainees;
    s.trainee_fte += fte;
    return;
  }
  const auto r = static_cast<std::size_t>(role);
  ++s.in_role[r];
  s.fte_in_role[r] += fte;
  s.burnout_sum += people.burnout[i];
  s.a_year_or_more += people.tenure_months[i] >= 12;
  const Route route = people.route[i];
  if (route != Route::none && route != Route::mobility) {
    const int age = month - people.entry_month[i];
    for (std::size_t h = 0; h < kCohortHorizonsMonths.size(); ++h)
      s.cohort_in_post[static_cast<std::size_t>(route) - 1][h] += age == kCohortHorizonsMonths[h];
  }
  if (role == Role::practice_manager) return;
  const int pq = people.pq_months[i];
  const Band band = band_of(pq);
  const auto b = static_cast<std::size_t>(band);
  ++s.band_count[b];
  s.under_two_years += pq < 24;
  s.band_fte[b] += fte;
  s.band_burnout[b] += people.burnout[i];
  s.band_cases[b] += fte * standard_caseload(c, role, band) * band_ratio[b];
}

}  // namespace

StaffInPost remove_leavers_and_count(const CaseloadParameters& c, Workforce& people,
                                     const BandValues& band_ratio, int month) {
  StaffInPost s;
  people.compact([&](std::size_t kept) { count_person(c, people, kept, band_ratio, month, s); });
  return s;
}

}  // namespace wfsim::model
