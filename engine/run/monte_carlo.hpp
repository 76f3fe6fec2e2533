// The Monte Carlo runner: replications of every scenario over threads, in
// blocks whose results are handed on before the next block starts, so memory
// does not grow with the number of replications.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "model/parameters.hpp"
#include "run/results.hpp"

namespace wfsim::run {

struct MonteCarloSettings {
  std::uint64_t seed = 1;
  int replications = 1000;
  int threads = 0;     // 0: all cores
  int block_size = 0;  // replications per block; 0: chosen from the thread count
  // Each scenario draws numbers unrelated to the others' instead of common
  // random numbers (for measuring what the pairing buys).
  bool independent_streams = false;
};

// Called on the calling thread once per block, in replication order.
using BlockConsumer = std::function<void(const ResultBlock&)>;
// Called on the calling thread with the number of replications finished.
using ProgressReporter = std::function<void(int finished, int total)>;

// Runs every scenario for every replication. All scenarios must share the
// same horizon (time.months). Results depend only on the seed and the
// inputs, never on the thread count or the block size.
void run_monte_carlo(const std::vector<const model::Parameters*>& scenarios,
                     const MonteCarloSettings& settings, const BlockConsumer& consume,
                     const ProgressReporter& progress = {});

int resolve_thread_count(int requested);

}  // namespace wfsim::run
