#include "analysis/sensitivity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

#include "analysis/outcome_runs.hpp"
#include "run/comparison.hpp"
#include "run/statistics.hpp"
#include "scenario/parameter_registry.hpp"

namespace wfsim::analysis {

namespace {

int sign(double value) {
  return (value > 0) - (value < 0);
}

// Runs the design points and reduces each to the output's mean.
class Evaluator {
 public:
  Evaluator(const model::Parameters& reference, const model::Parameters* policy,
            const std::vector<scenario::ParameterRange>& ranges, const SensitivitySettings& settings)
      : reference_(reference), policy_(policy), ranges_(ranges), settings_(settings) {
    outcome_ = run::outcome_index(settings.output);
    for (const auto& range : ranges) {
      const auto* entry = scenario::find_numeric_parameter(range.path);
      if (entry == nullptr) throw std::invalid_argument("sensitivity: unknown parameter " + range.path);
      registry_.push_back(entry);
    }
  }

  // `x[k]`: parameter k's position in its range, 0 (low) to 1 (high); NaN
  // leaves it at the scenarios' own value.
  double operator()(const std::vector<double>& x) {
    model::Parameters reference = reference_;
    model::Parameters policy = policy_ != nullptr ? *policy_ : model::Parameters{};
    for (std::size_t k = 0; k < x.size(); ++k) {
      if (std::isnan(x[k])) continue;
      const double value = ranges_[k].low + x[k] * (ranges_[k].high - ranges_[k].low);
      registry_[k]->set(reference, value);
      if (policy_ != nullptr) registry_[k]->set(policy, value);
    }
    std::vector<run::ScenarioInput> scenarios{{&reference, {}}};
    if (policy_ != nullptr) scenarios.push_back({&policy, {}});
    const run::OutcomeTally tally =
        run_outcomes(scenarios, settings_.seed, 0, settings_.replications, settings_.threads);
    ++evaluations_;

    std::vector<double> output = horizon_values(tally, 0, outcome_);
    if (policy_ != nullptr) {
      const std::vector<double> option = horizon_values(tally, 1, outcome_);
      for (std::size_t r = 0; r < output.size(); ++r) output[r] = option[r] - output[r];
    }
    return run::mean(output);
  }

  int evaluations() const { return evaluations_; }

 private:
  const model::Parameters& reference_;
  const model::Parameters* policy_;
  const std::vector<scenario::ParameterRange>& ranges_;
  SensitivitySettings settings_;
  std::vector<const scenario::NumericParameter*> registry_;
  int outcome_ = 0;
  int evaluations_ = 0;
};

void tornado(Evaluator& evaluate, SensitivityResult& result, const SensitivityProgress& progress) {
  const std::size_t n = result.parameters.size();
  const int total = static_cast<int>(2 * n + 1);
  std::vector<double> x(n, std::nan(""));
  result.base_value = evaluate(x);
  if (progress) progress(1, total);
  for (std::size_t k = 0; k < n; ++k) {
    x[k] = 0;
    result.output_low.push_back(evaluate(x));
    x[k] = 1;
    result.output_high.push_back(evaluate(x));
    x[k] = std::nan("");
    if (progress) progress(static_cast<int>(2 * k + 3), total);
    const int base_sign = sign(result.base_value);
    result.flips_ranking.push_back(result.paired && (sign(result.output_low.back()) != base_sign ||
                                                     sign(result.output_high.back()) != base_sign));
  }
}

// Morris (1991) trajectories: a random start on the p-level grid, then each
// parameter in random order moves by +/- delta, delta = p / (2 (p - 1)).
void morris(Evaluator& evaluate, SensitivityResult& result, const SensitivitySettings& settings,
            const SensitivityProgress& progress) {
  const std::size_t n = result.parameters.size();
  const int p = settings.levels;
  const double delta = static_cast<double>(p) / (2.0 * (p - 1));
  // Starting levels that leave room for a step up: 0 .. p/2 - 1 (of p - 1).
  const int start_levels = p / 2;
  std::mt19937_64 random(settings.seed);
  const auto draw = [&](std::uint64_t count) { return static_cast<std::size_t>(random() % count); };

  const int total = 1 + settings.trajectories * static_cast<int>(n + 1);
  int done = 0;
  result.base_value = evaluate(std::vector<double>(n, std::nan("")));
  if (progress) progress(++done, total);

  std::vector<std::vector<double>> effects(n);
  result.flips_ranking.assign(n, 0);
  for (int trajectory = 0; trajectory < settings.trajectories; ++trajectory) {
    std::vector<double> x(n);
    std::vector<double> step(n);
    for (std::size_t k = 0; k < n; ++k) {
      const double level = static_cast<double>(draw(static_cast<std::uint64_t>(start_levels))) / (p - 1);
      const bool up = draw(2) == 0;
      x[k] = up ? level : level + delta;
      step[k] = up ? delta : -delta;
    }
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t k = n; k > 1; --k) std::swap(order[k - 1], order[draw(k)]);

    double before = evaluate(x);
    if (progress) progress(++done, total);
    for (std::size_t k : order) {
      x[k] += step[k];
      const double after = evaluate(x);
      if (progress) progress(++done, total);
      effects[k].push_back((after - before) / step[k]);
      if (result.paired && sign(after) != sign(before)) result.flips_ranking[k] = 1;
      before = after;
    }
  }
  for (std::size_t k = 0; k < n; ++k) {
    const auto& e = effects[k];
    double sum = 0, absolute = 0;
    for (double v : e) {
      sum += v;
      absolute += std::fabs(v);
    }
    const double mu = sum / static_cast<double>(e.size());
    double squares = 0;
    for (double v : e) squares += (v - mu) * (v - mu);
    result.mu.push_back(mu);
    result.mu_star.push_back(absolute / static_cast<double>(e.size()));
    result.sigma.push_back(e.size() > 1 ? std::sqrt(squares / static_cast<double>(e.size() - 1))
                                        : std::nan(""));
  }
}

std::vector<std::size_t> order_by(const std::vector<double>& key) {
  std::vector<std::size_t> order(key.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key[a] > key[b]; });
  return order;
}

}  // namespace

