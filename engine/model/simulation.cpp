#include "model/simulation.hpp"

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <limits>

namespace wfsim::model {

using random::AddressedStream;
using random::Purpose;
using random::uniform01;

namespace {

constexpr int kMaxPqMonths = 480;  // a 40-year career

bool is_case_holder(Role role) {
  return role == Role::social_worker || role == Role::advanced_practitioner;
}

double monthly_probability(double annual_rate) {
  return -std::expm1(-annual_rate / 12.0);
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

}  // namespace

int initial_permanent_qsw(const Parameters& p) {
  const auto& w = p.workforce;
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

  for (int band = 0; band < kBandCount; ++band) {
    const double rate = p.attrition.annual_rate_by_band[static_cast<std::size_t>(band)];
    hazard_factor_[0][band] =
        rate * std::exp(p.attrition.pay_gap_coefficient * p.pay.neighbour_gap_social_worker);
    hazard_factor_[1][band] =
        rate * std::exp(p.attrition.pay_gap_coefficient * p.pay.neighbour_gap_advanced_practitioner +
                        p.attrition.advanced_practitioner_coefficient);
    hazard_factor_[2][band] =
        p.attrition.practice_manager_annual_rate *
        std::exp(p.attrition.pay_gap_coefficient * p.pay.neighbour_gap_practice_manager);
  }

  initialise_workforce();
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
  hires_nqsw_so_far_ = 0;
  hires_so_far_ = 0;

  // The order of events within a month is fixed (MODEL.md section 1).
  for (int month = 0; month < p.time.months; ++month) {
    flows_ = MonthFlows{};
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
  if (role == Role::social_worker && id >= person_ids::kNqswHires && id < person_ids::kExperiencedHires) {
    person.pq_months = 0;
  } else if (role == Role::practice_manager) {
    person.pq_months =
        months_from_exponential(engine, w.senior_min_pq_months, w.experienced_extra_pq_mean_months);
  } else if (role == Role::trainee) {
    person.pq_months = 0;
  } else {
    // Experienced hires and agency workers have at least a year after qualifying.
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
  people_.reserve(static_cast<std::size_t>(initial_permanent_qsw(*p_) + w.trainees + w.agency) * 2 + 64);
  std::uint32_t next_id = 0;
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
  // Standard capacity, weighted by how much of the overload each band carries.
  std::array<double, kBandCount> band_capacity{};
  double standard_capacity = 0;
  double agency_capacity = 0;
  int case_holders = 0;
  int practice_managers = 0;
  for (std::size_t i = 0; i < people_.size(); ++i) {
    const Role role = people_.role[i];
    if (role == Role::social_worker || role == Role::advanced_practitioner) {
      const auto band = static_cast<std::size_t>(band_of(people_.pq_months[i]));
      const double standard =
          role == Role::social_worker ? c.standard_by_band[band] : c.advanced_practitioner_standard;
      band_capacity[band] += people_.fte[i] * standard;
      standard_capacity += people_.fte[i] * standard;
      ++case_holders;
    } else if (role == Role::agency) {
      agency_capacity += people_.fte[i] * c.agency_standard;
      ++case_holders;
    } else if (role == Role::practice_manager) {
      ++practice_managers;
    }
  }
  standard_capacity += agency_capacity;
  double weighted_capacity = agency_capacity;
  for (int band = 0; band < kBandCount; ++band)
    weighted_capacity += band_capacity[band] * c.allocation_weight_by_band[band];

  auto& a = allocation_;
  a.effective_demand = demand_;
  // With nobody to hold cases every case is unallocated; the ratio is then
  // reported against a single notional worker rather than infinity.
  a.load_ratio = a.effective_demand / std::max(standard_capacity, 1.0);
  const double weighted_ratio = a.effective_demand / std::max(weighted_capacity, 1.0);
  for (int band = 0; band < kBandCount; ++band)
    a.band_ratio[band] = weighted_ratio * c.allocation_weight_by_band[band];
  a.agency_ratio = weighted_ratio;
  a.unallocated_cases = weighted_capacity > 0 ? 0.0 : a.effective_demand;

  a.span = practice_managers > 0 ? static_cast<double>(case_holders) / practice_managers
                                 : static_cast<double>(case_holders);
  a.overstretch = std::max(0.0, a.span / p_->supervision.standard_span - 1.0);
}

void Simulation::leave(std::size_t person, int month) {
  people_.leaving[person] = 1;
  const double u = uniform01(stream_, Purpose::destination, people_.id[person], month);
  const auto& shares = p_->attrition.destination_shares;
  double cumulative = 0;
  int destination = kDestinationCount - 1;
  for (int k = 0; k < kDestinationCount - 1; ++k) {
    cumulative += shares[static_cast<std::size_t>(k)];
    if (u < cumulative) {
      destination = k;
      break;
    }
  }
  ++flows_.leavers[static_cast<std::size_t>(destination)];
}

void Simulation::burnout_and_attrition(int month) {
  const auto& b = p_->burnout;
  const auto& at = p_->attrition;
  const auto& a = allocation_;
  const double span_strain = b.span_weight * a.overstretch + b.baseline_strain;
  std::array<double, kBandCount> load_strain{};
  for (int band = 0; band < kBandCount; ++band)
    load_strain[band] = b.load_weight * std::max(0.0, a.band_ratio[band] - 1.0);
  const double memory = 1.0 / b.memory_months;
  const double trainee_leaving = monthly_probability(at.trainee_annual_rate);
  const bool first_month = month == 0;

  permanent_at_month_start_ = 0;
  for (std::size_t i = 0; i < people_.size(); ++i) {
    const Role role = people_.role[i];
    if (role == Role::agency) continue;
    const std::uint32_t id = people_.id[i];
    if (role == Role::trainee) {
      if (uniform01(stream_, Purpose::trainee_dropout, id, month) < trainee_leaving) {
        people_.leaving[i] = 1;
        ++flows_.trainee_dropouts;
      }
      continue;
    }
    ++permanent_at_month_start_;
    const auto band = static_cast<std::size_t>(band_of(people_.pq_months[i]));
    const double strain = role == Role::practice_manager ? span_strain : load_strain[band] + span_strain;
    const double stress = people_.resilience[i] * strain;
    // The workforce starts in equilibrium with its first month's conditions.
    const double burnout = first_month ? stress : people_.burnout[i] + (stress - people_.burnout[i]) * memory;
    people_.burnout[i] = static_cast<float>(burnout);

    const int tenure = people_.tenure_months[i];
    const double tenure_multiplier = tenure < 12   ? at.tenure_multiplier_first_year
                                     : tenure < 24 ? at.tenure_multiplier_second_year
                                                   : 1.0;
    const double bond = tenure < people_.bond_end_tenure[i] ? p_->step_up.bond_hazard_multiplier : 1.0;
    const double hazard = hazard_factor_[static_cast<std::size_t>(role)][band] * tenure_multiplier * bond *
                          std::exp(at.burnout_coefficient * burnout);
    if (uniform01(stream_, Purpose::attrition, id, month) < monthly_probability(hazard)) leave(i, month);
  }
}

void Simulation::progression(int month) {
  const auto& pr = p_->progression;
  const double ap_probability =
      pr.ap_monthly_probability / (1.0 + p_->supervision.progression_slowdown * allocation_.overstretch);
  int advanced_practitioners = 0;
  for (std::size_t i = 0; i < people_.size(); ++i)
    advanced_practitioners += !people_.leaving[i] && people_.role[i] == Role::advanced_practitioner;

  for (std::size_t i = 0; i < people_.size(); ++i) {
    if (people_.leaving[i] || people_.role[i] == Role::agency) continue;
    const std::uint32_t id = people_.id[i];
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
    if (role == Role::social_worker && people_.pq_months[i] == kNqswEndPqMonths) {
      if (uniform01(stream_, Purpose::asye, id, month) < p_->asye.failure_probability) {
        people_.leaving[i] = 1;
        ++flows_.asye_failures;
        ++flows_.leavers[static_cast<std::size_t>(Destination::profession)];
        continue;
      }
    }
    if (role == Role::social_worker && people_.pq_months[i] >= pr.ap_min_pq_months &&
        (pr.ap_post_limit < 0 || advanced_practitioners < pr.ap_post_limit) &&
        uniform01(stream_, Purpose::ap_progression, id, month) < ap_probability) {
      people_.role[i] = Role::advanced_practitioner;
      ++advanced_practitioners;
      ++flows_.promotions_ap;
    }
  }

  // Vacant practice manager posts: each is filled from the advanced
  // practitioners this month with probability pm_internal_probability.
  const int vacant = static_cast<int>(std::floor(
      p_->recruitment.practice_manager_posts - practice_manager_fte_in_post() - pipeline_count(true) + 1e-9));
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

  const auto& su = p_->step_up;
  const int calendar_month = p_->time.start.plus_months(month).month;
  if (su.cohort_size > 0 && std::find(su.intake_calendar_months.begin(), su.intake_calendar_months.end(),
                                      calendar_month) != su.intake_calendar_months.end()) {
    for (int k = 0; k < su.cohort_size; ++k) {
      people_.add(
          new_person(person_ids::in_month(person_ids::kTrainees, month, static_cast<std::uint32_t>(k)),
                     Role::trainee, month));
    }
    flows_.trainee_intake = su.cohort_size;
  }
  people_.compact();
}

double Simulation::social_work_fte_in_post() const {
  double fte = 0;
  for (std::size_t i = 0; i < people_.size(); ++i)
    if (is_case_holder(people_.role[i]) && !people_.leaving[i]) fte += people_.fte[i];
  return fte;
}

double Simulation::practice_manager_fte_in_post() const {
  double fte = 0;
  for (std::size_t i = 0; i < people_.size(); ++i)
    if (people_.role[i] == Role::practice_manager && !people_.leaving[i]) fte += people_.fte[i];
  return fte;
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
    const bool newly_qualified =
        pending.id >= person_ids::kNqswHires && pending.id < person_ids::kExperiencedHires;
    ++(newly_qualified ? flows_.starters_nqsw : flows_.starters_experienced);
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
  const double attraction =
      std::exp(-r.attraction_pay_gap_coefficient * p_->pay.neighbour_gap_social_worker +
               r.attraction_reputation_coefficient * reputation_ + r.marketing_attraction);

  const int calendar_month = p_->time.start.plus_months(month).month;
  flows_.applicants_nqsw = poisson(
      stream_, Purpose::applicants_nqsw, month,
      r.nqsw_applicants_per_month * r.nqsw_season[static_cast<std::size_t>(calendar_month - 1)] * attraction);
  flows_.applicants_experienced = poisson(stream_, Purpose::applicants_experienced, month,
                                          r.experienced_applicants_per_month * attraction);
  const int applicants_pm = poisson(stream_, Purpose::applicants_practice_manager, month,
                                    r.practice_manager_applicants_per_month * attraction);

  int open_posts = std::max(0, static_cast<int>(std::floor(r.social_work_posts - social_work_fte_in_post() -
                                                           pipeline_count(false) + 1e-9)));
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
  // what is left, within the maximum newly qualified share of hires.
  offer(flows_.applicants_experienced, Purpose::acceptance_experienced, r.experienced_acceptance_probability,
        person_ids::kExperiencedHires, Role::social_worker, r.experienced_notice_months, [] { return true; });
  const double max_share = r.max_nqsw_share_of_hires;
  offer(flows_.applicants_nqsw, Purpose::acceptance_nqsw, r.nqsw_acceptance_probability,
        person_ids::kNqswHires, Role::social_worker, r.nqsw_notice_months,
        [&] { return max_share >= 1.0 || hires_nqsw_so_far_ + 1 <= max_share * (hires_so_far_ + 1) + 1e-9; });

  open_posts =
      std::max(0, static_cast<int>(std::floor(r.practice_manager_posts - practice_manager_fte_in_post() -
                                              pipeline_count(true) + 1e-9)));
  offer(applicants_pm, Purpose::acceptance_practice_manager, r.experienced_acceptance_probability,
        person_ids::kPracticeManagerHires, Role::practice_manager, r.experienced_notice_months,
        [] { return true; });
}

void Simulation::agency_cover(int month) {
  const auto& ag = p_->agency;
  const auto& r = p_->recruitment;
  int open_posts = std::max(0, static_cast<int>(std::floor(r.social_work_posts - social_work_fte_in_post() -
                                                           pipeline_count(false) + 1e-9)));
  for (std::size_t i = 0; i < people_.size(); ++i) {
    if (people_.role[i] != Role::agency) continue;
    const std::uint32_t id = people_.id[i];
    if (uniform01(stream_, Purpose::agency_end, id, month) < ag.monthly_end_probability) {
      people_.leaving[i] = 1;
    } else if (open_posts > 0 && uniform01(stream_, Purpose::agency_conversion, id, month) <
                                     ag.monthly_conversion_probability) {
      people_.role[i] = Role::social_worker;
      people_.tenure_months[i] = 0;
      --open_posts;
      ++flows_.starters_conversions;
    }
  }
  people_.compact();

  // Agency workers cover posts that have nobody in them, up to the cap.
  const int uncovered =
      std::max(0, static_cast<int>(std::floor(r.social_work_posts - social_work_fte_in_post() + 1e-9)));
  const int target = ag.cap < 0 ? uncovered : std::min(uncovered, ag.cap);
  int agency = 0;
  for (std::size_t i = 0; i < people_.size(); ++i) agency += people_.role[i] == Role::agency;
  if (agency > target) {
    // Release the most recent assignments first.
    for (std::size_t i = people_.size(); i-- > 0 && agency > target;) {
      if (people_.role[i] == Role::agency) {
        people_.leaving[i] = 1;
        --agency;
      }
    }
    people_.compact();
  } else if (agency < target) {
    const int supply = poisson(stream_, Purpose::agency_supply, month, ag.new_workers_per_month);
    const int joining = std::min(supply, target - agency);
    for (int k = 0; k < joining; ++k)
      people_.add(new_person(person_ids::in_month(person_ids::kAgency, month, static_cast<std::uint32_t>(k)),
                             Role::agency, month));
  }
}

void Simulation::record(int month, const MetricSink& sink) {
  const auto& p = *p_;
  std::array<int, kBandCount> band_count{};
  std::array<double, kBandCount> band_fte{};
  std::array<double, kBandCount> band_cases{};
  int under_two_years = 0;
  int social_workers = 0;
  int advanced_practitioners = 0;
  int practice_managers = 0;
  int trainees = 0;
  int agency = 0;
  double permanent_fte = 0;
  double agency_fte = 0;
  double burnout_sum = 0;
  double salary_gbp_per_year = 0;
  const double ap_salary = p.pay.social_worker_gbp_per_year + p.pay.advanced_practitioner_uplift_gbp_per_year;
  for (std::size_t i = 0; i < people_.size(); ++i) {
    const Role role = people_.role[i];
    const double fte = people_.fte[i];
    switch (role) {
      case Role::agency:
        ++agency;
        agency_fte += fte;
        continue;
      case Role::trainee:
        ++trainees;
        salary_gbp_per_year += fte * p.pay.trainee_gbp_per_year;
        continue;
      case Role::practice_manager:
        ++practice_managers;
        salary_gbp_per_year += fte * p.pay.practice_manager_gbp_per_year;
        break;
      case Role::social_worker:
      case Role::advanced_practitioner: {
        const bool advanced = role == Role::advanced_practitioner;
        ++(advanced ? advanced_practitioners : social_workers);
        salary_gbp_per_year += fte * (advanced ? ap_salary : p.pay.social_worker_gbp_per_year);
        const int pq = people_.pq_months[i];
        const auto band = static_cast<std::size_t>(band_of(pq));
        ++band_count[band];
        under_two_years += pq < 24;
        band_fte[band] += fte;
        const double standard =
            advanced ? p.caseload.advanced_practitioner_standard : p.caseload.standard_by_band[band];
        band_cases[band] += fte * standard * allocation_.band_ratio[band];
        break;
      }
    }
    permanent_fte += fte;
    burnout_sum += people_.burnout[i];
  }
  const int permanent = social_workers + advanced_practitioners + practice_managers;
  const int case_holders = band_count[0] + band_count[1] + band_count[2];
  const double establishment = p.recruitment.social_work_posts + p.recruitment.practice_manager_posts;
  const double vacancies =
      std::max(0.0, establishment - permanent_fte - static_cast<double>(pipeline_.size()));
  auto share = [](double part, double whole) { return whole > 0 ? part / whole : 0.0; };
  // An average over nobody is missing, not zero.
  auto average = [](double total, double weight) { return weight > 0 ? total / weight : std::nan(""); };

  const double cost_salaries = salary_gbp_per_year * p.pay.on_cost_multiplier / 12.0;
  const double cost_agency = agency_fte * p.agency.cost_gbp_per_year / 12.0;
  const double cost_recruitment = flows_.external_starters * p.recruitment.cost_gbp_per_hire;
  const double cost_asye = band_fte[0] * p.asye.support_gbp_per_nqsw_per_year / 12.0;
  const double cost_marketing = p.recruitment.marketing_gbp_per_month;

  const auto& f = flows_;
  const int starters =
      f.starters_nqsw + f.starters_experienced + f.starters_trainees + f.starters_conversions;
  sink.set(Metric::permanent_qsw, month, permanent);
  sink.set(Metric::permanent_qsw_fte, month, permanent_fte);
  sink.set(Metric::nqsw, month, band_count[0]);
  sink.set(Metric::early, month, band_count[1]);
  sink.set(Metric::experienced, month, band_count[2]);
  sink.set(Metric::social_workers, month, social_workers);
  sink.set(Metric::advanced_practitioners, month, advanced_practitioners);
  sink.set(Metric::practice_managers, month, practice_managers);
  sink.set(Metric::trainees, month, trainees);
  sink.set(Metric::agency, month, agency);
  sink.set(Metric::starters, month, starters);
  sink.set(Metric::starters_nqsw, month, f.starters_nqsw);
  sink.set(Metric::starters_experienced, month, f.starters_experienced);
  sink.set(Metric::starters_trainees, month, f.starters_trainees);
  sink.set(Metric::starters_agency_conversions, month, f.starters_conversions);
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
  sink.set(Metric::agency_rate, month, share(agency_fte, agency_fte + permanent_fte));
  sink.set(Metric::nqsw_share, month, share(band_count[0], case_holders));
  sink.set(Metric::under_2y_share, month, share(under_two_years, case_holders));
  sink.set(Metric::demand_cases, month, demand_);
  sink.set(Metric::load_ratio, month, allocation_.load_ratio);
  sink.set(Metric::caseload_nqsw, month, average(band_cases[0], band_fte[0]));
  sink.set(Metric::caseload_early, month, average(band_cases[1], band_fte[1]));
  sink.set(Metric::caseload_experienced, month, average(band_cases[2], band_fte[2]));
  sink.set(Metric::supervision_span, month, allocation_.span);
  sink.set(Metric::burnout_mean, month, share(burnout_sum, permanent));
  sink.set(Metric::cost_total, month,
           cost_salaries + cost_agency + cost_recruitment + cost_asye + cost_marketing);
  sink.set(Metric::cost_salaries, month, cost_salaries);
  sink.set(Metric::cost_agency, month, cost_agency);
  sink.set(Metric::cost_recruitment, month, cost_recruitment);
  sink.set(Metric::cost_asye, month, cost_asye);
  sink.set(Metric::cost_marketing, month, cost_marketing);
}

}  // namespace wfsim::model
