// The people of one replication as a structure of arrays.
#pragma once

#include <algorithm>
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
// month -1 holds offers accepted before the run starts.
constexpr std::uint32_t in_month(std::uint32_t space, int month, std::uint32_t ordinal) {
  return space + static_cast<std::uint32_t>(month + 1) * kSlotsPerMonth + ordinal;
}
constexpr bool is_nqsw_hire(std::uint32_t id) {
  return id >= kNqswHires && id < kExperiencedHires;
}
}  // namespace person_ids

struct PersonRecord {
  std::uint32_t id = 0;
  Role role = Role::social_worker;
  std::int16_t pq_months = 0;  // trainees: months of training done, counted up to training_months
  std::int16_t tenure_months = 0;
  float fte = 1.0f;
  float burnout = 0.0f;
  float resilience = 1.0f;
  std::int16_t bond_end_tenure = 0;  // step-up bond lasts while tenure_months < this
};

struct Workforce {
  std::vector<std::uint32_t> id;
  std::vector<Role> role;
  std::vector<std::int16_t> pq_months;
  std::vector<std::int16_t> tenure_months;
  std::vector<float> fte;
  std::vector<float> burnout;
  std::vector<float> resilience;
  std::vector<std::int16_t> bond_end_tenure;
  std::vector<std::uint8_t> leaving;  // marked during a month, removed by compact()

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
    leaving.push_back(0);
  }

  // FTE in post of everyone not marked as leaving.
  struct InPost {
    double social_work = 0;  // grade 8 and grade 9 case holders
    double practice_managers = 0;
  };
  InPost fte_in_post() const {
    InPost in_post;
    for (std::size_t i = 0; i < size(); ++i) {
      if (leaving[i]) continue;
      if (is_case_holder(role[i])) {
        in_post.social_work += fte[i];
      } else if (role[i] == Role::practice_manager) {
        in_post.practice_managers += fte[i];
      }
    }
    return in_post;
  }

  // Removes everyone marked `leaving`, keeping the order of the rest so that
  // results never depend on where removal happened to move a record.
  void compact() {
    const auto first_leaving =
        static_cast<std::size_t>(std::find(leaving.begin(), leaving.end(), 1) - leaving.begin());
    if (first_leaving == size()) return;
    std::size_t kept = first_leaving;
    for (std::size_t i = first_leaving; i < size(); ++i) {
      if (leaving[i]) continue;
      if (kept != i) {
        id[kept] = id[i];
        role[kept] = role[i];
        pq_months[kept] = pq_months[i];
        tenure_months[kept] = tenure_months[i];
        fte[kept] = fte[i];
        burnout[kept] = burnout[i];
        resilience[kept] = resilience[i];
        bond_end_tenure[kept] = bond_end_tenure[i];
      }
      leaving[kept] = 0;
      ++kept;
    }
    id.resize(kept);
    role.resize(kept);
    pq_months.resize(kept);
    tenure_months.resize(kept);
    fte.resize(kept);
    burnout.resize(kept);
    resilience.resize(kept);
    bond_end_tenure.resize(kept);
    leaving.resize(kept);
  }
};

}  // namespace wfsim::model