double SensitivityResult::swing(std::size_t k) const {
  return std::fabs(output_high[k] - output_low[k]);
}

SensitivityResult run_sensitivity(const model::Parameters& reference, const model::Parameters* policy,
                                  const std::vector<scenario::ParameterRange>& ranges,
                                  const SensitivitySettings& settings, const SensitivityProgress& progress) {
  if (ranges.empty()) throw std::invalid_argument("sensitivity: no parameters");
  if (settings.replications < 1) throw std::invalid_argument("sensitivity: replications must be at least 1");
  if (settings.design == SensitivityDesign::morris) {
    if (settings.trajectories < 2)
      throw std::invalid_argument("sensitivity: Morris needs at least 2 trajectories");
    if (settings.levels < 2 || settings.levels % 2 != 0) {
      throw std::invalid_argument("sensitivity: Morris levels must be an even number of at least 2");
    }
  }
  if (policy != nullptr && policy->time.months != reference.time.months) {
    throw std::invalid_argument("sensitivity: the policy and the reference differ in months");
  }
  Evaluator evaluate(reference, policy, ranges, settings);  // checks the output name

  SensitivityResult result;
  result.settings = settings;
  result.paired = policy != nullptr;
  for (const auto& range : ranges) {
    result.parameters.push_back(range.path);
    // The value in force: a policy's own parameter is read from the policy.
    const auto* entry = scenario::find_numeric_parameter(range.path);
    const bool policy_only = policy != nullptr && !scenario::parameter_in_force(reference, range.path) &&
                             scenario::parameter_in_force(*policy, range.path);
    result.baseline.push_back(entry->get(policy_only ? *policy : reference));
    result.low.push_back(range.low);
    result.high.push_back(range.high);
  }
  if (settings.design == SensitivityDesign::tornado) {
    tornado(evaluate, result, progress);
  } else {
    morris(evaluate, result, settings, progress);
  }
  result.evaluations = evaluate.evaluations();
  return result;
}

std::vector<std::size_t> tornado_order(const SensitivityResult& result) {
  std::vector<double> swings;
  for (std::size_t k = 0; k < result.parameters.size(); ++k) swings.push_back(result.swing(k));
  return order_by(swings);
}

std::vector<std::size_t> morris_order(const SensitivityResult& result) {
  return order_by(result.mu_star);
}

std::string sensitivity_table(const SensitivityResult& result) {
  const auto& s = result.settings;
  const std::string output = result.paired ? fmt::format("{} (policy - reference)", s.output) : s.output;
  std::string out;
  std::size_t width = 9;
  for (const auto& name : result.parameters) width = std::max(width, name.size());
  const auto pad = [&](const std::string& text) { return fmt::format("{:<{}}", text, width + 2); };
  if (s.design == SensitivityDesign::tornado) {
    out +=
        fmt::format("Tornado: {}, mean of {} replications, seed {}; at every parameter's own value {:.2f}\n",
                    output, s.replications, s.seed, result.base_value);
    out += pad("parameter") + fmt::format("{:>12}{:>12}{:>12}{:>14}{:>14}{:>10}{}\n", "low", "value", "high",
                                          "output low", "output high", "swing",
                                          result.paired ? "  flips ranking" : "");
    for (std::size_t k : tornado_order(result)) {
      out += pad(result.parameters[k]) +
             fmt::format("{:>12.4g}{:>12.4g}{:>12.4g}{:>14.2f}{:>14.2f}{:>10.2f}{}\n", result.low[k],
                         result.baseline[k], result.high[k], result.output_low[k], result.output_high[k],
                         result.swing(k), result.paired ? (result.flips_ranking[k] ? "  YES" : "  no") : "");
    }
  } else {
    out += fmt::format(
        "Morris: {}, {} trajectories on a {}-level grid, mean of {} replications each, seed {}; at every "
        "parameter's own value {:.2f}. Effects are per whole range.\n",
        output, s.trajectories, s.levels, s.replications, s.seed, result.base_value);
    out += pad("parameter") + fmt::format("{:>12}{:>12}{:>12}{}\n", "mu*", "mu", "sigma",
                                          result.paired ? "  flips ranking" : "");
    for (std::size_t k : morris_order(result)) {
      out += pad(result.parameters[k]) +
             fmt::format("{:>12.2f}{:>12.2f}{:>12.2f}{}\n", result.mu_star[k], result.mu[k], result.sigma[k],
                         result.paired ? (result.flips_ranking[k] ? "  YES" : "  no") : "");
    }
  }
  return out;
}

}  // namespace wfsim::analysis
