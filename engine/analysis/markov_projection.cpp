#include "analysis/markov_projection.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/allocation.hpp"
#include "model/simulation.hpp"

namespace wfsim::analysis {

using model::band_of;
using model::kBandCount;

namespace {

using model::kMaxPqMonths;
using model::monthly_probability;
constexpr int kSecondYearEndMonths = model::kSecondYearEndTenureMonths;

// P(min(480, floor(minimum + X)) = n) for n = 0..480, X exponential with
// `mean`: how the microsimulation draws the pq months of experienced staff.
std::vector<double> floor_exponential(double minimum, double mean) {
  std::vector<double> out(kMaxPqMonths + 1, 0.0);
  const int first = std::clamp(static_cast<int>(std::floor(minimum)), 0, kMaxPqMonths);
  if (!(mean > 0)) {
    out[static_cast<std::size_t>(first)] = 1.0;
    return out;
  }
  auto survival = [&](double x) { return x > 0 ? std::exp(-x / mean) : 1.0; };  // P(X >= x)
  for (int n = first; n < kMaxPqMonths; ++n)
    out[static_cast<std::size_t>(n)] = survival(n - minimum) - survival(n + 1 - minimum);
  out[kMaxPqMonths] = survival(kMaxPqMonths - minimum);
  return out;
}

// P(floor(share * pq) = j) for j = 0..cap (the last collecting the rest),
// share uniform on [share_min, 1): the initial tenure of a worker with pq months.
std::vector<double> initial_tenure(int pq, double share_min, int cap) {
  std::vector<double> out(static_cast<std::size_t>(cap) + 1, 0.0);
  const double low = share_min * pq;
  const double high = pq;
  if (!(high > low)) {  // no experience, or a share of exactly 1
    out[static_cast<std::size_t>(std::min(pq, cap))] = 1.0;
    return out;
  }
  for (int j = static_cast<int>(std::floor(low)); j < pq; ++j) {
    const double overlap = std::min<double>(j + 1, high) - std::max<double>(j, low);
    if (overlap > 0) out[static_cast<std::size_t>(std::min(j, cap))] += overlap / (high - low);
  }
  return out;
}

}  // namespace

std::vector<double> Projection::annual_net_loss() const {
  std::vector<double> out(months.size() / 12, 0.0);
  for (std::size_t t = 0; t < out.size() * 12; ++t) out[t / 12] += months[t].leavers - months[t].starters;
  return out;
}

MarkovProjection::MarkovProjection(const model::Parameters& parameters, const ProjectionOptions& options)
    : p_(parameters), months_(parameters.time.months) {
  const auto& p = p_;
  for (int t = 0; t < months_; ++t) terms_.push_back(model::terms_in_force(p, t));

  // The caps are the largest thresholds a rule reads: beyond them every
  // person of a role behaves the same.
  pq_cap_ = std::min(kMaxPqMonths, std::max({model::kEarlyEndPqMonths, p.progression.ap_min_pq_months,
                                             p.progression.pm_min_pq_months}));
  // A qualified trainee's bond lasts while pq is under bond_months (pq and
  // tenure both start counting at qualification), so pq is kept that far.
  const auto& step_up = p.step_up;
  if (step_up.bond_months > 0 && step_up.bond_hazard_multiplier != 1.0)
    pq_cap_ = std::min(kMaxPqMonths, std::max(pq_cap_, step_up.bond_months));
  training_months_ = std::max(1, step_up.training_months);
  tenure_cap_ = kSecondYearEndMonths;
  const auto& retention = p.policies.retention_payment;
  if (retention.enabled)
    for (const int milestone : retention.tenure_milestones_months)
      tenure_cap_ = std::max(tenure_cap_, milestone + std::max(0, retention.clawback_months));
  // Nobody's tenure can pass the longest career plus the horizon.
  tenure_cap_ = std::min(tenure_cap_, kMaxPqMonths + months_);

  trainee_base_ = 3 * (pq_cap_ + 1) * (tenure_cap_ + 1) * 2;
  sink_base_ = trainee_base_ + training_months_ * (tenure_cap_ + 1);
  states_ = sink_base_ + 3;
  group_.assign(static_cast<std::size_t>(states_), social_worker);
  pq_.assign(static_cast<std::size_t>(states_), 0);
  tenure_.assign(static_cast<std::size_t>(states_), 0);
  bonded_.assign(static_cast<std::size_t>(states_), 0);
  for (int role = 0; role < 3; ++role)
    for (int pq = 0; pq <= pq_cap_; ++pq)
      for (int tenure = 0; tenure <= tenure_cap_; ++tenure)
        for (int bonded = 0; bonded < 2; ++bonded) {
          const auto i = static_cast<std::size_t>(qualified(role, pq, tenure, bonded));
          group_[i] = static_cast<Group>(role);
          pq_[i] = static_cast<std::int16_t>(pq);
          tenure_[i] = static_cast<std::int16_t>(tenure);
          bonded_[i] = static_cast<std::uint8_t>(bonded);
        }
  for (int k = 0; k < training_months_; ++k)
    for (int tenure = 0; tenure <= tenure_cap_; ++tenure) {
      const auto i = static_cast<std::size_t>(trainee_state(k, tenure));
      group_[i] = trainee;
      pq_[i] = static_cast<std::int16_t>(k);
      tenure_[i] = static_cast<std::int16_t>(tenure);
    }
  for (const Group g : {left, asye_failed, dropped_out}) group_[static_cast<std::size_t>(sink(g))] = g;

  // The initial workforce: the roster's people as they are, or the
  // distribution Simulation::initialise_workforce draws it from.
  const auto& w = p.workforce;
  mean_fte_ = 1.0 - w.part_time_share + w.part_time_share * w.part_time_fte;
  initial_ = Eigen::VectorXd::Zero(states_);
  const double extra_mean = w.experienced_extra_pq_mean_months;
  if (!w.roster.empty()) {
    add_roster();
  } else {
    auto add_initial = [&](int role, double count, const std::vector<double>& pq_probability) {
      if (!(count > 0)) return;
      for (int pq = 0; pq <= kMaxPqMonths; ++pq) {
        const double share = pq_probability[static_cast<std::size_t>(pq)];
        if (!(share > 0)) continue;
        const auto tenure = initial_tenure(pq, w.tenure_share_of_pq_min, tenure_cap_);
        for (int j = 0; j <= tenure_cap_; ++j)
          initial_[qualified(role, std::min(pq, pq_cap_), j, 0)] +=
              count * share * tenure[static_cast<std::size_t>(j)];
      }
    };
    auto uniform_pq = [](int low, int high) {
      std::vector<double> out(kMaxPqMonths + 1, 0.0);
      for (int pq = low; pq < high; ++pq) out[static_cast<std::size_t>(pq)] = 1.0 / (high - low);
      return out;
    };
    const double senior_min = std::max<double>(model::kEarlyEndPqMonths, w.senior_min_pq_months);
    add_initial(social_worker, w.social_workers[0], uniform_pq(0, model::kNqswEndPqMonths));
    add_initial(social_worker, w.social_workers[1],
                uniform_pq(model::kNqswEndPqMonths, model::kEarlyEndPqMonths));
    add_initial(social_worker, w.social_workers[2], floor_exponential(model::kEarlyEndPqMonths, extra_mean));
    add_initial(advanced_practitioner, w.advanced_practitioners, floor_exponential(senior_min, extra_mean));
    add_initial(practice_manager, w.practice_managers, floor_exponential(senior_min, extra_mean));
    // A trainee's tenure is the months of training done.
    for (int k = 0; k < training_months_; ++k)
      initial_[trainee_state(k, std::min(k, tenure_cap_))] +=
          static_cast<double>(w.trainees) / training_months_;
  }

  auto collapse = [&](const std::vector<double>& full) {
    std::vector<double> out(static_cast<std::size_t>(pq_cap_) + 1, 0.0);
    for (int pq = 0; pq <= kMaxPqMonths; ++pq)
      out[static_cast<std::size_t>(std::min(pq, pq_cap_))] += full[static_cast<std::size_t>(pq)];
    return out;
  };
  experienced_hire_pq_ = collapse(floor_exponential(model::kNqswEndPqMonths, extra_mean));
  practice_manager_hire_pq_ = collapse(floor_exponential(w.senior_min_pq_months, extra_mean));

  hold_allocation_at_start();
  derive_recruitment(options);
}

// One person a row: the roster's pq, tenure and FTE (agency workers are left
// out; a trainee whose training is done qualifies in the first month).
void MarkovProjection::add_roster() {
  double fte = 0;
  int permanent = 0;
  for (const model::RosterRow& row : p_.workforce.roster) {
    const int tenure = std::clamp(row.tenure_months, 0, tenure_cap_);
    switch (row.role) {
      case model::Role::social_worker:
      case model::Role::advanced_practitioner:
      case model::Role::practice_manager:
        initial_[qualified(static_cast<int>(row.role), std::clamp(row.pq_months, 0, pq_cap_), tenure, 0)] +=
            1.0;
        fte += row.fte;
        ++permanent;
        break;
      case model::Role::trainee:
        initial_[trainee_state(std::clamp(row.pq_months, 0, training_months_ - 1), tenure)] += 1.0;
        break;
      case model::Role::agency:
        break;
    }
  }
  if (permanent > 0) mean_fte_ = fte / permanent;
}

// Month 0's allocation, supervision and strain, from the initial FTE (its
// expectation when drawn): what burnout, grade 9 progression and reputation
// are held at.
void MarkovProjection::hold_allocation_at_start() {
  const auto& p = p_;
  const auto& c = p.caseload;
  const auto& w = p.workforce;
  const TermsInForce n = terms_in_force(p, 0);

  model::BandValues band_capacity{};
  double agency_capacity = 0;
  double case_holders = 0;
  double managers = 0;
  if (w.roster.empty()) {
    for (int band = 0; band < kBandCount; ++band)
      band_capacity[band] = mean_fte_ * w.social_workers[band] * c.standard_by_band[band] * n.availability;
    band_capacity[2] +=
        mean_fte_ * w.advanced_practitioners * c.advanced_practitioner_standard * n.availability;
    agency_capacity = w.agency * c.agency_standard;
    case_holders =
        w.social_workers[0] + w.social_workers[1] + w.social_workers[2] + w.advanced_practitioners + w.agency;
    managers = w.practice_managers;
  } else {
    for (const model::RosterRow& row : w.roster) {
      const auto band = static_cast<std::size_t>(band_of(row.pq_months));
      switch (row.role) {
        case model::Role::social_worker:
          band_capacity[band] += row.fte * c.standard_by_band[band] * n.availability;
          ++case_holders;
          break;
        case model::Role::advanced_practitioner:
          band_capacity[band] += row.fte * c.advanced_practitioner_standard * n.availability;
          ++case_holders;
          break;
        case model::Role::agency:
          agency_capacity += row.fte * c.agency_standard;
          ++case_holders;
          break;
        case model::Role::practice_manager:
          ++managers;
          break;
        case model::Role::trainee:
          break;
      }
    }
  }
  double shock = 1.0;
  for (const auto& s : p.demand.shocks)
    if (s.month_index == 0) shock *= s.multiplier;
  const double effective_demand = p.demand.initial_cases * shock * n.demand_multiplier;
  const model::CaseAllocation cases = model::allocate(effective_demand, band_capacity, agency_capacity,
                                                      c.allocation_weight_by_band, n.ratio_cap);
  held_.load_ratio = cases.load_ratio;

  const double span = managers > 0 ? case_holders / managers : case_holders;
  held_.overstretch = std::max(0.0, span / p.supervision.standard_span - 1.0);
  const auto& b = p.burnout;
  const double span_strain = b.span_weight * held_.overstretch + n.baseline_strain;
  const double beta = p.attrition.burnout_coefficient;
  for (int band = 0; band < kBandCount; ++band) {
    const double band_ratio = cases.band_ratio[band];
    double strain = b.load_weight * std::max(0.0, band_ratio - 1.0) + span_strain;
    if (band == 0) strain *= n.nqsw_strain_multiplier;
    held_.burnout_by_band[band] = strain;
    held_.burnout_hazard_multiplier_by_band[band] = std::exp(beta * strain);
  }
  held_.practice_manager_burnout = span_strain;
  held_.practice_manager_burnout_hazard_multiplier = std::exp(beta * span_strain);
  held_.ap_probability_factor = 1.0 / (1.0 + p.supervision.progression_slowdown * held_.overstretch);
}

// Expected starters by month: offers accepted before the start, then
// expected applicants x acceptance, each starting after its notice, with
// attractiveness at the month-0 reputation and no cap on offers.
void MarkovProjection::derive_recruitment(const ProjectionOptions& options) {
  const auto& p = p_;
  const auto& r = p.recruitment;
  const auto& w = p.workforce;
  const auto months = static_cast<std::size_t>(months_);
  nqsw_starters_.assign(months, 0.0);
  experienced_starters_.assign(months, 0.0);
  practice_manager_starters_.assign(months, 0.0);
  practice_manager_pipeline_.assign(months, 0.0);
  if (months_ == 0) return;

  // Reputation as the microsimulation sets it in month 0: from the month's
  // overload and its (expected) turnover.
  Flows flows{};
  add_flows(progression_matrix(0, initial_), initial_, flows);
  double leavers = 0;
  for (int role = 0; role < 3; ++role) leavers += flows[role][left] + flows[role][asye_failed];
  const double staff = model::initial_permanent_qsw(p);
  const double turnover = staff > 0 ? 12.0 * leavers / staff : 0.0;
  held_.reputation = -(r.reputation_overload_weight * std::max(0.0, held_.load_ratio - 1.0) +
                       r.reputation_turnover_weight * turnover);
  held_.reputation_attraction_multiplier = std::exp(r.attraction_reputation_coefficient * held_.reputation);

  auto starting = [&](std::vector<double>& series, int start, double count) {
    if (start < months_) series[static_cast<std::size_t>(start)] += count;
  };
  for (int k = 0; k < w.accepted_offers_nqsw; ++k) starting(nqsw_starters_, k % r.nqsw_notice_months, 1.0);
  for (int k = 0; k < w.accepted_offers_experienced; ++k)
    starting(experienced_starters_, k % r.experienced_notice_months, 1.0);
  for (int m = 0; m < months_; ++m) {
    const auto& n = terms_[static_cast<std::size_t>(m)];
    const double attraction = n.attraction * held_.reputation_attraction_multiplier;
    const int calendar_month = p.time.start.plus_months(m).month;
    starting(nqsw_starters_, m + n.nqsw_notice_months,
             r.nqsw_applicants_per_month * r.nqsw_season[static_cast<std::size_t>(calendar_month - 1)] *
                 attraction * r.nqsw_acceptance_probability);
    starting(experienced_starters_, m + n.experienced_notice_months,
             r.experienced_applicants_per_month * attraction * r.experienced_acceptance_probability);
    const double managers =
        r.practice_manager_applicants_per_month * attraction * r.experienced_acceptance_probability;
    const int start = m + n.experienced_notice_months;
    starting(practice_manager_starters_, start, managers);
    // Accepted, not yet started when next months' internal promotions are decided.
    for (int t = m + 1; t <= std::min(start, months_ - 1); ++t)
      practice_manager_pipeline_[static_cast<std::size_t>(t)] += managers;
  }
  if (options.nqsw_starters_per_month) nqsw_starters_.assign(months, *options.nqsw_starters_per_month);
  if (options.experienced_starters_per_month)
    experienced_starters_.assign(months, *options.experienced_starters_per_month);
}

double MarkovProjection::retention_multiplier(int role, int band, int tenure, int month) const {
  const auto& policy = p_.policies.retention_payment;
  if (!policy.enabled || !(policy.amount_gbp > 0) || !policy.roles[static_cast<std::size_t>(role)] ||
      !policy.bands[static_cast<std::size_t>(band)])
    return 1.0;
  double multiplier = 1.0;
  for (const int milestone : policy.tenure_milestones_months) {
    const int payment_month = month + (milestone - tenure) - 1;
    if (payment_month < policy.start_month) continue;
    if (milestone > tenure && milestone - tenure <= policy.anticipation_months) {
      const double salary =
          terms_[static_cast<std::size_t>(month)].salary_gbp_per_year[static_cast<std::size_t>(role)];
      multiplier *= std::exp(-policy.anticipation_coefficient * policy.amount_gbp / std::max(salary, 1.0));
    } else if (milestone <= tenure && tenure - milestone < policy.clawback_months) {
      multiplier *= policy.clawback_hazard_multiplier;
    }
  }
  return multiplier;
}

double MarkovProjection::leaving_probability(int state, int month) const {
  const auto i = static_cast<std::size_t>(state);
  const int role = group_[i];
  const int band = static_cast<int>(band_of(pq_[i]));
  const int tenure = tenure_[i];
  const auto& at = p_.attrition;
  const double tenure_multiplier = tenure < model::kNqswEndPqMonths ? at.tenure_multiplier_first_year
                                   : tenure < kSecondYearEndMonths  ? at.tenure_multiplier_second_year
                                                                    : 1.0;
  const double bond = bonded_[i] && pq_[i] < p_.step_up.bond_months ? p_.step_up.bond_hazard_multiplier : 1.0;
  const double burnout = role == practice_manager ? held_.practice_manager_burnout_hazard_multiplier
                                                  : held_.burnout_hazard_multiplier_by_band[band];
  const double hazard = terms_[static_cast<std::size_t>(month)]
                            .hazard_factor[static_cast<std::size_t>(role)][static_cast<std::size_t>(band)] *
                        tenure_multiplier * bond * burnout * retention_multiplier(role, band, tenure, month);
  return monthly_probability(hazard);
}

// A_t: attrition, then ageing, ASYE, grade 9 progression and step-up
// qualification (Simulation::burnout_and_attrition and the per-person part of
// Simulation::progression).
MarkovProjection::Matrix MarkovProjection::progression_matrix(int month, const Eigen::VectorXd& stock) const {
  const auto& n = terms_[static_cast<std::size_t>(month)];
  const int ap_min = p_.progression.ap_min_pq_months;
  const int qualified_states = trainee_base_;
  std::vector<double> leaving(static_cast<std::size_t>(qualified_states));
  for (int i = 0; i < qualified_states; ++i)
    leaving[static_cast<std::size_t>(i)] = leaving_probability(i, month);

  auto next_pq = [&](int i) { return std::min(pq_[static_cast<std::size_t>(i)] + 1, pq_cap_); };
  double ap_probability = n.ap_monthly_probability * held_.ap_probability_factor;
  if (n.ap_post_limit >= 0) {
    // Mean field: the expected promotions fill at most the expected free posts.
    double advanced_practitioners = 0;
    double eligible = 0;
    for (int i = 0; i < qualified_states; ++i) {
      const auto k = static_cast<std::size_t>(i);
      const double staying = stock[i] * (1.0 - leaving[k]);
      if (group_[k] == advanced_practitioner) advanced_practitioners += staying;
      if (group_[k] == social_worker && next_pq(i) >= ap_min)
        eligible +=
            staying * (next_pq(i) == model::kNqswEndPqMonths ? 1.0 - n.asye_failure_probability : 1.0);
    }
    const double room = std::max(0.0, n.ap_post_limit - advanced_practitioners);
    if (eligible * ap_probability > room) ap_probability = room / eligible;
  }

  std::vector<Eigen::Triplet<double>> entries;
  entries.reserve(static_cast<std::size_t>(states_) * 3);
  for (int i = 0; i < qualified_states; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const int role = group_[k];
    const double q = leaving[k];
    if (q > 0) entries.emplace_back(i, sink(left), q);
    double staying = 1.0 - q;
    const int pq = next_pq(i);
    const int tenure = std::min(tenure_[k] + 1, tenure_cap_);
    const int bonded = bonded_[k];
    if (role == social_worker) {
      if (pq == model::kNqswEndPqMonths && n.asye_failure_probability > 0) {
        entries.emplace_back(i, sink(asye_failed), staying * n.asye_failure_probability);
        staying *= 1.0 - n.asye_failure_probability;
      }
      if (pq >= ap_min && ap_probability > 0) {
        entries.emplace_back(i, qualified(advanced_practitioner, pq, tenure, bonded),
                             staying * ap_probability);
        staying *= 1.0 - ap_probability;
      }
    }
    entries.emplace_back(i, qualified(role, pq, tenure, bonded), staying);
  }
  const double dropout = monthly_probability(p_.attrition.trainee_annual_rate);
  for (int k = 0; k < training_months_; ++k)
    for (int tenure = 0; tenure <= tenure_cap_; ++tenure) {
      const int i = trainee_state(k, tenure);
      if (dropout > 0) entries.emplace_back(i, sink(dropped_out), dropout);
      // A qualifying trainee joins as grade 8 at pq 0, bonded, keeping tenure.
      const int next_tenure = std::min(tenure + 1, tenure_cap_);
      entries.emplace_back(i,
                           k + 1 >= training_months_ ? qualified(social_worker, 0, next_tenure, 1)
                                                     : trainee_state(k + 1, next_tenure),
                           1.0 - dropout);
    }
  for (const Group g : {left, asye_failed, dropped_out}) entries.emplace_back(sink(g), sink(g), 1.0);
  Matrix matrix(states_, states_);
  matrix.setFromTriplets(entries.begin(), entries.end());
  return matrix;
}

// B_t: internal promotion to practice manager. Each vacant post is filled
// with pm_internal_probability; in expectation p * vacancies, taken from the
// eligible advanced practitioners in proportion to their expected numbers.
MarkovProjection::Matrix MarkovProjection::promotion_matrix(int month, const Eigen::VectorXd& stock) const {
  const auto& pr = p_.progression;
  auto candidate = [&](std::size_t i) {
    return group_[i] == advanced_practitioner && pq_[i] >= pr.pm_min_pq_months;
  };
  double rate = 0;
  if (pr.pm_internal_probability > 0) {
    double managers = 0;
    double candidates = 0;
    for (int i = 0; i < trainee_base_; ++i) {
      const auto k = static_cast<std::size_t>(i);
      if (group_[k] == practice_manager) managers += stock[i];
      if (candidate(k)) candidates += stock[i];
    }
    const double vacant =
        std::max(0.0, terms_[static_cast<std::size_t>(month)].practice_manager_posts - mean_fte_ * managers -
                          practice_manager_pipeline_[static_cast<std::size_t>(month)]);
    const double promoted = std::min(pr.pm_internal_probability * vacant, candidates);
    rate = candidates > 0 ? promoted / candidates : 0.0;
  }
  std::vector<Eigen::Triplet<double>> entries;
  entries.reserve(static_cast<std::size_t>(states_) + 1024);
  for (int i = 0; i < states_; ++i) {
    const auto k = static_cast<std::size_t>(i);
    if (rate > 0 && candidate(k)) {
      entries.emplace_back(i, qualified(practice_manager, pq_[k], tenure_[k], bonded_[k]), rate);
      entries.emplace_back(i, i, 1.0 - rate);
    } else {
      entries.emplace_back(i, i, 1.0);
    }
  }
  Matrix matrix(states_, states_);
  matrix.setFromTriplets(entries.begin(), entries.end());
  return matrix;
}

void MarkovProjection::add_flows(const Matrix& matrix, const Eigen::VectorXd& stock, Flows& flows) const {
  for (int i = 0; i < matrix.outerSize(); ++i) {
    if (stock[i] == 0) continue;
    const int from = group_[static_cast<std::size_t>(i)];
    for (Matrix::InnerIterator it(matrix, i); it; ++it) {
      const int to = group_[static_cast<std::size_t>(it.col())];
      if (to != from)
        flows[static_cast<std::size_t>(from)][static_cast<std::size_t>(to)] += stock[i] * it.value();
    }
  }
}

MarkovProjection::Matrix MarkovProjection::transition(int month, const Eigen::VectorXd& stock) const {
  const Matrix progression = progression_matrix(month, stock);
  const Eigen::VectorXd after = progression.transpose() * stock;
  return progression * promotion_matrix(month, after);
}

void MarkovProjection::add_hire(Eigen::VectorXd& stock, int role, const std::vector<double>& pq_distribution,
                                double count) const {
  if (count == 0) return;
  for (int pq = 0; pq <= pq_cap_; ++pq)
    stock[qualified(role, pq, 0, 0)] += count * pq_distribution[static_cast<std::size_t>(pq)];
}

Eigen::VectorXd MarkovProjection::inflow(int month) const {
  const auto t = static_cast<std::size_t>(month);
  Eigen::VectorXd entrants = Eigen::VectorXd::Zero(states_);
  entrants[trainee_state(0, 0)] += terms_[t].trainee_intake;
  entrants[qualified(social_worker, 0, 0, 0)] += nqsw_starters_[t];
  add_hire(entrants, social_worker, experienced_hire_pq_,
           experienced_starters_[t] + terms_[t].moves_in_per_month);
  add_hire(entrants, practice_manager, practice_manager_hire_pq_, practice_manager_starters_[t]);
  return entrants;
}

Projection MarkovProjection::run() const {
  Projection out;
  out.start = p_.time.start;
  out.initial_permanent_qsw = model::initial_permanent_qsw(p_);
  out.initial_trainees = initial_.segment(trainee_base_, sink_base_ - trainee_base_).sum();
  out.states = states_;
  out.pq_cap_months = pq_cap_;
  out.tenure_cap_months = tenure_cap_;
  out.held = held_;
  Eigen::VectorXd stock = initial_;
  for (int month = 0; month < months_; ++month) {
    const auto t = static_cast<std::size_t>(month);
    const Matrix progression = progression_matrix(month, stock);
    const Eigen::VectorXd after_progression = progression.transpose() * stock;
    const Matrix promotion = promotion_matrix(month, after_progression);
    Flows flows{};
    add_flows(progression, stock, flows);
    add_flows(promotion, after_progression, flows);
    stock = promotion.transpose() * after_progression + inflow(month);

    ProjectedMonth m;
    std::array<double, 3> in_role{};
    model::BandValues band{};
    for (int i = 0; i < trainee_base_; ++i) {
      const auto k = static_cast<std::size_t>(i);
      in_role[group_[k]] += stock[i];
      if (group_[k] != practice_manager) band[static_cast<std::size_t>(band_of(pq_[k]))] += stock[i];
    }
    for (int i = trainee_base_; i < sink_base_; ++i) m.trainees += stock[i];
    m.social_workers = in_role[social_worker];
    m.advanced_practitioners = in_role[advanced_practitioner];
    m.practice_managers = in_role[practice_manager];
    m.permanent_qsw = in_role[0] + in_role[1] + in_role[2];
    m.nqsw = band[0];
    m.early = band[1];
    m.experienced = band[2];
    for (int role = 0; role < 3; ++role) {
      m.leavers += flows[role][left] + flows[role][asye_failed];
      m.asye_failures += flows[role][asye_failed];
    }
    m.promotions_ap = flows[social_worker][advanced_practitioner];
    m.promotions_pm = flows[advanced_practitioner][practice_manager];
    m.starters_trainees = flows[trainee][social_worker];
    m.trainee_dropouts = flows[trainee][dropped_out];
    m.trainee_intake = terms_[t].trainee_intake;
    m.starters_nqsw = nqsw_starters_[t];
    m.starters_experienced = experienced_starters_[t] + practice_manager_starters_[t];
    m.starters_internal = terms_[t].moves_in_per_month;
    m.starters = m.starters_nqsw + m.starters_experienced + m.starters_trainees + m.starters_internal;
    out.months.push_back(m);
  }
  return out;
}

Projection project(const model::Parameters& parameters, const ProjectionOptions& options) {
  return MarkovProjection(parameters, options).run();
}

}  // namespace wfsim::analysis
