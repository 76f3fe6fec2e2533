// Sensitivity of an outcome to uncertain parameters over declared ranges:
// one at a time (tornado) or Morris elementary effects. The outcome is the
// mean over replications of one of run::kOutcomes (per-year outcomes summed
// over the whole years of the horizon) or, with a policy, of the paired
// difference policy - reference. Every evaluation uses the same seed, so
// differences between designs points are free of Monte Carlo noise from
// different random numbers: a parameter the outcome cannot depend on has an
// effect of exactly zero.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/parameters.hpp"
#include "run/default_seed.hpp"
#include "scenario/analysis_files.hpp"

namespace wfsim::analysis {

enum class SensitivityDesign { tornado, morris };

struct SensitivitySettings {
  SensitivityDesign design = SensitivityDesign::tornado;
  std::string output = "net_loss_total";  // a run::kOutcomes name
  std::uint64_t seed = run::kDefaultSeed;
  int replications = 200;
  int threads = 0;
  int trajectories = 10;  // Morris: K
  int levels = 4;         // Morris: p, an even number >= 2; steps of p / (2 (p - 1)) of each range
};

struct SensitivityResult {
  SensitivitySettings settings;
  bool paired = false;    // a policy was given: the output is policy - reference
  double base_value = 0;  // the output with every parameter at its scenario value
  int evaluations = 0;    // design points run (each: replications x scenarios)
  std::vector<std::string> parameters;
  // Each parameter's value in the reference, or in the policy for a
  // parameter of a policy lever only the policy switches on.
  std::vector<double> baseline;
  std::vector<double> low, high;
  // Tornado: the output with the parameter at low / high, the others at their values.
  std::vector<double> output_low, output_high;
  // Morris: mean, mean absolute value and standard deviation of the
  // elementary effects, each the change of the output per whole range.
  std::vector<double> mu, mu_star, sigma;
  // With a policy: 1 if the parameter could change the ranking, that is flip
  // the sign of the mean difference (tornado: at its low or high value;
  // Morris: in one of its own steps anywhere in the design). Else 0.
  std::vector<int> flips_ranking;

  // Tornado: |output_high - output_low|.
  double swing(std::size_t k) const;
};

// Called after every design point: points done, points in all.
using SensitivityProgress = std::function<void(int done, int total)>;

// Each range is applied to the reference and (if given) the policy alike.
// Throws std::invalid_argument for an unknown output or bad settings.
SensitivityResult run_sensitivity(const model::Parameters& reference, const model::Parameters* policy,
                                  const std::vector<scenario::ParameterRange>& ranges,
                                  const SensitivitySettings& settings,
                                  const SensitivityProgress& progress = {});

// Parameter indices by decreasing tornado swing (ties: file order).
std::vector<std::size_t> tornado_order(const SensitivityResult& result);
// Parameter indices by decreasing mu*.
std::vector<std::size_t> morris_order(const SensitivityResult& result);

// The result as a plain-text table, sorted (tornado by swing, Morris by mu*).
std::string sensitivity_table(const SensitivityResult& result);

}  // namespace wfsim::analysis
