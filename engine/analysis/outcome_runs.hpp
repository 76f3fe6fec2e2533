// What the modellers' tools share when they run scenarios many times: the
// outcomes of run::kOutcomes per replication, reduced to one number each.
#pragma once

#include <cstdint>
#include <vector>

#include "run/comparison.hpp"
#include "run/monte_carlo.hpp"
#include "scenario/scenario.hpp"

namespace wfsim::analysis {

// What the runner needs of a loaded scenario: its parameters and, if it has
// uncertain parameters, their draws for each replication. `scenario` must
// outlive the input.
run::ScenarioInput scenario_input(const scenario::Scenario& scenario);

// Runs every scenario for replications first_replication ..
// first_replication + replications - 1 of `seed` and tallies their outcomes.
run::OutcomeTally run_outcomes(const std::vector<run::ScenarioInput>& scenarios, std::uint64_t seed,
                               int first_replication, int replications, int threads);

// One value per replication of `outcome` in `scenario`: a per-year outcome
// summed over the whole years of the horizon, any other as it is.
std::vector<double> horizon_values(const run::OutcomeTally& tally, int scenario, int outcome);

}  // namespace wfsim::analysis
