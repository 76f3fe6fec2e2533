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

AgencyMarket agency_market(const AgencyParameters& a, double sought) {
  AgencyMarket market;
  market.supply_per_month = a.new_workers_per_month;
  if (!(a.supply_elasticity > 0) || !(a.reference_demand > 0)) return market;
  const double tightness = 1.0 - a.regional_share + a.regional_share * sought / a.reference_demand;
  market.rate_multiple =
      std::clamp(std::pow(tightness, 1.0 / a.supply_elasticity), 1.0, std::max(1.0, a.max_rate_multiple));
  market.supply_per_month = a.new_workers_per_month * std::pow(market.rate_multiple, a.supply_elasticity);
  return market;
}

AgencyMonth agency_step(const Parameters& p, const AgencyTerms& terms, int social_work_posts,
                        double social_work_fte, int offers_pending, double unallocated_cases,
                        const random::StreamKey& stream, int month, const random::PersonMonthDraws& draws,
                        Workforce& people, MonthFlows& flows) {
  double social_work = social_work_fte;
  int open = open_posts(social_work_posts, social_work, offers_pending);
  const double conversion_probability = terms.conversion_probability;
  const bool converting = conversion_probability > 0;
  const double end_probability = p.agency.monthly_end_probability;
  int agency = 0;
  // Nobody joins as agency staff before this loop, so every agency worker
  // was drawn for with the month's other people.
  for (std::size_t i = 0; i < draws.size(); ++i) {
    if (people.role[i] != Role::agency) continue;
    ++agency;
    // The person-month block: the end of the assignment, then conversion.
    if (draws.leaving[i] < end_probability) {
      people.leaving[i] = Leaving::yes;
      --agency;
    } else if (converting && open > 0 && draws.progressing[i] < conversion_probability) {
      --agency;
      people.role[i] = Role::social_worker;
      people.tenure_months[i] = 0;
      people.join_permanent(i, month, Route::conversion);
      --open;
      ++flows.starters_conversions;
    }
  }
  if (flows.starters_conversions > 0) social_work = people.fte_in_post().social_work;

  // The cover policy: agency workers for a share of the posts that have
  // nobody in them and, if the council covers them, for the cases nobody
  // holds, within the empty posts and up to the cap.
  const int uncovered = open_posts(social_work_posts, social_work, 0);
  int sought = static_cast<int>(std::floor(p.agency.cover_share * uncovered + 1e-9));
  if (p.agency.cover_unallocated == 1 && unallocated_cases > 0)
    sought = std::min(uncovered,
                      sought + static_cast<int>(std::ceil(unallocated_cases / p.caseload.agency_standard)));
  const int target = terms.cap < 0 ? sought : std::min(sought, terms.cap);
  AgencyMonth result;
  result.cover_sought = target;
  const AgencyMarket market = agency_market(p.agency, target);
  result.rate_multiple = market.rate_multiple;
  if (agency > target) {
    // Release the most recent assignments first.
    for (std::size_t i = people.size(); i-- > 0 && agency > target;) {
      if (people.role[i] == Role::agency && people.leaving[i] == Leaving::no) {
        people.leaving[i] = Leaving::yes;
        --agency;
      }
    }
  } else if (agency < target) {
    const int supply = random::poisson(stream, Purpose::agency_supply, month, market.supply_per_month);
    const int joining = std::min(supply, target - agency);
    flows.agency_starts = joining;
    for (int k = 0; k < joining; ++k)
      people.add(new_person(p, stream,
                            person_ids::in_month(person_ids::kAgency, month, static_cast<std::uint32_t>(k)),
                            Role::agency, month));
  }
  return result;
}

}  // namespace wfsim::model
