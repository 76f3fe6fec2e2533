// Uncertain parameters: draws follow the declared distribution truncated to
// the parameter's range, once per replication from an address every scenario
// shares, and the resolved YAML keeps the distribution.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include "model/metrics.hpp"
#include "model_fixture.hpp"
#include "run/monte_carlo.hpp"
#include "scenario/parameter_registry.hpp"
#include "scenario/scenario.hpp"
#include "scenario/uncertainty.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using namespace wfsim::scenario;
using namespace wfsim::test;
using wfsim::model::Metric;

constexpr std::uint64_t kSeed = 20151101;
constexpr int kDraws = 4000;
constexpr double kTolerance = 4.5;  // standard errors

// A scenario extending tests/scenarios/valid_full.yaml with `overrides`.
Scenario scenario_with(const std::string& overrides, const std::string& name = "uncertain") {
  const fs::path dir = fs::temp_directory_path() / fmt::format("wfsim_uncertainty_{}", ::getpid());
  fs::create_directories(dir);
  const fs::path file = dir / (name + ".yaml");
  std::ofstream(file) << fmt::format("extends: {}\n{}",
                                     source_path("tests/scenarios/valid_full.yaml").string(), overrides);
  Scenario scenario = load_scenario(file);
  fs::remove_all(dir);
  return scenario;
}

// By value: callers pass a temporary scenario.
UncertainParameter only_uncertain(const Scenario& scenario) {
  EXPECT_EQ(scenario.uncertain.size(), 1u);
  return scenario.uncertain.front();
}

std::vector<double> draws_of(const UncertainParameter& parameter, int count = kDraws) {
  std::vector<double> values;
  for (int r = 0; r < count; ++r) {
    values.push_back(
        draw_parameter(parameter, wfsim::random::make_stream_key(kSeed, static_cast<std::uint32_t>(r))));
  }
  return values;
}

struct Moments {
  double mean = 0;
  double variance = 0;
  double fourth = 0;  // central fourth moment
};

Moments moments_of(const std::vector<double>& values) {
  Moments m;
  for (double v : values) m.mean += v;
  m.mean /= static_cast<double>(values.size());
  for (double v : values) {
    const double d = v - m.mean;
    m.variance += d * d;
    m.fourth += d * d * d * d;
  }
  m.variance /= static_cast<double>(values.size() - 1);
  m.fourth /= static_cast<double>(values.size());
  return m;
}

// The sample mean and variance agree with the distribution's within kTolerance standard errors.
void expect_moments(const std::vector<double>& values, double mean, double variance) {
  const Moments m = moments_of(values);
  const double n = static_cast<double>(values.size());
  EXPECT_NEAR(m.mean, mean, kTolerance * std::sqrt(variance / n)) << "mean";
  EXPECT_NEAR(m.variance, variance, kTolerance * std::sqrt((m.fourth - m.variance * m.variance) / n))
      << "variance";
}

TEST(Uncertainty, UniformDrawsHaveItsMoments) {
  const auto u = only_uncertain(
      scenario_with("demand:\n  annual_growth: {distribution: uniform, min: 0.02, max: 0.08}\n"));
  const auto values = draws_of(u);
  for (double v : values) EXPECT_TRUE(v >= 0.02 && v <= 0.08) << v;
  expect_moments(values, 0.05, 0.06 * 0.06 / 12);
}

TEST(Uncertainty, NormalDrawsHaveItsMoments) {
  const auto u = only_uncertain(
      scenario_with("attrition:\n  burnout_coefficient: {distribution: normal, mean: 1.5, sd: 0.4}\n"));
  expect_moments(draws_of(u), 1.5, 0.16);
}

TEST(Uncertainty, LognormalTakesTheMeanAndSdOfTheVariableItself) {
  const auto u = only_uncertain(
      scenario_with("demand:\n  initial_cases: {distribution: lognormal, mean: 15000, sd: 3000}\n"));
  const auto values = draws_of(u);
  for (double v : values) EXPECT_GT(v, 0);
  expect_moments(values, 15000, 3000.0 * 3000.0);
}

