// Workforce statistics as the national children's social work workforce
// census defines them, computed from a replication's monthly series. Written
// once here: calibration fits them, the docs describe them (docs/model.md,
// "Calibration and sensitivity").
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "run/results.hpp"
#include "scenario/analysis_files.hpp"

namespace wfsim::analysis {

enum class CensusStatistic : int {
  turnover,
  vacancy_rate,
  agency_rate,
  caseload,
  caseload_nqsw,
  caseload_early,
  caseload_experienced,
  starters,
  leavers,
  net_loss,
  headcount,
  nqsw_share,
  under_2y_share,
  starters_nqsw,
  starters_experienced,
  stability_index,
  nqsw_retention_12,
  nqsw_retention_24,
  experienced_retention_12,
  experienced_retention_24,
};

struct CensusStatisticInfo {
  CensusStatistic id;
  std::string_view name;
  std::string_view units;
  std::string_view definition;  // one line, for reports and docs
  bool annual_flow;             // counted over the 12 months ending at its month
  double min;                   // range of an observed value
  double max;
  // The series it reads, a stock at its month or an annual flow summed over
  // the year to it; none for a statistic of several series.
  std::optional<model::Metric> series{};
  int follow_up_months = 0;  // a cohort statistic follows its starters this many months past its month
};

inline constexpr double kUnbounded = 1e300;

// The month m of a statistic is the census date: stocks are the values at the
// end of month m; flows sum months m-11..m (the year to the census date).
inline constexpr std::array kCensusStatistics = {
    CensusStatisticInfo{CensusStatistic::turnover, "turnover", "fraction",
                        "leavers in the 12 months to the census date / permanent qualified headcount at it",
                        true, 0, kUnbounded},
    CensusStatisticInfo{CensusStatistic::vacancy_rate, "vacancy_rate", "fraction",
                        "FTE vacancies / (FTE vacancies + FTE in post) at the census date", false, 0, 1,
                        model::Metric::vacancy_rate},
    CensusStatisticInfo{CensusStatistic::agency_rate, "agency_rate", "fraction",
                        "agency FTE / (agency FTE + permanent FTE in post) at the census date", false, 0, 1,
                        model::Metric::agency_rate},
    CensusStatisticInfo{CensusStatistic::caseload, "caseload", "cases per FTE",
                        "average caseload of permanent case holders at the census date (band averages "
                        "weighted by band headcount)",
                        false, 0, kUnbounded},
    CensusStatisticInfo{CensusStatistic::caseload_nqsw, "caseload_nqsw", "cases per FTE",
                        "average caseload of newly qualified permanent case holders at the census date",
                        false, 0, kUnbounded, model::Metric::caseload_nqsw},
    CensusStatisticInfo{CensusStatistic::caseload_early, "caseload_early", "cases per FTE",
                        "average caseload of permanent case holders with 1 to 3 years' experience", false, 0,
                        kUnbounded, model::Metric::caseload_early},
    CensusStatisticInfo{CensusStatistic::caseload_experienced, "caseload_experienced", "cases per FTE",
                        "average caseload of permanent case holders with 3 years' experience or more", false,
                        0, kUnbounded, model::Metric::caseload_experienced},
    CensusStatisticInfo{CensusStatistic::starters, "starters", "headcount",
                        "permanent qualified staff who joined in the 12 months to the census date", true, 0,
                        kUnbounded, model::Metric::starters},
    CensusStatisticInfo{CensusStatistic::leavers, "leavers", "headcount",
                        "permanent qualified staff who left in the 12 months to the census date", true, 0,
                        kUnbounded, model::Metric::leavers},
    CensusStatisticInfo{CensusStatistic::net_loss, "net_loss", "headcount",
                        "leavers minus starters in the 12 months to the census date", true, -kUnbounded,
                        kUnbounded},
    CensusStatisticInfo{CensusStatistic::headcount, "headcount", "headcount",
                        "permanent qualified staff in post at the census date", false, 0, kUnbounded,
                        model::Metric::permanent_qsw},
    CensusStatisticInfo{CensusStatistic::nqsw_share, "nqsw_share", "fraction",
                        "newly qualified share of permanent case holders at the census date", false, 0, 1,
                        model::Metric::nqsw_share},
    CensusStatisticInfo{CensusStatistic::under_2y_share, "under_2y_share", "fraction",
                        "share of permanent case holders with under two years' experience at the census date",
                        false, 0, 1, model::Metric::under_2y_share},
    CensusStatisticInfo{CensusStatistic::starters_nqsw, "starters_nqsw", "headcount",
                        "newly qualified hires who started in the 12 months to the census date", true, 0,
                        kUnbounded, model::Metric::starters_nqsw},
    CensusStatisticInfo{CensusStatistic::starters_experienced, "starters_experienced", "headcount",
                        "experienced hires who started in the 12 months to the census date", true, 0,
                        kUnbounded, model::Metric::starters_experienced},
    CensusStatisticInfo{CensusStatistic::stability_index, "stability_index", "fraction",
                        "permanent qualified staff in post for a year or more at the census date / those in "
                        "post a year before",
                        false, 0, 1, model::Metric::stability_index},
    CensusStatisticInfo{
        CensusStatistic::nqsw_retention_12, "nqsw_retention_12", "fraction",
        "share of the newly qualified hires of the 12 months to the census date still in post "
        "12 months after they started",
        true, 0, 1, std::nullopt, 12},
    CensusStatisticInfo{
        CensusStatistic::nqsw_retention_24, "nqsw_retention_24", "fraction",
        "share of the newly qualified hires of the 12 months to the census date still in post "
        "24 months after they started",
        true, 0, 1, std::nullopt, 24},
    CensusStatisticInfo{CensusStatistic::experienced_retention_12, "experienced_retention_12", "fraction",
                        "share of the experienced hires of the 12 months to the census date still in post 12 "
                        "months after they started",
                        true, 0, 1, std::nullopt, 12},
    CensusStatisticInfo{CensusStatistic::experienced_retention_24, "experienced_retention_24", "fraction",
                        "share of the experienced hires of the 12 months to the census date still in post 24 "
                        "months after they started",
                        true, 0, 1, std::nullopt, 24},
};

const CensusStatisticInfo& census_statistic_info(CensusStatistic statistic);
// nullptr if `name` is not a census statistic.
const CensusStatisticInfo* find_census_statistic(std::string_view name);

// The catalogue the targets loader checks names and values against.
std::span<const scenario::StatisticRule> census_statistic_rules();

// The statistic in one replication of one scenario of a block, for census
// month `month` (months after the start; a flow needs month >= 11). NaN when
// undefined (an empty band's caseload, turnover with no one in post).
double census_statistic(CensusStatistic statistic, const run::ResultBlock& block, int scenario,
                        int replication_in_block, int month);

// Mean and Monte Carlo standard error over replications of several
// (statistic, month) pairs of one scenario, block by block. Undefined values
// (NaN or infinite) are left out of both.
class CensusTally {
 public:
  struct Request {
    CensusStatistic statistic;
    int month;
  };
  explicit CensusTally(std::vector<Request> requests, int scenario = 0);
  void add(const run::ResultBlock& block);

  std::size_t size() const { return requests_.size(); }
  double mean(std::size_t k) const;
  double standard_error(std::size_t k) const;  // of the mean
  int count(std::size_t k) const { return counts_[k]; }

 private:
  std::vector<Request> requests_;
  int scenario_;
  std::vector<double> sums_;
  std::vector<double> sums_of_squares_;
  std::vector<int> counts_;
};

}  // namespace wfsim::analysis
