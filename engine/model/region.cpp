#include "model/region.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
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
  for (const Parameters* council : councils)
    if (council->time.months != councils.front()->time.months)
      throw std::invalid_argument("RegionSimulation::run: councils differ in months");
  councils_.resize(n);
  streams_.resize(n);
  arrivals_.resize(n);
  open_.resize(n);
  standing_.resize(n);
  const int months = councils.front()->time.months;
  for (std::size_t c = 0; c < n; ++c) streams_[c] = council_stream(seed, replication, static_cast<int>(c));
  set_region_pay(councils, network, months);
  for (std::size_t c = 0; c < n; ++c) councils_[c].start(*councils[c], streams_[c], sinks[c], region_pay_[c]);
  for (int month = 0; month < months; ++month) {
    for (auto& council : councils_) council.begin_month();
    move_between_councils(network, month);
    for (std::size_t c = 0; c < n; ++c) councils_[c].end_month(arrivals_[c]);
  }
}

// What each council pays in supplements, month by month: its own policy's,
// or, if it responds and it is more, what a neighbour paid the response's lag
// before (so a match travels on from neighbour to neighbour, a lag a step);
// and what its neighbours pay, their mean with those outside the region
// paying none.
void RegionSimulation::set_region_pay(std::span<const Parameters* const> councils,
                                      const RegionNetwork& network, int months) {
  const std::size_t n = councils.size();
  const RegionResponses& responses = network.responses;
  paid_.resize(n);
  responds_.assign(n, false);
  for (std::size_t c = 0; c < n; ++c) {
    paid_[c].assign(static_cast<std::size_t>(months), PermanentRoleValues{});
    // Whether the council matches its neighbours at all: once a replication.
    random::AddressedStream draw(streams_[c], random::Purpose::region_move, kResponseDrawId, 0);
    responds_[c] = responses.enabled && draw.uniform01() >= responses.never_share;
  }
  for (int month = 0; month < months; ++month) {
    const auto t = static_cast<std::size_t>(month);
    for (std::size_t c = 0; c < n; ++c) {
      paid_[c][t] = pay_terms(*councils[c], month).supplement_gbp_per_year;
      if (!responds_[c] || month < responses.lag_months) continue;
      const auto then = static_cast<std::size_t>(month - responses.lag_months);
      for (const int j : network.neighbours[c])
        for (std::size_t role = 0; role < paid_[c][t].size(); ++role)
          paid_[c][t][role] = std::max(paid_[c][t][role], paid_[static_cast<std::size_t>(j)][then][role]);
    }
  }
  region_pay_.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    region_pay_[c].assign(static_cast<std::size_t>(months), RegionPay{});
    const auto& neighbours = network.neighbours[c];
    const double in_region = neighbours.empty() ? 0.0
                                                : (1 - network.outside_neighbour_share[c]) /
                                                      static_cast<double>(neighbours.size());
    for (std::size_t t = 0; t < static_cast<std::size_t>(months); ++t) {
      RegionPay& pay = region_pay_[c][t];
      if (responds_[c]) pay.matched_supplement = paid_[c][t];
      for (const int j : neighbours)
        for (std::size_t role = 0; role < pay.neighbour_supplement.size(); ++role)
          pay.neighbour_supplement[role] += in_region * paid_[static_cast<std::size_t>(j)][t][role];
    }
  }
}

