#include "model/region.hpp"

#include <cmath>
#include <stdexcept>
#include <string_view>

#include "model/metrics.hpp"
#include "model/pay.hpp"
#include "model/workforce.hpp"

namespace wfsim::model {

random::StreamKey council_stream(std::uint64_t seed, std::uint32_t replication, int council) {
  return random::make_stream_key(seed, replication, static_cast<std::uint32_t>(council));
}

void RegionSimulation::run(std::span<const Parameters* const> councils, const RegionNetwork& network,
                           std::uint64_t seed, std::uint32_t replication, std::span<const MetricSink> sinks) {
  const std::size_t n = councils.size();
  if (n == 0 || sinks.size() != n || network.neighbours.size() != n ||
      network.outside_neighbour_share.size() != n)
    throw std::invalid_argument("RegionSimulation::run: councils, sinks and network differ in size");
  councils_.resize(n);
  streams_.resize(n);
  arrivals_.resize(n);
  open_.resize(n);
  standing_.resize(n);
  const int months = councils.front()->time.months;
  // What each council's neighbours pay in supplements, month by month: their
  // mean, with the neighbours outside the region paying none.
  supplements_.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    supplements_[c].assign(static_cast<std::size_t>(months), PermanentRoleValues{});
    const auto& neighbours = network.neighbours[c];
    if (neighbours.empty()) continue;
    const double in_region =
        (1 - network.outside_neighbour_share[c]) / static_cast<double>(neighbours.size());
    for (int month = 0; month < months; ++month)
      for (const int j : neighbours) {
        const PayTerms pay = pay_terms(*councils[static_cast<std::size_t>(j)], month);
        for (int role = 0; role < kPermanentRoleCount; ++role)
          supplements_[c][static_cast<std::size_t>(month)][static_cast<std::size_t>(role)] +=
              in_region * pay.supplement_gbp_per_year[static_cast<std::size_t>(role)];
      }
  }
  for (std::size_t c = 0; c < n; ++c) {
    streams_[c] = council_stream(seed, replication, static_cast<int>(c));
    councils_[c].start(*councils[c], streams_[c], sinks[c], supplements_[c]);
  }
  for (int month = 0; month < months; ++month) {
    for (auto& council : councils_) council.begin_month();
    move_between_councils(network, month);
    for (std::size_t c = 0; c < n; ++c) councils_[c].end_month(arrivals_[c]);
  }
}

// Councils in order, each council's movers in the order of its people: the
// first to leave takes the first post open, as in a single council's hiring.
void RegionSimulation::move_between_councils(const RegionNetwork& network, int month) {
  const std::size_t n = councils_.size();
  for (std::size_t c = 0; c < n; ++c) {
    arrivals_[c].clear();
    open_[c] = {councils_[c].open_posts_for(Role::social_worker),
                councils_[c].open_posts_for(Role::practice_manager)};
    standing_[c] = councils_[c].standing();
  }
  const MoveWeights& w = network.weights;
  for (std::size_t c = 0; c < n; ++c) {
    const Simulation& from = councils_[c];
    const Simulation::Standing& here = standing_[c];
    const auto& neighbours = network.neighbours[c];
    for (const std::uint32_t index : from.neighbour_leavers()) {
      PersonRecord mover = from.person(index);
      random::AddressedStream draws(streams_[c], random::Purpose::region_move, mover.id, month);
      if (draws.uniform01() < network.outside_neighbour_share[c]) continue;
      const std::size_t post = mover.role == Role::practice_manager ? 1 : 0;
      weights_.assign(neighbours.size(), 0.0);
      double total = 0;
      for (std::size_t k = 0; k < neighbours.size(); ++k) {
        const auto j = static_cast<std::size_t>(neighbours[k]);
        if (open_[j][post] <= 0 || arrivals_[j].size() >= person_ids::kSlotsPerMonth) continue;
        const Simulation::Standing& there = standing_[j];
        const double relative_pay =
            here.salary_gbp_per_year > 0 ? there.salary_gbp_per_year / here.salary_gbp_per_year : 1.0;
        weights_[k] =
            std::exp(w.pay * (relative_pay - 1) - w.caseload * (there.load_ratio - here.load_ratio) +
                     w.reputation * (there.reputation - here.reputation));
        total += weights_[k];
      }
      // No neighbour in the region has a post for them: they go outside it.
      if (!(total > 0)) continue;
      const double pick = draws.uniform01() * total;
      std::size_t k = 0;
      for (double cumulative = weights_[0];
           k + 1 < neighbours.size() && !(pick < cumulative && weights_[k] > 0);
           cumulative += weights_[++k]) {
      }
      const auto j = static_cast<std::size_t>(neighbours[k]);
      --open_[j][post];
      // A new employee there: length of service starts again; experience,
      // burnout and resilience go with them.
      mover.id = person_ids::in_month(person_ids::kRegionArrivals, month,
                                      static_cast<std::uint32_t>(arrivals_[j].size()));
      mover.tenure_months = 0;
      mover.bond_end_tenure = 0;
      mover.entry_month = static_cast<std::int16_t>(month);
      mover.route = Route::mobility;
      arrivals_[j].push_back(mover);
    }
  }
}

