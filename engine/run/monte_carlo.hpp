// The Monte Carlo runner: replications of every scenario over threads, in
// blocks whose results are handed on before the next block starts, so memory
// does not grow with the number of replications.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "model/parameters.hpp"
#include "random/addressed_stream.hpp"
#include "run/results.hpp"

namespace wfsim::run {

// Called on the rank that simulated a block, before it travels to rank 0, to
// do there what rank 0's consumer would otherwise do alone (into `prepared`).
using BlockPreparer = std::function<void(ResultBlock& block)>;

// Whose `consume` sees the blocks when the run is spread over the ranks of
// an MPI job (ranks.hpp). Alone, this process's always does.
enum class BlockDelivery : std::uint8_t {
  every_rank,  // every rank's, so that all hold the same results afterwards
  root_rank,   // rank 0's alone; the others only simulate their share
};

struct MonteCarloSettings {
  std::uint64_t seed = 1;
  int replications = 1000;
  // Replications first_replication .. first_replication + replications - 1
  // are run, so a run can be extended later by the replications after it.
  int first_replication = 0;
  int threads = 0;     // 0: all cores
  int block_size = 0;  // replications per block; 0: chosen from the thread count
  // Each scenario draws numbers unrelated to the others' instead of common
  // random numbers (for measuring what the pairing buys).
  bool independent_streams = false;
  BlockDelivery delivery = BlockDelivery::every_rank;
  // root_rank delivery: the other ranks' blocks are prepared where they were
  // simulated, and the default block size across ranks is a multiple of
  // `block_multiple` (what the preparation needs whole).
  BlockPreparer prepare;
  int block_multiple = 1;
};

// Called on the calling thread once per block, in replication order.
using BlockConsumer = std::function<void(const ResultBlock&)>;
// Called on the calling thread with the number of replications finished.
using ProgressReporter = std::function<void(int finished, int total)>;

// Stores one replication's draws of a scenario's uncertain parameters in
// `parameters`, a copy of the scenario's owned by the worker thread. `common`
// is the replication's stream without any per-scenario salt, so draws made
// from it are the same in every scenario, with or without independent streams.
using ParameterDraws = std::function<void(const random::StreamKey& common, model::Parameters& parameters)>;

struct ScenarioInput {
  const model::Parameters* parameters = nullptr;
  ParameterDraws draws;  // empty: every replication runs `parameters` as they are
};

// What gathering the other ranks' blocks cost this rank, so that a user can
// tell whether more ranks would help: all zero when it received none.
struct GatherCost {
  int blocks = 0;                // received from other ranks
  double receiving_seconds = 0;  // in the receive calls, waiting for the senders included
  double consuming_seconds = 0;  // in `consume` for those blocks
};

// Runs every scenario for every replication. All scenarios must share the
// same horizon (time.months). Results depend only on the seed and the
// inputs, never on the thread count, the block size or the ranks. `consume`
// and `progress` see the blocks in order, one call at a time, from any of
// the runner's threads while the next block is simulated. In a job of
// several ranks, every rank must make the same calls; rank r simulates
// blocks r, r + ranks, ... and the blocks reach the consumers as
// `settings.delivery` says.
GatherCost run_monte_carlo(const std::vector<ScenarioInput>& scenarios, const MonteCarloSettings& settings,
                           const BlockConsumer& consume, const ProgressReporter& progress = {});

// What runs_replications calls for each work item: item `item` (of
// `items_per_replication`) of replication `replication`, which is row
// `replication_in_block` of `block`, on thread `worker`.
struct WorkItem {
  int worker = 0;
  std::uint32_t replication = 0;
  int replication_in_block = 0;
  int item = 0;
};
using ReplicationWork = std::function<void(const WorkItem& work, ResultBlock& block)>;

// The runner's machinery under run_monte_carlo, for work that is not one
// scenario at a time (a region's councils, stepped together): blocks of
// `slots` series sets are filled by `items_per_replication` calls of `work`
// for each replication, and delivered as run_monte_carlo delivers them.
GatherCost run_replications(int slots, int months, int items_per_replication,
                            const MonteCarloSettings& settings, const ReplicationWork& work,
                            const BlockConsumer& consume, const ProgressReporter& progress = {});

// The same, for scenarios without uncertain parameters.
GatherCost run_monte_carlo(const std::vector<const model::Parameters*>& scenarios,
                           const MonteCarloSettings& settings, const BlockConsumer& consume,
                           const ProgressReporter& progress = {});

// `requested`, or when 0 this machine's cores shared between the ranks on it.
int resolve_thread_count(int requested);

// The threads a run with `settings` uses: WorkItem::worker is below this.
int worker_count(const MonteCarloSettings& settings);

}  // namespace wfsim::run
