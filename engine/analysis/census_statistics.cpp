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
  switch (statistic) {
    case CensusStatistic::turnover: {
      const double headcount = stock(Metric::permanent_qsw);
      return headcount > 0 ? flow(Metric::leavers) / headcount : std::nan("");
    }
    case CensusStatistic::vacancy_rate:
      return stock(Metric::vacancy_rate);
    case CensusStatistic::agency_rate:
      return stock(Metric::agency_rate);
    case CensusStatistic::caseload: {
      // Part-time working is drawn alike in every band, so headcount weights
      // estimate the census's FTE weights.
      double cases = 0, people = 0;
      const std::array<std::pair<Metric, Metric>, 3> bands = {
          {{Metric::nqsw, Metric::caseload_nqsw},
           {Metric::early, Metric::caseload_early},
           {Metric::experienced, Metric::caseload_experienced}}};
      for (const auto& [count, caseload] : bands) {
        const double n = stock(count);
        if (n > 0 && std::isfinite(stock(caseload))) {
          cases += n * stock(caseload);
          people += n;
        }
      }
      return people > 0 ? cases / people : std::nan("");
    }
    case CensusStatistic::caseload_nqsw:
      return stock(Metric::caseload_nqsw);
    case CensusStatistic::caseload_early:
      return stock(Metric::caseload_early);
    case CensusStatistic::caseload_experienced:
      return stock(Metric::caseload_experienced);
    case CensusStatistic::starters:
      return flow(Metric::starters);
    case CensusStatistic::leavers:
      return flow(Metric::leavers);
    case CensusStatistic::net_loss:
      return flow(Metric::leavers) - flow(Metric::starters);
    case CensusStatistic::headcount:
      return stock(Metric::permanent_qsw);
    case CensusStatistic::nqsw_share:
      return stock(Metric::nqsw_share);
    case CensusStatistic::under_2y_share:
      return stock(Metric::under_2y_share);
    case CensusStatistic::starters_nqsw:
      return flow(Metric::starters_nqsw);
    case CensusStatistic::starters_experienced:
      return flow(Metric::starters_experienced);
    case CensusStatistic::stability_index:
      return stock(Metric::stability_index);
    case CensusStatistic::nqsw_retention_12:
      return cohort_retention(block, scenario, replication, month, Metric::starters_nqsw,
                              Metric::cohort_nqsw_in_post_12);
    case CensusStatistic::nqsw_retention_24:
      return cohort_retention(block, scenario, replication, month, Metric::starters_nqsw,
                              Metric::cohort_nqsw_in_post_24);
    case CensusStatistic::experienced_retention_12:
      return cohort_retention(block, scenario, replication, month, Metric::starters_experienced,
                              Metric::cohort_experienced_in_post_12);
    case CensusStatistic::experienced_retention_24:
      return cohort_retention(block, scenario, replication, month, Metric::starters_experienced,
                              Metric::cohort_experienced_in_post_24);
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
