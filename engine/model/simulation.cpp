#include "model/simulation.hpp"

#include <algorithm>
#include <array>
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

// What the record step reads besides the month's flows and staff.
struct MonthRecord {
  double demand = 0;
  const MonthAllocation* allocation = nullptr;
  const AgencyMonth* agency = nullptr;
  double recruitment_drive = 0;
  double reputation = 0;
  int offers_pending = 0;
  int permanent_a_year_before = -1;  // -1: the run has no such month
};

// Writes the month's series; returns its vacancy rate, which the next
// month's management response reads.
double record(const MetricSink& sink, int month, const MonthTerms& terms, const MonthRecord& m,
              const MonthFlows& f, const StaffInPost& s, const MonthCosts& costs) {
  const MonthAllocation& allocation = *m.allocation;
  const int permanent = s.permanent();
  const double permanent_fte = s.permanent_fte();
  const int case_holders = s.case_holders();
  const double establishment = terms.recruitment.social_work_posts + terms.recruitment.practice_manager_posts;
  const double vacancies =
      std::max(0.0, establishment - permanent_fte - static_cast<double>(m.offers_pending));
  auto share = [](double part, double whole) { return whole > 0 ? part / whole : 0.0; };
  // An average over nobody is missing, not zero.
  auto average = [](double total, double weight) { return weight > 0 ? total / weight : std::nan(""); };
  const double demand = m.demand;

  sink.set(Metric::permanent_qsw, month, permanent);
  sink.set(Metric::permanent_qsw_fte, month, permanent_fte);
  for (std::size_t band = 0; band < kHeadcountByBand.size(); ++band) {
    sink.set(kHeadcountByBand[band], month, s.band_count[band]);
    sink.set(kLeaversByBand[band], month, f.case_holder_leavers[band]);
    sink.set(kCaseloadByBand[band], month, average(s.band_cases[band], s.band_fte[band]));
    sink.set(kBurnoutByBand[band], month, average(s.band_burnout[band], s.band_count[band]));
  }
  for (std::size_t role = 0; role < kHeadcountByRole.size(); ++role) {
    sink.set(kHeadcountByRole[role], month, s.in_role[role]);
  }
  for (std::size_t destination = 0; destination < kLeaversByDestination.size(); ++destination) {
    sink.set(kLeaversByDestination[destination], month, f.leavers[destination]);
  }
  sink.set(Metric::trainees, month, s.trainees);
  sink.set(Metric::agency, month, s.agency);
  sink.set(Metric::starters, month, f.starters_total());
  sink.set(Metric::starters_nqsw, month, f.starters_nqsw);
  sink.set(Metric::starters_experienced, month, f.starters_experienced);
  sink.set(Metric::starters_trainees, month, f.starters_trainees);
  sink.set(Metric::starters_agency_conversions, month, f.starters_conversions);
  sink.set(Metric::starters_internal, month, f.starters_internal);
  sink.set(Metric::starters_neighbour, month, f.starters_neighbour);
  sink.set(Metric::leavers, month, f.leavers_total());
  sink.set(Metric::practice_manager_leavers, month, f.practice_manager_leavers);
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
  sink.set(Metric::cases_held_by_managers, month, allocation.cases.held_by_managers);
  sink.set(Metric::uncovered_vacancies, month,
           std::max(0.0, terms.recruitment.social_work_posts - s.fte_in_role[0] - s.fte_in_role[1] -
                             s.agency_fte));
  sink.set(Metric::agency_cover_sought, month, m.agency->cover_sought);
  sink.set(Metric::agency_starts, month, f.agency_starts);
  sink.set(Metric::agency_rate_gbp_per_year, month, terms.agency.cost_gbp_per_year * m.agency->rate_multiple);
  sink.set(Metric::recruitment_drive, month, m.recruitment_drive);
  sink.set(Metric::reputation, month, m.reputation);
  sink.set(
      Metric::stability_index, month,
      m.permanent_a_year_before >= 0 ? share(s.a_year_or_more, m.permanent_a_year_before) : std::nan(""));
  sink.set(Metric::retention_payments, month, f.retention_payments);
  sink.set(Metric::agency_rate, month, share(s.agency_fte, s.agency_fte + permanent_fte));
  sink.set(Metric::nqsw_share, month, share(s.band_count[0], case_holders));
  sink.set(Metric::under_2y_share, month, share(s.under_two_years, case_holders));
  sink.set(Metric::demand_cases, month, demand);
  sink.set(Metric::load_ratio, month, allocation.cases.load_ratio);
  sink.set(Metric::supervision_span, month, allocation.span);
  sink.set(Metric::burnout_mean, month, average(s.burnout_sum, permanent));
  sink.set(Metric::cost_total, month, costs.total());
  sink.set(Metric::cost_salaries, month, costs.salaries);
  sink.set(Metric::cost_agency, month, costs.agency);
  sink.set(Metric::cost_recruitment, month, costs.recruitment);
  sink.set(Metric::cost_asye, month, costs.asye);
  sink.set(Metric::cost_marketing, month, costs.marketing);
  sink.set(Metric::cost_retention, month, costs.retention);
  sink.set(Metric::cost_supplements, month, costs.supplements);
  sink.set(Metric::cost_programmes, month, costs.programmes);
  sink.set(Metric::cost_budget, month, costs.budget);
  sink.set(Metric::cost_underspend, month, costs.underspend);
  sink.set(Metric::cost_policy, month, costs.policy);
  sink.set(Metric::cost_staffing, month, costs.staffing);
  sink.set(Metric::cost_against_establishment, month, costs.against_establishment());

  // Cohorts that joined a horizon ago: their count, stored at their entry month.
  constexpr std::array<std::array<Metric, kCohortHorizonsMonths.size()>, kCohortRoutes.size()>
      kCohortMetrics = {{
          {Metric::cohort_nqsw_in_post_12, Metric::cohort_nqsw_in_post_24, Metric::cohort_nqsw_in_post_36},
          {Metric::cohort_experienced_in_post_12, Metric::cohort_experienced_in_post_24,
           Metric::cohort_experienced_in_post_36},
          {Metric::cohort_step_up_in_post_12, Metric::cohort_step_up_in_post_24,
           Metric::cohort_step_up_in_post_36},
          {Metric::cohort_conversion_in_post_12, Metric::cohort_conversion_in_post_24,
           Metric::cohort_conversion_in_post_36},
      }};
  for (std::size_t r = 0; r < kCohortRoutes.size(); ++r)
    for (std::size_t h = 0; h < kCohortHorizonsMonths.size(); ++h)
      if (month >= kCohortHorizonsMonths[h])
        sink.set(kCohortMetrics[r][h], month - kCohortHorizonsMonths[h], s.cohort_in_post[r][h]);
  return share(vacancies, vacancies + permanent_fte);
}

