// The end of a month: leavers go and who stays is counted in one pass. The
// pass must keep the stayers' order and every field with its person, clear
// the marks, and count exactly those who stay (a leaver counted, or a stayer
// missed, shifts every stock the month records).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "model/staff_in_post.hpp"

namespace wfsim::model {
namespace {

PersonRecord person(std::uint32_t id, Role role, int pq_months, float fte) {
  PersonRecord p;
  p.id = id;
  p.role = role;
  p.pq_months = static_cast<std::int16_t>(pq_months);
  p.tenure_months = static_cast<std::int16_t>(id);  // tells each record apart
  p.fte = fte;
  p.burnout = 0.1f * static_cast<float>(id);
  return p;
}

struct Month {
  Workforce people;

  void add(const PersonRecord& p, bool leaving) {
    people.add(p);
    people.leaving.back() = leaving ? Leaving::yes : Leaving::no;
  }
};

TEST(StaffInPost, LeaversGoAndOnlyStayersAreCounted) {
  Month m;
  m.add(person(1, Role::social_worker, 3, 1.0f), true);  // a leaver first
  m.add(person(2, Role::social_worker, 3, 0.5f), false);
  m.add(person(3, Role::social_worker, 20, 1.0f), true);
  m.add(person(4, Role::advanced_practitioner, 60, 1.0f), false);
  m.add(person(5, Role::practice_manager, 90, 0.8f), false);
  m.add(person(6, Role::agency, 50, 1.0f), true);
  m.add(person(7, Role::agency, 50, 1.0f), false);
  m.add(person(8, Role::trainee, 2, 1.0f), false);
  m.add(person(9, Role::social_worker, 40, 1.0f), true);  // and a leaver last

  const CaseloadParameters caseload;
  const BandValues ratio{1.0, 2.0, 0.5};
  const StaffInPost s = remove_leavers_and_count(caseload, m.people, ratio, 5);

  ASSERT_EQ(m.people.size(), 5u);
  EXPECT_EQ(m.people.id, (std::vector<std::uint32_t>{2, 4, 5, 7, 8}));
  for (std::size_t k = 0; k < m.people.size(); ++k) {
    EXPECT_EQ(m.people.tenure_months[k], static_cast<std::int16_t>(m.people.id[k])) << k;
    EXPECT_FLOAT_EQ(m.people.burnout[k], 0.1f * static_cast<float>(m.people.id[k])) << k;
    EXPECT_EQ(m.people.leaving[k], Leaving::no) << k;
  }
  EXPECT_EQ(m.people.role.size(), 5u);
  EXPECT_EQ(m.people.route.size(), 5u);

  EXPECT_EQ(s.in_role[0], 1);
  EXPECT_EQ(s.in_role[1], 1);
  EXPECT_EQ(s.in_role[2], 1);
  EXPECT_EQ(s.agency, 1);
  EXPECT_EQ(s.trainees, 1);
  EXPECT_EQ(s.band_count[0], 1);  // person 2
  EXPECT_EQ(s.band_count[1], 0);  // person 3 left
  EXPECT_EQ(s.band_count[2], 1);  // person 4
  EXPECT_DOUBLE_EQ(s.fte_in_role[2], 0.8f);
  // Cases held: FTE x standard x the band's ratio, stayers only.
  EXPECT_DOUBLE_EQ(s.band_cases[0], 0.5 * 15.0 * 1.0);
  EXPECT_DOUBLE_EQ(s.band_cases[1], 0.0);
  EXPECT_DOUBLE_EQ(s.band_cases[2], 1.0 * 20.0 * 0.5);
  // Next month's capacity: case holders and the agency worker who stays.
  EXPECT_EQ(s.capacity.case_holders, 3);
  EXPECT_DOUBLE_EQ(s.capacity.agency, 20.0);
  EXPECT_EQ(s.capacity.practice_managers, 1);
}

TEST(StaffInPost, NobodyLeavingKeepsEveryoneInPlace) {
  Month m;
  for (std::uint32_t id = 1; id <= 4; ++id) m.add(person(id, Role::social_worker, 40, 1.0f), false);
  const StaffInPost s = remove_leavers_and_count(CaseloadParameters{}, m.people, BandValues{1, 1, 1}, 0);
  EXPECT_EQ(m.people.id, (std::vector<std::uint32_t>{1, 2, 3, 4}));
  EXPECT_EQ(s.case_holders(), 4);
}

TEST(StaffInPost, EveryoneLeavingLeavesNobody) {
  Month m;
  for (std::uint32_t id = 1; id <= 3; ++id) m.add(person(id, Role::practice_manager, 90, 1.0f), true);
  const StaffInPost s = remove_leavers_and_count(CaseloadParameters{}, m.people, BandValues{1, 1, 1}, 0);
  EXPECT_EQ(m.people.size(), 0u);
  EXPECT_EQ(m.people.leaving.size(), 0u);
  EXPECT_EQ(s.permanent(), 0);
}

}  // namespace
}  // namespace wfsim::model
