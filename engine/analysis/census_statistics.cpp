#include "analysis/census_statistics.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "model/metrics.hpp"

namespace wfsim::analysis {

namespace {

using model::index_of;
using model::Metric;

constexpr int kYearMonths = 12;

double at(const run::ResultBlock& block, int scenario, Metric metric, int replication, int month) {
  return block.at(scenario, index_of(metric), replication, month);
}

double year_sum(const run::ResultBlock& block, int scenario, Metric metric, int replication, int month) {
  if (month < kYearMonths - 1 || month >= block.months) {
    throw std::out_of_range("census statistic: the year to month " + std::to_string(month) +
                            " is not inside the run");
  }
  double sum = 0;
  for (int t = month - (kYearMonths - 1); t <= month; ++t) sum += at(block, scenario, metric, replication, t);
  return sum;
}

// The share of the starters of the year to `month` still in post a horizon
// after each started: NaN where nobody started or the horizon is past the run.
double cohort_retention(const run::ResultBlock& block, int scenario, int replication, int month,
                        Metric starters, Metric in_post) {
  const double started = year_sum(block, scenario, starters, replication, month);
  const double staying = year_sum(block, scenario, in_post, replication, month);
  return started > 0 && std::isfinite(staying) ? staying / started : std::nan("");
}

// The retention statistics: the starters of the year to the census date and
// the count of them still in post a horizon after they started.
struct CohortSeries {
  CensusStatistic statistic;
  Metric starters;
  Metric in_post;
};
constexpr CohortSeries kCohorts[] = {
    {CensusStatistic::nqsw_retention_12, Metric::starters_nqsw, Metric::cohort_nqsw_in_post_12},
    {CensusStatistic::nqsw_retention_24, Metric::starters_nqsw, Metric::cohort_nqsw_in_post_24},
    {CensusStatistic::experienced_retention_12, Metric::starters_experienced,
     Metric::cohort_experienced_in_post_12},
    {CensusStatistic::experienced_retention_24, Metric::starters_experienced,
     Metric::cohort_experienced_in_post_24},
};

std::vector<scenario::StatisticRule> build_rules() {
  std::vector<scenario::StatisticRule> rules;
  const double infinity = std::numeric_limits<double>::infinity();
  for (const CensusStatisticInfo& info : kCensusStatistics) {
    scenario::StatisticRule rule;
    rule.name = info.name;
    rule.noun = info.units == "fraction"    ? "a fraction"
                : info.units == "headcount" ? (info.min < 0 ? "a headcount" : "a non-negative headcount")
                                            : "a caseload";
    rule.min = info.min <= -kUnbounded ? -infinity : info.min;
    rule.max = info.max >= kUnbounded ? infinity : info.max;
    rule.annual_flow = info.annual_flow;
    rule.follow_up_months = info.follow_up_months;
    rules.push_back(rule);
  }
  return rules;
}

}  // namespace

const CensusStatisticInfo& census_statistic_info(CensusStatistic statistic) {
  return kCensusStatistics[static_cast<std::size_t>(statistic)];
}

const CensusStatisticInfo* find_census_statistic(std::string_view name) {
  for (const CensusStatisticInfo& info : kCensusStatistics)
    if (info.name == name) return &info;
  return nullptr;
}

std::span<const scenario::StatisticRule> census_statistic_rules() {
  static const std::vector<scenario::StatisticRule> rules = build_rules();
  return rules;
}

double census_statistic(CensusStatistic statistic, const run::ResultBlock& block, int scenario,
                        int replication, int month) {
  if (month < 0 || month >= block.months) throw std::out_of_range("census statistic: month outside the run");
  const auto stock = [&](Metric metric) { return at(block, scenario, metric, replication, month); };
  const auto flow = [&](Metric metric) { return year_sum(block, scenario, metric, replication, month); };
  const CensusStatisticInfo& info = census_statistic_info(statistic);
  if (info.series) return info.annual_flow ? flow(*info.series) : stock(*info.series);
  for (const CohortSeries& cohort : kCohorts) {
    if (cohort.statistic == statistic) {
      return cohort_retention(block, scenario, replication, month, cohort.starters, cohort.in_post);
    }
  }
  switch (statistic) {
    case CensusStatistic::turnover: {
      const double headcount = stock(Metric::permanent_qsw);
      return headcount > 0 ? flow(Metric::leavers) / headcount : std::nan("");
    }
    case CensusStatistic::caseload: {
      // Part-time working is drawn alike in every band, so headcount weights
      // estimate the census's FTE weights.
      double cases = 0, people = 0;
      for (std::size_t band = 0; band < model::kHeadcountByBand.size(); ++band) {
        const double n = stock(model::kHeadcountByBand[band]);
        const double caseload = stock(model::kCaseloadByBand[band]);
        if (n > 0 && std::isfinite(caseload)) {
          cases += n * caseload;
          people += n;
        }
      }
      return people > 0 ? cases / people : std::nan("");
    }
    case CensusStatistic::net_loss:
      return flow(Metric::leavers) - flow(Metric::starters);
    default:
      break;
  }
  throw std::invalid_argument("census statistic: unknown statistic");
}

CensusTally::CensusTally(std::vector<Request> requests, int scenario)
    : requests_(std::move(requests)),
      scenario_(scenario),
      sums_(requests_.size(), 0.0),
      sums_of_squares_(requests_.size(), 0.0),
      counts_(requests_.size(), 0) {}

void CensusTally::add(const run::ResultBlock& block) {
  for (std::size_t k = 0; k < requests_.size(); ++k) {
    for (int r = 0; r < block.count; ++r) {
      const double value = census_statistic(requests_[k].statistic, block, scenario_, r, requests_[k].month);
      if (!std::isfinite(value)) continue;
      sums_[k] += value;
      sums_of_squares_[k] += value * value;
      ++counts_[k];
    }
  }
}

double CensusTally::mean(std::size_t k) const {
  return counts_[k] > 0 ? sums_[k] / counts_[k] : std::nan("");
}

double CensusTally::standard_error(std::size_t k) const {
  const int n = counts_[k];
  if (n < 2) return std::nan("");
  const double m = sums_[k] / n;
  const double variance = std::max(0.0, (sums_of_squares_[k] - n * m * m) / (n - 1));
  return std::sqrt(variance / n);
}

}  // namespace wfsim::analysis