// Cohorts whose horizon lies beyond the run have no count: missing, not zero.
void mark_cohorts_beyond_horizon(const MetricSink& sink, int months) {
  constexpr std::array<Metric, kCohortHorizonsMonths.size() * kCohortRoutes.size()> kByHorizon = {
      Metric::cohort_nqsw_in_post_12,    Metric::cohort_experienced_in_post_12,
      Metric::cohort_step_up_in_post_12, Metric::cohort_conversion_in_post_12,
      Metric::cohort_nqsw_in_post_24,    Metric::cohort_experienced_in_post_24,
      Metric::cohort_step_up_in_post_24, Metric::cohort_conversion_in_post_24,
      Metric::cohort_nqsw_in_post_36,    Metric::cohort_experienced_in_post_36,
      Metric::cohort_step_up_in_post_36, Metric::cohort_conversion_in_post_36};
  for (std::size_t k = 0; k < kByHorizon.size(); ++k) {
    const int horizon = kCohortHorizonsMonths[k / kCohortRoutes.size()];
    for (int m = std::max(0, months - horizon); m < months; ++m) sink.set(kByHorizon[k], m, std::nan(""));
  }
}

}  // namespace

void Simulation::run(const Parameters& parameters, const random::StreamKey& stream, const MetricSink& sink) {
  start(parameters, stream, sink);
  while (!finished()) advance_month();
}

void Simulation::start(const Parameters& p, const random::StreamKey& stream, const MetricSink& sink,
                       std::span<const RegionPay> region_pay) {
  p_ = &p;
  stream_ = stream;
  sink_ = sink;
  month_ = 0;
  shocks_ = shock_by_month(p);
  terms_for_run(p, terms_, region_pay);
  draw_initial_workforce(p, stream, people_);
  recruitment_ = initial_recruitment(p);
  mark_cohorts_beyond_horizon(sink, p.time.months);
  permanent_by_month_.assign(static_cast<std::size_t>(p.time.months), 0);
  initial_permanent_ = initial_permanent_qsw(p);
  // Before month 0, the initial workforce is last month's end.
  carried_ = {};
  for (std::size_t i = 0; i < people_.size(); ++i)
    count_capacity(p.caseload, people_.role[i], people_.pq_months[i], people_.fte[i], carried_.capacity);
  const auto& w = p.workforce;
  carried_.nqsw_case_holders = w.social_workers[0];
  carried_.case_holders =
      w.social_workers[0] + w.social_workers[1] + w.social_workers[2] + w.advanced_practitioners;
  carried_.demand = p.demand.initial_cases;
  carried_.vacancy_trend = -1;
}

bool Simulation::finished() const {
  return p_ == nullptr || month_ >= p_->time.months;
}

// One month in the order of kMonthOrder (month.hpp).
void Simulation::advance_month() {
  begin_month();
  end_month({});
}

