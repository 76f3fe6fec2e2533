// Results of a block of replications for every scenario of a run, laid out
// so the writer can copy each metric's rows in one hyperslab.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "model/metrics.hpp"

namespace wfsim::run {

// values[((scenario * kMetricCount + metric) * count + replication_in_block) * months + month]
struct ResultBlock {
  int first_replication = 0;
  int count = 0;  // replications in this block
  int scenarios = 0;
  int months = 0;
  std::vector<double> values;
  // What the rank that simulated the block did for its consumer on another
  // rank (MonteCarloSettings::prepare), carried with it; usually empty.
  std::vector<unsigned char> prepared;

  void reset(int first, int replications, int scenario_count, int month_count) {
    prepared.clear();
    first_replication = first;
    count = replications;
    scenarios = scenario_count;
    months = month_count;
    values.assign(static_cast<std::size_t>(scenarios) * model::kMetricCount * count * months, 0.0);
  }
  // The [replication][month] rows of one metric of one scenario, contiguous.
  std::span<double> metric_rows(int scenario, int metric) {
    const std::size_t rows = static_cast<std::size_t>(count) * months;
    return {values.data() + (static_cast<std::size_t>(scenario) * model::kMetricCount + metric) * rows, rows};
  }
  std::span<const double> metric_rows(int scenario, int metric) const {
    const std::size_t rows = static_cast<std::size_t>(count) * months;
    return {values.data() + (static_cast<std::size_t>(scenario) * model::kMetricCount + metric) * rows, rows};
  }
  double& at(int scenario, int metric, int replication_in_block, int month) {
    return metric_rows(scenario, metric)[static_cast<std::size_t>(replication_in_block) * months + month];
  }
  double at(int scenario, int metric, int replication_in_block, int month) const {
    return metric_rows(scenario, metric)[static_cast<std::size_t>(replication_in_block) * months + month];
  }
};

}  // namespace wfsim::run
