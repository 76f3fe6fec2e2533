#include "analysis/calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "analysis/census_statistics.hpp"
#include "run/monte_carlo.hpp"
#include "scenario/parameter_registry.hpp"

namespace wfsim::analysis {

namespace {

// A statistic the model leaves undefined counts as this relative error.
constexpr double kUndefinedError = 10.0;
constexpr double kAtBoundShare = 1e-3;

std::string format_month(const model::YearMonth& month) {
  return fmt::format("{:04d}-{:02d}", month.year, month.month);
}

// Numbers for the report: fractions as percentages, counts and caseloads plainly.
std::string format_statistic(std::string_view statistic, double value) {
  if (std::isnan(value)) return "undefined";
  const CensusStatisticInfo* info = find_census_statistic(statistic);
  if (info != nullptr && info->units == "fraction") return fmt::format("{:.1f}%", 100 * value);
  return fmt::format("{:.1f}", value);
}

}  // namespace

bool parse_optimiser(std::string_view name, Optimiser& optimiser) {
  for (Optimiser candidate : {Optimiser::bobyqa, Optimiser::nelder_mead, Optimiser::subplex}) {
    if (optimiser_name(candidate) == name) {
      optimiser = candidate;
      return true;
    }
  }
  return false;
}

double relative_error(double simulated, double observed) {
  return observed != 0 ? (simulated - observed) / std::fabs(observed) : simulated - observed;
}

double calibration_objective(const std::vector<scenario::TargetStatistic>& statistics,
                             const std::vector<double>& simulated) {
  double sum = 0;
  for (std::size_t k = 0; k < statistics.size(); ++k) {
    const double error =
        std::isfinite(simulated[k]) ? relative_error(simulated[k], statistics[k].value) : kUndefinedError;
    sum += statistics[k].weight * error * error;
  }
  return sum;
}

SimulatedStatistics simulate_statistics(const model::Parameters& parameters,
                                        const std::vector<scenario::TargetStatistic>& statistics,
                                        std::uint64_t seed, int replications, int threads) {
  std::vector<CensusTally::Request> requests;
  for (const scenario::TargetStatistic& target : statistics) {
    const CensusStatisticInfo* info = find_census_statistic(target.statistic);
    if (info == nullptr) throw std::invalid_argument("unknown census statistic " + target.statistic);
    requests.push_back({info->id, target.month_index});
  }
  CensusTally tally(std::move(requests));
  run::MonteCarloSettings settings;
  settings.seed = seed;
  settings.replications = replications;
  settings.threads = threads;
  run::run_monte_carlo({&parameters}, settings, [&](const run::ResultBlock& block) { tally.add(block); });
  SimulatedStatistics out;
  for (std::size_t k = 0; k < tally.size(); ++k) {
    out.mean.push_back(tally.mean(k));
    out.standard_error.push_back(tally.standard_error(k));
  }
  return out;
}

CalibrationResult calibrate(const model::Parameters& scenario, const scenario::Targets& targets,
                            const CalibrationSettings& settings, const CalibrationProgress& progress) {
  const std::size_t n = targets.parameters.size();
  if (n == 0) throw std::invalid_argument("calibrate: no parameters to fit");
  std::vector<const scenario::NumericParameter*> registry;
  for (const auto& p : targets.parameters) {
    const auto* entry = scenario::find_numeric_parameter(p.path);
    if (entry == nullptr) throw std::invalid_argument("calibrate: unknown parameter " + p.path);
    registry.push_back(entry);
  }

  // The optimiser works on each parameter scaled to [0, 1] by its bounds,
  // so one tolerance and one initial step suit every parameter.
  const auto to_parameters = [&](const std::vector<double>& u) {
    model::Parameters p = scenario;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& bounds = targets.parameters[i];
      registry[i]->set(p, bounds.min + std::clamp(u[i], 0.0, 1.0) * (bounds.max - bounds.min));
    }
    return p;
  };
  const auto evaluate = [&](const std::vector<double>& u) {
    return simulate_statistics(to_parameters(u), targets.statistics, settings.seed, settings.replications,
                               settings.threads);
  };

