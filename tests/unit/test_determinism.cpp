// Determinism and the common-random-numbers contract of the Monte Carlo
// runner (MODEL.md section 13): same seed and inputs give bit-identical
// series whatever the thread count and block size, a scenario's series do not
// depend on which other scenarios share the run, and independent streams
// really are independent.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "model/metrics.hpp"
#include "model/simulation.hpp"
#include "model_fixture.hpp"
#include "random/addressed_stream.hpp"

namespace wfsim::test {
namespace {

constexpr int kReplications = 24;  // uneven in blocks of 7: 7, 7, 7, 3
constexpr std::uint64_t kSeed = 424242;

run::MonteCarloSettings settings_with(int threads, int block_size, std::uint64_t seed = kSeed,
                                      bool independent = false) {
  run::MonteCarloSettings s;
  s.seed = seed;
  s.replications = kReplications;
  s.threads = threads;
  s.block_size = block_size;
  s.independent_streams = independent;
  return s;
}

// Bit-for-bit equality, reporting the first differing metric.
::testing::AssertionResult bit_identical(std::span<const double> a, std::span<const double> b,
                                         const RunSeries& layout) {
  if (a.size() != b.size()) return ::testing::AssertionFailure() << "sizes differ";
  if (std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0) return ::testing::AssertionSuccess();
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (std::memcmp(&a[k], &b[k], sizeof(double)) != 0) {
      const std::size_t per_metric = static_cast<std::size_t>(layout.replications * layout.months);
      const auto metric = (k / per_metric) % model::kMetricCount;
      return ::testing::AssertionFailure()
             << "first difference in " << model::kMetrics[metric].name << ": " << a[k] << " vs " << b[k];
    }
  }
  return ::testing::AssertionFailure() << "unreachable";
}

// Some metric differs in some replication: the series are not the same.
bool differ(std::span<const double> a, std::span<const double> b) {
  return a.size() != b.size() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) != 0;
}

class Determinism : public ::testing::Test {
 protected:
  model::Parameters a_ = baseline_parameters();
  model::Parameters b_ = busy_variant_parameters();
  model::Parameters c_ = all_policies_parameters();
};

TEST_F(Determinism, SameSeed_BitIdenticalAcrossThreadCountsAndBlockSizes) {
  const auto reference = run_series({&a_, &b_, &c_}, settings_with(1, 7));
  for (int threads : {1, 2, 8}) {
    for (int block : {7, 64}) {
      if (threads == 1 && block == 7) continue;
      const auto other = run_series({&a_, &b_, &c_}, settings_with(threads, block));
      EXPECT_TRUE(bit_identical(reference.values, other.values, reference))
          << threads << " threads, blocks of " << block;
    }
  }
}

TEST_F(Determinism, DifferentSeed_GivesDifferentSeries) {
  const auto first = run_series({&a_}, settings_with(2, 64, kSeed));
  const auto second = run_series({&a_}, settings_with(2, 64, kSeed + 1));
  EXPECT_TRUE(differ(first.metric(0, model::Metric::leavers), second.metric(0, model::Metric::leavers)));
  EXPECT_TRUE(
      differ(first.metric(0, model::Metric::demand_cases), second.metric(0, model::Metric::demand_cases)));
  // Replications within one run are not copies of each other either.
  EXPECT_TRUE(differ(first.row(0, model::Metric::leavers, 0), first.row(0, model::Metric::leavers, 1)));
}

TEST_F(Determinism, CommonRandomNumbers_ScenarioSeriesIndependentOfCompanions) {
  const auto alone = run_series({&a_}, settings_with(2, 64));
  const auto with_b = run_series({&a_, &b_}, settings_with(2, 64));
  const auto after_others = run_series({&c_, &b_, &a_}, settings_with(2, 64));
  EXPECT_TRUE(bit_identical(alone.scenario(0), with_b.scenario(0), alone)) << "A alone vs A with B";
  EXPECT_TRUE(bit_identical(alone.scenario(0), after_others.scenario(2), alone)) << "A alone vs A after C, B";
  EXPECT_TRUE(bit_identical(with_b.scenario(1), after_others.scenario(1), alone))
      << "B's position in the run";
  // The companions are real policy differences, not copies.
  EXPECT_TRUE(differ(with_b.scenario(0), with_b.scenario(1)));
  EXPECT_TRUE(differ(after_others.scenario(0), after_others.scenario(2)));
}

