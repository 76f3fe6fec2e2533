#include "analysis/markov_projection.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/entry.hpp"
#include "model/leaving.hpp"
#include "model/progression.hpp"
#include "model/recruitment.hpp"

namespace wfsim::analysis {

using model::band_of;
using model::kBandCount;
using model::kMaxPqMonths;

std::vector<double> Projection::annual_net_loss() const {
  constexpr std::size_t kMonthsPerYear = 12;
  std::vector<double> out(months.size() / kMonthsPerYear, 0.0);
  for (std::size_t t = 0; t < out.size() * kMonthsPerYear; ++t)
    out[t / kMonthsPerYear] += months[t][model::Metric::leavers] - months[t][model::Metric::starters];
  return out;
}

MarkovProjection::MarkovProjection(const model::Parameters& parameters, const ProjectionOptions& options)
    : p_(parameters), months_(parameters.time.months) {
  const auto& p = p_;
  model::terms_for_run(p, terms_);

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
  tenure_cap_ = model::kSecondYearEndTenureMonths;
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
  // distributions model::draw_initial_workforce draws it from.
  const auto& w = p.workforce;
  mean_fte_ = model::mean_permanent_fte(w);
  initial_ = Eigen::VectorXd::Zero(states_);
  if (!w.roster.empty()) {
    add_roster();
  } else {
    auto add_initial = [&](int role, model::Band band, double count) {
      if (!(count > 0)) return;
      const auto pq_probability = model::initial_pq_distribution(p, static_cast<model::Role>(role), band);
      for (int pq = 0; pq <= kMaxPqMonths; ++pq) {
        const double share = pq_probability[static_cast<std::size_t>(pq)];
        if (!(share > 0)) continue;
        const auto tenure = model::initial_tenure_distribution(w, pq, tenure_cap_);
        for (int j = 0; j <= tenure_cap_; ++j)
          initial_[qualified(role, std::min(pq, pq_cap_), j, 0)] +=
              count * share * tenure[static_cast<std::size_t>(j)];
      }
    };
    add_initial(social_worker, model::Band::nqsw, w.social_workers[0]);
    add_initial(social_worker, model::Band::early, w.social_workers[1]);
    add_initial(social_worker, model::Band::experienced, w.social_workers[2]);
    add_initial(advanced_practitioner, model::Band::experienced, w.advanced_practitioners);
    add_initial(practice_manager, model::Band::experienced, w.practice_managers);
    // A trainee's tenure is the months of training done.
    for (int k = 0; k < training_months_; ++k)
      initial_[trainee_state(k, std::min(k, tenure_cap_))] +=
          static_cast<double>(w.trainees) / training_months_;
  }

  auto collapse = [&](const model::PqDistribution& full) {
    std::vector<double> out(static_cast<std::size_t>(pq_cap_) + 1, 0.0);
    for (int pq = 0; pq <= kMaxPqMonths; ++pq)
      out[static_cast<std::size_t>(std::min(pq, pq_cap_))] += full[static_cast<std::size_t>(pq)];
    return out;
  };
  experienced_hire_pq_ = collapse(model::hire_pq_distribution(w, model::Role::social_worker));
  practice_manager_hire_pq_ = collapse(model::hire_pq_distribution(w, model::Role::practice_manager));

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
  const model::MonthTerms& n = terms_.front();

  model::BandValues band_capacity{};
  double agency_capacity = 0;
  double case_holders = 0;
  double managers = 0;
  double manager_fte = 0;
  auto count = [&](model::Role role, model::Band band, double fte, double people) {
    const double standard = model::standard_caseload(c, role, band);
    if (role == model::Role::agency) {
      agency_capacity += fte * standard;
    } else {
      band_capacity[static_cast<std::size_t>(band)] += fte * standard;
    }
    if (role == model::Role::practice_manager) {
      managers += people;
      manager_fte += fte;
    } else if (role != model::Role::trainee) {
      case_holders += people;
    }
  };
  if (w.roster.empty()) {
    for (int band = 0; band < kBandCount; ++band)
      count(model::Role::social_worker, static_cast<model::Band>(band), mean_fte_ * w.social_workers[band],
            w.social_workers[band]);
    count(model::Role::advanced_practitioner, model::Band::experienced, mean_fte_ * w.advanced_practitioners,
          w.advanced_practitioners);
    count(model::Role::agency, model::Band::experienced, w.agency, w.agency);
    count(model::Role::practice_manager, model::Band::experienced, mean_fte_ * w.practice_managers,
          w.practice_managers);
  } else {
    for (const model::RosterRow& row : w.roster) count(row.role, band_of(row.pq_months), row.fte, 1);
  }
  const double effective_demand =
      p.demand.initial_cases * model::shock_by_month(p).front() * n.demand.multiplier;
  const model::MonthAllocation allocation = model::allocate_month(
      p, n.allocation, effective_demand, band_capacity, agency_capacity, case_holders, managers, manager_fte);
  held_.load_ratio = allocation.cases.held_load_ratio;
  held_.overstretch = allocation.overstretch;
  const model::MonthStrain strain = model::month_strain(p.burnout, n.burnout, allocation);
  // The burnout term averaged over resilience: everyone carries the month-0
  // strain times their resilience.
  const auto& offset = n.leaving.burnout_offset;
  const double beta = p.attrition.burnout_coefficient;
  const double sd = p.burnout.resilience_sd;
  for (int band = 0; band < kBandCount; ++band) {
    held_.burnout_by_band[band] = strain.case_holder[band];
    held_.burnout_hazard_multiplier_by_band[band] =
        model::mean_burnout_multiplier(beta, strain.case_holder[band], sd, offset.case_holder[band]);
  }
  held_.practice_manager_burnout = strain.practice_manager;
  held_.practice_manager_burnout_hazard_multiplier =
      model::mean_burnout_multiplier(beta, strain.practice_manager, sd, offset.practice_manager);
  model::ProgressionTerms unit_probability;
  unit_probability.ap_monthly_probability = 1.0;
  held_.ap_probability_factor =
      model::ap_pass_probability(unit_probability, p.supervision, held_.overstretch);
}

// Expected starters by month: offers accepted before the start, then each
// month's expected accepted offers, starting after their notice. Applicants
// come at the month-0 reputation; those drawn by open posts need the
// expected stock, so the projection is stepped once here, month by month.
// Offers never exceed the expected open posts, and the experienced are
// offered first; the hiring-mix rules are left out (docs/model.md).
void MarkovProjection::derive_recruitment(const ProjectionOptions& options) {
  const auto& p = p_;
  const auto& r = p.recruitment;
  const auto& w = p.workforce;
  const auto months = static_cast<std::size_t>(months_);
  recruitment_.assign(months, {});
  movers_.assign(months, 0.0);
  if (months_ == 0) return;

  // Reputation as the microsimulation sets it in month 0: from the month's
  // overload and its (expected) turnover.
  Flows flows{};
  add_flows(progression_matrix(0, initial_), initial_, flows);
  double leavers = 0;
  for (int role = 0; role < 3; ++role) leavers += flows[role][left] + flows[role][asye_failed];
  const double staff = model::initial_permanent_qsw(p);
  const double turnover = model::annualised_turnover(leavers, staff);
  held_.reputation =
      model::updated_reputation(r, 0.0, model::reputation_target(r, held_.load_ratio, turnover), true);
  held_.reputation_attraction_multiplier = model::reputation_attraction(r, held_.reputation);

  auto starting = [&](double ExpectedRecruitment::*starters, int start, double count) {
    if (start < months_) recruitment_[static_cast<std::size_t>(start)].*starters += count;
  };
  using R = ExpectedRecruitment;
  for (int k = 0; k < w.accepted_offers_nqsw; ++k) starting(&R::nqsw_starters, k % r.nqsw_notice_months, 1.0);
  for (int k = 0; k < w.accepted_offers_experienced; ++k)
    starting(&R::experienced_starters, k % r.experienced_notice_months, 1.0);
  double social_work_offers_pending = w.accepted_offers_nqsw + w.accepted_offers_experienced;
  double manager_offers_pending = 0;

  auto in_post = [&](const Eigen::VectorXd& stock, bool managers) {
    double people = 0;
    for (int i = 0; i < trainee_base_; ++i)
      if ((group_[static_cast<std::size_t>(i)] == practice_manager) == managers) people += stock[i];
    return mean_fte_ * people;
  };
  Eigen::VectorXd stock = initial_;
  for (int m = 0; m < months_; ++m) {
    const auto t = static_cast<std::size_t>(m);
    const auto& n = terms_[t].recruitment;
    const Matrix progression = progression_matrix(m, stock);
    const Eigen::VectorXd after_progression = progression.transpose() * stock;
    const Eigen::VectorXd after_promotion =
        promotion_matrix(m, after_progression).transpose() * after_progression;
    // This month's starts, then movers into the open posts.
    social_work_offers_pending -= recruitment_[t].nqsw_starters + recruitment_[t].experienced_starters;
    manager_offers_pending -= recruitment_[t].practice_manager_starters;
    stock = after_promotion + inflow(m);
    double open = std::max(0.0, n.social_work_posts - in_post(stock, false) - social_work_offers_pending);
    movers_[t] = std::min(n.moves_in_per_month, open);
    open -= movers_[t];
    add_hire(stock, social_worker, experienced_hire_pq_, movers_[t]);

    const double open_managers =
        std::max(0.0, n.practice_manager_posts - in_post(stock, true) - manager_offers_pending);
    const model::ApplicantMeans applicants =
        model::expected_applicants(p, n, held_.reputation, m, open, open_managers);
    const double experienced = std::min(open, applicants.experienced * r.experienced_acceptance_probability);
    const double nqsw = std::min(open - experienced, applicants.nqsw * r.nqsw_acceptance_probability);
    const double managers =
        std::min(open_managers, applicants.practice_manager * r.experienced_acceptance_probability);
    starting(&R::experienced_starters, m + n.experienced_notice_months, experienced);
    starting(&R::nqsw_starters, m + n.nqsw_notice_months, nqsw);
    social_work_offers_pending += experienced + nqsw;
    manager_offers_pending += managers;
    const int start = m + n.experienced_notice_months;
    starting(&R::practice_manager_starters, start, managers);
    // Accepted, not yet started when next months' internal promotions are decided.
    for (int later = m + 1; later <= std::min(start, months_ - 1); ++later)
      recruitment_[static_cast<std::size_t>(later)].practice_managers_pending += managers;
  }
  for (ExpectedRecruitment& month : recruitment_) {
    if (options.nqsw_starters_per_month) month.nqsw_starters = *options.nqsw_starters_per_month;
    if (options.experienced_starters_per_month)
      month.experienced_starters = *options.experienced_starters_per_month;
  }
}

double MarkovProjection::leaving_probability(int state, int month) const {
  const auto i = static_cast<std::size_t>(state);
  const auto role = static_cast<model::Role>(group_[i]);
  const model::Band band = band_of(pq_[i]);
  const auto& n = terms_[static_cast<std::size_t>(month)];
  const bool in_bond = bonded_[i] && pq_[i] < p_.step_up.bond_months;
  const double burnout = role == model::Role::practice_manager
                             ? held_.practice_manager_burnout_hazard_multiplier
                             : held_.burnout_hazard_multiplier_by_band[static_cast<std::size_t>(band)];
  return model::monthly_probability(model::annual_hazard(
      model::hazard_before_burnout(n.leaving, p_.attrition, p_.step_up.bond_hazard_multiplier, role, band,
                                   tenure_[i], in_bond),
      burnout,
      model::retention_multiplier(p_.policies.retention_payment, p_.attrition, n.pay, role, band, tenure_[i],
                                  month)));
}

// A_t: attrition, then ageing, ASYE, grade 9 progression and step-up
// qualification (Simulation::burnout_and_attrition and the per-person part of
// Simulation::progression).
MarkovProjection::Matrix MarkovProjection::progression_matrix(int month, const Eigen::VectorXd& stock) const {
  const auto& n = terms_[static_cast<std::size_t>(month)].progression;
  const int ap_min = p_.progression.ap_min_pq_months;
  const int qualified_states = trainee_base_;
  std::vector<double> leaving(static_cast<std::size_t>(qualified_states));
  for (int i = 0; i < qualified_states; ++i)
    leaving[static_cast<std::size_t>(i)] = leaving_probability(i, month);

  auto next_pq = [&](int i) { return std::min(pq_[static_cast<std::size_t>(i)] + 1, pq_cap_); };
  double ap_probability = model::ap_pass_probability(n, p_.supervision, held_.overstretch);
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
  const double dropout = model::monthly_probability(p_.attrition.trainee_annual_rate);
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
        std::max(0.0, terms_[static_cast<std::size_t>(month)].recruitment.practice_manager_posts -
                          mean_fte_ * managers -
                          recruitment_[static_cast<std::size_t>(month)].practice_managers_pending);
    const double promoted = std::min(model::expected_internal_promotions(pr, vacant), candidates);
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
  entrants[trainee_state(0, 0)] += terms_[t].progression.trainee_intake;
  const ExpectedRecruitment& starting = recruitment_[t];
  entrants[qualified(social_worker, 0, 0, 0)] += starting.nqsw_starters;
  add_hire(entrants, social_worker, experienced_hire_pq_, starting.experienced_starters + movers_[t]);
  add_hire(entrants, practice_manager, practice_manager_hire_pq_, starting.practice_manager_starters);
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

    using model::Metric;
    ProjectedMonth m;
    std::array<double, 3> in_role{};
    model::BandValues band{};
    for (int i = 0; i < trainee_base_; ++i) {
      const auto k = static_cast<std::size_t>(i);
      in_role[group_[k]] += stock[i];
      if (group_[k] != practice_manager) band[static_cast<std::size_t>(band_of(pq_[k]))] += stock[i];
    }
    for (int i = trainee_base_; i < sink_base_; ++i) m[Metric::trainees] += stock[i];
    for (std::size_t role = 0; role < in_role.size(); ++role)
      m[model::kHeadcountByRole[role]] = in_role[role];
    m[Metric::permanent_qsw] = in_role[0] + in_role[1] + in_role[2];
    for (std::size_t b = 0; b < band.size(); ++b) m[model::kHeadcountByBand[b]] = band[b];
    for (int role = 0; role < 3; ++role) {
      m[Metric::leavers] += flows[role][left] + flows[role][asye_failed];
      m[Metric::asye_failures] += flows[role][asye_failed];
    }
    m[Metric::promotions_ap] = flows[social_worker][advanced_practitioner];
    m[Metric::promotions_pm] = flows[advanced_practitioner][practice_manager];
    m[Metric::starters_trainees] = flows[trainee][social_worker];
    m[Metric::trainee_dropouts] = flows[trainee][dropped_out];
    m[Metric::trainee_intake] = terms_[t].progression.trainee_intake;
    m[Metric::starters_nqsw] = recruitment_[t].nqsw_starters;
    m[Metric::starters_experienced] =
        recruitment_[t].experienced_starters + recruitment_[t].practice_manager_starters;
    m[Metric::starters_internal] = movers_[t];
    m[Metric::starters] = m[Metric::starters_nqsw] + m[Metric::starters_experienced] +
                          m[Metric::starters_trainees] + m[Metric::starters_internal];
    out.months.push_back(m);
  }
  return out;
}

Projection project(const model::Parameters& parameters, const ProjectionOptions& options) {
  return MarkovProjection(parameters, options).run();
}

}  // namespace wfsim::analysis
