#include "analysis/outcome_runs.hpp"

namespace wfsim::analysis {

run::ScenarioInput scenario_input(const scenario::Scenario& scenario) {
  run::ParameterDraws draws;
  if (!scenario.uncertain.empty()) {
    draws = [&scenario](const random::StreamKey& common, model::Parameters& parameters) {
      scenario::apply_parameter_draws(scenario.uncertain, common, parameters);
    };
  }
  return {&scenario.parameters, std::move(draws)};
}

run::OutcomeTally run_outcomes(const std::vector<run::ScenarioInput>& scenarios, std::uint64_t seed,
                               int first_replication, int replications, int threads) {
  run::OutcomeTally tally(static_cast<int>(scenarios.size()), scenarios.front().parameters->time.months);
  run::MonteCarloSettings settings;
  settings.seed = seed;
  settings.first_replication = first_replication;
  settings.replications = replications;
  settings.threads = threads;
  run::run_monte_carlo(scenarios, settings, [&](const run::ResultBlock& block) { tally.add(block); });
  return tally;
}

std::vector<double> horizon_values(const run::OutcomeTally& tally, int scenario, int outcome) {
  std::vector<double> total(static_cast<std::size_t>(tally.replications()), 0.0);
  for (int column = 0; column < tally.columns(outcome); ++column) {
    const auto& values = tally.values(scenario, outcome, column);
    for (std::size_t r = 0; r < total.size(); ++r) total[r] += values[r];
  }
  return total;
}

}  // namespace wfsim::analysis