  std::vector<double> u(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& bounds = targets.parameters[i];
    u[i] = (bounds.start - bounds.min) / (bounds.max - bounds.min);
  }
  const std::vector<double> u_start = u;

  int evaluations = 0;
  double best = std::numeric_limits<double>::infinity();
  const UnitBoxResult search = minimise_in_unit_box(
      [&](const std::vector<double>& x) {
        const double value = calibration_objective(targets.statistics, evaluate(x).mean);
        ++evaluations;
        best = std::min(best, value);
        if (progress) progress(evaluations, value, best);
        return value;
      },
      u, settings.search);
  const std::vector<double>& best_u = search.best;

  CalibrationResult result;
  result.settings = settings;
  // BOBYQA needs at least two variables; with one the search used Subplex.
  if (n < 2 && settings.search.optimiser == Optimiser::bobyqa)
    result.settings.search.optimiser = Optimiser::subplex;
  result.stop_reason = search.stop_reason;
  result.restarts = search.runs - 1;
  result.evaluations = search.evaluations;

  const SimulatedStatistics at_start = evaluate(u_start);
  const SimulatedStatistics at_fit = evaluate(best_u);
  result.objective_start = calibration_objective(targets.statistics, at_start.mean);
  result.objective_fitted = calibration_objective(targets.statistics, at_fit.mean);
  result.fitted_parameters = to_parameters(best_u);
  for (std::size_t k = 0; k < targets.statistics.size(); ++k) {
    const auto& target = targets.statistics[k];
    result.statistics.push_back({target.statistic, target.month, target.value, target.weight,
                                 at_start.mean[k], at_fit.mean[k], at_fit.standard_error[k],
                                 relative_error(at_fit.mean[k], target.value)});
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto& bounds = targets.parameters[i];
    const double u_fit = std::clamp(best_u[i], 0.0, 1.0);
    result.parameters.push_back({bounds.path, bounds.min, bounds.max, bounds.start,
                                 registry[i]->get(result.fitted_parameters),
                                 u_fit < kAtBoundShare || u_fit > 1 - kAtBoundShare});
  }
  return result;
}

std::string fit_report_markdown(const CalibrationResult& result, std::string_view scenario_file,
                                std::string_view targets_file) {
  std::string out;
  out += fmt::format("# Calibration of {} to {}\n\n", scenario_file, targets_file);
  out += fmt::format(
      "{} replications per evaluation, seed {} (the same random numbers at every evaluation), "
      "optimiser {} (NLopt), {} evaluations in {} run(s) (restarted from the best point while it improved): "
      "{}. Objective (weighted sum of squared relative errors): "
      "{:.5g} at the start, {:.5g} fitted.\n\n",
      result.settings.replications, result.settings.seed, optimiser_name(result.settings.search.optimiser),
      result.evaluations, result.restarts + 1, result.stop_reason, result.objective_start,
      result.objective_fitted);
  out += "| target | month | weight | observed | start | fitted | MC s.e. | error |\n";
  out += "|---|---|---|---|---|---|---|---|\n";
  for (const StatisticFit& s : result.statistics) {
    out += fmt::format("| {} | {} | {:g} | {} | {} | {} | {} | {:+.1f}% |\n", s.statistic,
                       format_month(s.month), s.weight, format_statistic(s.statistic, s.observed),
                       format_statistic(s.statistic, s.start), format_statistic(s.statistic, s.fitted),
                       format_statistic(s.statistic, s.standard_error), 100 * s.error);
  }
  out += "\n| parameter | min | max | start | fitted |\n|---|---|---|---|---|\n";
  for (const ParameterFit& p : result.parameters) {
    out += fmt::format("| `{}` | {:g} | {:g} | {:.6g} | {:.6g}{} |\n", p.path, p.min, p.max, p.start,
                       p.fitted, p.at_bound ? " (at a bound)" : "");
  }
  out +=
      "\nError: (fitted - observed) / observed. MC s.e.: the Monte Carlo standard error of the fitted mean. "
      "Flows are the 12 months to the month shown; stocks are that month's end.\n";
  return out;
}

}  // namespace wfsim::analysis
