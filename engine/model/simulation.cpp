#include "model/simulation.hpp"

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <limits>

#include "model/allocation.hpp"

namespace wfsim::model {

using random::AddressedStream;
using random::Purpose;
using random::uniform01;

namespace {

bool is_case_holder(Role role) {
  return role == Role::social_worker || role == Role::advanced_practitioner;
}

bool is_nqsw_hire(std::uint32_t id) {
  return id >= person_ids::kNqswHires && id < person_ids::kExperiencedHires;
}

int poisson(const random::StreamKey& stream, Purpose purpose, int month, double mean) {
  if (!(mean > 0)) return 0;
  AddressedStream engine(stream, purpose, 0, month);
  return boost::random::poisson_distribution<int, double>(mean)(engine);
}

std::int16_t months_from_exponential(AddressedStream& engine, double minimum, double mean) {
  const double extra = mean > 0 ? boost::random::exponential_distribution<double>(1.0 / mean)(engine) : 0.0;
  return static_cast<std::int16_t>(std::min<double>(kMaxPqMonths, std::floor(minimum + extra)));
}

float draw_resilience(AddressedStream& engine, double sd) {
  if (!(sd > 0)) return 1.0f;
  // Lognormal with mean 1 and standard deviation `sd`.
  const double sigma = std::sqrt(std::log1p(sd * sd));
  return static_cast<float>(
      boost::random::lognormal_distribution<double>(-0.5 * sigma * sigma, sigma)(engine));
}

// exp(x) <= (1 - x/8)^-8 for 0 <= x < 8, with a margin for rounding: a bound
// far cheaper than exp, good enough to decide most draws without it.
double exp_upper_bound(double x) {
  if (x <= 0) return 1.0;
  if (x >= 8) return std::numeric_limits<double>::infinity();
  double r = 1.0 / (1.0 - x / 8.0);
  r *= r;
  r *= r;
  r *= r;
  return r * (1 + 1e-12);
}

}  // namespace

int initial_permanent_qsw(const Parameters& p) {
  const auto& w = p.workforce;
  if (!w.roster.empty()) {
    return static_cast<int>(std::count_if(w.roster.begin(), w.roster.end(), [](const RosterRow& row) {
      return row.role != Role::trainee && row.role != Role::agency;
    }));
  }
  return w.social_workers[0] + w.social_workers[1] + w.social_workers[2] + w.advanced_practitioners +
         w.practice_managers;
}

void Simulation::run(const Parameters& parameters, const random::StreamKey& stream, const MetricSink& sink) {
  p_ = &parameters;
  stream_ = stream;
  const auto& p = parameters;

  shock_by_month_.assign(static_cast<std::size_t>(p.time.months), 1.0);
  for (const auto& shock : p.demand.shocks)
    shock_by_month_[static_cast<std::size_t>(shock.month_index)] *= shock.multiplier;

  initialise_workforce();
  capacity_ = Capacity{};
  for (std::size_t i = 0; i < people_.size(); ++i) count_capacity(i, capacity_);
  pipeline_.clear();
  // Rolling recruitment: offers accepted before the start arrive evenly over
  // the notice period.
  for (int k = 0; k < p.workforce.accepted_offers_nqsw; ++k)
    pipeline_.push_back({person_ids::in_month(person_ids::kNqswHires, -1, static_cast<std::uint32_t>(k)),
                         k % p.recruitment.nqsw_notice_months, Role::social_worker});
  for (int k = 0; k < p.workforce.accepted_offers_experienced; ++k)
    pipeline_.push_back(
        {person_ids::in_month(person_ids::kExperiencedHires, -1, static_cast<std::uint32_t>(k)),
         k % p.recruitment.experienced_notice_months, Role::social_worker});
  demand_ = p.demand.initial_cases;
  reputation_ = 0;
  nqsw_case_holders_ = p.workforce.social_workers[0];
  case_holders_ = nqsw_case_holders_ + p.workforce.social_workers[1] + p.workforce.social_workers[2] +
                  p.workforce.advanced_practitioners;
  hires_nqsw_so_far_ = 0;
  hires_so_far_ = 0;

  // The order of events within a month is fixed (MODEL.md section 1).
  for (int month = 0; month < p.time.months; ++month) {
    flows_ = MonthFlows{};
    now_ = terms_in_force(p, month);
    update_demand(month);
    allocate_cases();
    burnout_and_attrition(month);
    progression(month);
    recruitment(month);
    agency_cover(month);
    record(month, sink);  // costs are accrued while recording the month's end state
  }
}

PersonRecord Simulation::new_person(std::uint32_t id, Role role, int month) const {
  const auto& w = p_->workforce;
  AddressedStream engine(stream_, Purpose::new_person, id, month);
  PersonRecord person;
  person.id = id;
  person.role = role;
  const double u_fte = engine.uniform01();
  if (role == Role::trainee || (role == Role::social_worker && is_nqsw_hire(id))) {
    person.pq_months = 0;
  } else if (role == Role::practice_manager) {
    person.pq_months =
        months_from_exponential(engine, w.senior_min_pq_months, w.experienced_extra_pq_mean_months);
  } else {
    // Experienced hires, movers and agency workers have at least a year after qualifying.
    person.pq_months = months_from_exponential(engine, kNqswEndPqMonths, w.experienced_extra_pq_mean_months);
  }
  person.fte =
      (role != Role::agency && u_fte < w.part_time_share) ? static_cast<float>(w.part_time_fte) : 1.0f;
  person.resilience = draw_resilience(engine, p_->burnout.resilience_sd);
  return person;
}

void Simulation::initialise_workforce() {
  const auto& w = p_->workforce;
  people_.clear();
  std::uint32_t next_id = 0;
  if (!w.roster.empty()) {
    // One person a row, as the council's records have them; only resilience is drawn.
    people_.reserve(w.roster.size() * 2 + 64);
    for (const RosterRow& row : w.roster) {
      AddressedStream engine(stream_, Purpose::initial_person, next_id, 0);
      PersonRecord person;
      person.id = next_id++;
      person.role = row.role;
      person.pq_months = static_cast<std::int16_t>(row.pq_months);
      person.tenure_months = static_cast<std::int16_t>(row.tenure_months);
      person.fte = static_cast<float>(row.fte);
      person.resilience = draw_resilience(engine, p_->burnout.resilience_sd);
      people_.add(person);
    }
    return;
  }
  people_.reserve(static_cast<std::size_t>(initial_permanent_qsw(*p_) + w.trainees + w.agency) * 2 + 64);
  auto add = [&](Role role, int count, auto draw_pq) {
    for (int k = 0; k < count; ++k) {
      AddressedStream engine(stream_, Purpose::initial_person, next_id, 0);
      PersonRecord person;
      person.id = next_id++;
      person.role = role;
      person.pq_months = draw_pq(engine);
      const double u_tenure = engine.uniform01();
      const double u_fte = engine.uniform01();
      if (role == Role::trainee) {
        person.tenure_months = person.pq_months;
      } else if (role == Role::agency) {
        person.tenure_months = static_cast<std::int16_t>(std::floor(u_tenure * 12));
      } else {
        const double share = w.tenure_share_of_pq_min + (1.0 - w.tenure_share_of_pq_min) * u_tenure;
        person.tenure_months = static_cast<std::int16_t>(std::floor(share * person.pq_months));
      }
      person.fte =
          (role != Role::agency && u_fte < w.part_time_share) ? static_cast<float>(w.part_time_fte) : 1.0f;
      person.resilience = draw_resilience(engine, p_->burnout.resilience_sd);
      people_.add(person);
    }
  };
  auto uniform_in = [](int low, int high) {
    return [=](AddressedStream& e) {
      return static_cast<std::int16_t>(low + std::floor(e.uniform01() * (high - low)));
    };
  };
  auto experienced_from = [&](double minimum) {
    return [=](AddressedStream& e) {
      return months_from_exponential(e, minimum, w.experienced_extra_pq_mean_months);
    };
  };
  const double senior_min = std::max<double>(kEarlyEndPqMonths, w.senior_min_pq_months);
  add(Role::social_worker, w.social_workers[0], uniform_in(0, kNqswEndPqMonths));
  add(Role::social_worker, w.social_workers[1], uniform_in(kNqswEndPqMonths, kEarlyEndPqMonths));
  add(Role::social_worker, w.social_workers[2], experienced_from(kEarlyEndPqMonths));
  add(Role::advanced_practitioner, w.advanced_practitioners, experienced_from(senior_min));
  add(Role::practice_manager, w.practice_managers, experienced_from(senior_min));
  add(Role::trainee, w.trainees, uniform_in(0, p_->step_up.training_months));
  add(Role::agency, w.agency, experienced_from(kNqswEndPqMonths));
}

void Simulation::update_demand(int month) {
  const auto& d = p_->demand;
  if (month > 0) {
    AddressedStream engine(stream_, Purpose::demand_noise, 0, month);
    const double noise = boost::random::normal_distribution<double>(0.0, 1.0)(engine);
    const double sigma = d.monthly_noise_sd;
    demand_ *= std::pow(1.0 + d.annual_growth, 1.0 / 12.0) * std::exp(sigma * noise - 0.5 * sigma * sigma);
  }
  demand_ *= shock_by_month_[static_cast<std::size_t>(month)];
}

void Simulation::allocate_cases() {
  const auto& c = p_->caseload;
  // Capacity was counted while recording last month's end (or at the start):
  // nobody joins or leaves in between.
  std::array<double, kBandCount> band_capacity = capacity_.band;
  for (auto& band : band_capacity) band *= now_.availability;
  const double agency_capacity = capacity_.agency;
  const int case_holders = capacity_.case_holders;
  const int practice_managers = capacity_.practice_managers;

  auto& a = allocation_;
  a.effective_demand = demand_ * now_.demand_multiplier;
  const CaseAllocation cases = allocate(a.effective_demand, band_capacity, agency_capacity,
                                        c.allocation_weight_by_band, now_.ratio_cap);
  a.load_ratio = cases.load_ratio;
  a.band_ratio = cases.band_ratio;
  a.agency_ratio = cases.agency_ratio;
  a.unallocated_cases = cases.unallocated_cases;

  a.span = practice_managers > 0 ? static_cast<double>(case_holders) / practice_managers
                                 : static_cast<double>(case_holders);
  a.overstretch = std::max(0.0, a.span / p_->supervision.standard_span - 1.0);
}

void Simulation::leave(std::size_t person, int month) {
  people_.leaving[person] = 1;
  const double u = uniform01(stream_, Purpose::destination, people_.id[person], month);
  double cumulative = 0;
  int destination = kDestinationCount - 1;
  for (int k = 0; k < kDestinationCount - 1; ++k) {
    cumulative += now_.destination_shares[static_cast<std::size_t>(k)];
    if (u < cumulative) {
      destination = k;
      break;
    }
  }
  ++flows_.leavers[static_cast<std::size_t>(destination)];
}

bool Simulation::retention_eligible(std::size_t person) const {
  const auto& policy = p_->policies.retention_payment;
  const auto role = static_cast<std::size_t>(people_.role[person]);
  return role < 3 && policy.roles[role] &&
         policy.bands[static_cast<std::size_t>(band_of(people_.pq_months[person]))];
}

// Retention payments change the hazard around each payment: lower while one
// is in sight, lower again while leaving would mean repaying it, and back to
// normal once the clawback ends.
double Simulation::retention_multiplier(std::size_t person, int month) const {
  const auto& policy = p_->policies.retention_payment;
  // A payment of nothing changes nothing: no anticipation, nothing to claw back.
  if (!policy.enabled || !(policy.amount_gbp > 0) || !retention_eligible(person)) return 1.0;
  const int tenure = people_.tenure_months[person];
  double multiplier = 1.0;
  for (const int milestone : policy.tenure_milestones_months) {
    // Paid in the month whose progression step takes tenure to the milestone.
    const int payment_month = month + (milestone - tenure) - 1;
    if (payment_month < policy.start_month) continue;
    if (milestone > tenure && milestone - tenure <= policy.anticipation_months) {
      const double salary = now_.salary_gbp_per_year[static_cast<std::size_t>(people_.role[person])];
      multiplier *= std::exp(-policy.anticipation_coefficient * policy.amount_gbp / std::max(salary, 1.0));
    } else if (milestone <= tenure && tenure - milestone < policy.clawback_months) {
      multiplier *= policy.clawback_hazard_multiplier;
    }
  }
  return multiplier;
}

void Simulation::burnout_and_attrition(int month) {
  const auto& b = p_->burnout;
  const auto& at = p_->attrition;
  const auto& a = allocation_;
  const double span_strain = b.span_weight * a.overstretch + now_.baseline_strain;
  std::array<double, kBandCount> strain_by_band{};
  for (int band = 0; band < kBandCount; ++band)
    strain_by_band[band] = b.load_weight * std::max(0.0, a.band_ratio[band] - 1.0) + span_strain;
  strain_by_band[0] *= now_.nqsw_strain_multiplier;
  const double memory = 1.0 / b.memory_months;
  const double trainee_leaving = monthly_probability(at.trainee_annual_rate);
  const bool first_month = month == 0;
  const bool retention = p_->policies.retention_payment.enabled;
  // The retention multiplier is at most the clawback multiplier (if above 1)
  // once for every milestone whose window a person can be in.
  const auto& payments = p_->policies.retention_payment;
  const double retention_bound = retention
                                     ? std::pow(std::max(1.0, payments.clawback_hazard_multiplier),
                                                static_cast<double>(payments.tenure_milestones_months.size()))
                                     : 1.0;

  // Counted in locals, stored once after the loop.
  int permanent = 0;
  int advanced_practitioners_staying = 0;
  double practice_manager_fte_staying = 0;
  progress_draw_.resize(people_.size());
  for (std::size_t i = 0; i < people_.size(); ++i) {
    const Role role = people_.role[i];
    if (role == Role::agency) continue;
    // One block of four words a person-month: whether they leave, and (kept
    // for the progression step) whether they progress.
    AddressedStream draws(stream_, Purpose::person_month, people_.id[i], month);
    const double u = draws.uniform01();
    progress_draw_[i] = draws.uniform01();
    if (role == Role::trainee) {
      if (u < trainee_leaving) {
        people_.leaving[i] = 1;
        ++flows_.trainee_dropouts;
      }
      continue;
    }
    ++permanent;
    const auto band = static_cast<std::size_t>(band_of(people_.pq_months[i]));
    const double strain = role == Role::practice_manager ? span_strain : strain_by_band[band];
    const double stress = people_.resilience[i] * strain;
    // The workforce starts in equilibrium with its first month's conditions.
    const double burnout = first_month ? stress : people_.burnout[i] + (stress - people_.burnout[i]) * memory;
    people_.burnout[i] = static_cast<float>(burnout);

    const int tenure = people_.tenure_months[i];
    const double tenure_multiplier = tenure < kFirstYearEndTenureMonths    ? at.tenure_multiplier_first_year
                                     : tenure < kSecondYearEndTenureMonths ? at.tenure_multiplier_second_year
                                                                           : 1.0;
    const double bond = tenure < people_.bond_end_tenure[i] ? p_->step_up.bond_hazard_multiplier : 1.0;
    const double hazard_before_burnout =
        now_.hazard_factor[static_cast<std::size_t>(role)][band] * tenure_multiplier * bond;
    // 1 - exp(-x) <= x: most draws are decided against hazard / 12, or its
    // bound, without computing the exact probability.
    bool leaves = false;
    const double burnout_term = at.burnout_coefficient * burnout;
    if (u < hazard_before_burnout * exp_upper_bound(burnout_term) * retention_bound / 12.0) {
      double hazard = hazard_before_burnout * std::exp(burnout_term);
      if (retention) hazard *= retention_multiplier(i, month);
      leaves = u < hazard / 12.0 && u < monthly_probability(hazard);
    }
    if (leaves) {
      leave(i, month);
    } else {
      advanced_practitioners_staying += role == Role::advanced_practitioner;
      if (role == Role::practice_manager) practice_manager_fte_staying += people_.fte[i];
    }
  }
  permanent_at_month_start_ = permanent;
  advanced_practitioners_staying_ = advanced_practitioners_staying;
  practice_manager_fte_staying_ = practice_manager_fte_staying;
}

void Simulation::progression(int month) {
  const auto& pr = p_->progression;
  const double ap_probability =
      now_.ap_monthly_probability / (1.0 + p_->supervision.progression_slowdown * allocation_.overstretch);
  const auto& retention = p_->policies.retention_payment;
  int advanced_practitioners = advanced_practitioners_staying_;

  for (std::size_t i = 0; i < people_.size(); ++i) {
    if (people_.leaving[i] || people_.role[i] == Role::agency) continue;
    ++people_.tenure_months[i];
    people_.pq_months[i] = static_cast<std::int16_t>(std::min(kMaxPqMonths, people_.pq_months[i] + 1));
    const Role role = people_.role[i];
    if (role == Role::trainee) {
      if (people_.pq_months[i] >= p_->step_up.training_months) {
        people_.role[i] = Role::social_worker;
        people_.pq_months[i] = 0;
        people_.burnout[i] = 0;
        people_.bond_end_tenure[i] =
            static_cast<std::int16_t>(std::min(30000, people_.tenure_months[i] + p_->step_up.bond_months));
        ++flows_.starters_trainees;
      }
      continue;
    }
    if (now_.retention_active && retention.amount_gbp > 0 && retention_eligible(i) &&
        std::find(retention.tenure_milestones_months.begin(), retention.tenure_milestones_months.end(),
                  people_.tenure_months[i]) != retention.tenure_milestones_months.end()) {
      ++flows_.retention_payments;
    }
    if (role == Role::social_worker && people_.pq_months[i] == kNqswEndPqMonths) {
      if (progress_draw_[i] < now_.asye_failure_probability) {
        people_.leaving[i] = 1;
        ++flows_.asye_failures;
        ++flows_.leavers[static_cast<std::size_t>(Destination::profession)];
        continue;
      }
    }
    if (role == Role::social_worker && people_.pq_months[i] >= pr.ap_min_pq_months &&
        (now_.ap_post_limit < 0 || advanced_practitioners < now_.ap_post_limit) &&
        progress_draw_[i] < ap_probability) {
      people_.role[i] = Role::advanced_practitioner;
      ++advanced_practitioners;
      ++flows_.promotions_ap;
    }
  }

  // Vacant practice manager posts: each is filled from the advanced
  // practitioners this month with probability pm_internal_probability.
  const int vacant = static_cast<int>(
      std::floor(now_.practice_manager_posts - practice_manager_fte_staying_ - pipeline_count(true) + 1e-9));
  int internal = 0;
  for (int k = 0; k < vacant; ++k)
    internal += uniform01(stream_, Purpose::pm_internal, static_cast<std::uint32_t>(k), month) <
                pr.pm_internal_probability;
  if (internal > 0) {
    candidates_.clear();
    for (std::size_t i = 0; i < people_.size(); ++i) {
      if (!people_.leaving[i] && people_.role[i] == Role::advanced_practitioner &&
          people_.pq_months[i] >= pr.pm_min_pq_months)
        candidates_.emplace_back(uniform01(stream_, Purpose::pm_selection, people_.id[i], month), i);
    }
    const auto promoted = std::min<std::size_t>(static_cast<std::size_t>(internal), candidates_.size());
    std::partial_sort(candidates_.begin(), candidates_.begin() + static_cast<std::ptrdiff_t>(promoted),
                      candidates_.end());
    for (std::size_t k = 0; k < promoted; ++k) people_.role[candidates_[k].second] = Role::practice_manager;
    flows_.promotions_pm = static_cast<int>(promoted);
  }

  // Step-up cohorts: the existing scheme, and any extra cohorts of the policy.
  for (int k = 0; k < now_.trainee_intake; ++k)
    people_.add(new_person(person_ids::in_month(person_ids::kTrainees, month, static_cast<std::uint32_t>(k)),
                           Role::trainee, month));
  flows_.trainee_intake = now_.trainee_intake;
}

Simulation::InPost Simulation::fte_in_post() const {
  InPost in_post;
  for (std::size_t i = 0; i < people_.size(); ++i) {
    if (people_.leaving[i]) continue;
    const Role role = people_.role[i];
    if (is_case_holder(role)) {
      in_post.social_work += people_.fte[i];
    } else if (role == Role::practice_manager) {
      in_post.practice_managers += people_.fte[i];
    }
  }
  return in_post;
}

int Simulation::pipeline_count(bool practice_managers) const {
  int count = 0;
  for (const auto& pending : pipeline_)
    count += (pending.role == Role::practice_manager) == practice_managers;
  return count;
}

void Simulation::recruitment(int month) {
  const auto& r = p_->recruitment;

  // Accepted offers whose notice period ends this month start now.
  std::size_t kept = 0;
  for (const auto& pending : pipeline_) {
    if (pending.start_month != month) {
      pipeline_[kept++] = pending;
      continue;
    }
    people_.add(new_person(pending.id, pending.role, month));
    ++(is_nqsw_hire(pending.id) ? flows_.starters_nqsw : flows_.starters_experienced);
    ++flows_.external_starters;
  }
  pipeline_.resize(kept);

  // Reputation falls with overload and turnover, remembered over months.
  const double annualised_turnover =
      permanent_at_month_start_ > 0 ? 12.0 * flows_.leavers_total() / permanent_at_month_start_ : 0.0;
  const double reputation_target =
      -(r.reputation_overload_weight * std::max(0.0, allocation_.load_ratio - 1.0) +
        r.reputation_turnover_weight * annualised_turnover);
  reputation_ = month == 0 ? reputation_target
                           : reputation_ + (reputation_target - reputation_) / r.reputation_memory_months;
  const double attraction = now_.attraction * std::exp(r.attraction_reputation_coefficient * reputation_);

  const int calendar_month = p_->time.start.plus_months(month).month;
  flows_.applicants_nqsw = poisson(
      stream_, Purpose::applicants_nqsw, month,
      r.nqsw_applicants_per_month * r.nqsw_season[static_cast<std::size_t>(calendar_month - 1)] * attraction);
  flows_.applicants_experienced = poisson(stream_, Purpose::applicants_experienced, month,
                                          r.experienced_applicants_per_month * attraction);
  const int applicants_pm = poisson(stream_, Purpose::applicants_practice_manager, month,
                                    r.practice_manager_applicants_per_month * attraction);

  // Movers and offers below add no practice managers in post: one count serves both.
  const InPost in_post = fte_in_post();
  int open_posts = std::max(0, static_cast<int>(std::floor(now_.social_work_posts - in_post.social_work -
                                                           pipeline_count(false) + 1e-9)));

  // Mobility: qualified staff from elsewhere in the council move into open
  // frontline posts straight away (no notice period, no recruitment cost).
  const int movers =
      std::min(open_posts, poisson(stream_, Purpose::mobility_moves, month, now_.moves_in_per_month));
  for (int k = 0; k < movers; ++k)
    people_.add(
        new_person(person_ids::in_month(person_ids::kInternalMoves, month, static_cast<std::uint32_t>(k)),
                   Role::social_worker, month));
  flows_.starters_internal = movers;
  open_posts -= movers;
  // Case-holding FTE now, for agency cover: movers join at the end, so adding
  // them here sums in the same order as a fresh count would.
  social_work_fte_ = in_post.social_work;
  for (std::size_t i = people_.size() - static_cast<std::size_t>(movers); i < people_.size(); ++i)
    social_work_fte_ += people_.fte[i];

  auto offer = [&](int applicants, Purpose acceptance, double probability, std::uint32_t id_space, Role role,
                   int notice, auto allowed) {
    std::uint32_t ordinal = 0;
    for (int k = 0; k < applicants && open_posts > 0 && allowed(); ++k) {
      if (uniform01(stream_, acceptance, static_cast<std::uint32_t>(k), month) >= probability) continue;
      pipeline_.push_back({person_ids::in_month(id_space, month, ordinal++), month + notice, role});
      --open_posts;
      ++flows_.offers_accepted;
      ++hires_so_far_;
      if (id_space == person_ids::kNqswHires) ++hires_nqsw_so_far_;
    }
  };
  // Experienced applicants are offered posts first; newly qualified ones take
  // what is left, within the hiring-mix rules.
  offer(flows_.applicants_experienced, Purpose::acceptance_experienced, r.experienced_acceptance_probability,
        person_ids::kExperiencedHires, Role::social_worker, now_.experienced_notice_months,
        [] { return true; });
  const double max_share = now_.max_nqsw_share_of_hires;
  const bool below_target =
      now_.target_nqsw_share >= 1.0 ||
      (case_holders_ > 0 && static_cast<double>(nqsw_case_holders_) / case_holders_ < now_.target_nqsw_share);
  offer(flows_.applicants_nqsw, Purpose::acceptance_nqsw, r.nqsw_acceptance_probability,
        person_ids::kNqswHires, Role::social_worker, now_.nqsw_notice_months, [&] {
          return below_target &&
                 (max_share >= 1.0 || hires_nqsw_so_far_ + 1 <= max_share * (hires_so_far_ + 1) + 1e-9);
        });

  open_posts =
      std::max(0, static_cast<int>(std::floor(now_.practice_manager_posts - in_post.practice_managers -
                                              pipeline_count(true) + 1e-9)));
  offer(applicants_pm, Purpose::acceptance_practice_manager, r.experienced_acceptance_probability,
        person_ids::kPracticeManagerHires, Role::practice_manager, now_.experienced_notice_months,
        [] { return true; });
}

void Simulation::agency_cover(int month) {
  const auto& ag = p_->agency;
  double social_work = social_work_fte_;
  int open_posts = std::max(
      0, static_cast<int>(std::floor(now_.social_work_posts - social_work - pipeline_count(false) + 1e-9)));
  const bool converting = now_.agency_conversion_probability > 0;
  int agency = 0;
  for (std::size_t i = 0; i < people_.size(); ++i) {
    if (people_.role[i] != Role::agency) continue;
    ++agency;
    AddressedStream draws(stream_, Purpose::person_month, people_.id[i], month);
    if (draws.uniform01() < ag.monthly_end_probability) {
      people_.leaving[i] = 1;
      --agency;
    } else if (converting && open_posts > 0 && draws.uniform01() < now_.agency_conversion_probability) {
      --agency;
      people_.role[i] = Role::social_worker;
      people_.tenure_months[i] = 0;
      --open_posts;
      ++flows_.starters_conversions;
    }
  }
  if (flows_.starters_conversions > 0) social_work = fte_in_post().social_work;

  // Agency workers cover posts that have nobody in them, up to the cap.
  const int uncovered =
      std::max(0, static_cast<int>(std::floor(now_.social_work_posts - social_work + 1e-9)));
  const int target = now_.agency_cap < 0 ? uncovered : std::min(uncovered, now_.agency_cap);
  if (agency > target) {
    // Release the most recent assignments first.
    for (std::size_t i = people_.size(); i-- > 0 && agency > target;) {
      if (people_.role[i] == Role::agency && !people_.leaving[i]) {
        people_.leaving[i] = 1;
        --agency;
      }
    }
  } else if (agency < target) {
    const int supply = poisson(stream_, Purpose::agency_supply, month, ag.new_workers_per_month);
    const int joining = std::min(supply, target - agency);
    for (int k = 0; k < joining; ++k)
      people_.add(new_person(person_ids::in_month(person_ids::kAgency, month, static_cast<std::uint32_t>(k)),
                             Role::agency, month));
  }
  // Everyone who left this month, in any step, goes in one pass; until now
  // every step has skipped those marked as leaving.
  people_.compact();
}

void Simulation::record(int month, const MetricSink& sink) {
  const auto& p = *p_;
  capacity_ = Capacity{};
  std::array<int, kBandCount> band_count{};
  std::array<double, kBandCount> band_fte{};
  std::array<double, kBandCount> band_cases{};
  int under_two_years = 0;
  std::array<int, 3> in_role{};  // social worker, advanced practitioner, practice manager
  std::array<double, 3> fte_in_role{};
  int trainees = 0;
  int agency = 0;
  double trainee_fte = 0;
  double agency_fte = 0;
  double burnout_sum = 0;
  std::array<double, kBandCount> band_burnout{};
  for (std::size_t i = 0; i < people_.size(); ++i) {
    count_capacity(i, capacity_);
    const Role role = people_.role[i];
    const double fte = people_.fte[i];
    if (role == Role::agency) {
      ++agency;
      agency_fte += fte;
      continue;
    }
    if (role == Role::trainee) {
      ++trainees;
      trainee_fte += fte;
      continue;
    }
    const auto r = static_cast<std::size_t>(role);
    ++in_role[r];
    fte_in_role[r] += fte;
    burnout_sum += people_.burnout[i];
    if (role == Role::practice_manager) continue;
    const int pq = people_.pq_months[i];
    const auto band = static_cast<std::size_t>(band_of(pq));
    ++band_count[band];
    under_two_years += pq < 24;
    band_fte[band] += fte;
    band_burnout[band] += people_.burnout[i];
    const double standard = role == Role::advanced_practitioner ? p.caseload.advanced_practitioner_standard
                                                                : p.caseload.standard_by_band[band];
    band_cases[band] += fte * standard * allocation_.band_ratio[band];
  }
  const int permanent = in_role[0] + in_role[1] + in_role[2];
  const double permanent_fte = fte_in_role[0] + fte_in_role[1] + fte_in_role[2];
  case_holders_ = band_count[0] + band_count[1] + band_count[2];
  nqsw_case_holders_ = band_count[0];
  const double establishment = now_.social_work_posts + now_.practice_manager_posts;
  const double vacancies =
      std::max(0.0, establishment - permanent_fte - static_cast<double>(pipeline_.size()));
  auto share = [](double part, double whole) { return whole > 0 ? part / whole : 0.0; };
  // An average over nobody is missing, not zero.
  auto average = [](double total, double weight) { return weight > 0 ? total / weight : std::nan(""); };

  double salaries_gbp_per_year = trainee_fte * p.pay.trainee_gbp_per_year;
  double supplements_gbp_per_year = 0;
  for (std::size_t r = 0; r < 3; ++r) {
    salaries_gbp_per_year += fte_in_role[r] * now_.salary_gbp_per_year[r];
    supplements_gbp_per_year += fte_in_role[r] * now_.supplement_gbp_per_year[r];
  }
  const double cost_salaries = salaries_gbp_per_year * p.pay.on_cost_multiplier / 12.0;
  const double cost_supplements = supplements_gbp_per_year * p.pay.on_cost_multiplier / 12.0;
  const double cost_agency = agency_fte * now_.agency_cost_gbp_per_year / 12.0;
  const double cost_recruitment = flows_.external_starters * p.recruitment.cost_gbp_per_hire;
  const double cost_asye = band_fte[0] * now_.asye_support_gbp_per_nqsw_per_year / 12.0;
  const double cost_marketing = now_.marketing_gbp_per_month;
  const double cost_retention = flows_.retention_payments * p.policies.retention_payment.amount_gbp;
  const double cost_programmes =
      now_.programmes_gbp_per_month + now_.paid_trainee_intake * p.policies.step_up.cost_gbp_per_trainee;

  const auto& f = flows_;
  const int starters = f.starters_nqsw + f.starters_experienced + f.starters_trainees +
                       f.starters_conversions + f.starters_internal;
  sink.set(Metric::permanent_qsw, month, permanent);
  sink.set(Metric::permanent_qsw_fte, month, permanent_fte);
  sink.set(Metric::nqsw, month, band_count[0]);
  sink.set(Metric::early, month, band_count[1]);
  sink.set(Metric::experienced, month, band_count[2]);
  sink.set(Metric::social_workers, month, in_role[0]);
  sink.set(Metric::advanced_practitioners, month, in_role[1]);
  sink.set(Metric::practice_managers, month, in_role[2]);
  sink.set(Metric::trainees, month, trainees);
  sink.set(Metric::agency, month, agency);
  sink.set(Metric::starters, month, starters);
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
  sink.set(Metric::unallocated_cases, month, allocation_.unallocated_cases);
  sink.set(Metric::retention_payments, month, f.retention_payments);
  sink.set(Metric::agency_rate, month, share(agency_fte, agency_fte + permanent_fte));
  sink.set(Metric::nqsw_share, month, share(band_count[0], case_holders_));
  sink.set(Metric::under_2y_share, month, share(under_two_years, case_holders_));
  sink.set(Metric::demand_cases, month, demand_);
  sink.set(Metric::load_ratio, month, allocation_.load_ratio);
  sink.set(Metric::caseload_nqsw, month, average(band_cases[0], band_fte[0]));
  sink.set(Metric::caseload_early, month, average(band_cases[1], band_fte[1]));
  sink.set(Metric::caseload_experienced, month, average(band_cases[2], band_fte[2]));
  sink.set(Metric::supervision_span, month, allocation_.span);
  sink.set(Metric::burnout_mean, month, average(burnout_sum, permanent));
  sink.set(Metric::burnout_nqsw, month, average(band_burnout[0], band_count[0]));
  sink.set(Metric::burnout_early, month, average(band_burnout[1], band_count[1]));
  sink.set(Metric::burnout_experienced, month, average(band_burnout[2], band_count[2]));
  sink.set(Metric::cost_total, month,
           cost_salaries + cost_supplements + cost_agency + cost_recruitment + cost_asye + cost_marketing +
               cost_retention + cost_programmes);
  sink.set(Metric::cost_salaries, month, cost_salaries);
  sink.set(Metric::cost_agency, month, cost_agency);
  sink.set(Metric::cost_recruitment, month, cost_recruitment);
  sink.set(Metric::cost_asye, month, cost_asye);
  sink.set(Metric::cost_marketing, month, cost_marketing);
  sink.set(Metric::cost_retention, month, cost_retention);
  sink.set(Metric::cost_supplements, month, cost_supplements);
  sink.set(Metric::cost_programmes, month, cost_programmes);
}

}  // namespace wfsim::model
