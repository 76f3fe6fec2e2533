#include "model/recruitment.hpp"

#include <algorithm>
#include <cmath>

#include "model/entry.hpp"

namespace wfsim::model {

using random::Purpose;

RecruitmentTerms recruitment_terms(const Parameters& p, const PayTerms& pay, int month) {
  const auto& r = p.recruitment;
  const auto& policy = p.policies;
  RecruitmentTerms terms;

  const auto& extra = policy.extra_posts;
  const auto add = [&](const AddedPosts& added) {
    terms.extra_social_work_posts += added.social_work_posts;
    terms.extra_practice_manager_posts += added.practice_manager_posts;
  };
  if (extra.enabled && extra.phases.empty() && month >= extra.start_month) add(extra.posts);
  if (extra.enabled) {
    for (const auto& phase : extra.phases)
      if (month >= phase.month_index) add(phase.posts);
  }

  terms.social_work_posts = r.social_work_posts + terms.extra_social_work_posts;
  terms.practice_manager_posts = r.practice_manager_posts + terms.extra_practice_manager_posts;

  const auto& marketing = policy.recruitment_marketing;
  const bool marketing_on =
      marketing.active_in(month) &&
      (marketing.duration_months == 0 || month < marketing.start_month + marketing.duration_months);
  const double spend = marketing_on ? marketing.gbp_per_month : 0.0;
  const double marketing_gain =
      spend > 0 ? marketing.max_attraction_gain * spend / (spend + marketing.half_effect_gbp_per_month) : 0.0;
  // Applicants were observed at the scenario's own pay gap: only its change moves them.
  terms.attraction = std::exp(-r.attraction_pay_gap_coefficient * pay.gap_change[0] + r.marketing_attraction +
                              marketing_gain);
  const int notice_cut = spend > 0 ? marketing.notice_reduction_months : 0;
  terms.nqsw_notice_months = std::max(1, r.nqsw_notice_months - notice_cut);
  terms.experienced_notice_months = std::max(1, r.experienced_notice_months - notice_cut);
  terms.marketing_gbp_per_month = r.marketing_gbp_per_month + spend;
  terms.policy_marketing_gbp_per_month = spend;

  const auto& mix = policy.hiring_mix;
  terms.max_nqsw_share_of_hires = mix.active_in(month)
                                      ? std::min(r.max_nqsw_share_of_hires, mix.max_nqsw_share_of_hires)
                                      : r.max_nqsw_share_of_hires;
  terms.target_nqsw_share = mix.active_in(month) ? mix.target_nqsw_share : 1.0;
  terms.moves_in_per_month = policy.mobility.active_in(month) ? policy.mobility.moves_in_per_month : 0.0;
  return terms;
}

ApplicantMeans expected_applicants(const Parameters& p, const RecruitmentTerms& terms, double reputation,
                                   int month, double open_social_work_posts,
                                   double open_practice_manager_posts, double recruitment_drive) {
  const auto& r = p.recruitment;
  // A thousand times the observed stream is beyond any labour market; the
  // bound keeps the applicant counts finite at the ends of every range (a
  // supplement of ten salaries, a reputation far below its reference).
  constexpr double kMostAttraction = 1000;
  const double attraction =
      std::min(kMostAttraction, terms.attraction * reputation_attraction(r, reputation) *
                                    std::exp(p.response.recruitment_drive_attraction * recruitment_drive));
  const int calendar_month = p.time.start.plus_months(month).month;
  const double season = r.nqsw_season[static_cast<std::size_t>(calendar_month - 1)];
  return {
      (r.nqsw_applicants_per_month + r.nqsw_applicants_per_open_post * open_social_work_posts) * season *
          attraction,
      (r.experienced_applicants_per_month + r.experienced_applicants_per_open_post * open_social_work_posts) *
          attraction,
      (r.practice_manager_applicants_per_month +
       r.practice_manager_applicants_per_open_post * open_practice_manager_posts) *
          attraction};
}

int RecruitmentState::offers_pending(bool practice_managers) const {
  int count = 0;
  for (const auto& pending : pipeline) count += (pending.role == Role::practice_manager) == practice_managers;
  return count;
}

RecruitmentState initial_recruitment(const Parameters& p) {
  RecruitmentState state;
  // Rolling recruitment: offers accepted before the start arrive evenly over
  // the notice period.
  for (int k = 0; k < p.workforce.accepted_offers_nqsw; ++k)
    state.pipeline.push_back({person_ids::in_month(person_ids::kNqswHires, -1, static_cast<std::uint32_t>(k)),
                              k % p.recruitment.nqsw_notice_months, Role::social_worker});
  for (int k = 0; k < p.workforce.accepted_offers_experienced; ++k)
    state.pipeline.push_back(
        {person_ids::in_month(person_ids::kExperiencedHires, -1, static_cast<std::uint32_t>(k)),
         k % p.recruitment.experienced_notice_months, Role::social_worker});
  return state;
}

double recruitment_step(const Parameters& p, const RecruitmentTerms& terms, const MonthAllocation& allocation,
                        const LeavingCounts& leaving, int case_holders_last_month,
                        int nqsw_case_holders_last_month, double recruitment_drive,
                        const random::StreamKey& stream, int month, std::span<const PersonRecord> arrivals,
                        Workforce& people, RecruitmentState& state, MonthFlows& flows) {
  const auto& r = p.recruitment;

  // Accepted offers whose notice period ends this month start now.
  std::size_t kept = 0;
  for (const auto& pending : state.pipeline) {
    if (pending.start_month != month) {
      state.pipeline[kept++] = pending;
      continue;
    }
    people.add(new_person(p, stream, pending.id, pending.role, month));
    ++(person_ids::is_nqsw_hire(pending.id) ? flows.starters_nqsw : flows.starters_experienced);
    ++flows.external_starters;
  }
  state.pipeline.resize(kept);

  // Reputation follows the caseloads staff carry and the turnover they see.
  const double turnover = annualised_turnover(flows.leavers_total(), leaving.permanent_at_start);
  state.reputation = updated_reputation(
      r, state.reputation, reputation_target(r, allocation.cases.held_load_ratio, turnover), month == 0);
  // Movers from neighbouring councils start at once: they served their
  // notice where they were.
  for (const PersonRecord& arrival : arrivals) people.add(arrival);
  flows.starters_neighbour = static_cast<int>(arrivals.size());
  // Movers and offers below add no practice managers in post: one count serves both.
  const Workforce::InPost in_post = people.fte_in_post();
  int open = open_posts(terms.social_work_posts, in_post.social_work, state.offers_pending(false));

  // Mobility: qualified staff from elsewhere in the council move into open
  // frontline posts straight away (no notice period, no recruitment cost).
  const int movers =
      std::min(open, random::poisson(stream, Purpose::mobility_moves, month, terms.moves_in_per_month));
  for (int k = 0; k < movers; ++k)
    people.add(new_person(
        p, stream, person_ids::in_month(person_ids::kInternalMoves, month, static_cast<std::uint32_t>(k)),
        Role::social_worker, month));
  flows.starters_internal = movers;
  open -= movers;

  // Applicants for the posts advertised: those still open once movers are in.
  const int open_practice_manager =
      open_posts(terms.practice_manager_posts, in_post.practice_managers, state.offers_pending(true));
  const ApplicantMeans means =
      expected_applicants(p, terms, state.reputation, month, open, open_practice_manager, recruitment_drive);
  flows.applicants_nqsw = random::poisson(stream, Purpose::applicants_nqsw, month, means.nqsw);
  flows.applicants_experienced =
      random::poisson(stream, Purpose::applicants_experienced, month, means.experienced);
  const int applicants_pm =
      random::poisson(stream, Purpose::applicants_practice_manager, month, means.practice_manager);
  // Case-holding FTE now, for agency cover: movers join at the end, so adding
  // them here sums in the same order as a fresh count would.
  double social_work_fte = in_post.social_work;
  for (std::size_t i = people.size() - static_cast<std::size_t>(movers); i < people.size(); ++i)
    social_work_fte += people.fte[i];

  auto offer = [&](int applicants, Purpose acceptance, double probability, std::uint32_t id_space, Role role,
                   int notice, auto allowed) {
    std::uint32_t ordinal = 0;
    for (int k = 0; k < applicants && open > 0 && allowed(); ++k) {
      if (random::uniform01(stream, acceptance, static_cast<std::uint32_t>(k), month) >= probability)
        continue;
      state.pipeline.push_back({person_ids::in_month(id_space, month, ordinal++), month + notice, role});
      --open;
      ++flows.offers_accepted;
      ++state.hires;
      if (id_space == person_ids::kNqswHires) ++state.hires_nqsw;
    }
  };
  // Experienced applicants are offered posts first; newly qualified ones take
  // what is left, within the hiring-mix rules.
  offer(flows.applicants_experienced, Purpose::acceptance_experienced, r.experienced_acceptance_probability,
        person_ids::kExperiencedHires, Role::social_worker, terms.experienced_notice_months,
        [] { return true; });
  const double max_share = terms.max_nqsw_share_of_hires;
  const bool below_target =
      terms.target_nqsw_share >= 1.0 ||
      (case_holders_last_month > 0 &&
       static_cast<double>(nqsw_case_holders_last_month) / case_holders_last_month < terms.target_nqsw_share);
  offer(flows.applicants_nqsw, Purpose::acceptance_nqsw, r.nqsw_acceptance_probability,
        person_ids::kNqswHires, Role::social_worker, terms.nqsw_notice_months, [&] {
          return below_target &&
                 (max_share >= 1.0 || state.hires_nqsw + 1 <= max_share * (state.hires + 1) + 1e-9);
        });

  open = open_practice_manager;
  offer(applicants_pm, Purpose::acceptance_practice_manager, r.experienced_acceptance_probability,
        person_ids::kPracticeManagerHires, Role::practice_manager, terms.experienced_notice_months,
        [] { return true; });
  return social_work_fte;
}

}  // namespace wfsim::model
