// Paired comparison of every option with the reference scenario: the
// outcomes strategy leads compare, per replication, and their differences.
#pragma once

#include <array>
#include <string_view>
#include <vector>

#include "run/results.hpp"
#include "run/statistics.hpp"

namespace wfsim::run {

// One outcome of a replication. Per-year outcomes have one column per whole
// year of the horizon; the others one column.
struct OutcomeInfo {
  std::string_view name;
  std::string_view units;
  std::string_view description;
  bool per_year;
  bool lower_is_better;
};

inline constexpr std::array kOutcomes = {
    OutcomeInfo{"net_loss", "headcount",
                "Net loss of permanent qualified staff in the year: leavers - starters", true, true},
    OutcomeInfo{"leavers", "headcount", "Permanent qualified staff who left in the year", true, true},
    OutcomeInfo{"starters", "headcount", "Permanent qualified staff who joined in the year", true, false},
    OutcomeInfo{"cost", "GBP", "Workforce cost in the year", true, true},
    OutcomeInfo{"net_loss_total", "headcount", "Net loss over the whole years of the horizon", false, true},
    OutcomeInfo{"leavers_total", "headcount", "Leavers over the whole years of the horizon", false, true},
    OutcomeInfo{"cost_total", "GBP", "Workforce cost over the whole years of the horizon", false, true},
    OutcomeInfo{"permanent_qsw_end", "headcount", "Permanent qualified staff in post in the last month",
                false, false},
    OutcomeInfo{"vacancy_rate_end", "fraction", "Vacancy rate in the last month", false, true},
    OutcomeInfo{"agency_rate_end", "fraction", "Agency rate in the last month", false, true},
    OutcomeInfo{"nqsw_share_end", "fraction", "Share of newly qualified case holders in the last month",
                false, true},
};
inline constexpr int kOutcomeCount = static_cast<int>(kOutcomes.size());

int outcome_index(std::string_view name);

// The outcomes of every replication of every scenario, gathered block by
// block: a few numbers per replication, never the series.
class OutcomeTally {
 public:
  OutcomeTally(int scenarios, int months);
  void add(const ResultBlock& block);

  int years() const { return years_; }
  int columns(int outcome) const {
    return kOutcomes[static_cast<std::size_t>(outcome)].per_year ? years_ : 1;
  }
  int replications() const { return replications_; }
  // values(scenario, outcome, column)[replication]
  const std::vector<double>& values(int scenario, int outcome, int column) const;

 private:
  int scenarios_;
  int months_;
  int years_;
  int replications_ = 0;
  std::vector<std::vector<double>> values_;  // [(scenario * kOutcomeCount + outcome) * years + column]
  std::size_t slot(int scenario, int outcome, int column) const;
};

struct DifferenceSummary {
  Summary difference;         // of (option - reference), over replications
  double probability_better;  // share of replications where the option does better; ties count half
};

// One option against the reference, paired by replication.
struct Comparison {
  int scenario = 0;
  int reference = 0;
  // differences[outcome][column][replication] = option - reference
  std::vector<std::vector<std::vector<double>>> differences;
  std::vector<std::vector<DifferenceSummary>> summaries;  // [outcome][column]
  // Mean extra cost over mean leavers avoided, whole years of the horizon;
  // NaN when the option avoids no leavers on average.
  double cost_per_leaver_avoided = 0;
  // Variance over replications of the net-loss difference (whole horizon).
  double net_loss_difference_variance = 0;
};

Comparison compare(const OutcomeTally& tally, int scenario, int reference);

double sample_variance(const std::vector<double>& values);

}  // namespace wfsim::run
