// The shipped baseline reproduces the source's history (seed 000): a net loss
// of about 75 permanent qualified social workers in the first year, and no
// improvement without action.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "model/metrics.hpp"
#include "run/monte_carlo.hpp"
#include "run/statistics.hpp"
#include "scenario/scenario.hpp"
#include "source_path.hpp"

namespace {

using wfsim::test::source_path;
using wfsim::test::test_scenario_path;

using wfsim::model::index_of;
using wfsim::model::Metric;

struct AnnualNetLoss {
  std::vector<std::vector<double>> by_year;  // [year][replication]
};

AnnualNetLoss run_baseline(int replications) {
  const auto baseline =
      wfsim::scenario::load_scenario(source_path("scenarios/lancashire-2015/baseline.yaml").string());
  AnnualNetLoss result;
  result.by_year.resize(static_cast<std::size_t>(baseline.parameters.time.months / 12));
  wfsim::run::MonteCarloSettings settings;
  settings.seed = 20151101;
  settings.replications = replications;
  wfsim::run::run_monte_carlo({&baseline.parameters}, settings, [&](const wfsim::run::ResultBlock& block) {
    for (int r = 0; r < block.count; ++r) {
      for (std::size_t y = 0; y < result.by_year.size(); ++y) {
        double loss = 0;
        for (int t = 12 * static_cast<int>(y); t < 12 * static_cast<int>(y) + 12; ++t)
          loss +=
              block.at(0, index_of(Metric::leavers), r, t) - block.at(0, index_of(Metric::starters), r, t);
        result.by_year[y].push_back(loss);
      }
    }
  });
  return result;
}

double standard_error(const std::vector<double>& values) {
  const double mean = wfsim::run::mean(values);
  double sum_sq = 0;
  for (double v : values) sum_sq += (v - mean) * (v - mean);
  return std::sqrt(sum_sq / static_cast<double>(values.size() - 1) / static_cast<double>(values.size()));
}

TEST(Baseline, FirstYearNetLossIsAboutSeventyFiveAndDoesNotImprove) {
  const auto loss = run_baseline(400);
  ASSERT_EQ(loss.by_year.size(), 3u);
  const double first = wfsim::run::mean(loss.by_year[0]);
  // The source: "a net loss of approx 75" a year; accepted range 60 to 90.
  EXPECT_GT(first, 60.0);
  EXPECT_LT(first, 90.0);
  for (std::size_t y = 1; y < loss.by_year.size(); ++y) {
    std::vector<double> change;  // paired by replication
    for (std::size_t r = 0; r < loss.by_year[y].size(); ++r)
      change.push_back(loss.by_year[y][r] - loss.by_year[0][r]);
    // Not better than year one beyond four standard errors of the paired change.
    EXPECT_GT(wfsim::run::mean(change), -4.0 * standard_error(change)) << "year " << y + 1 << " improves";
  }
  EXPECT_GT(wfsim::run::mean(loss.by_year[2]), first) << "the loss should accelerate by the third year";
}

}  // namespace
