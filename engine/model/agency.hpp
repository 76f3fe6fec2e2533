// Agency cover (MODEL.md section 10): assignments end or convert to
// permanent posts, and agency workers cover the posts nobody holds, up to a
// cap and to the month's supply.
#pragma once

#include "model/month.hpp"
#include "model/parameters.hpp"
#include "model/workforce.hpp"
#include "random/addressed_stream.hpp"
#include "random/person_month_draws.hpp"

namespace wfsim::model {

struct AgencyTerms {
  int cap = -1;  // -1: no cap beyond the empty posts
  double conversion_probability = 0;
  double cost_gbp_per_year = 0;  // the reference rate
};

AgencyTerms agency_terms(const Parameters& parameters, int month);

// The regional market for locums as the council meets it. The region's
// demand moves with the council's own (the locums it seeks, against
// reference_demand, weighted by its regional share); the rate rises so that
// supply, elastic in the rate, meets the demand, up to max_rate_multiple of
// the reference rate (docs/model.md, "Agency cover").
struct AgencyMarket {
  double rate_multiple = 1;
  double supply_per_month = 0;  // mean locums available to start at that rate
};
AgencyMarket agency_market(const AgencyParameters& agency, double sought);

// What agency cover did this month, for costs and the record.
struct AgencyMonth {
  double rate_multiple = 1;  // paid on every agency worker this month
  int cover_sought = 0;      // agency workers the cover policy asks for
};

// The simulation's step, after recruitment: `social_work_fte` is the
// case-holding FTE in post, `social_work_posts` the funded posts,
// `offers_pending` the accepted social work offers not yet started and
// `unallocated_cases` this month's, which the cover policy may seek cover for.
// An assignment ends or converts on the person-month block in `draws`.
AgencyMonth agency_step(const Parameters& parameters, const AgencyTerms& terms, int social_work_posts,
                        double social_work_fte, int offers_pending, double unallocated_cases,
                        const random::StreamKey& stream, int month, const random::PersonMonthDraws& draws,
                        Workforce& people, MonthFlows& flows);

}  // namespace wfsim::model
