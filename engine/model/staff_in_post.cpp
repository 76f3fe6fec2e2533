#include "model/staff_in_post.hpp"

namespace wfsim::model {

StaffInPost count_staff_in_post(const CaseloadParameters& c, const Workforce& people,
                                const BandValues& band_ratio) {
  StaffInPost s;
  for (std::size_t i = 0; i < people.size(); ++i) {
    const Role role = people.role[i];
    count_capacity(c, role, people.pq_months[i], people.fte[i], s.capacity);
    const double fte = people.fte[i];
    if (role == Role::agency) {
      ++s.agency;
      s.agency_fte += fte;
      continue;
    }
    if (role == Role::trainee) {
      ++s.trainees;
      s.trainee_fte += fte;
      continue;
    }
    const auto r = static_cast<std::size_t>(role);
    ++s.in_role[r];
    s.fte_in_role[r] += fte;
    s.burnout_sum += people.burnout[i];
    if (role == Role::practice_manager) continue;
    const int pq = people.pq_months[i];
    const Band band = band_of(pq);
    const auto b = static_cast<std::size_t>(band);
    ++s.band_count[b];
    s.under_two_years += pq < 24;
    s.band_fte[b] += fte;
    s.band_burnout[b] += people.burnout[i];
    s.band_cases[b] += fte * standard_caseload(c, role, band) * band_ratio[b];
  }
  return s;
}

}  // namespace wfsim::model
