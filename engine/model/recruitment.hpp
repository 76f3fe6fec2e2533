// Recruitment (MODEL.md section 9): the establishment, the service's
// reputation, applicants drawn by its attractiveness, offers within the
// hiring-mix rules and a notice period before each hire starts; qualified
// staff moving in from elsewhere in the council (mobility policy).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "model/allocation.hpp"
#include "model/leaving.hpp"
#include "model/month.hpp"
#include "model/parameters.hpp"
#include "model/pay.hpp"
#include "model/workforce.hpp"
#include "random/addressed_stream.hpp"

namespace wfsim::model {

struct RecruitmentTerms {
  int social_work_posts = 0;  // funded grade 8 and grade 9 case-holding posts
  int practice_manager_posts = 0;
  int extra_social_work_posts = 0;  // of which funded by the extra posts policy
  int extra_practice_manager_posts = 0;
  double attraction = 1;                      // attractiveness before reputation: pay gap and marketing
  double marketing_gbp_per_month = 0;         // the council's own and the policy's
  double policy_marketing_gbp_per_month = 0;  // of which the recruitment marketing policy's
  int nqsw_notice_months = 1;
  int experienced_notice_months = 1;
  double max_nqsw_share_of_hires = 1;
  double target_nqsw_share = 1;  // no newly qualified offers while the NQSW share is at or above this
  double moves_in_per_month = 0;
};

RecruitmentTerms recruitment_terms(const Parameters& parameters, const PayTerms& pay, int month);

// Whole posts open: funded posts less the FTE in post and the accepted
// offers not yet started, never below 0 (with a margin, so that FTE summed
// in floating point never loses a post).
inline int open_posts(double posts, double fte_in_post, int offers_pending) {
  return std::max(0, static_cast<int>(std::floor(posts - fte_in_post - offers_pending + 1e-9)));
}

// Leavers of one month as a yearly rate of the staff at its start.
inline double annualised_turnover(double leavers, double staff_at_start) {
  return staff_at_start > 0 ? 12.0 * leavers / staff_at_start : 0.0;
}

// Reputation moves towards a target set by this month's overload and
// (annualised) turnover, remembered over reputation.memory_months.
inline double reputation_target(const RecruitmentParameters& r, double load_ratio,
                                double annualised_turnover) {
  return -(r.reputation_overload_weight * std::max(0.0, load_ratio - 1.0) +
           r.reputation_turnover_weight * annualised_turnover);
}
inline double updated_reputation(const RecruitmentParameters& r, double previous, double target,
                                 bool first_month) {
  return first_month ? target : previous + (target - previous) / r.reputation_memory_months;
}

// What reputation does to attractiveness: nothing at the operating point's
// reputation (reputation.reference), where applicants were observed.
inline double reputation_attraction(const RecruitmentParameters& r, double reputation) {
  return std::exp(r.attraction_reputation_coefficient * (reputation - r.reputation_reference));
}

// Mean applicants a month at the month's attractiveness and reputation: a
// stream of their own plus a number for each open post advertised.
struct ApplicantMeans {
  double nqsw = 0;
  double experienced = 0;
  double practice_manager = 0;
};
ApplicantMeans expected_applicants(const Parameters& parameters, const RecruitmentTerms& terms,
                                   double reputation, int month, double open_social_work_posts,
                                   double open_practice_manager_posts, double recruitment_drive = 0);

// An accepted offer waiting for its notice to run out.
struct PendingStart {
  std::uint32_t id;
  int start_month;
  Role role;
};

// What recruitment carries from month to month.
struct RecruitmentState {
  std::vector<PendingStart> pipeline;
  double reputation = 0;
  long hires_nqsw = 0;  // offers accepted since the start, for the hiring mix
  long hires = 0;

  // Accepted offers not yet started, for practice manager posts or for social work posts.
  int offers_pending(bool practice_managers) const;
};

// Offers accepted before the start, arriving evenly over the notice period.
RecruitmentState initial_recruitment(const Parameters& parameters);

// How hard the management response drives recruitment this month, from 0
// to 1: nothing up to the threshold vacancy rate, rising with the recent
// rate over the next fifteen points. Continuous, so that two scenarios on
// common random numbers never differ by a whole drive switched on in one.
inline double recruitment_drive_intensity(const ResponseParameters& response, double vacancy_trend) {
  constexpr double kRampPoints = 0.15;
  if (response.recruitment_drive_vacancy_rate < 0) return 0.0;
  return std::clamp((vacancy_trend - response.recruitment_drive_vacancy_rate) / kRampPoints, 0.0, 1.0);
}

// The recent vacancy rate the response watches, remembered over six months.
inline double updated_vacancy_trend(double trend, double vacancy_rate) {
  constexpr double kMemoryMonths = 6;
  return trend + (vacancy_rate - trend) / kMemoryMonths;
}

// The simulation's step: hires whose notice has run out start; reputation
// moves; movers from a region's neighbouring councils (`arrivals`, placed in
// open posts by the region) start; applicants arrive; movers from elsewhere
// in the council and offers fill open posts. The newly qualified share of
// hires is judged on last month's case holders. Returns the case-holding FTE
// in post once movers have joined.
double recruitment_step(const Parameters& parameters, const RecruitmentTerms& terms,
                        const MonthAllocation& allocation, const LeavingCounts& leaving,
                        int case_holders_last_month, int nqsw_case_holders_last_month,
                        double recruitment_drive, const random::StreamKey& stream, int month,
                        std::span<const PersonRecord> arrivals, Workforce& people, RecruitmentState& state,
                        MonthFlows& flows);

}  // namespace wfsim::model
