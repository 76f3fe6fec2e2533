// Paired comparison of every option with the reference scenario: the
// outcomes strategy leads compare, per replication, and their differences.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "model/metrics.hpp"
#include "run/results.hpp"
#include "run/statistics.hpp"

namespace wfsim::run {

// One outcome of a replication, from its series. Per-year outcomes have one
// column per whole year of the horizon; the others one column.
enum class Aggregation : std::uint8_t {
  year_sum,                 // the metric (less `minus`) summed over each whole year
  horizon_sum,              // the same over all whole years
  last_month,               // the metric in the last month
  first_year_cohort_share,  // the metric over `per`, both summed over the first year's months
};

// The share of the first year's joiners still in post: `in_post(t)` over
// `joined(t)`, each summed over the first year's months. Missing (NaN) where
// nobody joined or the cohorts cannot be followed that far.
template <class InPost, class Joined>
double first_year_cohort_share(int months, InPost in_post, Joined joined) {
  double part = 0, whole = 0;
  for (int t = 0; t < std::min(12, months); ++t) {
    part += in_post(t);
    whole += joined(t);
  }
  return whole > 0 && std::isfinite(part) ? part / whole : std::nan("");
}

struct OutcomeInfo {
  std::string_view name;
  std::string_view units;
  std::string_view description;
  bool lower_is_better;
  Aggregation aggregation;
  model::Metric metric;
  std::optional<model::Metric> minus = std::nullopt;  // year and horizon sums: subtracted
  std::optional<model::Metric> per = std::nullopt;    // cohort shares: the denominator
  constexpr bool per_year() const { return aggregation == Aggregation::year_sum; }
};

using model::Metric;
inline constexpr std::array kOutcomes = {
    OutcomeInfo{"net_loss", "headcount",
                "Net loss of permanent qualified staff in the year: leavers - starters", true,
                Aggregation::year_sum, Metric::leavers, Metric::starters},
    OutcomeInfo{"leavers", "headcount", "Permanent qualified staff who left in the year", true,
                Aggregation::year_sum, Metric::leavers},
    OutcomeInfo{"starters", "headcount", "Permanent qualified staff who joined in the year", false,
                Aggregation::year_sum, Metric::starters},
    OutcomeInfo{"cost", "GBP", "Workforce spending in the year (what is paid out; empty posts cost nothing)",
                true, Aggregation::year_sum, Metric::cost_total},
    OutcomeInfo{"cost_against_establishment", "GBP",
                "Spending in the year with empty, uncovered posts counted at their budget: the policy's own "
                "spending plus staffing, so that an empty post is never a saving",
                true, Aggregation::year_sum, Metric::cost_against_establishment},
    OutcomeInfo{"policy_spend", "GBP",
                "The policy's own spending in the year: payments, supplements, programmes, its marketing and "
                "the budget of the posts it adds",
                true, Aggregation::year_sum, Metric::cost_policy},
    OutcomeInfo{"staffing_spend", "GBP",
                "Staffing spending in the year against the establishment both fund: salaries, agency, "
                "recruitment and support, empty posts at their budget",
                true, Aggregation::year_sum, Metric::cost_staffing},
    OutcomeInfo{"net_loss_total", "headcount", "Net loss over the whole years of the horizon", true,
                Aggregation::horizon_sum, Metric::leavers, Metric::starters},
    OutcomeInfo{"leavers_total", "headcount", "Leavers over the whole years of the horizon", true,
                Aggregation::horizon_sum, Metric::leavers},
    OutcomeInfo{"cost_total", "GBP", "Workforce spending over the whole years of the horizon", true,
                Aggregation::horizon_sum, Metric::cost_total},
    OutcomeInfo{"cost_against_establishment_total", "GBP",
                "Spending against the establishment over the whole years of the horizon", true,
                Aggregation::horizon_sum, Metric::cost_against_establishment},
    OutcomeInfo{"policy_spend_total", "GBP", "The policy's own spending over the whole years of the horizon",
                true, Aggregation::horizon_sum, Metric::cost_policy},
    OutcomeInfo{"staffing_spend_total", "GBP",
                "Staffing spending against the establishment over the whole years of the horizon", true,
                Aggregation::horizon_sum, Metric::cost_staffing},
    OutcomeInfo{
        "underspend_total", "GBP",
        "Budget of empty, uncovered posts not spent over the whole years of the horizon (an underspend, "
        "never a saving)",
        false, Aggregation::horizon_sum, Metric::cost_underspend},
    OutcomeInfo{"permanent_qsw_end", "headcount", "Permanent qualified staff in post in the last month",
                false, Aggregation::last_month, Metric::permanent_qsw},
    OutcomeInfo{"vacancy_rate_end", "fraction", "Vacancy rate in the last month", true,
                Aggregation::last_month, Metric::vacancy_rate},
    OutcomeInfo{"agency_rate_end", "fraction", "Agency rate in the last month", true, Aggregation::last_month,
                Metric::agency_rate},
    OutcomeInfo{"nqsw_share_end", "fraction", "Share of newly qualified case holders in the last month", true,
                Aggregation::last_month, Metric::nqsw_share},
    OutcomeInfo{"under_2y_share_end", "fraction",
                "Share of case holders with under two years' experience in the last month", true,
                Aggregation::last_month, Metric::under_2y_share},
    OutcomeInfo{"uncovered_vacancies_end", "FTE",
                "Case-holding posts with neither a permanent worker nor agency cover in the last month", true,
                Aggregation::last_month, Metric::uncovered_vacancies},
    OutcomeInfo{"unallocated_cases_end", "cases", "Cases nobody holds in the last month", true,
                Aggregation::last_month, Metric::unallocated_cases},
    OutcomeInfo{"stability_index_end", "fraction",
                "Staff in post for a year or more over staff a year before, in the last month", false,
                Aggregation::last_month, Metric::stability_index},
    OutcomeInfo{"nqsw_retention_24", "fraction",
                "Share of the newly qualified hires of the first year still in post 24 months after starting",
                false, Aggregation::first_year_cohort_share, Metric::cohort_nqsw_in_post_24, std::nullopt,
                Metric::starters_nqsw},
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
    return kOutcomes[static_cast<std::size_t>(outcome)].per_year() ? years_ : 1;
  }
  int replications() const { return replications_; }
  // values(scenario, outcome, column)[replication]
  const std::vector<double>& values(int scenario, int outcome, int column) const;

 private:
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
  // Mean extra cost against the establishment (the policy's own spending
  // and the change in staffing spending) over mean leavers avoided, whole
  // years of the horizon; NaN when the option avoids no leavers on average.
  double cost_per_leaver_avoided = 0;
  // Variance over replications of the net-loss difference (whole horizon).
  double net_loss_difference_variance = 0;
};

Comparison compare(const OutcomeTally& tally, int scenario, int reference);

double sample_variance(const std::vector<double>& values);

// The share of an 80% width that the uncertain assumptions add: 1 - the width
// from chance alone over the width with them, clamped to [0, 1] (sampling can
// make chance alone the wider; then the assumptions add nothing measurable).
inline double share_of_width_from_assumptions(double width, double chance_only_width) {
  if (!(width > 0)) return 0.0;
  return std::clamp(1.0 - chance_only_width / width, 0.0, 1.0);
}

}  // namespace wfsim::run
