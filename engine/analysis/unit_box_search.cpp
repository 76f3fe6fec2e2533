#include "analysis/unit_box_search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <exception>
#include <limits>
#include <nlopt.hpp>
#include <stdexcept>

namespace wfsim::analysis {

namespace {

// Each optimiser's name, as users write it, and its NLopt algorithm; in the
// enum's order.
struct OptimiserSpec {
  Optimiser optimiser;
  std::string_view name;
  nlopt::algorithm algorithm;
};
constexpr std::array<OptimiserSpec, 4> kOptimisers{
    {{Optimiser::bobyqa, "bobyqa", nlopt::LN_BOBYQA},
     {Optimiser::nelder_mead, "neldermead", nlopt::LN_NELDERMEAD},
     {Optimiser::subplex, "sbplx", nlopt::LN_SBPLX},
     {Optimiser::cobyla, "cobyla", nlopt::LN_COBYLA}}};
static_assert(
    [] {
      for (std::size_t i = 0; i < kOptimisers.size(); ++i) {
        if (static_cast<std::size_t>(kOptimisers[i].optimiser) != i) return false;
      }
      return true;
    }(),
    "kOptimisers follows the order of Optimiser");

const OptimiserSpec& spec_of(Optimiser optimiser) {
  return kOptimisers.at(static_cast<std::size_t>(optimiser));
}

std::string stop_reason(nlopt::result result) {
  switch (result) {
    case nlopt::SUCCESS:
      return "converged";
    case nlopt::STOPVAL_REACHED:
      return "objective reached the stop value";
    case nlopt::FTOL_REACHED:
      return "objective stopped improving (relative tolerance)";
    case nlopt::XTOL_REACHED:
      return "parameters stopped moving (tolerance)";
    case nlopt::MAXEVAL_REACHED:
      return "evaluation budget used up";
    case nlopt::MAXTIME_REACHED:
      return "time budget used up";
    default:
      return fmt::format("NLopt result {}", static_cast<int>(result));
  }
}

// The best point so far: feasible points beat infeasible ones; among
// feasible, the lower objective; among infeasible, the smaller violation.
struct Best {
  std::vector<double> point;
  double value = std::numeric_limits<double>::infinity();
  double violation = std::numeric_limits<double>::infinity();
  bool feasible = false;

  void offer(const std::vector<double>& x, double objective, double constraint) {
    const bool ok = !(constraint > 0);
    const bool better = ok ? (!feasible || objective < value) : (!feasible && constraint < violation);
    if (!better) return;
    point = x;
    value = objective;
    violation = ok ? 0.0 : constraint;
    feasible = ok;
  }
};

}  // namespace

std::string_view optimiser_name(Optimiser optimiser) {
  return spec_of(optimiser).name;
}

UnitBoxResult minimise_in_unit_box(const UnitBoxFunction& objective, std::vector<double> start,
                                   const UnitBoxSettings& settings, const UnitBoxFunction& constraint) {
  const std::size_t n = start.size();
  if (n == 0) throw std::invalid_argument("minimise_in_unit_box: no variables");
  if (constraint && settings.optimiser != Optimiser::cobyla) {
    throw std::invalid_argument("minimise_in_unit_box: only COBYLA takes a constraint");
  }
  for (double& u : start) u = std::clamp(u, 0.0, 1.0);
  // BOBYQA needs at least two variables; with one, Subplex (which is then
  // Nelder-Mead on the line with restarts) does the job.
  const Optimiser used =
      n < 2 && settings.optimiser == Optimiser::bobyqa ? Optimiser::subplex : settings.optimiser;

  int evaluations = 0;
  Best best;
  best.point = start;
  std::exception_ptr failure;
  // The constraint at the point the objective was last evaluated: NLopt asks
  // for both at the same point, one after the other.
  std::vector<double> last_point;
  double last_constraint = 0;

  nlopt::opt optimiser(spec_of(used).algorithm, static_cast<unsigned>(n));
  struct Context {
    std::function<double(const std::vector<double>&)> objective;
    std::function<double(const std::vector<double>&)> constraint;
  } context{[&](const std::vector<double>& x) {
              try {
                std::vector<double> u = x;
                for (double& v : u) v = std::clamp(v, 0.0, 1.0);
                const double value = objective(u);
                last_point = x;
                last_constraint = constraint ? constraint(u) : 0.0;
                ++evaluations;
                best.offer(u, value, last_constraint);
                return value;
              } catch (...) {
                failure = std::current_exception();
                optimiser.force_stop();
                return std::numeric_limits<double>::infinity();
              }
            },
            [&](const std::vector<double>& x) {
              if (x == last_point) return last_constraint;
              try {
                std::vector<double> u = x;
                for (double& v : u) v = std::clamp(v, 0.0, 1.0);
                return constraint(u);
              } catch (...) {
                failure = std::current_exception();
                optimiser.force_stop();
                return std::numeric_limits<double>::infinity();
              }
            }};
  optimiser.set_min_objective([](const std::vector<double>& x, std::vector<double>&,
                                 void* data) { return static_cast<Context*>(data)->objective(x); },
                              &context);
  if (constraint) {
    optimiser.add_inequality_constraint([](const std::vector<double>& x, std::vector<double>&,
                                           void* data) { return static_cast<Context*>(data)->constraint(x); },
                                        &context, 0.0);
  }
  optimiser.set_lower_bounds(0.0);
  optimiser.set_upper_bounds(1.0);
  optimiser.set_xtol_abs(settings.x_tolerance);
  optimiser.set_initial_step(settings.initial_step);

  UnitBoxResult result;
  // A local method can stall on a ridge or at a flat patch of the objective;
  // starting it again from the best point with its full initial step costs
  // a few evaluations and often goes on (the standard remedy for Nelder-Mead).
  for (int run = 0; run <= settings.restarts && evaluations < settings.max_evaluations; ++run) {
    const double best_before = best.value;
    const bool feasible_before = best.feasible;
    optimiser.set_maxeval(settings.max_evaluations - evaluations);
    std::vector<double> x = best.point;
    result.converged = false;
    double final_value = 0;
    try {
      const nlopt::result stopped = optimiser.optimize(x, final_value);
      result.stop_reason = stop_reason(stopped);
      result.converged =
          stopped == nlopt::SUCCESS || stopped == nlopt::XTOL_REACHED || stopped == nlopt::FTOL_REACHED;
    } catch (const nlopt::roundoff_limited&) {
      result.stop_reason = "stopped by round-off (the best point so far is kept)";
    } catch (const nlopt::forced_stop&) {
      if (failure) std::rethrow_exception(failure);
      result.stop_reason = "stopped";
    } catch (const std::exception& e) {
      if (failure) std::rethrow_exception(failure);
      throw std::runtime_error(fmt::format("the optimiser failed: {}", e.what()));
    }
    if (failure) std::rethrow_exception(failure);
    result.runs = run + 1;
    const bool improved =
        best.feasible &&
        (!feasible_before || best.value < best_before - settings.restart_improvement * std::abs(best_before));
    if (run > 0 && !improved) break;
  }
  result.best = best.point;
  result.best_value = best.value;
  result.feasible = best.feasible;
  result.evaluations = evaluations;
  return result;
}

}  // namespace wfsim::analysis
