#include "model/simulation.hpp"

#include <algorithm>
#include <cmath>

#include "model/agency.hpp"
#include "model/burnout.hpp"
#include "model/costs.hpp"
#include "model/demand.hpp"
#include "model/entry.hpp"
#include "model/leaving.hpp"
#include "model/month.hpp"
#include "model/progression.hpp"
#include "model/staff_in_post.hpp"
#include "model/terms.hpp"

namespace wfsim::model {

namespace {

void record(const MetricSink& sink, int month, const MonthTerms& terms, double demand,
            const MonthAllocation& allocation, const MonthFlows& f, const StaffInPost& s, int offers_pending,
            const MonthCosts& costs) {
  const int permanent = s.permanent();
  const double permanent_fte = s.permanent_fte();
  const int case_holders = s.case_holders();
  const double establishment = terms.recruitment.social_work_posts + terms.recruitment.practice_manager_posts;
  const double vacancies = std::max(0.0, establishment - permanent_fte - static_cast<double>(offers_pending));
  auto share = [](double part, double whole) { return whole > 0 ? part / whole : 0.0; };
  // An average over nobody is missing, not zero.
  auto average = [](double total, double weight) { return weight > 0 ? total / weight : std::nan(""); };

  sink.set(Metric::permanent_qsw, month, permanent);
  sink.set(Metric::permanent_qsw_fte, month, permanent_fte);
  sink.set(Metric::nqsw, month, s.band_count[0]);
  sink.set(Metric::early, month, s.band_count[1]);
  sink.set(Metric::experienced, month, s.band_count[2]);
  sink.set(Metric::social_workers, month, s.in_role[0]);
  sink.set(Metric::advanced_practitioners, month, s.in_role[1]);
  sink.set(Metric::practice_managers, month, s.in_role[2]);
  sink.set(Metric::trainees, month, s.trainees);
  sink.set(Metric::agency, month, s.agency);
  sink.set(Metric::starters, month, f.starters_total());
  sink.set(Metric::starters_nqsw, month, f.starters_nqsw);
  sink.set(Metric::starters_experienced, month, f.starters_experienced);
  sink.set(Metric::starters_trainees, month, f.starters_trainees);
  sink.set(Metric::starters_agency_conversions, month, f.starters_conversions);
  sink.set(Metric::starters_internal, month, f.starters_internal);
  sink.set(Metric::leavers, month, f.leavers_total());
  sink.set(Metric::leavers_neighbour, month, f.leavers[0]);
  sink.set(Metric::leavers_agency, month, f.leavers[1]);
  sink.set(Metric::leavers_profession, month, f.leavers[2]);
  sink.set(Metric::leavers_internal, month, f.leavers[3]);
  sink.set(Metric::asye_failures, month, f.asye_failures);
  sink.set(Metric::promotions_ap, month, f.promotions_ap);
  sink.set(Metric::promotions_pm, month, f.promotions_pm);
  sink.set(Metric::trainee_intake, month, f.trainee_intake);
  sink.set(Metric::trainee_dropouts, month, f.trainee_dropouts);
  sink.set(Metric::applicants_nqsw, month, f.applicants_nqsw);
  sink.set(Metric::applicants_experienced, month, f.applicants_experienced);
  sink.set(Metric::offers_accepted, month, f.offers_accepted);
  sink.set(Metric::establishment, month, establishment);
  sink.set(Metric::vacancies, month, vacancies);
  sink.set(Metric::vacancy_rate, month, share(vacancies, vacancies + permanent_fte));
  sink.set(Metric::unallocated_cases, month, allocation.cases.unallocated_cases);
  sink.set(Metric::retention_payments, month, f.retention_payments);
  sink.set(Metric::agency_rate, month, share(s.agency_fte, s.agency_fte + permanent_fte));
  sink.set(Metric::nqsw_share, month, share(s.band_count[0], case_holders));
  sink.set(Metric::under_2y_share, month, share(s.under_two_years, case_holders));
  sink.set(Metric::demand_cases, month, demand);
  sink.set(Metric::load_ratio, month, allocation.cases.load_ratio);
  sink.set(Metric::caseload_nqsw, month, average(s.band_cases[0], s.band_fte[0]));
  sink.set(Metric::caseload_early, month, average(s.band_cases[1], s.band_fte[1]));
  sink.set(Metric::caseload_experienced, month, average(s.band_cases[2], s.band_fte[2]));
  sink.set(Metric::supervision_span, month, allocation.span);
  sink.set(Metric::burnout_mean, month, average(s.burnout_sum, permanent));
  sink.set(Metric::burnout_nqsw, month, average(s.band_burnout[0], s.band_count[0]));
  sink.set(Metric::burnout_early, month, average(s.band_burnout[1], s.band_count[1]));
  sink.set(Metric::burnout_experienced, month, average(s.band_burnout[2], s.band_count[2]));
  sink.set(Metric::cost_total, month, costs.total());
  sink.set(Metric::cost_salaries, month, costs.salaries);
  sink.set(Metric::cost_agency, month, costs.agency);
  sink.set(Metric::cost_recruitment, month, costs.recruitment);
  sink.set(Metric::cost_asye, month, costs.asye);
  sink.set(Metric::cost_marketing, month, costs.marketing);
  sink.set(Metric::cost_retention, month, costs.retention);
  sink.set(Metric::cost_supplements, month, costs.supplements);
  sink.set(Metric::cost_programmes, month, costs.programmes);
}

}  // namespace

void Simulation::run(const Parameters& p, const random::StreamKey& stream, const MetricSink& sink) {
  const std::vector<double> shocks = shock_by_month(p);
  draw_initial_workforce(p, stream, people_);
  recruitment_ = initial_recruitment(p);
  // Last month's end, read by this month's allocation and hiring mix; before
  // month 0, the initial workforce.
  Capacity capacity;
  for (std::size_t i = 0; i < people_.size(); ++i)
    count_capacity(p.caseload, people_.role[i], people_.pq_months[i], people_.fte[i], capacity);
  const auto& w = p.workforce;
  int nqsw_case_holders = w.social_workers[0];
  int case_holders =
      w.social_workers[0] + w.social_workers[1] + w.social_workers[2] + w.advanced_practitioners;
  double demand = p.demand.initial_cases;

  // One month in the order of kMonthOrder (month.hpp).
  for (int month = 0; month < p.time.months; ++month) {
    const MonthTerms terms = month_terms(p, month);
    MonthFlows flows;
    // demand
    demand = next_demand(p.demand, demand, shocks[static_cast<std::size_t>(month)], month, stream);
    // allocation: capacity was counted at the end of last month; nobody joins or leaves in between
    const MonthAllocation allocation =
        allocate_month(p, terms.allocation, demand * terms.demand.multiplier, capacity);
    // burnout
    const MonthStrain strain = month_strain(p.burnout, terms.burnout, allocation);
    // leaving
    const LeavingCounts left =
        leaving_step(p, terms.leaving, terms.pay, strain, stream, month, people_, progress_draws_, flows);
    // progression
    progression_step(p, terms.progression, allocation, left, terms.recruitment.practice_manager_posts,
                     recruitment_.offers_pending(true), stream, month, progress_draws_, people_,
                     promotion_candidates_, flows);
    // recruitment: the newly qualified share of hires is judged on last month's case holders
    const double social_work_fte =
        recruitment_step(p, terms.recruitment, allocation, left, case_holders, nqsw_case_holders, stream,
                         month, people_, recruitment_, flows);
    // agency cover
    agency_step(p, terms.agency, terms.recruitment.social_work_posts, social_work_fte,
                recruitment_.offers_pending(false), stream, month, people_, flows);
    // Everyone who left this month, in any step, goes in one pass; until now
    // every step has skipped those marked as leaving.
    people_.compact();
    // costs and recording
    const StaffInPost staff = count_staff_in_post(p.caseload, people_, allocation.cases.band_ratio);
    record(sink, month, terms, demand, allocation, flows, staff,
           static_cast<int>(recruitment_.pipeline.size()), month_costs(p, terms, staff, flows));
    capacity = staff.capacity;
    case_holders = staff.case_holders();
    nqsw_case_holders = staff.band_count[0];
  }
}

}  // namespace wfsim::model
