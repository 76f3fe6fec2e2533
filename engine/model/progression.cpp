#include "model/progression.hpp"

#include <algorithm>
#include <cmath>

#include "model/entry.hpp"
#include "model/recruitment.hpp"

namespace wfsim::model {

using random::Purpose;

ProgressionTerms progression_terms(const Parameters& p, int month) {
  const auto& policy = p.policies;
  ProgressionTerms terms;
  const auto& asye = policy.asye_programme;
  terms.asye_failure_probability =
      std::min(1.0, p.asye.failure_probability * (asye.active_in(month) ? asye.failure_multiplier : 1.0));
  const auto& ap = policy.advanced_practitioner;
  terms.ap_monthly_probability =
      ap.active_in(month) ? ap.monthly_probability : p.progression.ap_monthly_probability;
  terms.ap_post_limit = ap.active_in(month) ? ap.post_limit : p.progression.ap_post_limit;

  const int calendar_month = p.time.start.plus_months(month).month;
  auto intake_now = [&](const std::vector<int>& months) {
    return std::find(months.begin(), months.end(), calendar_month) != months.end();
  };
  const auto& extra = policy.step_up;
  terms.paid_trainee_intake =
      extra.active_in(month) && intake_now(extra.intake_calendar_months) ? extra.cohort_size : 0;
  terms.trainee_intake =
      (intake_now(p.step_up.intake_calendar_months) ? p.step_up.cohort_size : 0) + terms.paid_trainee_intake;
  return terms;
}

void progression_step(const Parameters& p, const ProgressionTerms& month_terms,
                      const MonthAllocation& allocation, const LeavingCounts& after_leaving,
                      int practice_manager_posts, int practice_manager_offers,
                      const random::StreamKey& stream, int month, const std::vector<double>& progress_draws,
                      Workforce& people, std::vector<std::pair<double, std::size_t>>& candidates,
                      MonthFlows& flows) {
  const ProgressionTerms terms = month_terms;  // a local copy: the loop's stores could alias it
  const ProgressionParameters pr = p.progression;
  const int training_months = p.step_up.training_months;
  const double ap_probability = ap_pass_probability(terms, p.supervision, allocation.overstretch);
  const auto& retention = p.policies.retention_payment;
  const bool payments_possible = retention.active_in(month);  // checked once, not per person
  int advanced_practitioners = after_leaving.advanced_practitioners_staying;

  for (std::size_t i = 0; i < people.size(); ++i) {
    if (people.leaving[i] == Leaving::yes || people.role[i] == Role::agency) continue;
    ++people.tenure_months[i];
    people.pq_months[i] = static_cast<std::int16_t>(std::min(kMaxPqMonths, people.pq_months[i] + 1));
    const Role role = people.role[i];
    if (role == Role::trainee) {
      if (people.pq_months[i] >= training_months) {
        people.role[i] = Role::social_worker;
        people.pq_months[i] = 0;
        people.burnout[i] = 0;
        people.bond_end_tenure[i] =
            static_cast<std::int16_t>(std::min(30000, people.tenure_months[i] + p.step_up.bond_months));
        people.join_permanent(i, month, Route::step_up);
        ++flows.starters_trainees;
      }
      continue;
    }
    if (payments_possible &&
        retention_payment_due(retention, role, band_of(people.pq_months[i]), people.tenure_months[i], month))
      ++flows.retention_payments;
    if (role == Role::social_worker && people.pq_months[i] == kNqswEndPqMonths) {
      if (progress_draws[i] < terms.asye_failure_probability) {
        people.leaving[i] = Leaving::yes;
        ++flows.asye_failures;
        ++flows.case_holder_leavers[static_cast<std::size_t>(Band::nqsw)];
        ++flows.leavers[static_cast<std::size_t>(Destination::profession)];
        continue;
      }
    }
    if (role == Role::social_worker && people.pq_months[i] >= pr.ap_min_pq_months &&
        (terms.ap_post_limit < 0 || advanced_practitioners < terms.ap_post_limit) &&
        progress_draws[i] < ap_probability) {
      people.role[i] = Role::advanced_practitioner;
      ++advanced_practitioners;
      ++flows.promotions_ap;
    }
  }

  // Vacant practice manager posts: each is filled from the advanced
  // practitioners this month with probability pm_internal_probability.
  const int vacant = static_cast<int>(std::floor(
      practice_manager_posts - after_leaving.practice_manager_fte_staying - practice_manager_offers + 1e-9));
  int internal = 0;
  for (int k = 0; k < vacant; ++k)
    internal += random::uniform01(stream, Purpose::pm_internal, static_cast<std::uint32_t>(k), month) <
                pr.pm_internal_probability;
  if (internal > 0) {
    candidates.clear();
    for (std::size_t i = 0; i < people.size(); ++i) {
      if (people.leaving[i] == Leaving::no && people.role[i] == Role::advanced_practitioner &&
          people.pq_months[i] >= pr.pm_min_pq_months)
        candidates.emplace_back(random::uniform01(stream, Purpose::pm_selection, people.id[i], month), i);
    }
    const auto promoted = std::min<std::size_t>(static_cast<std::size_t>(internal), candidates.size());
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(promoted),
                      candidates.end());
    for (std::size_t k = 0; k < promoted; ++k) people.role[candidates[k].second] = Role::practice_manager;
    flows.promotions_pm = static_cast<int>(promoted);
  }

  // Step-up cohorts: the existing scheme, and any extra cohorts of the policy.
  for (int k = 0; k < terms.trainee_intake; ++k)
    people.add(new_person(p, stream,
                          person_ids::in_month(person_ids::kTrainees, month, static_cast<std::uint32_t>(k)),
                          Role::trainee, month));
  flows.trainee_intake = terms.trainee_intake;
  flows.paid_trainee_intake = terms.paid_trainee_intake;
}

}  // namespace wfsim::model
