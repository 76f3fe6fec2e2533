#include "run/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "model/metrics.hpp"

namespace wfsim::run {

namespace {
using model::index_of;
}  // namespace

int outcome_index(std::string_view name) {
  for (int k = 0; k < kOutcomeCount; ++k)
    if (kOutcomes[static_cast<std::size_t>(k)].name == name) return k;
  throw std::invalid_argument("unknown outcome " + std::string(name));
}

OutcomeTally::OutcomeTally(int scenarios, int months) : years_(months / 12) {
  values_.resize(static_cast<std::size_t>(scenarios) * kOutcomeCount *
                 static_cast<std::size_t>(std::max(years_, 1)));
}

std::size_t OutcomeTally::slot(int scenario, int outcome, int column) const {
  return (static_cast<std::size_t>(scenario) * kOutcomeCount + static_cast<std::size_t>(outcome)) *
             static_cast<std::size_t>(std::max(years_, 1)) +
         static_cast<std::size_t>(column);
}

const std::vector<double>& OutcomeTally::values(int scenario, int outcome, int column) const {
  return values_[slot(scenario, outcome, column)];
}

void OutcomeTally::add(const ResultBlock& block) {
  const int last = block.months - 1;
  const int whole_months = 12 * years_;
  for (int s = 0; s < block.scenarios; ++s) {
    for (int r = 0; r < block.count; ++r) {
      auto value = [&](Metric metric, int t) { return block.at(s, index_of(metric), r, t); };
      auto sum = [&](const OutcomeInfo& outcome, int from, int to) {
        double total = 0;
        for (int t = from; t < to; ++t)
          total += value(outcome.metric, t) - (outcome.minus ? value(*outcome.minus, t) : 0.0);
        return total;
      };
      for (int o = 0; o < kOutcomeCount; ++o) {
        const OutcomeInfo& outcome = kOutcomes[static_cast<std::size_t>(o)];
        switch (outcome.aggregation) {
          case Aggregation::year_sum:
            for (int y = 0; y < years_; ++y)
              values_[slot(s, o, y)].push_back(sum(outcome, 12 * y, 12 * y + 12));
            break;
          case Aggregation::horizon_sum:
            values_[slot(s, o, 0)].push_back(sum(outcome, 0, whole_months));
            break;
          case Aggregation::last_month:
            values_[slot(s, o, 0)].push_back(value(outcome.metric, last));
            break;
          case Aggregation::first_year_cohort_share:
            values_[slot(s, o, 0)].push_back(first_year_cohort_share(
                block.months, [&](int t) { return value(outcome.metric, t); },
                [&](int t) { return value(*outcome.per, t); }));
            break;
        }
      }
    }
  }
  replications_ += block.count;
}

double sample_variance(const std::vector<double>& values) {
  if (values.size() < 2) return std::nan("");
  const double m = mean(values);
  double sum = 0;
  for (double v : values) sum += (v - m) * (v - m);
  return sum / static_cast<double>(values.size() - 1);
}

Comparison compare(const OutcomeTally& tally, int scenario, int reference) {
  Comparison c;
  c.scenario = scenario;
  c.reference = reference;
  c.differences.resize(kOutcomeCount);
  c.summaries.resize(kOutcomeCount);
  for (int o = 0; o < kOutcomeCount; ++o) {
    const bool lower_is_better = kOutcomes[static_cast<std::size_t>(o)].lower_is_better;
    for (int column = 0; column < tally.columns(o); ++column) {
      const auto& option = tally.values(scenario, o, column);
      const auto& base = tally.values(reference, o, column);
      std::vector<double> difference(option.size());
      double better = 0;
      int compared = 0;  // replications where both have a value
      for (std::size_t r = 0; r < option.size(); ++r) {
        difference[r] = option[r] - base[r];
        if (std::isnan(difference[r])) continue;
        ++compared;
        if (difference[r] == 0) {
          better += 0.5;
        } else if ((difference[r] < 0) == lower_is_better) {
          better += 1;
        }
      }
      c.summaries[static_cast<std::size_t>(o)].push_back(
          {summarise(difference), compared == 0 ? std::nan("") : better / compared});
      c.differences[static_cast<std::size_t>(o)].push_back(std::move(difference));
    }
  }
  const auto& extra_cost =
      c.summaries[static_cast<std::size_t>(outcome_index("cost_against_establishment_total"))][0]
          .difference.mean;
  const double avoided =
      -c.summaries[static_cast<std::size_t>(outcome_index("leavers_total"))][0].difference.mean;
  c.cost_per_leaver_avoided = avoided > 0 ? extra_cost / avoided : std::nan("");
  c.net_loss_difference_variance =
      sample_variance(c.differences[static_cast<std::size_t>(outcome_index("net_loss_total"))][0]);
  return c;
}

}  // namespace wfsim::run
