// Agency cover (MODEL.md section 10): assignments end or convert to
// permanent posts, and agency workers cover the posts nobody holds, up to a
// cap and to the month's supply.
#pragma once

#include "model/month.hpp"
#include "model/parameters.hpp"
#include "model/workforce.hpp"
#include "random/addressed_stream.hpp"

namespace wfsim::model {

struct AgencyTerms {
  int cap = -1;  // -1: no cap beyond the empty posts
  double conversion_probability = 0;
  double cost_gbp_per_year = 0;
};

AgencyTerms agency_terms(const Parameters& parameters, int month);

// The simulation's step, after recruitment: `social_work_fte` is the
// case-holding FTE in post, `social_work_posts` the funded posts and
// `offers_pending` the accepted social work offers not yet started.
void agency_step(const Parameters& parameters, const AgencyTerms& terms, int social_work_posts,
                 double social_work_fte, int offers_pending, const random::StreamKey& stream, int month,
                 Workforce& people, MonthFlows& flows);

}  // namespace wfsim::model
