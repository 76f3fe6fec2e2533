#include "run/comparison.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "model/metrics.hpp"

namespace wfsim::run {

namespace {
using model::index_of;
using model::Metric;
}  // namespace

int outcome_index(std::string_view name) {
  for (int k = 0; k < kOutcomeCount; ++k)
    if (kOutcomes[static_cast<std::size_t>(k)].name == name) return k;
  throw std::invalid_argument("unknown outcome " + std::string(name));
}

OutcomeTally::OutcomeTally(int scenarios, int months)
    : scenarios_(scenarios), months_(months), years_(months / 12) {
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
  static const int net_loss = outcome_index("net_loss"), leavers = outcome_index("leavers"),
                   starters = outcome_index("starters"), cost = outcome_index("cost"),
                   net_loss_total = outcome_index("net_loss_total"),
                   leavers_total = outcome_index("leavers_total"), cost_total = outcome_index("cost_total"),
                   permanent_end = outcome_index("permanent_qsw_end"),
                   vacancy_end = outcome_index("vacancy_rate_end"),
                   agency_end = outcome_index("agency_rate_end"), nqsw_end = outcome_index("nqsw_share_end");
  const int last = block.months - 1;
  for (int s = 0; s < block.scenarios; ++s) {
    for (int r = 0; r < block.count; ++r) {
      double all_leavers = 0, all_starters = 0, all_cost = 0;
      for (int y = 0; y < years_; ++y) {
        double year_leavers = 0, year_starters = 0, year_cost = 0;
        for (int t = 12 * y; t < 12 * y + 12; ++t) {
          year_leavers += block.at(s, index_of(Metric::leavers), r, t);
          year_starters += block.at(s, index_of(Metric::starters), r, t);
          year_cost += block.at(s, index_of(Metric::cost_total), r, t);
        }
        values_[slot(s, net_loss, y)].push_back(year_leavers - year_starters);
        values_[slot(s, leavers, y)].push_back(year_leavers);
        values_[slot(s, starters, y)].push_back(year_starters);
        values_[slot(s, cost, y)].push_back(year_cost);
        all_leavers += year_leavers;
        all_starters += year_starters;
        all_cost += year_cost;
      }
      values_[slot(s, net_loss_total, 0)].push_back(all_leavers - all_starters);
      values_[slot(s, leavers_total, 0)].push_back(all_leavers);
      values_[slot(s, cost_total, 0)].push_back(all_cost);
      values_[slot(s, permanent_end, 0)].push_back(block.at(s, index_of(Metric::permanent_qsw), r, last));
      values_[slot(s, vacancy_end, 0)].push_back(block.at(s, index_of(Metric::vacancy_rate), r, last));
      values_[slot(s, agency_end, 0)].push_back(block.at(s, index_of(Metric::agency_rate), r, last));
      values_[slot(s, nqsw_end, 0)].push_back(block.at(s, index_of(Metric::nqsw_share), r, last));
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
      for (std::size_t r = 0; r < option.size(); ++r) {
        difference[r] = option[r] - base[r];
        if (difference[r] == 0) {
          better += 0.5;
        } else if ((difference[r] < 0) == lower_is_better) {
          better += 1;
        }
      }
      c.summaries[static_cast<std::size_t>(o)].push_back(
          {summarise(difference),
           option.empty() ? std::nan("") : better / static_cast<double>(option.size())});
      c.differences[static_cast<std::size_t>(o)].push_back(std::move(difference));
    }
  }
  const auto& extra_cost =
      c.summaries[static_cast<std::size_t>(outcome_index("cost_total"))][0].difference.mean;
  const double avoided =
      -c.summaries[static_cast<std::size_t>(outcome_index("leavers_total"))][0].difference.mean;
  c.cost_per_leaver_avoided = avoided > 0 ? extra_cost / avoided : std::nan("");
  c.net_loss_difference_variance =
      sample_variance(c.differences[static_cast<std::size_t>(outcome_index("net_loss_total"))][0]);
  return c;
}

}  // namespace wfsim::run
