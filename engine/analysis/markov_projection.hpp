// The analytic cross-check (`wfsim expect`): an expected-value Markov
// manpower projection built from the same parameters as the microsimulation,
// with its feedback loops held at their month-0 values.
//
// A state is a kind of person: a qualified role (grade 8 social worker,
// advanced practitioner, practice manager) x months since qualifying (0 to a
// cap, then one absorbing class) x months of tenure (0 to a cap, then one
// absorbing class) x whether the person qualified through step-up (the bond,
// which lasts bond_months of pq); or a step-up trainee by month of training
// and month of tenure; or one of three absorbing exits
// (left, failed the ASYE, dropped out of training). The caps are the largest
// thresholds any rule reads, so every person in a capped class behaves the
// same. Each month the expected stock moves as
//
//     x_{t+1} = x_t P_t + inflow_t,    P_t = A_t B_t,
//
// A_t being attrition, then ageing, ASYE, grade 9 progression and step-up
// qualification, and B_t internal promotion to practice manager, in the
// microsimulation's order of events; inflow_t is the new step-up cohort and
// the expected starters. P_t is row-stochastic, so people are conserved
// exactly. With feedback off the expectation is exact except where
// docs/model.md says it is a mean-field approximation.
#pragma once

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "model/metrics.hpp"
#include "model/parameters.hpp"
#include "model/terms.hpp"

namespace wfsim::analysis {

struct ProjectionOptions {
  // Expected starters per month, from month 0, that replace the
  // applicant-derived newly qualified (or experienced) recruitment and the
  // offers of that kind accepted before the start. Unset: derived.
  std::optional<double> nqsw_starters_per_month;
  std::optional<double> experienced_starters_per_month;
};

// What the projection holds at its month-0 value where the microsimulation
// lets it move with the state of the workforce.
struct HeldFixed {
  double load_ratio = 0;  // effective demand / standard capacity, expected FTE
  double overstretch = 0;
  // Burnout of a worker of average resilience (1), and the hazard multiplier
  // exp(burnout_coefficient * burnout) it gives.
  model::BandValues burnout_by_band{};
  double practice_manager_burnout = 0;
  model::BandValues burnout_hazard_multiplier_by_band{};
  double practice_manager_burnout_hazard_multiplier = 1;
  double ap_probability_factor = 1;  // 1 / (1 + progression_slowdown * overstretch)
  double reputation = 0;
  double reputation_attraction_multiplier = 1;  // exp(reputation_coefficient * reputation)
};

// The microsimulation's series the projection gives. Its experienced
// starters are social workers and practice managers, its internal starters
// come by the mobility policy, and its leavers include ASYE failures.
inline constexpr std::array kProjectedMetrics{model::Metric::permanent_qsw,
                                              model::Metric::nqsw,
                                              model::Metric::early,
                                              model::Metric::experienced,
                                              model::Metric::social_workers,
                                              model::Metric::advanced_practitioners,
                                              model::Metric::practice_managers,
                                              model::Metric::trainees,
                                              model::Metric::starters,
                                              model::Metric::starters_nqsw,
                                              model::Metric::starters_experienced,
                                              model::Metric::starters_trainees,
                                              model::Metric::starters_internal,
                                              model::Metric::leavers,
                                              model::Metric::asye_failures,
                                              model::Metric::promotions_ap,
                                              model::Metric::promotions_pm,
                                              model::Metric::trainee_intake,
                                              model::Metric::trainee_dropouts};

// Expected values for one month, keyed by the microsimulation's series: flows
// during the month and stocks at its end. A series the projection does not
// give is NaN.
class ProjectedMonth {
 public:
  ProjectedMonth() {
    values_.fill(std::numeric_limits<double>::quiet_NaN());
    for (const model::Metric metric : kProjectedMetrics) (*this)[metric] = 0;
  }
  double operator[](model::Metric metric) const {
    return values_[static_cast<std::size_t>(index_of(metric))];
  }
  double& operator[](model::Metric metric) { return values_[static_cast<std::size_t>(index_of(metric))]; }

