// The runs behind the what-if page: the reference once, each option as the
// page asks for it, both extended replication by replication as more are
// asked for, on common random numbers, so replication r of the option meets
// the same luck as replication r of the reference and as in `wfsim run`.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/metrics.hpp"
#include "run/default_seed.hpp"
#include "run/results.hpp"
#include "scenario/scenario.hpp"
#include "serve/option.hpp"

namespace wfsim::serve {

// Thrown out of a run whose request was superseded.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled by a newer request") {}
};

// The monthly series the page's figures are computed from: every metric the
// outcome tally reads, and those of the charts.
std::span<const model::Metric> kept_metrics();

// Kept series of one scenario for replications 0 .. replications() - 1.
class SeriesStore {
 public:
  explicit SeriesStore(int months);
  int months() const { return months_; }
  int replications() const { return replications_; }
  // Appends scenario `scenario` of a block whose first replication is replications().
  void append(const run::ResultBlock& block, int scenario);
  // Writes replications [block.first_replication, + block.count) into `block` as scenario `scenario`.
  void fill(run::ResultBlock& block, int scenario) const;
  // [replication][month] of a kept metric.
  std::span<const double> rows(model::Metric metric) const;
  static std::size_t bytes_per_replication(int months);

 private:
  int months_;
  int replications_ = 0;
  std::vector<std::vector<double>> rows_;  // by position in kept_metrics()
};

struct WhatIfSettings {
  std::uint64_t seed = run::kDefaultSeed;
  int threads = 0;  // 0: all cores
  int max_replications = 5000;
  int cached_options = 4;  // options whose series are kept for reuse besides the reference
};

class WhatIfRunner {
 public:
  WhatIfRunner(const scenario::Scenario& reference, WhatIfSettings settings);

  // The page's figures for the reference and `option` over replications
  // 0 .. replications - 1. `cancelled` is asked between blocks of a few
  // replications; when it answers true the run stops with Cancelled, keeping
  // what it had run for the next request.
  nlohmann::json run(const BuiltOption& option, int replications, const std::function<bool()>& cancelled);

  // Runs the reference ahead of the first request, until `cancelled`.
  void warm_up(int replications, const std::function<bool()>& cancelled);

  const WhatIfSettings& settings() const { return settings_; }

 private:
  struct Entry {
    std::string key;
    scenario::Scenario scenario;
    SeriesStore series;
  };
  Entry& entry_for(const BuiltOption& option);
  void extend(Entry& entry, int replications, const std::function<bool()>& cancelled);

  WhatIfSettings settings_;
  Entry reference_;
  std::list<Entry> options_;  // most recently used first
};

}  // namespace wfsim::serve
