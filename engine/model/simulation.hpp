// One replication of one scenario, month by month (MODEL.md sections 1-11).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/in_force.hpp"
#include "model/metrics.hpp"
#include "model/parameters.hpp"
#include "model/workforce.hpp"
#include "random/addressed_stream.hpp"

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
};

// Headcount of permanent qualified staff at the start (the `initial` of the
// stock-flow identity).
int initial_permanent_qsw(const Parameters& parameters);

// Reusable across replications: buffers grow once and are then recycled, so
// the monthly loop allocates nothing.
// Cache-line aligned: the runner keeps one per thread side by side, and
// counters written every person-month must not share a line with a neighbour.
class alignas(64) Simulation {
 public:
  void run(const Parameters& parameters, const random::StreamKey& stream, const MetricSink& sink);

 private:
  struct PendingStart {
    std::uint32_t id;
    int start_month;
    Role role;
  };

  // What happened during the current month, for recording.
  struct MonthFlows {
    int starters_nqsw = 0;
    int starters_experienced = 0;
    int starters_trainees = 0;
    int starters_conversions = 0;
    std::array<int, kDestinationCount> leavers{};
    int asye_failures = 0;
    int promotions_ap = 0;
    int promotions_pm = 0;
    int trainee_intake = 0;
    int trainee_dropouts = 0;
    int applicants_nqsw = 0;
    int applicants_experienced = 0;
    int offers_accepted = 0;
    int starters_internal = 0;
    int external_starters = 0;
    int retention_payments = 0;
    int leavers_total() const { return leavers[0] + leavers[1] + leavers[2] + leavers[3]; }
  };

  // The month's allocation of cases (section 4) and supervision (section 5).
  struct Allocation {
    double effective_demand = 0;
    double load_ratio = 0;                        // demand over standard capacity, before caps
    std::array<double, kBandCount> band_ratio{};  // caseload / standard for permanent case holders
    double agency_ratio = 0;
    double unallocated_cases = 0;
    double span = 0;
    double overstretch = 0;
  };

  // Standard caseload capacity of the people in post, before leave.
  struct Capacity {
    std::array<double, kBandCount> band{};  // permanent case holders by band
    double agency = 0;
    int case_holders = 0;  // permanent and agency
    int practice_managers = 0;
  };
  // Inline: it runs in the recording loop for every person-month.
  void count_capacity(std::size_t person, Capacity& capacity) const {
    const auto& c = p_->caseload;
    const Role role = people_.role[person];
    if (role == Role::social_worker || role == Role::advanced_practitioner) {
      const auto band = static_cast<std::size_t>(band_of(people_.pq_months[person]));
      const double standard =
          role == Role::social_worker ? c.standard_by_band[band] : c.advanced_practitioner_standard;
      capacity.band[band] += people_.fte[person] * standard;
      ++capacity.case_holders;
    } else if (role == Role::agency) {
      capacity.agency += people_.fte[person] * c.agency_standard;
      ++capacity.case_holders;
    } else if (role == Role::practice_manager) {
      ++capacity.practice_managers;
    }
  }
  void initialise_workforce();
  void update_demand(int month);
  void allocate_cases();
  void burnout_and_attrition(int month);
  void progression(int month);
  void recruitment(int month);
  void agency_cover(int month);
  void record(int month, const MetricSink& sink);

  void leave(std::size_t person, int month);
  double retention_multiplier(std::size_t person, int month) const;
  bool retention_eligible(std::size_t person) const;
  PersonRecord new_person(std::uint32_t id, Role role, int month) const;
  struct InPost {
    double social_work = 0;        // FTE of grade 8 and grade 9 case holders
    double practice_managers = 0;  // FTE
  };
  InPost fte_in_post() const;  // everyone not marked as leaving
  int pipeline_count(bool practice_managers) const;

  const Parameters* p_ = nullptr;
  random::StreamKey stream_{};
  Workforce people_;
  std::vector<PendingStart> pipeline_;
  std::vector<std::pair<double, std::size_t>> candidates_;
  std::vector<double> progress_draw_;  // this month's progression uniform, by person
  std::vector<double> shock_by_month_;
  MonthFlows flows_;
  InForce now_;  // the parameters in force this month
  Allocation allocation_;
  Capacity capacity_;  // of the people in post at the end of the last month
  double demand_ = 0;
  double reputation_ = 0;
  int permanent_at_month_start_ = 0;
  int advanced_practitioners_staying_ = 0;   // after this month's attrition
  double practice_manager_fte_staying_ = 0;  // after this month's attrition
  double social_work_fte_ = 0;               // case holders in post once recruitment is done
  long hires_nqsw_so_far_ = 0;
  long hires_so_far_ = 0;
  int case_holders_ = 0;
  int nqsw_case_holders_ = 0;
};

}  // namespace wfsim::model
