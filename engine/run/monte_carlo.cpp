#include "run/monte_carlo.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "model/simulation.hpp"
#include "random/addressed_stream.hpp"
#include "run/parallel_for.hpp"
#include "run/ranks.hpp"

namespace wfsim::run {

int resolve_thread_count(int requested) {
  if (requested > 0) return requested;
  const auto cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, cores / ranks_on_this_machine());
}

int worker_count(const MonteCarloSettings& settings) {
  return std::min(resolve_thread_count(settings.threads), std::max(1, settings.replications));
}

GatherCost run_monte_carlo(const std::vector<const model::Parameters*>& scenarios,
                           const MonteCarloSettings& settings, const BlockConsumer& consume,
                           const ProgressReporter& progress) {
  std::vector<ScenarioInput> inputs;
  inputs.reserve(scenarios.size());
  for (const model::Parameters* parameters : scenarios) inputs.push_back({parameters, {}});
  return run_monte_carlo(inputs, settings, consume, progress);
}

GatherCost run_monte_carlo(const std::vector<ScenarioInput>& scenarios, const MonteCarloSettings& settings,
                           const BlockConsumer& consume, const ProgressReporter& progress) {
  if (scenarios.empty()) throw std::invalid_argument("run_monte_carlo: no scenarios");
  for (const auto& s : scenarios)
    if (!s.parameters) throw std::invalid_argument("run_monte_carlo: a scenario without parameters");
  const int months = scenarios.front().parameters->time.months;
  for (const auto& s : scenarios)
    if (s.parameters->time.months != months)
      throw std::invalid_argument("run_monte_carlo: scenarios differ in months");
  const int scenario_count = static_cast<int>(scenarios.size());
  const int threads = worker_count(settings);
  std::vector<model::Simulation> simulations(static_cast<std::size_t>(threads));
  // Each thread's copy of the parameters a replication's draws are stored in.
  std::vector<model::Parameters> drawn(static_cast<std::size_t>(threads));
  const auto simulate = [&](const WorkItem& work, ResultBlock& block) {
    model::Simulation& simulation = simulations[static_cast<std::size_t>(work.worker)];
    const int scenario = work.item;
    const auto salt = settings.independent_streams ? static_cast<std::uint32_t>(scenario + 1) : 0u;
    const auto stream = random::make_stream_key(settings.seed, work.replication, salt);
    const auto rows = block.metric_rows(scenario, 0);
    const model::MetricSink sink{rows.data() + static_cast<std::size_t>(work.replication_in_block) * months,
                                 rows.size()};
    const ScenarioInput& input = scenarios[static_cast<std::size_t>(scenario)];
    if (input.draws) {
      model::Parameters& parameters = drawn[static_cast<std::size_t>(work.worker)];
      parameters = *input.parameters;
      input.draws(random::make_stream_key(settings.seed, work.replication), parameters);
      simulation.run(parameters, stream, sink);
    } else {
      simulation.run(*input.parameters, stream, sink);
    }
  };
  return run_replications(scenario_count, months, scenario_count, settings, simulate, consume, progress);
}

GatherCost run_replications(int slots, int months, int items_per_replication,
                            const MonteCarloSettings& settings, const ReplicationWork& work,
                            const BlockConsumer& consume, const ProgressReporter& progress) {
  if (settings.first_replication < 0)
    throw std::invalid_argument("run_monte_carlo: a negative first replication");
  const int threads = worker_count(settings);
  const int ranks = rank_count();
  const int this_rank = rank();
  // Every rank must cut the same blocks, whatever its own thread count.
  int block_size = settings.block_size > 0 ? settings.block_size : std::max(64, 16 * threads);
  if (ranks > 1 && settings.block_size <= 0) {
    if (settings.block_multiple > 1) {
      block_size =
          (block_size + settings.block_multiple - 1) / settings.block_multiple * settings.block_multiple;
    } else {
      // An even share: about two blocks a rank, so that no rank waits long for the last.
      const int share = (settings.replications + 2 * ranks - 1) / (2 * ranks);
      block_size = std::min(block_size, std::max(1, share));
    }
  }
  if (ranks > 1) block_size = value_of_root(block_size);
  const int end = settings.first_replication + settings.replications;
  const int block_count = (settings.replications + block_size - 1) / block_size;
  const auto first_of = [&](int block_index) {
    return settings.first_replication + block_index * block_size;
  };
  const auto reset = [&](ResultBlock& block, int block_index) {
    const int first = first_of(block_index);
    block.reset(first, std::min(block_size, end - first), slots, months);
  };

  // The block last simulated is delivered by one of the threads while the
  // others start on the next, so that writing it leaves no core idle.
  std::array<ResultBlock, 2> blocks;
  ResultBlock* waiting = nullptr;
  // With the waiting block go the other ranks' blocks of its round (simulated
  // meanwhile), so that no rank waits a round for its block to be taken.
  int waiting_round_end = -1;
  // Blocks are delivered in replication order: those before this rank's
  // own come from their ranks first.
  const bool consumes = settings.delivery == BlockDelivery::every_rank || this_rank == 0;
  ResultBlock received;
  int next_delivery = 0;
  int finished = 0;
  GatherCost gather;
  using Clock = std::chrono::steady_clock;
  const auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  const auto deliver_through = [&](int last, ResultBlock* own) {
    for (; next_delivery <= last; ++next_delivery) {
      const int owner = next_delivery % ranks;
      ResultBlock* block = nullptr;
      if (owner == this_rank) {
        block = own;
        if (settings.delivery == BlockDelivery::every_rank && ranks > 1) {
          broadcast_values(block->values, this_rank);
        } else if (this_rank != 0) {
          if (settings.prepare) settings.prepare(*block);
          send_values(block->values, 0);
          send_bytes(block->prepared, 0);
        }
      } else if (consumes) {
        const auto receiving = Clock::now();
        reset(received, next_delivery);
        if (settings.delivery == BlockDelivery::every_rank) {
          broadcast_values(received.values, owner);
        } else {
          receive_values(received.values, owner);
          receive_bytes(received.prepared, owner);
        }
        block = &received;
        ++gather.blocks;
        gather.receiving_seconds += seconds_since(receiving);
      }
      if (!consumes) continue;
      const auto consuming = Clock::now();
      consume(*block);
      if (block == &received) gather.consuming_seconds += seconds_since(consuming);
      finished += block->count;
      if (progress) progress(finished, settings.replications);
    }
  };
  const auto consume_waiting = [&] { deliver_through(waiting_round_end, waiting); };
  for (int block_index = this_rank; block_index < block_count; block_index += ranks) {
    ResultBlock& block = waiting == &blocks[0] ? blocks[1] : blocks[0];
    reset(block, block_index);
    const int first = block.first_replication;
    const int count = block.count;

    // Work items are the waiting block's consumption, first, then
    // (replication, item) pairs, taken in any order.
    const int consumption = waiting != nullptr ? 1 : 0;
    parallel_for(consumption + count * items_per_replication, threads, [&](int work_item, int worker) {
      if (work_item < consumption) return consume_waiting();
      const int item = work_item - consumption;
      const int replication_in_block = item / items_per_replication;
      work({worker, static_cast<std::uint32_t>(first + replication_in_block), replication_in_block,
            item % items_per_replication},
           block);
    });
    waiting = &block;
    waiting_round_end = std::min(block_count - 1, block_index - this_rank + ranks - 1);
  }
  if (waiting != nullptr) consume_waiting();
  deliver_through(block_count - 1, nullptr);
  return gather;
}

}  // namespace wfsim::run