void Simulation::begin_month() {
  const Parameters& p = *p_;
  const random::StreamKey& stream = stream_;
  const int month = month_;
  const MonthTerms& terms = terms_[static_cast<std::size_t>(month)];
  InFlight& in_flight = month_in_flight_;
  in_flight.flows = {};
  MonthFlows& flows = in_flight.flows;
  // demand
  const double demand =
      next_demand(p.demand, carried_.demand, shocks_[static_cast<std::size_t>(month)], month, stream);
  in_flight.demand = demand;
  // allocation: capacity was counted at the end of last month; nobody joins or leaves in between
  in_flight.allocation =
      allocate_month(p, terms.allocation, demand * terms.demand.multiplier, carried_.capacity);
  const MonthAllocation& allocation = in_flight.allocation;
  // burnout
  const MonthStrain strain = month_strain(p.burnout, terms.burnout, allocation);
  // leaving: every person's block of the month is drawn at once, for this
  // step, progression and the end of agency assignments
  draws_.draw(stream, month, people_.id);
  in_flight.left = leaving_step(p, terms.leaving, terms.pay, strain, stream, month, draws_, people_, flows,
                                neighbour_leavers_);
  // progression
  progression_step(p, terms.progression, allocation, in_flight.left, terms.recruitment.practice_manager_posts,
                   recruitment_.offers_pending(true), stream, month, draws_.progressing, people_,
                   promotion_candidates_, flows);
}

int Simulation::open_posts_for(Role role) const {
  const RecruitmentTerms& terms = terms_[static_cast<std::size_t>(month_)].recruitment;
  const Workforce::InPost in_post = people_.fte_in_post();
  return role == Role::practice_manager
             ? open_posts(terms.practice_manager_posts, in_post.practice_managers,
                          recruitment_.offers_pending(true))
             : open_posts(terms.social_work_posts, in_post.social_work, recruitment_.offers_pending(false));
}

Simulation::Standing Simulation::standing() const {
  const PayTerms& pay = terms_[static_cast<std::size_t>(month_)].pay;
  return {pay.salary_gbp_per_year[0] + pay.supplement_gbp_per_year[0],
          month_in_flight_.allocation.cases.load_ratio, recruitment_.reputation};
}

void Simulation::end_month(std::span<const PersonRecord> arrivals) {
  const Parameters& p = *p_;
  const random::StreamKey& stream = stream_;
  const MetricSink& sink = sink_;
  const int month = month_;
  const MonthTerms& terms = terms_[static_cast<std::size_t>(month)];
  MonthFlows& flows = month_in_flight_.flows;
  const MonthAllocation& allocation = month_in_flight_.allocation;
  const LeavingCounts& left = month_in_flight_.left;
  const double demand = month_in_flight_.demand;
  // recruitment: the newly qualified share of hires is judged on last month's case holders
  const double drive = recruitment_drive_intensity(p.response, std::max(0.0, carried_.vacancy_trend));
  const double social_work_fte = recruitment_step(p, terms.recruitment, allocation, left,
                                                  carried_.case_holders, carried_.nqsw_case_holders, drive,
                                                  stream, month, arrivals, people_, recruitment_, flows);
  // agency cover
  const AgencyMonth agency =
      agency_step(p, terms.agency, terms.recruitment.social_work_posts, social_work_fte,
                  recruitment_.offers_pending(false), allocation.cases.unallocated_cases, stream, month,
                  draws_, people_, flows);
  // Everyone who left this month, in any step, goes in one pass that also
  // counts who stays; until now every step has skipped those marked as leaving.
  const StaffInPost staff = remove_leavers_and_count(p.caseload, people_, allocation.cases.band_ratio, month);
  // costs and recording
  const int a_year_before = month >= 12   ? permanent_by_month_[static_cast<std::size_t>(month - 12)]
                            : month == 11 ? initial_permanent_
                                          : -1;
  const MonthRecord record_of_month{demand,
                                    &allocation,
                                    &agency,
                                    drive,
                                    recruitment_.reputation,
                                    static_cast<int>(recruitment_.pipeline.size()),
                                    a_year_before};
  const double vacancy_rate = record(sink, month, terms, record_of_month, flows, staff,
                                     month_costs(p, terms, staff, flows, agency.rate_multiple, drive));
  permanent_by_month_[static_cast<std::size_t>(month)] = staff.permanent();
  carried_.demand = demand;
  carried_.vacancy_trend =
      carried_.vacancy_trend < 0 ? vacancy_rate : updated_vacancy_trend(carried_.vacancy_trend, vacancy_rate);
  carried_.capacity = staff.capacity;
  carried_.case_holders = staff.case_holders();
  carried_.nqsw_case_holders = staff.band_count[0];
  ++month_;
}

}  // namespace wfsim::model
