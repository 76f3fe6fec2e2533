// Summary tables over replications for the run file.
#pragma once

#include <array>
#include <span>
#include <string_view>
#include <vector>

namespace wfsim::output {

// Rows of every summary table, in order: the run file's `statistic`
// coordinate, also stored comma-separated as each summary's `rows` attribute.
inline constexpr std::array<std::string_view, 6> kSummaryStatistics = {"mean", "p10", "p25",
                                                                       "p50",  "p75", "p90"};
inline constexpr int kSummaryRows = static_cast<int>(kSummaryStatistics.size());
inline constexpr std::array kSummaryQuantiles = {0.10, 0.25, 0.50, 0.75, 0.90};

// values: [replications][columns] row-major. Writes summary: [kSummaryRows][columns],
// the mean, p10, p25, p50, p75 and p90 of each column (quantiles as
// run::quantile_sorted: type 7, numpy's default). NaN values are left out, as
// numpy's nanmean/nanquantile do; a column with no other value gives NaN.
// `scratch` is reused between calls to avoid allocation.
void summarize_columns(std::span<const double> values, int replications, int columns,
                       std::span<double> summary, std::vector<double>& scratch);

}  // namespace wfsim::output