 private:
  std::array<double, model::kMetricCount> values_;
};

struct Projection {
  model::YearMonth start;
  double initial_permanent_qsw = 0;
  double initial_trainees = 0;
  int states = 0;
  int pq_cap_months = 0;      // pq at or above this is one class
  int tenure_cap_months = 0;  // tenure at or above this is one class
  HeldFixed held;
  std::vector<ProjectedMonth> months;

  // leavers - starters over each whole year of the horizon.
  std::vector<double> annual_net_loss() const;
};

class MarkovProjection {
 public:
  using Matrix = Eigen::SparseMatrix<double, Eigen::RowMajor>;

  explicit MarkovProjection(const model::Parameters& parameters, const ProjectionOptions& options = {});

  int state_count() const { return states_; }
  const Eigen::VectorXd& initial_stock() const { return initial_; }
  const HeldFixed& held_fixed() const { return held_; }

  // P_t for the expected stock x at the start of month t (row-stochastic;
  // the caps on grade 9 posts and practice manager vacancies read x).
  Matrix transition(int month, const Eigen::VectorXd& stock) const;
  // The month's entrants, added after P_t.
  Eigen::VectorXd inflow(int month) const;

  Projection run() const;

 private:
  // A state's group: the role its people hold, as the model::Role of the same
  // value, or the exit they took.
  enum Group : std::uint8_t {
    social_worker = static_cast<std::uint8_t>(model::Role::social_worker),
    advanced_practitioner = static_cast<std::uint8_t>(model::Role::advanced_practitioner),
    practice_manager = static_cast<std::uint8_t>(model::Role::practice_manager),
    trainee = static_cast<std::uint8_t>(model::Role::trainee),
    left,
    asye_failed,
    dropped_out
  };
  static constexpr int kGroups = dropped_out + 1;
  using Flows = std::array<std::array<double, kGroups>, kGroups>;

  int qualified(int role, int pq, int tenure, int bonded) const {
    return ((role * (pq_cap_ + 1) + pq) * (tenure_cap_ + 1) + tenure) * 2 + bonded;
  }
  int trainee_state(int month_of_training, int tenure) const {
    return trainee_base_ + month_of_training * (tenure_cap_ + 1) + tenure;
  }
  int sink(Group group) const { return sink_base_ + (group - left); }

  Matrix progression_matrix(int month, const Eigen::VectorXd& stock) const;
  Matrix promotion_matrix(int month, const Eigen::VectorXd& stock) const;
  double leaving_probability(int state, int month) const;
  void add_flows(const Matrix& matrix, const Eigen::VectorXd& stock, Flows& flows) const;
  void add_roster();
  void hold_allocation_at_start();
  void derive_recruitment(const ProjectionOptions& options);

  // A month's expected starters by kind, and the practice manager offers
  // accepted but not yet started when its internal promotions are decided.
  struct ExpectedRecruitment {
    double nqsw_starters = 0;
    double experienced_starters = 0;
    double practice_manager_starters = 0;
    double practice_managers_pending = 0;
  };
  void add_hire(Eigen::VectorXd& stock, int role, const std::vector<double>& pq_distribution,
                double count) const;

  model::Parameters p_;
  std::vector<model::MonthTerms> terms_;  // the terms in force each month: the simulation's own
  int months_ = 0;
  int pq_cap_ = 0;
  int tenure_cap_ = 0;
  int training_months_ = 1;
  int trainee_base_ = 0;
  int sink_base_ = 0;
  int states_ = 0;
  std::vector<Group> group_;
  std::vector<std::int16_t> pq_;
  std::vector<std::int16_t> tenure_;
  std::vector<std::uint8_t> bonded_;
  double mean_fte_ = 1;
  HeldFixed held_;
  Eigen::VectorXd initial_;
  // pq distributions (0..480 collapsed to 0..pq cap) of experienced hires and
  // movers, and of practice manager hires.
  std::vector<double> experienced_hire_pq_;
  std::vector<double> practice_manager_hire_pq_;
  std::vector<ExpectedRecruitment> recruitment_;  // by month
  std::vector<double> movers_;                    // expected mobility moves by month, at most the open posts
};

Projection project(const model::Parameters& parameters, const ProjectionOptions& options = {});

}  // namespace wfsim::analysis
