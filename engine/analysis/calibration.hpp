// Calibration: fit the parameters a targets file names, within their bounds,
// to observed census statistics. The objective is a weighted sum of squared
// relative errors of the simulated means; every evaluation runs the same
// replications with the same seed (common random numbers), so the objective
// is a deterministic function of the parameters, and a derivative-free NLopt
// method minimises it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/unit_box_search.hpp"
#include "model/parameters.hpp"
#include "run/default_seed.hpp"
#include "scenario/analysis_files.hpp"

namespace wfsim::analysis {

// "bobyqa", "neldermead", "sbplx" (the methods calibration offers); false if unknown.
bool parse_optimiser(std::string_view name, Optimiser& optimiser);

struct CalibrationSettings {
  std::uint64_t seed = run::kDefaultSeed;
  int replications = 100;
  int threads = 0;  // 0: all cores
  // Nelder-Mead by default: with common random numbers the objective is
  // smooth at the scale of the bounds but flat in tiny steps (a small change
  // moves no draw across a threshold), which misleads BOBYQA's quadratic
  // models. On targets-2015.yaml (100 replications) BOBYQA, restarted too,
  // stopped at an objective of 0.013; Nelder-Mead reached 0.0054, of which
  // 0.005 is a statistic no fitted parameter moves.
  // Steps of 10% of each parameter's bounds at first, stopping below 0.1%;
  // started again from the best point up to 3 times while that improves the
  // objective by 0.1% or more.
  UnitBoxSettings search{Optimiser::nelder_mead, 1000, 1e-3, 0.1, 3, 1e-3};
};

struct StatisticFit {
  std::string statistic;
  model::YearMonth month;
  double observed = 0;
  double weight = 1;
  double start = 0;           // simulated mean at the starting values
  double fitted = 0;          // simulated mean at the fitted values
  double standard_error = 0;  // Monte Carlo standard error of `fitted`
  double error = 0;           // (fitted - observed) / |observed|; fitted - observed when observed is 0
};

struct ParameterFit {
  std::string path;
  double min = 0;
  double max = 0;
  double start = 0;
  double fitted = 0;
  bool at_bound = false;  // within 0.1% of the bounds' width from min or max
};

struct CalibrationResult {
  std::vector<StatisticFit> statistics;  // in the targets file's order
  std::vector<ParameterFit> parameters;  // in the targets file's order
  double objective_start = 0;
  double objective_fitted = 0;
  int evaluations = 0;
  int restarts = 0;  // runs of the optimiser after the first
  std::string stop_reason;
  CalibrationSettings settings;
  model::Parameters fitted_parameters;  // the scenario with the fitted values
};

// The error term of one statistic, as the objective and the report use it.
double relative_error(double simulated, double observed);
// Sum over statistics of weight * relative_error^2; a statistic the model
// leaves undefined (NaN: an empty band's caseload) counts as an error of 1000%.
double calibration_objective(const std::vector<scenario::TargetStatistic>& statistics,
                             const std::vector<double>& simulated);

// The mean over `replications` (seed `seed`) of each target statistic under
// `parameters`, and its Monte Carlo standard error.
struct SimulatedStatistics {
  std::vector<double> mean;
  std::vector<double> standard_error;
};
SimulatedStatistics simulate_statistics(const model::Parameters& parameters,
                                        const std::vector<scenario::TargetStatistic>& statistics,
                                        std::uint64_t seed, int replications, int threads);

// Called after every evaluation: its number, the objective there and the best so far.
using CalibrationProgress = std::function<void(int evaluation, double objective, double best)>;

// Starts from each parameter's `start` and minimises the objective. Throws
// std::runtime_error if the optimiser cannot start.
CalibrationResult calibrate(const model::Parameters& scenario, const scenario::Targets& targets,
                            const CalibrationSettings& settings, const CalibrationProgress& progress = {});

// The fit as Markdown: statistics (target, observed, start, fitted, error),
// parameters (bounds, start, fitted) and how the fit was made.
std::string fit_report_markdown(const CalibrationResult& result, std::string_view scenario_file,
                                std::string_view targets_file);

}  // namespace wfsim::analysis