namespace {

enum class Rule { sum, recomputed, weighted };

struct Aggregation {
  Rule rule = Rule::sum;
  Metric weight = Metric::permanent_qsw;  // for Rule::weighted
};

Aggregation aggregation_of(Metric m) {
  switch (m) {
    case Metric::vacancy_rate:
    case Metric::agency_rate:
    case Metric::nqsw_share:
    case Metric::stability_index:
      return {Rule::recomputed};
    case Metric::under_2y_share:
      return {Rule::weighted, Metric::nqsw};  // replaced by case holders below
    case Metric::recruitment_drive:
    case Metric::reputation:
      return {Rule::weighted, Metric::establishment};
    case Metric::agency_rate_gbp_per_year:
      return {Rule::weighted, Metric::agency};
    case Metric::load_ratio:
      return {Rule::weighted, Metric::demand_cases};
    case Metric::caseload_nqsw:
    case Metric::burnout_nqsw:
      return {Rule::weighted, Metric::nqsw};
    case Metric::caseload_early:
    case Metric::burnout_early:
      return {Rule::weighted, Metric::early};
    case Metric::caseload_experienced:
    case Metric::burnout_experienced:
      return {Rule::weighted, Metric::experienced};
    case Metric::burnout_mean:
      return {Rule::weighted, Metric::permanent_qsw};
    case Metric::supervision_span:
      return {Rule::weighted, Metric::practice_managers};
    default:
      break;
  }
  const std::string_view units = kMetrics[static_cast<std::size_t>(index_of(m))].units;
  if (units == "headcount" || units == "FTE" || units == "posts" || units == "cases" || units == "GBP")
    return {Rule::sum};
  throw std::logic_error("record_region_totals: no rule for " +
                         std::string(kMetrics[static_cast<std::size_t>(index_of(m))].name));
}

}  // namespace

void record_region_totals(std::span<const MetricSink> councils, std::span<const int> initial_permanent,
                          int months, const MetricSink& region) {
  const auto sum = [&](Metric m, int month) {
    double total = 0;
    for (const MetricSink& c : councils) total += c.get(m, month);
    return total;
  };
  const auto share = [](double part, double whole) { return whole > 0 ? part / whole : 0.0; };
  const auto case_holders = [](const MetricSink& c, int month) {
    return c.get(Metric::nqsw, month) + c.get(Metric::early, month) + c.get(Metric::experienced, month);
  };
  // A council's average counts where it measures someone: councils where it
  // is missing (nobody to average over) are left out, and so is the region's
  // if it is missing everywhere.
  const auto weighted = [&](Metric m, int month, auto weight_of) {
    double total = 0, weight = 0;
    for (const MetricSink& c : councils) {
      const double value = c.get(m, month);
      const double w = weight_of(c, month);
      if (std::isnan(value) || !(w > 0)) continue;
      total += value * w;
      weight += w;
    }
    return weight > 0 ? total / weight : std::nan("");
  };
  for (int month = 0; month < months; ++month) {
    for (int k = 0; k < kMetricCount; ++k) {
      const auto m = static_cast<Metric>(k);
      const Aggregation a = aggregation_of(m);
      if (a.rule == Rule::sum) {
        region.set(m, month, sum(m, month));
      } else if (m == Metric::under_2y_share) {
        region.set(m, month, weighted(m, month, case_holders));
      } else if (a.rule == Rule::weighted) {
        region.set(m, month,
                   weighted(m, month, [&](const MetricSink& c, int t) { return c.get(a.weight, t); }));
      }
    }
    const double vacancies = sum(Metric::vacancies, month);
    const double permanent_fte = sum(Metric::permanent_qsw_fte, month);
    region.set(Metric::vacancy_rate, month, share(vacancies, vacancies + permanent_fte));
    // Agency FTE from each council's rate: rate = a / (a + permanent FTE).
    double agency_fte = 0;
    for (const MetricSink& c : councils) {
      const double rate = c.get(Metric::agency_rate, month);
      agency_fte += rate < 1 ? rate * c.get(Metric::permanent_qsw_fte, month) / (1 - rate)
                             : c.get(Metric::agency, month);
    }
    region.set(Metric::agency_rate, month, share(agency_fte, agency_fte + permanent_fte));
    double all_case_holders = 0;
    for (const MetricSink& c : councils) all_case_holders += case_holders(c, month);
    region.set(Metric::nqsw_share, month, share(sum(Metric::nqsw, month), all_case_holders));
    // Stability: weighted by the permanent staff a year before, as each council's.
    const auto a_year_before = [&](std::size_t c) -> double {
      if (month >= 12) return councils[c].get(Metric::permanent_qsw, month - 12);
      return month == 11 ? initial_permanent[c] : -1.0;
    };
    double stable = 0, before = 0;
    for (std::size_t c = 0; c < councils.size(); ++c) {
      const double d = a_year_before(c);
      if (d < 0) continue;
      stable += councils[c].get(Metric::stability_index, month) * d;
      before += d;
    }
    region.set(Metric::stability_index, month, month >= 11 ? share(stable, before) : std::nan(""));
  }
}

}  // namespace wfsim::model
