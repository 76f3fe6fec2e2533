#include "output/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>

#include "run/statistics.hpp"

namespace wfsim::output {

void summarize_columns(std::span<const double> values, int replications, int columns,
                       std::span<double> summary, std::vector<double>& scratch) {
  const auto rows = static_cast<std::size_t>(replications);
  const auto cols = static_cast<std::size_t>(columns);
  if (values.size() != rows * cols || summary.size() != kSummaryRows * cols) {
    throw std::invalid_argument("summarize_columns: array sizes do not match the shape");
  }
  for (std::size_t column = 0; column < cols; ++column) {
    scratch.clear();
    for (std::size_t row = 0; row < rows; ++row) {
      const double value = values[row * cols + column];
      if (!std::isnan(value)) scratch.push_back(value);
    }
    summary[column] = run::mean(scratch);
    run::select_for_quantiles(scratch, kSummaryQuantiles);
    for (std::size_t q = 0; q < kSummaryQuantiles.size(); ++q) {
      summary[(q + 1) * cols + column] = run::quantile_sorted(scratch, kSummaryQuantiles[q]);
    }
  }
}

}  // namespace wfsim::output
