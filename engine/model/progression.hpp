// Progression (MODEL.md section 8): the ASYE at 12 months, grade 8 to grade 9
// advanced practitioner, advanced practitioner to practice manager, and
// step-up trainees who qualify and start.
#pragma once

#include <utility>
#include <vector>

#include "model/allocation.hpp"
#include "model/leaving.hpp"
#include "model/month.hpp"
#include "model/parameters.hpp"
#include "model/pay.hpp"
#include "model/workforce.hpp"
#include "random/addressed_stream.hpp"

namespace wfsim::model {

struct ProgressionTerms {
  double asye_failure_probability = 0;
  double ap_monthly_probability = 0;  // before the supervision slowdown
  int ap_post_limit = -1;             // -1: no limit
  int trainee_intake = 0;             // step-up trainees starting this month, existing scheme and policy
  int paid_trainee_intake = 0;        // of which the policy's extra cohorts, costed per trainee
};

ProgressionTerms progression_terms(const Parameters& parameters, int month);

// The month's grade 9 pass probability of an eligible grade 8 worker:
// stretched supervision slows assessment.
inline double ap_pass_probability(const ProgressionTerms& terms, const SupervisionParameters& supervision,
                                  double overstretch) {
  return terms.ap_monthly_probability / (1.0 + supervision.progression_slowdown * overstretch);
}

// Vacant practice manager posts each filled internally this month with
// pm_internal_probability: the expected number of internal promotions.
inline double expected_internal_promotions(const ProgressionParameters& progression, double vacant_posts) {
  return progression.pm_internal_probability * vacant_posts;
}

// The simulation's step. Everyone still in post ages a month (retention
// payments fall due on the way); `progress_draws` holds each person's
// progression uniform from the leaving pass. Grade 9 promotions stop at the
// post limit, counted from `advanced_practitioners_staying`; practice manager
// posts left vacant after leaving (`practice_manager_fte_staying` and the
// accepted offers) are filled internally first. New trainees are appended.
void progression_step(const Parameters& parameters, const ProgressionTerms& terms,
                      const MonthAllocation& allocation, const LeavingCounts& after_leaving,
                      int practice_manager_posts, int practice_manager_offers,
                      const random::StreamKey& stream, int month, const std::vector<double>& progress_draws,
                      Workforce& people, std::vector<std::pair<double, std::size_t>>& candidates,
                      MonthFlows& flows);

}  // namespace wfsim::model
