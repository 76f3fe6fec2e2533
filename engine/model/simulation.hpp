// The microsimulation driver: one replication of one scenario, month by
// month, each month calling one module per mechanism in the order
// kMonthOrder declares (month.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "model/allocation.hpp"
#include "model/metrics.hpp"
#include "model/parameters.hpp"
#include "model/recruitment.hpp"
#include "model/terms.hpp"
#include "model/workforce.hpp"
#include "random/addressed_stream.hpp"
#include "random/person_month_draws.hpp"

namespace wfsim::model {

// Where a replication writes its series: value (metric, month) lives at
// base[metric * metric_stride + month].
struct MetricSink {
  double* base = nullptr;
  std::size_t metric_stride = 0;
  void set(Metric metric, int month, double value) const {
    base[static_cast<std::size_t>(index_of(metric)) * metric_stride + static_cast<std::size_t>(month)] =
        value;
  }
  double get(Metric metric, int month) const {
    return base[static_cast<std::size_t>(index_of(metric)) * metric_stride + static_cast<std::size_t>(month)];
  }
};

// Reusable across replications: buffers grow once and are then recycled, so
// the monthly loop allocates nothing.
// Cache-line aligned: the runner keeps one per thread side by side, and
// counters written every person-month must not share a line with a neighbour.
class alignas(64) Simulation {
 public:
  // One whole replication: start, then every month.
  void run(const Parameters& parameters, const random::StreamKey& stream, const MetricSink& sink);

  // The same a month at a time, for a driver that steps several simulations
  // together. `parameters` must outlive the last advance_month. In a region,
  // `region_pay` holds what the region sets of the council's pay, by month
  // (terms_for_run).
  void start(const Parameters& parameters, const random::StreamKey& stream, const MetricSink& sink,
             std::span<const RegionPay> region_pay = {});
  void advance_month();
  bool finished() const;
  int next_month() const { return month_; }

  // advance_month in two halves, for a region whose councils exchange the
  // month's movers between them: begin_month runs the month up to the end
  // of progression, when everyone who leaves has left; end_month runs the
  // rest, with `arrivals` (movers from neighbouring councils) starting
  // before recruitment fills what they leave open.
  void begin_month();
  void end_month(std::span<const PersonRecord> arrivals);

  // Between the halves, what the region reads.
  // The indices of this month's leavers to a neighbour, in the order of people.
  const std::vector<std::uint32_t>& neighbour_leavers() const { return neighbour_leavers_; }
  PersonRecord person(std::uint32_t index) const { return people_.record(index); }
  // Whole posts open before recruitment: funded posts less FTE in post and offers pending.
  int open_posts_for(Role role) const;
  // What a mover compares between councils.
  struct Standing {
    double salary_gbp_per_year = 0;  // grade 8 pay with market supplements in force
    double load_ratio = 0;           // this month's effective demand over standard capacity
    double reputation = 0;           // with applicants, as of last month
  };
  Standing standing() const;

 private:
  // The replication being run.
  const Parameters* p_ = nullptr;
  random::StreamKey stream_{};
  MetricSink sink_;
  int month_ = 0;  // the next month to simulate
  std::vector<double> shocks_;
  int initial_permanent_ = 0;
  // What a month reads of the one before: its end, and the trends the
  // council watches. Before month 0, the initial workforce.
  struct Carried {
    Capacity capacity;
    int nqsw_case_holders = 0;
    int case_holders = 0;
    double demand = 0;
    // The vacancy rate the management response watches: the recent months'
    // average (a council decides a recruitment drive on a trend, not on one
    // month). It starts at the first month's rate (-1 until then).
    double vacancy_trend = -1;
  } carried_;
  // The month between begin_month and end_month.
  struct InFlight {
    MonthFlows flows;
    double demand = 0;
    MonthAllocation allocation;
    LeavingCounts left;
  } month_in_flight_;
  std::vector<std::uint32_t> neighbour_leavers_;

  // What lasts from month to month.
  Workforce people_;
  RecruitmentState recruitment_;
  // Per-thread scratch buffers, reused so the monthly loop allocates nothing.
  std::vector<MonthTerms> terms_;        // by month
  std::vector<int> permanent_by_month_;  // permanent staff at each month's end, for the stability index
  random::PersonMonthDraws draws_;       // this month's person-month block, by person
  std::vector<std::pair<double, std::size_t>> promotion_candidates_;
};

}  // namespace wfsim::model