TEST(Uncertainty, BetaFromMeanAndSdOrFromShapes) {
  const auto by_moments = only_uncertain(
      scenario_with("asye:\n  failure_probability: {distribution: beta, mean: 0.2, sd: 0.05}\n"));
  expect_moments(draws_of(by_moments), 0.2, 0.0025);
  const double a = 2, b = 6;
  const auto by_shape = only_uncertain(
      scenario_with("asye:\n  failure_probability: {distribution: beta, alpha: 2, beta: 6}\n"));
  expect_moments(draws_of(by_shape), a / (a + b), a * b / ((a + b) * (a + b) * (a + b + 1)));
}

TEST(Uncertainty, TriangularDrawsHaveItsMoments) {
  const double low = 0.5, mode = 1.0, high = 3.0;
  const auto u = only_uncertain(scenario_with(
      "attrition:\n  burnout_coefficient: {distribution: triangular, min: 0.5, mode: 1, max: 3}\n"));
  expect_moments(draws_of(u), (low + mode + high) / 3,
                 (low * low + mode * mode + high * high - low * mode - low * high - mode * high) / 18);
}

// A normal on a probability is truncated to [0, 1] by drawing the quantile of
// a uniform between the distribution function at the two ends.
TEST(Uncertainty, NormalOnAProbabilityIsTruncatedToTheRange) {
  const double mu = 0.05, sigma = 0.05;
  const auto u = only_uncertain(
      scenario_with("asye:\n  failure_probability: {distribution: normal, mean: 0.05, sd: 0.05}\n"));
  const auto values = draws_of(u);
  for (double v : values) EXPECT_TRUE(v >= 0 && v <= 1) << v;
  // Truncated below at 0 (alpha = -1); the cut above 1 is 19 sd away.
  const double alpha = (0 - mu) / sigma;
  const double phi = std::exp(-0.5 * alpha * alpha) / std::sqrt(2 * std::numbers::pi);
  const double tail = 0.5 * std::erfc(alpha / std::sqrt(2.0));  // 1 - Phi(alpha)
  const double lambda = phi / tail;
  const double mean = mu + sigma * lambda;
  const double variance = sigma * sigma * (1 + alpha * lambda - lambda * lambda);
  expect_moments(values, mean, variance);
}

TEST(Uncertainty, WholeNumberParametersDrawWholeNumbersInRange) {
  const Scenario scenario =
      scenario_with("step_up:\n  training_months: {distribution: triangular, min: 0, mode: 1, max: 6}\n");
  const auto u = only_uncertain(scenario);
  // The mean of the triangular distribution, rounded, is the value without draws.
  EXPECT_EQ(scenario.parameters.step_up.training_months, 2);
  const auto values = draws_of(u);
  for (double v : values) {
    EXPECT_EQ(v, std::round(v));
    EXPECT_GE(v, 1);  // training_months >= 1: the draws below 0.5 are cut, not rounded to 0
    EXPECT_LE(v, 6);
  }
}

