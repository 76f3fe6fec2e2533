// Summary statistics over replications, shared by the writer and the console.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace wfsim::run {

// Quantile with linear interpolation between order statistics (Hyndman and
// Fan type 7, numpy's default). `sorted` must be in ascending order.
inline double quantile_sorted(std::span<const double> sorted, double probability) {
  if (sorted.empty()) return std::nan("");
  const double position = probability * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const auto above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

// Reorders `values` so that every position quantile_sorted reads for these
// probabilities (ascending) holds the value a full sort would put there:
// the same quantiles for a few selections instead of a sort.
template <typename Probabilities>
void select_for_quantiles(std::span<double> values, const Probabilities& probabilities) {
  if (values.empty()) return;
  auto settled = values.begin();  // everything before it is in its sorted place
  for (const double probability : probabilities) {
    const auto below =
        static_cast<std::ptrdiff_t>(std::floor(probability * static_cast<double>(values.size() - 1)));
    for (const auto position : {below, std::min<std::ptrdiff_t>(below + 1, std::ssize(values) - 1)}) {
      const auto target = values.begin() + position;
      if (target < settled) continue;
      std::nth_element(settled, target, values.end());
      settled = target + 1;
    }
  }
}

inline double mean(std::span<const double> values) {
  if (values.empty()) return std::nan("");
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

// Mean and the central quantiles a report shows.
struct Summary {
  double mean = 0, p10 = 0, p25 = 0, p50 = 0, p75 = 0, p90 = 0;
};

// Missing values (NaN) are left out: a summary is of the replications that
// have a value.
inline Summary summarise(std::vector<double> values) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  std::sort(values.begin(), values.end());
  return {mean(values),
          quantile_sorted(values, 0.10),
          quantile_sorted(values, 0.25),
          quantile_sorted(values, 0.50),
          quantile_sorted(values, 0.75),
          quantile_sorted(values, 0.90)};
}

}  // namespace wfsim::run
