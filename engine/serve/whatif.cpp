#include "serve/whatif.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "run/comparison.hpp"
#include "run/monte_carlo.hpp"
#include "serve/figures.hpp"

namespace wfsim::serve {

namespace {

using model::Metric;

// Replications between two looks at `cancelled`: small, so a newer request
// waits little, yet enough to keep every thread busy.
int block_size_for(int threads) {
  return std::max(8, 2 * run::resolve_thread_count(threads));
}

std::vector<Metric> build_kept_metrics() {
  std::vector<Metric> kept{Metric::leavers, Metric::starters, Metric::vacancy_rate, Metric::agency_rate};
  for (const run::OutcomeInfo& outcome : run::kOutcomes) {
    for (const auto metric : {std::optional<Metric>(outcome.metric), outcome.minus, outcome.per}) {
      if (metric && std::find(kept.begin(), kept.end(), *metric) == kept.end()) kept.push_back(*metric);
    }
  }
  return kept;
}

std::size_t kept_position(Metric metric) {
  const auto kept = kept_metrics();
  const auto found = std::find(kept.begin(), kept.end(), metric);
  if (found == kept.end()) {
    throw std::logic_error(
        fmt::format("what-if series: {} is not kept", model::kMetrics[model::index_of(metric)].name));
  }
  return static_cast<std::size_t>(found - kept.begin());
}

// The option's numbers depend only on what it sets, not on its name or description.
std::string key_of(const BuiltOption& option) {
  std::string key;
  for (const auto& [path, text] : option.values) key += fmt::format("{}: {}\n", path, text);
  return key;
}

}  // namespace

std::span<const Metric> kept_metrics() {
  static const std::vector<Metric> kept = build_kept_metrics();
  return kept;
}

SeriesStore::SeriesStore(int months) : months_(months), rows_(kept_metrics().size()) {}

std::size_t SeriesStore::bytes_per_replication(int months) {
  return kept_metrics().size() * static_cast<std::size_t>(months) * sizeof(double);
}

void SeriesStore::append(const run::ResultBlock& block, int scenario) {
  if (block.first_replication != replications_ || block.months != months_) {
    throw std::logic_error("what-if series: a block out of order");
  }
  const auto kept = kept_metrics();
  for (std::size_t k = 0; k < kept.size(); ++k) {
    const auto source = block.metric_rows(scenario, model::index_of(kept[k]));
    rows_[k].insert(rows_[k].end(), source.begin(), source.end());
  }
  replications_ += block.count;
}

void SeriesStore::fill(run::ResultBlock& block, int scenario) const {
  if (block.first_replication + block.count > replications_ || block.months != months_) {
    throw std::logic_error("what-if series: replications not yet run");
  }
  const auto kept = kept_metrics();
  const auto offset = static_cast<std::ptrdiff_t>(block.first_replication) * months_;
  for (std::size_t k = 0; k < kept.size(); ++k) {
    const auto target = block.metric_rows(scenario, model::index_of(kept[k]));
    std::copy_n(rows_[k].begin() + offset, target.size(), target.begin());
  }
}

std::span<const double> SeriesStore::rows(Metric metric) const {
  return rows_[kept_position(metric)];
}

WhatIfRunner::WhatIfRunner(const scenario::Scenario& reference, WhatIfSettings settings)
    : settings_(settings), reference_{"", reference, SeriesStore(reference.parameters.time.months)} {}

WhatIfRunner::Entry& WhatIfRunner::entry_for(const BuiltOption& option) {
  const std::string key = key_of(option);
  const auto found =
      std::find_if(options_.begin(), options_.end(), [&](const Entry& e) { return e.key == key; });
  if (found != options_.end()) {
    options_.splice(options_.begin(), options_, found);
  } else {
    options_.push_front(Entry{key, option.scenario, SeriesStore(option.scenario.parameters.time.months)});
    while (static_cast<int>(options_.size()) > std::max(1, settings_.cached_options)) options_.pop_back();
  }
  return options_.front();
}

void WhatIfRunner::extend(Entry& entry, int replications, const std::function<bool()>& cancelled) {
  const int have = entry.series.replications();
  if (have >= replications) return;
  const scenario::Scenario& s = entry.scenario;
  run::ParameterDraws draws;
  if (!s.uncertain.empty()) {
    draws = [&s](const random::StreamKey& common, model::Parameters& p) {
      scenario::apply_parameter_draws(s.uncertain, common, p);
    };
  }
  run::MonteCarloSettings mc;
  mc.seed = settings_.seed;
  mc.first_replication = have;
  mc.replications = replications - have;
  mc.threads = settings_.threads;
  mc.block_size = block_size_for(settings_.threads);
  if (cancelled()) throw Cancelled();
  run::run_monte_carlo({{&s.parameters, std::move(draws)}}, mc, [&](const run::ResultBlock& block) {
    entry.series.append(block, 0);
    if (cancelled()) throw Cancelled();
  });
}

void WhatIfRunner::warm_up(int replications, const std::function<bool()>& cancelled) {
  try {
    extend(reference_, std::min(replications, settings_.max_replications), cancelled);
  } catch (const Cancelled&) {
    // A request came: it goes on from what was run.
  }
}

nlohmann::json WhatIfRunner::run(const BuiltOption& option, int replications,
                                 const std::function<bool()>& cancelled) {
  if (replications < 1 || replications > settings_.max_replications) {
    throw std::invalid_argument(
        fmt::format("replications must be 1 to {}, got {}", settings_.max_replications, replications));
  }
  Entry& entry = entry_for(option);
  // The option first: it is what the page is waiting for; the reference is
  // usually run already.
  extend(entry, replications, cancelled);
  extend(reference_, replications, cancelled);
  return figures(reference_.series, entry.series, replications,
                 {reference_.scenario.name, option.scenario.name}, reference_.scenario.parameters.time);
}

}  // namespace wfsim::serve
