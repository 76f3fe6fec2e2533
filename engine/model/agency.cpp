#include "model/agency.hpp"

#include <algorithm>
#include <cmath>

#include "model/entry.hpp"
#include "model/recruitment.hpp"

namespace wfsim::model {

using random::AddressedStream;
using random::Purpose;

AgencyTerms agency_terms(const Parameters& p, int month) {
  const auto& agency = p.policies.agency;
  const bool on = agency.active_in(month);
  AgencyTerms terms;
  terms.cap = on && agency.cap >= 0 ? agency.cap : p.agency.cap;
  terms.conversion_probability =
      on ? agency.monthly_conversion_probability : p.agency.monthly_conversion_probability;
  terms.cost_gbp_per_year =
      on && agency.cost_gbp_per_year >= 0 ? agency.cost_gbp_per_year : p.agency.cost_gbp_per_year;
  return terms;
}

void agency_step(const Parameters& p, const AgencyTerms& terms, int social_work_posts, double social_work_fte,
                 int offers_pending, const random::StreamKey& stream, int month, Workforce& people,
                 MonthFlows& flows) {
  double social_work = social_work_fte;
  int open = open_posts(social_work_posts, social_work, offers_pending);
  const double conversion_probability = terms.conversion_probability;
  const bool converting = conversion_probability > 0;
  const double end_probability = p.agency.monthly_end_probability;
  int agency = 0;
  for (std::size_t i = 0; i < people.size(); ++i) {
    if (people.role[i] != Role::agency) continue;
    ++agency;
    // The person-month block: the end of the assignment, then conversion.
    AddressedStream draws(stream, Purpose::person_month, people.id[i], month);
    if (draws.uniform01() < end_probability) {
      people.leaving[i] = 1;
      --agency;
    } else if (converting && open > 0 && draws.uniform01() < conversion_probability) {
      --agency;
      people.role[i] = Role::social_worker;
      people.tenure_months[i] = 0;
      --open;
      ++flows.starters_conversions;
    }
  }
  if (flows.starters_conversions > 0) social_work = people.fte_in_post().social_work;

  // Agency workers cover posts that have nobody in them, up to the cap.
  const int uncovered = open_posts(social_work_posts, social_work, 0);
  const int target = terms.cap < 0 ? uncovered : std::min(uncovered, terms.cap);
  if (agency > target) {
    // Release the most recent assignments first.
    for (std::size_t i = people.size(); i-- > 0 && agency > target;) {
      if (people.role[i] == Role::agency && !people.leaving[i]) {
        people.leaving[i] = 1;
        --agency;
      }
    }
  } else if (agency < target) {
    const int supply = random::poisson(stream, Purpose::agency_supply, month, p.agency.new_workers_per_month);
    const int joining = std::min(supply, target - agency);
    for (int k = 0; k < joining; ++k)
      people.add(new_person(p, stream,
                            person_ids::in_month(person_ids::kAgency, month, static_cast<std::uint32_t>(k)),
                            Role::agency, month));
  }
}

}  // namespace wfsim::model