TEST_F(Determinism, CommonRandomNumbers_IdenticalScenariosGetIdenticalSeries) {
  const model::Parameters copy = a_;
  const auto series = run_series({&a_, &copy}, settings_with(2, 64));
  EXPECT_TRUE(bit_identical(series.scenario(0), series.scenario(1), series));
}

TEST_F(Determinism, IndependentStreams_DifferFromCommonNumbersAndReproduce) {
  const auto common = run_series({&a_, &a_}, settings_with(2, 64));
  const auto independent = run_series({&a_, &a_}, settings_with(2, 64, kSeed, true));
  const auto again = run_series({&a_, &a_}, settings_with(8, 7, kSeed, true));
  // Every scenario is salted (scenario index + 1), the first one included.
  EXPECT_TRUE(differ(independent.scenario(0), common.scenario(0)));
  EXPECT_TRUE(differ(independent.scenario(1), common.scenario(1)));
  // Two copies of one scenario no longer share their luck.
  EXPECT_TRUE(differ(independent.scenario(0), independent.scenario(1)));
  // The same settings reproduce bit for bit, whatever the threads and blocks.
  EXPECT_TRUE(bit_identical(independent.values, again.values, independent));
}

TEST_F(Determinism, ReusedSimulation_StateDoesNotLeakBetweenScenarios) {
  // One thread runs every (replication, scenario) item on one Simulation
  // object in turn, so leftover state from a busier scenario would show here.
  auto small = quiet_parameters();
  small.workforce.social_workers = {10, 10, 10};
  small.attrition.annual_rate_by_band = {0.2, 0.2, 0.2};
  small.demand.initial_cases = 500;
  const auto alone = run_series({&small}, settings_with(1, 64));
  const auto interleaved = run_series({&b_, &small, &a_}, settings_with(1, 64));
  EXPECT_TRUE(bit_identical(alone.scenario(0), interleaved.scenario(1), alone));
}

// A driver may step several simulations a month at a time, one after the
// other (councils of one labour market): each must give what it gives run
// whole, bit for bit, so no state is shared between them or kept outside
// the object between months.
TEST_F(Determinism, SimulationsSteppedInTurnGiveWhatEachGivesWhole) {
  const std::vector<const model::Parameters*> scenarios = {&a_, &b_, &c_};
  const int months = a_.time.months;
  const auto cells = static_cast<std::size_t>(model::kMetricCount * months);
  const auto stream = random::make_stream_key(kSeed, 3);
  std::vector<std::vector<double>> whole(scenarios.size(), std::vector<double>(cells));
  std::vector<std::vector<double>> stepped(scenarios.size(), std::vector<double>(cells));
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    model::Simulation alone;
    alone.run(*scenarios[k], stream, {whole[k].data(), static_cast<std::size_t>(months)});
  }
  std::vector<model::Simulation> together(scenarios.size());
  for (std::size_t k = 0; k < scenarios.size(); ++k)
    together[k].start(*scenarios[k], stream, {stepped[k].data(), static_cast<std::size_t>(months)});
  for (int month = 0; month < months; ++month) {
    for (auto& simulation : together) {
      ASSERT_FALSE(simulation.finished());
      ASSERT_EQ(simulation.next_month(), month);
      simulation.advance_month();
    }
  }
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    EXPECT_TRUE(together[k].finished());
    EXPECT_EQ(std::memcmp(whole[k].data(), stepped[k].data(), cells * sizeof(double)), 0) << "scenario " << k;
  }
}

}  // namespace
}  // namespace wfsim::test
