// Derivative-free minimisation over the unit box [0, 1]^n with NLopt, as the
// modellers' tools use it: calibration and the policy search scale each
// parameter to [0, 1] by its bounds, so one tolerance and one initial step
// suit every parameter. A failure inside the objective stops the optimiser
// and is rethrown as it was.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wfsim::analysis {

enum class Optimiser { bobyqa, nelder_mead, subplex, cobyla };
// "bobyqa", "neldermead", "sbplx", "cobyla".
std::string_view optimiser_name(Optimiser optimiser);

struct UnitBoxSettings {
  Optimiser optimiser = Optimiser::nelder_mead;
  int max_evaluations = 1000;
  // Stop when a step changes every coordinate by less than this.
  double x_tolerance = 1e-3;
  double initial_step = 0.1;
  // Runs of the optimiser again from the best point, while a run improves the
  // objective by more than `restart_improvement` (relative).
  int restarts = 0;
  double restart_improvement = 1e-3;
};

// Minimise this; called with a point of the unit box.
using UnitBoxFunction = std::function<double(const std::vector<double>& u)>;

struct UnitBoxResult {
  std::vector<double> best;  // the best point evaluated (clamped to the box)
  double best_value = 0;     // the objective there
  bool feasible = true;      // with a constraint: whether `best` meets it
  int evaluations = 0;       // of the objective
  int runs = 0;              // of the optimiser, the first included
  bool converged = false;    // the last run stopped on a tolerance, not a budget or an error
  std::string stop_reason;
};

// Minimises `objective` from `start`. With a `constraint` (only COBYLA takes
// one), points where it is positive are infeasible: the best point is the
// best feasible one, or the least infeasible while none is. Throws
// std::runtime_error if the optimiser cannot start, and rethrows whatever the
// functions throw.
UnitBoxResult minimise_in_unit_box(const UnitBoxFunction& objective, std::vector<double> start,
                                   const UnitBoxSettings& settings, const UnitBoxFunction& constraint = {});

}  // namespace wfsim::analysis