TEST(Uncertainty, ParametersHoldTheMeanAndTheResolvedYamlTheDistribution) {
  const Scenario scenario = scenario_with(
      "attrition:\n  burnout_coefficient: {distribution: normal, mean: 1.5, sd: 0.25}\n"
      "demand:\n  initial_cases: {distribution: lognormal, mean: 15000, sd: 2000}\n"
      "asye:\n  failure_probability:\n    distribution: beta\n    alpha: 3\n    beta: 97\n");
  EXPECT_EQ(scenario.parameters.attrition.burnout_coefficient, 1.5);
  EXPECT_EQ(scenario.parameters.demand.initial_cases, 15000);
  EXPECT_EQ(scenario.parameters.asye.failure_probability, 0.03);
  ASSERT_EQ(scenario.uncertain.size(), 3u);
  // In registry order, each with its registry index.
  const auto registry = numeric_parameters();
  for (std::size_t k = 0; k < scenario.uncertain.size(); ++k) {
    const auto& u = scenario.uncertain[k];
    EXPECT_EQ(registry[u.registry_index].path, u.path);
    if (k > 0) {
      EXPECT_GT(u.registry_index, scenario.uncertain[k - 1].registry_index);
    }
  }
  const std::string& yaml = scenario.resolved_yaml;
  EXPECT_NE(yaml.find("  burnout_coefficient: {distribution: normal, mean: 1.5, sd: 0.25}\n"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("  failure_probability: {distribution: beta, alpha: 3, beta: 97}\n"),
            std::string::npos);
  const Scenario reloaded = load_scenario_text(yaml, "stored.yaml");
  EXPECT_EQ(reloaded.resolved_yaml, yaml);
  ASSERT_EQ(reloaded.uncertain.size(), scenario.uncertain.size());
  for (std::size_t k = 0; k < scenario.uncertain.size(); ++k) {
    const auto stream = wfsim::random::make_stream_key(kSeed, 17);
    EXPECT_EQ(draw_parameter(reloaded.uncertain[k], stream), draw_parameter(scenario.uncertain[k], stream));
  }
}

TEST(Uncertainty, ScenariosWithoutDistributionsHaveNoUncertainParameters) {
  EXPECT_TRUE(load_scenario(source_path("tests/scenarios/valid_full.yaml")).uncertain.empty());
  EXPECT_TRUE(scenario_with("assumptions: none\n").uncertain.empty());
}

// A scenario's `assumptions` file makes each listed parameter it uses and
// sets within the range uncertain: triangular with the scenario's own value
// as mode by default, uniform when the file says so. Others stay as they are.
TEST(Uncertainty, AnAssumptionsFileDrawsItsParametersAroundTheScenariosValues) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("wfsim_assumptions_{}", ::getpid());
  fs::create_directories(dir);
  std::ofstream(dir / "ranges.yaml")
      << "parameters:\n"
         "  - {path: attrition.burnout_coefficient, low: 1, high: 4}\n"
         "  - {path: demand.annual_growth, low: 0.01, high: 0.09, distribution: uniform}\n"
         "  - {path: burnout.memory_months, low: 1, high: 2}\n"
         "  - {path: policies.retention_payment.amount_gbp, low: 0, high: 5000}\n";
  std::ofstream(dir / "s.yaml") << fmt::format("extends: {}\nassumptions: ranges.yaml\n",
                                               source_path("tests/scenarios/valid_full.yaml").string());
  const Scenario scenario = load_scenario(dir / "s.yaml");
  const Scenario plain = load_scenario(source_path("tests/scenarios/valid_full.yaml"));
  fs::remove_all(dir);
  // memory_months lies outside 1-2 and the retention payment is off: both stay certain.
  ASSERT_EQ(scenario.uncertain.size(), 2u);
  const auto& burnout = scenario.uncertain[1].distribution;
  EXPECT_EQ(scenario.uncertain[1].path, "attrition.burnout_coefficient");
  EXPECT_EQ(burnout.family_name(), "triangular");
  EXPECT_EQ(burnout.values[1], plain.parameters.attrition.burnout_coefficient);  // the mode
  EXPECT_EQ(scenario.uncertain[0].path, "demand.annual_growth");
  EXPECT_EQ(scenario.uncertain[0].distribution.family_name(), "uniform");
  EXPECT_EQ(scenario.parameters.burnout.memory_months, plain.parameters.burnout.memory_months);
  // The resolved YAML holds the distributions and needs no ranges file.
  EXPECT_NE(scenario.resolved_yaml.find("distribution: triangular"), std::string::npos);
  EXPECT_EQ(scenario.resolved_yaml.find("assumptions"), std::string::npos);
  EXPECT_EQ(load_scenario_text(scenario.resolved_yaml, "resolved").uncertain.size(), 2u);
}

// Two scenarios that declare the same distribution draw the same value in
// each replication; a different distribution of the same parameter uses the
// same uniform, so the draws move together.
TEST(Uncertainty, ScenariosShareTheDrawOfAReplication) {
  const Scenario a =
      scenario_with("attrition:\n  burnout_coefficient: {distribution: normal, mean: 1.5, sd: 0.4}\n", "a");
  const Scenario b = scenario_with(
      "attrition:\n  burnout_coefficient: {distribution: normal, mean: 1.5, sd: 0.4}\n"
      "  pay_gap_coefficient: 1\n",
      "b");
  const Scenario c =
      scenario_with("attrition:\n  burnout_coefficient: {distribution: normal, mean: 2.5, sd: 0.4}\n", "c");
  for (std::uint32_t r = 0; r < 200; ++r) {
    const auto stream = wfsim::random::make_stream_key(kSeed, r);
    const double da = draw_parameter(a.uncertain[0], stream);
    EXPECT_EQ(da, draw_parameter(b.uncertain[0], stream));
    EXPECT_NEAR(draw_parameter(c.uncertain[0], stream) - da, 1.0, 1e-9);
  }
}

