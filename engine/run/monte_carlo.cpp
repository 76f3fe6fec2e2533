#include "run/monte_carlo.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <thread>

#include "model/simulation.hpp"
#include "random/addressed_stream.hpp"
#include "run/parallel_for.hpp"

namespace wfsim::run {

int resolve_thread_count(int requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

void run_monte_carlo(const std::vector<const model::Parameters*>& scenarios,
                     const MonteCarloSettings& settings, const BlockConsumer& consume,
                     const ProgressReporter& progress) {
  std::vector<ScenarioInput> inputs;
  inputs.reserve(scenarios.size());
  for (const model::Parameters* parameters : scenarios) inputs.push_back({parameters, {}});
  run_monte_carlo(inputs, settings, consume, progress);
}

void run_monte_carlo(const std::vector<ScenarioInput>& scenarios, const MonteCarloSettings& settings,
                     const BlockConsumer& consume, const ProgressReporter& progress) {
  if (scenarios.empty()) throw std::invalid_argument("run_monte_carlo: no scenarios");
  if (settings.first_replication < 0)
    throw std::invalid_argument("run_monte_carlo: a negative first replication");
  for (const auto& s : scenarios)
    if (!s.parameters) throw std::invalid_argument("run_monte_carlo: a scenario without parameters");
  const int months = scenarios.front().parameters->time.months;
  for (const auto& s : scenarios)
    if (s.parameters->time.months != months)
      throw std::invalid_argument("run_monte_carlo: scenarios differ in months");

  const int threads = std::min(resolve_thread_count(settings.threads), std::max(1, settings.replications));
  const int block_size = settings.block_size > 0 ? settings.block_size : std::max(64, 16 * threads);
  const int scenario_count = static_cast<int>(scenarios.size());

  std::vector<model::Simulation> simulations(static_cast<std::size_t>(threads));
  // Each thread's copy of the parameters a replication's draws are stored in.
  std::vector<model::Parameters> drawn(static_cast<std::size_t>(threads));
  // The block last simulated is consumed by one of the threads while the
  // others start on the next, so that writing it leaves no core idle.
  std::array<ResultBlock, 2> blocks;
  ResultBlock* waiting = nullptr;
  int finished = 0;
  const auto consume_waiting = [&] {
    consume(*waiting);
    finished += waiting->count;
    if (progress) progress(finished, settings.replications);
  };
  const int end = settings.first_replication + settings.replications;
  for (int first = settings.first_replication; first < end; first += block_size) {
    const int count = std::min(block_size, end - first);
    ResultBlock& block = waiting == &blocks[0] ? blocks[1] : blocks[0];
    block.reset(first, count, scenario_count, months);

    // Work items are the waiting block's consumption, first, then
    // (replication, scenario) pairs, taken in any order.
    const int consumption = waiting != nullptr ? 1 : 0;
    parallel_for(consumption + count * scenario_count, threads, [&](int work_item, int worker) {
      if (work_item < consumption) return consume_waiting();
      const int item = work_item - consumption;
      model::Simulation& simulation = simulations[static_cast<std::size_t>(worker)];
      const int replication_in_block = item / scenario_count;
      const int scenario = item % scenario_count;
      const auto replication = static_cast<std::uint32_t>(first + replication_in_block);
      const auto salt = settings.independent_streams ? static_cast<std::uint32_t>(scenario + 1) : 0u;
      const auto stream = random::make_stream_key(settings.seed, replication, salt);
      const auto rows = block.metric_rows(scenario, 0);
      const model::MetricSink sink{rows.data() + static_cast<std::size_t>(replication_in_block) * months,
                                   rows.size()};
      const ScenarioInput& input = scenarios[static_cast<std::size_t>(scenario)];
      if (input.draws) {
        model::Parameters& parameters = drawn[static_cast<std::size_t>(worker)];
        parameters = *input.parameters;
        input.draws(random::make_stream_key(settings.seed, replication), parameters);
        simulation.run(parameters, stream, sink);
      } else {
        simulation.run(*input.parameters, stream, sink);
      }
    });
    waiting = &block;
  }
  if (waiting != nullptr) consume_waiting();
}

}  // namespace wfsim::run
