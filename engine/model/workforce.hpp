// The people of one replication as a structure of arrays.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/parameters.hpp"

namespace wfsim::model {

// Person ids address random draws, so each source of people has its own id
// space: the k-th hire of month t meets the same luck under every policy.
namespace person_ids {
inline constexpr std::uint32_t kSlotsPerMonth = 4096;
inline constexpr std::uint32_t kInitialLimit = 1u << 24;
inline constexpr std::uint32_t kNqswHires = 1u << 24;
inline constexpr std::uint32_t kExperiencedHires = 2u << 24;
inline constexpr std::uint32_t kPracticeManagerHires = 3u << 24;
inline constexpr std::uint32_t kAgency = 4u << 24;
inline constexpr std::uint32_t kTrainees = 5u << 24;
inline constexpr std::uint32_t kInternalMoves = 6u << 24;
inline constexpr std::uint32_t kRegionArrivals = 7u << 24;  // movers from a neighbouring council
// month -1 holds offers accepted before the run starts.
constexpr std::uint32_t in_month(std::uint32_t space, int month, std::uint32_t ordinal) {
  return space + static_cast<std::uint32_t>(month + 1) * kSlotsPerMonth + ordinal;
}
// The source a person's id belongs to.
constexpr std::uint32_t space_of(std::uint32_t id) {
  return id & ~(kInitialLimit - 1);
}
constexpr bool is_nqsw_hire(std::uint32_t id) {
  return space_of(id) == kNqswHires;
}
}  // namespace person_ids

// How a permanent worker joined, for the retention of entry cohorts. The
// initial staff, trainees and agency workers belong to no cohort.
enum class Route : std::uint8_t {
  none = 0,
  nqsw = 1,
  experienced = 2,
  step_up = 3,
  conversion = 4,
  mobility = 5
};
// The routes whose cohorts are recorded, in the order of their metrics.
inline constexpr std::array<Route, 4> kCohortRoutes = {Route::nqsw, Route::experienced, Route::step_up,
                                                       Route::conversion};
inline constexpr std::array<int, 3> kCohortHorizonsMonths = {12, 24, 36};

struct PersonRecord {
  std::uint32_t id = 0;
  Role role = Role::social_worker;
  std::int16_t pq_months = 0;  // trainees: months of training done, counted up to training_months
  std::int16_t tenure_months = 0;
  float fte = 1.0f;
  float burnout = 0.0f;
  float resilience = 1.0f;
  std::int16_t bond_end_tenure = 0;  // step-up bond lasts while tenure_months < this
  std::int16_t entry_month = -1;     // the month they joined as permanent staff
  Route route = Route::none;
};

// Whether a person leaves this month. An enum rather than a byte: a store
// through std::uint8_t may alias any object, so a loop that marks a leaver
// would reload the workforce's array pointers and its own counts after each
// mark; an enum's stores alias only its own type.
enum class Leaving : std::uint8_t { no = 0, yes = 1 };

struct Workforce {
  std::vector<std::uint32_t> id;
  std::vector<Role> role;
  std::vector<std::int16_t> pq_months;
  std::vector<std::int16_t> tenure_months;
  std::vector<float> fte;
  std::vector<float> burnout;
  std::vector<float> resilience;
  std::vector<std::int16_t> bond_end_tenure;
  std::vector<std::int16_t> entry_month;
  std::vector<Route> route;
  std::vector<Leaving> leaving;  // marked during a month, removed by compact()

  std::size_t size() const { return id.size(); }

  void clear() {
    id.clear();
    role.clear();
    pq_months.clear();
    tenure_months.clear();
    fte.clear();
    burnout.clear();
    resilience.clear();
    bond_end_tenure.clear();
    entry_month.clear();
    route.clear();
    leaving.clear();
  }

  void reserve(std::size_t n) {
    id.reserve(n);
    role.reserve(n);
    pq_months.reserve(n);
    tenure_months.reserve(n);
    fte.reserve(n);
    burnout.reserve(n);
    resilience.reserve(n);
    bond_end_tenure.reserve(n);
    entry_month.reserve(n);
    route.reserve(n);
    leaving.reserve(n);
  }

  void add(const PersonRecord& p) {
    id.push_back(p.id);
    role.push_back(p.role);
    pq_months.push_back(p.pq_months);
    tenure_months.push_back(p.tenure_months);
    fte.push_back(p.fte);
    burnout.push_back(p.burnout);
    resilience.push_back(p.resilience);
    bond_end_tenure.push_back(p.bond_end_tenure);
    entry_month.push_back(p.entry_month);
    route.push_back(p.route);
    leaving.push_back(Leaving::no);
  }

  PersonRecord record(std::size_t i) const {
    return {id[i],      role[i],       pq_months[i],       tenure_months[i], fte[i],
            burnout[i], resilience[i], bond_end_tenure[i], entry_month[i],   route[i]};
  }

  // Person `i` joins the permanent staff this month by `how` (a qualifying
  // trainee or a converted agency worker).
  void join_permanent(std::size_t i, int month, Route how) {
    entry_month[i] = static_cast<std::int16_t>(month);
    route[i] = how;
  }

  // FTE in post of everyone not marked as leaving.
  struct InPost {
    double social_work = 0;  // grade 8 and grade 9 case holders
    double practice_managers = 0;
  };
  InPost fte_in_post() const {
    InPost in_post;
    for (std::size_t i = 0; i < size(); ++i) {
      if (leaving[i] == Leaving::yes) continue;
      if (is_case_holder(role[i])) {
        in_post.social_work += fte[i];
      } else if (role[i] == Role::practice_manager) {
        in_post.practice_managers += fte[i];
      }
    }
    return in_post;
  }

  // Removes everyone marked `leaving`, keeping the order of the rest so that
  // results never depend on where removal happened to move a record. Calls
  // visit_kept(k) for each who stays, at their new index k, in order: the
  // month's end-of-month count rides on this pass instead of making another.
  template <typename VisitKept>
  void compact(VisitKept&& visit_kept) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < size(); ++i) {
      if (leaving[i] == Leaving::yes) continue;
      if (kept != i) {
        id[kept] = id[i];
        role[kept] = role[i];
        pq_months[kept] = pq_months[i];
        tenure_months[kept] = tenure_months[i];
        fte[kept] = fte[i];
        burnout[kept] = burnout[i];
        resilience[kept] = resilience[i];
        bond_end_tenure[kept] = bond_end_tenure[i];
        entry_month[kept] = entry_month[i];
        route[kept] = route[i];
        leaving[kept] = Leaving::no;
      }
      visit_kept(kept);
      ++kept;
    }
    if (kept == size()) return;
    id.resize(kept);
    role.resize(kept);
    pq_months.resize(kept);
    tenure_months.resize(kept);
    fte.resize(kept);
    burnout.resize(kept);
    resilience.resize(kept);
    bond_end_tenure.resize(kept);
    entry_month.resize(kept);
    route.resize(kept);
    leaving.resize(kept);
  }
};

}  // namespace wfsim::model