std::vector<double> month0_demand(const std::vector<const Scenario*>& scenarios, bool independent,
                                  int threads) {
  std::vector<wfsim::run::ScenarioInput> inputs;
  for (const Scenario* s : scenarios) {
    wfsim::run::ParameterDraws draws;
    if (!s->uncertain.empty()) {
      draws = [s](const wfsim::random::StreamKey& common, wfsim::model::Parameters& p) {
        apply_parameter_draws(s->uncertain, common, p);
      };
    }
    inputs.push_back({&s->parameters, draws});
  }
  wfsim::run::MonteCarloSettings settings;
  settings.seed = kSeed;
  settings.replications = 60;
  settings.threads = threads;
  settings.block_size = 16;
  settings.independent_streams = independent;
  std::vector<double> out(scenarios.size() * 60);
  wfsim::run::run_monte_carlo(inputs, settings, [&](const wfsim::run::ResultBlock& block) {
    for (int s = 0; s < block.scenarios; ++s)
      for (int r = 0; r < block.count; ++r)
        out[static_cast<std::size_t>(s * 60 + block.first_replication + r)] =
            block.at(s, wfsim::model::index_of(Metric::demand_cases), r, 0);
  });
  return out;
}

// Month 0's demand is the initial cases (no noise, no shock in month 0), so
// the run shows the value each replication drew.
TEST(UncertaintyRun, EveryScenarioAndStreamSettingUsesTheSameDraw) {
  const std::string uncertain = "demand:\n  initial_cases: {distribution: normal, mean: 15000, sd: 1500}\n";
  const Scenario a = scenario_with(uncertain, "a");
  const Scenario b = scenario_with(uncertain + "attrition:\n  burnout_coefficient: 0.5\n", "b");
  const Scenario fixed = scenario_with("", "fixed");
  const auto common = month0_demand({&a, &b, &fixed}, false, 2);
  const auto independent = month0_demand({&a, &b, &fixed}, true, 3);
  EXPECT_EQ(common, independent);
  for (int r = 0; r < 60; ++r) {
    SCOPED_TRACE(r);
    const double drawn =
        draw_parameter(a.uncertain[0], wfsim::random::make_stream_key(kSeed, static_cast<std::uint32_t>(r)));
    EXPECT_EQ(common[static_cast<std::size_t>(r)], drawn);
    EXPECT_EQ(common[static_cast<std::size_t>(60 + r)], drawn);
    EXPECT_EQ(common[static_cast<std::size_t>(120 + r)], 15000);
  }
  EXPECT_NE(common[0], common[1]);
}

// Without draws, a scenario input runs its parameters as they are: the
// results are those of the plain overload, bit for bit, whether or not the
// parameters pass through a per-replication copy.
TEST(UncertaintyRun, NoDrawsIsBitIdenticalToThePlainRunner) {
  const wfsim::model::Parameters p = baseline_parameters();
  wfsim::run::MonteCarloSettings settings;
  settings.seed = 99;
  settings.replications = 24;
  settings.threads = 2;
  const auto collect = [&](auto&& run) {
    std::vector<double> values;
    run([&](const wfsim::run::ResultBlock& block) {
      values.insert(values.end(), block.values.begin(), block.values.end());
    });
    return values;
  };
  const auto plain =
      collect([&](const auto& consume) { wfsim::run::run_monte_carlo({&p}, settings, consume); });
  const auto empty_draws = collect([&](const auto& consume) {
    wfsim::run::run_monte_carlo(std::vector<wfsim::run::ScenarioInput>{{&p, {}}}, settings, consume);
  });
  const auto copied = collect([&](const auto& consume) {
    wfsim::run::run_monte_carlo(
        std::vector<wfsim::run::ScenarioInput>{
            {&p, [](const wfsim::random::StreamKey&, wfsim::model::Parameters&) {}}},
        settings, consume);
  });
  ASSERT_FALSE(plain.empty());
  // Bit for bit: missing values (NaN) compare equal only this way.
  auto same_bits = [](const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
  };
  EXPECT_TRUE(same_bits(plain, empty_draws));
  EXPECT_TRUE(same_bits(plain, copied));
}

}  // namespace