namespace {

// A load ratio beyond ten (a council with almost nobody in post) reads as
// ten: movers avoid it, and the weights stay finite.
double capped_load(double load_ratio) {
  return std::clamp(load_ratio, 0.0, 10.0);
}

}  // namespace

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
      // The log weight of each neighbour with a post open for them; -inf: none.
      constexpr double kClosed = -std::numeric_limits<double>::infinity();
      weights_.assign(neighbours.size(), kClosed);
      double largest = kClosed;
      for (std::size_t k = 0; k < neighbours.size(); ++k) {
        const auto j = static_cast<std::size_t>(neighbours[k]);
        if (open_[j][post] <= 0 || arrivals_[j].size() >= person_ids::kSlotsPerMonth) continue;
        const Simulation::Standing& there = standing_[j];
        const double relative_pay =
            here.salary_gbp_per_year > 0 ? there.salary_gbp_per_year / here.salary_gbp_per_year : 1.0;
        weights_[k] = w.pay * (relative_pay - 1) -
                      w.caseload * (capped_load(there.load_ratio) - capped_load(here.load_ratio)) +
                      w.reputation * (there.reputation - here.reputation);
        largest = std::max(largest, weights_[k]);
      }
      // No neighbour in the region has a post for them: they go outside it.
      if (largest == kClosed) continue;
      // Against the largest, so that no weight overflows and they sum to at least 1.
      double total = 0;
      for (double& weight : weights_) total += weight = std::exp(weight - largest);
      const double pick = draws.uniform01() * total;
      std::size_t chosen = 0;
      double cumulative = 0;
      for (std::size_t k = 0; k < neighbours.size(); ++k) {
        if (!(weights_[k] > 0)) continue;
        chosen = k;  // the last open one, should rounding leave the pick at the total
        cumulative += weights_[k];
        if (pick < cumulative) break;
      }
      const auto j = static_cast<std::size_t>(neighbours[chosen]);
      --open_[j][post];
      // A new employee there: length of service starts again; experience,
      // burnout and resilience go with them, and the month of experience
      // that leaving before progression did not count.
      mover.id = person_ids::in_month(person_ids::kRegionArrivals, month,
                                      static_cast<std::uint32_t>(arrivals_[j].size()));
      mover.pq_months = static_cast<std::int16_t>(std::min<int>(mover.pq_months + 1, kMaxPqMonths));
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

// What a council's average is weighted by in the region's.
using Weight = double (*)(const MetricSink& council, int month);

template <Metric M>
double count_of(const MetricSink& c, int month) {
  return c.get(M, month);
}
double case_holders(const MetricSink& c, int month) {
  return c.get(Metric::nqsw, month) + c.get(Metric::early, month) + c.get(Metric::experienced, month);
}
// Standard capacity, the load ratio's denominator: the region's ratio is its
// demand over its capacity.
double capacity(const MetricSink& c, int month) {
  const double load = c.get(Metric::load_ratio, month);
  return load > 0 ? c.get(Metric::demand_cases, month) / load : 0.0;
}

struct Aggregation {
  Rule rule = Rule::sum;
  Weight weight = nullptr;  // for Rule::weighted
};

Aggregation aggregation_of(Metric m) {
  switch (m) {
    case Metric::vacancy_rate:
    case Metric::agency_rate:
    case Metric::nqsw_share:
    case Metric::stability_index:
      return {Rule::recomputed};
    case Metric::under_2y_share:
      return {Rule::weighted, case_holders};
    case Metric::recruitment_drive:
    case Metric::reputation:
      return {Rule::weighted, count_of<Metric::establishment>};
    case Metric::agency_rate_gbp_per_year:
      return {Rule::weighted, count_of<Metric::agency>};
    case Metric::load_ratio:
      return {Rule::weighted, capacity};
    // By headcount: the run does not record FTE by band.
    case Metric::caseload_nqsw:
    case Metric::burnout_nqsw:
      return {Rule::weighted, count_of<Metric::nqsw>};
    case Metric::caseload_early:
    case Metric::burnout_early:
      return {Rule::weighted, count_of<Metric::early>};
    case Metric::caseload_experienced:
    case Metric::burnout_experienced:
      return {Rule::weighted, count_of<Metric::experienced>};
    case Metric::burnout_mean:
      return {Rule::weighted, count_of<Metric::permanent_qsw>};
    case Metric::supervision_span:
      return {Rule::weighted, count_of<Metric::practice_managers>};
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
  // A council's average counts where it measures someone: councils where it
  // is missing (nobody to average over) are left out, and the region's is
  // missing only if it is missing everywhere. Where every weight is 0 (no
  // agency worker anywhere for the agency rate paid), the councils count alike.
  const auto weighted = [&](Metric m, int month, Weight weight_of) {
    double total = 0, weight = 0, plain = 0;
    int measured = 0;
    for (const MetricSink& c : councils) {
      const double value = c.get(m, month);
      if (std::isnan(value)) continue;
      plain += value;
      ++measured;
      const double w = weight_of(c, month);
      if (!(w > 0)) continue;
      total += value * w;
      weight += w;
    }
    return weight > 0 ? total / weight : measured > 0 ? plain / measured : std::nan("");
  };
  for (int month = 0; month < months; ++month) {
    for (int k = 0; k < kMetricCount; ++k) {
      const auto m = static_cast<Metric>(k);
      const Aggregation a = aggregation_of(m);
      if (a.rule == Rule::sum) {
        region.set(m, month, sum(m, month));
      } else if (a.rule == Rule::weighted) {
        region.set(m, month, weighted(m, month, a.weight));
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
