// A region's councils stepped together (model/region.hpp): exact identities
// and bit-for-bit agreements with councils run alone, and the movers'
// choice between neighbours.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "model/entry.hpp"
#include "model/metrics.hpp"
#include "model/region.hpp"
#include "model/simulation.hpp"
#include "model_fixture.hpp"

namespace wfsim::test {
namespace {

using model::Metric;
using model::MetricSink;

constexpr std::uint64_t kSeed = 20151201;

// One replication's series of several councils, then the region's totals.
struct RegionSeries {
  int slots = 0;
  int months = 0;
  std::vector<double> values;
  RegionSeries(int slot_count, int month_count)
      : slots(slot_count),
        months(month_count),
        values(static_cast<std::size_t>(slot_count) * model::kMetricCount *
               static_cast<std::size_t>(month_count)) {}
  MetricSink sink(int slot) {
    return {values.data() +
                static_cast<std::size_t>(slot) * model::kMetricCount * static_cast<std::size_t>(months),
            static_cast<std::size_t>(months)};
  }
  double at(int slot, Metric m, int month) { return sink(slot).get(m, month); }
};

// Runs one replication of the region into `out` (councils, then the region).
void run_region(const std::vector<const model::Parameters*>& councils, const model::RegionNetwork& network,
                std::uint32_t replication, RegionSeries& out, model::RegionSimulation& simulation) {
  std::vector<MetricSink> sinks;
  for (int c = 0; c < out.slots; ++c) sinks.push_back(out.sink(c));
  const std::span<const MetricSink> council_sinks(sinks.data(), councils.size());
  simulation.run(councils, network, kSeed, replication, council_sinks);
  std::vector<int> initial;
  for (const auto* p : councils) initial.push_back(model::initial_permanent_qsw(*p));
  model::record_region_totals(council_sinks, initial, out.months, sinks.back());
}

// Every pair of councils neighbours, nobody's neighbours outside the region.
model::RegionNetwork all_neighbours(int councils, double outside_share = 0) {
  model::RegionNetwork network;
  for (int c = 0; c < councils; ++c) {
    network.neighbours.emplace_back();
    for (int j = 0; j < councils; ++j)
      if (j != c) network.neighbours.back().push_back(j);
    network.outside_neighbour_share.push_back(outside_share);
  }
  return network;
}

bool same_bits(const double* a, const double* b, std::size_t n) {
  return std::memcmp(a, b, n * sizeof(double)) == 0;
}

// A smaller council than the baseline's: a third of its staff, posts and cases.
model::Parameters small_council() {
  model::Parameters p = baseline_parameters();
  auto& w = p.workforce;
  w.social_workers = {60, 25, 65};
  w.advanced_practitioners = 27;
  w.practice_managers = 23;
  w.agency = 20;
  p.demand.initial_cases /= 3;
  p.recruitment.social_work_posts /= 3;
  p.recruitment.practice_manager_posts /= 3;
  return p;
}

TEST(Region, OneCouncilAloneReproducesItsOwnRunBitForBit) {
  const model::Parameters p = baseline_parameters();
  model::RegionNetwork network;
  network.neighbours = {{}};
  network.outside_neighbour_share = {0};
  model::RegionSimulation region;
  model::Simulation alone;
  for (std::uint32_t r = 0; r < 10; ++r) {
    RegionSeries in_region(2, p.time.months), by_itself(1, p.time.months);
    run_region({&p}, network, r, in_region, region);
    alone.run(p, random::make_stream_key(kSeed, r), by_itself.sink(0));
    EXPECT_TRUE(same_bits(in_region.values.data(), by_itself.values.data(), by_itself.values.size()))
        << "replication " << r;
    // Not vacuous: the council has leavers to a neighbour, who here leave the region.
    EXPECT_GT(in_region.at(0, Metric::leavers_neighbour, 0) + in_region.at(0, Metric::leavers_neighbour, 1),
              0);
  }
}

TEST(Region, CouncilsWhoseMoversAllLeaveTheRegionRunAsIfAlone) {
  const model::Parameters big = baseline_parameters();
  const model::Parameters small = small_council();
  const std::vector<const model::Parameters*> councils = {&big, &small, &small};
  const auto network = all_neighbours(3, 1.0);
  model::RegionSimulation region;
  model::Simulation alone;
  for (std::uint32_t r = 0; r < 5; ++r) {
    RegionSeries in_region(4, big.time.months);
    run_region(councils, network, r, in_region, region);
    for (int c = 0; c < 3; ++c) {
      RegionSeries by_itself(1, big.time.months);
      alone.run(*councils[static_cast<std::size_t>(c)], model::council_stream(kSeed, r, c),
                by_itself.sink(0));
      EXPECT_TRUE(same_bits(in_region.sink(c).base, by_itself.values.data(), by_itself.values.size()))
          << "council " << c << ", replication " << r;
    }
    // Councils 1 and 2 have the same parameters but their own numbers.
    EXPECT_FALSE(same_bits(in_region.sink(1).base, in_region.sink(2).base,
                           static_cast<std::size_t>(model::kMetricCount * big.time.months)));
  }
}

TEST(Region, MovesConservePeopleAndTheRegionalIdentityHoldsExactly) {
  const model::Parameters big = baseline_parameters();
  const model::Parameters small = small_council();
  const std::vector<const model::Parameters*> councils = {&big, &small, &small};
  const auto network = all_neighbours(3);
  model::RegionSimulation region;
  double moves = 0;
  int failures = 0;
  const auto check = [&](bool ok, const char* what, std::uint32_t r, int slot, int t) {
    if (!ok && ++failures <= 10)
      ADD_FAILURE() << what << " fails: replication " << r << ", slot " << slot << ", month " << t;
  };
  for (std::uint32_t r = 0; r < 20; ++r) {
    RegionSeries s(4, big.time.months);
    run_region(councils, network, r, s, region);
    for (int slot = 0; slot < 4; ++slot) {
      double previous = 0;
      for (int c = 0; c < 3; ++c)
        if (slot == 3 || slot == c)
          previous += model::initial_permanent_qsw(*councils[static_cast<std::size_t>(c)]);
      for (int t = 0; t < s.months; ++t) {
        const double permanent = s.at(slot, Metric::permanent_qsw, t);
        check(permanent - previous == s.at(slot, Metric::starters, t) - s.at(slot, Metric::leavers, t),
              "permanent_qsw[t] - permanent_qsw[t-1] == starters - leavers", r, slot, t);
        previous = permanent;
      }
    }
    for (int t = 0; t < s.months; ++t) {
      double arrived = 0, left_for_neighbour = 0, permanent = 0;
      for (int c = 0; c < 3; ++c) {
        arrived += s.at(c, Metric::starters_neighbour, t);
        left_for_neighbour += s.at(c, Metric::leavers_neighbour, t);
        permanent += s.at(c, Metric::permanent_qsw, t);
      }
      // Nobody arrives who did not leave a neighbour; the region's staff are its councils'.
      check(arrived <= left_for_neighbour, "arrivals <= leavers to a neighbour", r, 3, t);
      check(s.at(3, Metric::permanent_qsw, t) == permanent, "region == sum of councils", r, 3, t);
      check(s.at(3, Metric::starters_neighbour, t) == arrived, "region's moves == councils' arrivals", r, 3,
            t);
      moves += arrived;
    }
  }
  EXPECT_EQ(failures, 0);
  EXPECT_GT(moves, 100) << "the test needs moves between the councils to mean anything";
}

TEST(Region, ASimulationReusedForAnotherReplicationGivesTheSameBits) {
  const model::Parameters big = baseline_parameters();
  const model::Parameters small = small_council();
  const std::vector<const model::Parameters*> councils = {&big, &small};
  const auto network = all_neighbours(2);
  model::RegionSimulation reused, fresh;
  RegionSeries first(3, big.time.months), again(3, big.time.months), other(3, big.time.months);
  run_region(councils, network, 7, other, reused);
  run_region(councils, network, 3, first, reused);
  run_region(councils, network, 3, again, fresh);
  EXPECT_TRUE(same_bits(first.values.data(), again.values.data(), first.values.size()));
}

// Movers choose between neighbours with a post open by relative pay: of two
// otherwise identical neighbours, the one paying 5% more takes exp(10 * 0.05)
// = 1.65 times as many of a third council's movers (with the default pay
// weight), give or take chance and which has a post open.
TEST(Region, MoversPreferTheNeighbourThatPaysMore) {
  const model::Parameters source = baseline_parameters();
  model::Parameters plain = small_council();
  model::Parameters better_paid = small_council();
  better_paid.pay.salary_gbp_per_year.social_worker *= 1.05;
  // Only the first council's movers are counted: the two others are not neighbours of each other.
  model::RegionNetwork network;
  network.neighbours = {{1, 2}, {0}, {0}};
  network.outside_neighbour_share = {0, 1, 1};
  const std::vector<const model::Parameters*> councils = {&source, &plain, &better_paid};
  model::RegionSimulation region;
  double to_plain = 0, to_better_paid = 0;
  for (std::uint32_t r = 0; r < 40; ++r) {
    RegionSeries s(4, source.time.months);
    run_region(councils, network, r, s, region);
    for (int t = 0; t < s.months; ++t) {
      to_plain += s.at(1, Metric::starters_neighbour, t);
      to_better_paid += s.at(2, Metric::starters_neighbour, t);
    }
  }
  const double movers = to_plain + to_better_paid;
  ASSERT_GT(movers, 200);
  // Binomial share with p = 1.65 / 2.65 if every choice had both open; open
  // posts can only pull the share towards whichever is emptier, so the test
  // asks for a clear preference, 5 standard errors above an even split.
  const double share = to_better_paid / movers;
  EXPECT_GT(share, 0.5 + 5 * std::sqrt(0.25 / movers)) << to_better_paid << " of " << movers;
}

// A supplement every council pays leaves each council's pay gap to its
// neighbours where it was (none has any outside the region here), so it
// changes neither who leaves for a neighbour nor, beyond the choice between
// neighbours that relative pay tilts slightly, where they go: the paired
// difference in moves between the councils is within chance of zero. A
// council that judged its supplement as if its neighbours paid none would
// cut its leaving by about 14% (a 5% gap at a coefficient of 3) and its moves
// with it.
TEST(Region, ASupplementEveryCouncilPaysChangesMovesByNoMoreThanChance) {
  std::vector<model::Parameters> none(3, small_council()), all(3, small_council());
  for (int c = 0; c < 3; ++c) {
    const double salary = 30000 + 1500 * c;
    none[static_cast<std::size_t>(c)].pay.salary_gbp_per_year.social_worker = salary;
    all[static_cast<std::size_t>(c)].pay.salary_gbp_per_year.social_worker = salary;
    auto& supplement = all[static_cast<std::size_t>(c)].policies.market_supplement;
    supplement.enabled = true;
    supplement.start_month = 0;
    supplement.gbp_per_year = {1500, 1500, 0};
  }
  const std::vector<const model::Parameters*> without = {&none[0], &none[1], &none[2]};
  const std::vector<const model::Parameters*> with = {&all[0], &all[1], &all[2]};
  const auto network = all_neighbours(3);
  model::RegionSimulation region;
  constexpr int kReplications = 60;
  std::vector<double> differences;
  double moves_without = 0;
  for (std::uint32_t r = 0; r < kReplications; ++r) {
    RegionSeries a(4, none[0].time.months), b(4, none[0].time.months);
    run_region(without, network, r, a, region);
    run_region(with, network, r, b, region);
    double moved_a = 0, moved_b = 0;
    for (int t = 0; t < a.months; ++t) {
      moved_a += a.at(3, Metric::starters_neighbour, t);
      moved_b += b.at(3, Metric::starters_neighbour, t);
    }
    differences.push_back(moved_b - moved_a);
    moves_without += moved_a;
  }
  double mean = 0;
  for (const double d : differences) mean += d / kReplications;
  double variance = 0;
  for (const double d : differences) variance += (d - mean) * (d - mean) / (kReplications - 1);
  const double standard_error = std::sqrt(variance / kReplications);
  ASSERT_GT(moves_without / kReplications, 30) << "too few moves to tell anything";
  EXPECT_LE(std::abs(mean), 4 * standard_error + 1e-12)
      << "moves change by " << mean << " a replication (standard error " << standard_error << ") of "
      << moves_without / kReplications;
}

// A council that responds pays its neighbour's larger supplement from the
// response's lag after the neighbour starts it, and a council that never
// responds never does.
TEST(Region, ACouncilThatRespondsMatchesItsNeighboursSupplementAfterTheLag) {
  model::Parameters payer = small_council(), neighbour = small_council();
  auto& supplement = payer.policies.market_supplement;
  supplement.enabled = true;
  supplement.start_month = 2;
  supplement.gbp_per_year = {1500, 1500, 0};
  const std::vector<const model::Parameters*> councils = {&payer, &neighbour};
  model::RegionSimulation region;
  for (const double never_share : {0.0, 1.0}) {
    auto network = all_neighbours(2);
    network.responses = {.enabled = true, .lag_months = 6, .never_share = never_share};
    RegionSeries s(3, payer.time.months);
    run_region(councils, network, 0, s, region);
    for (int t = 0; t < s.months; ++t) {
      const bool matching = never_share == 0 && t >= 2 + 6;
      EXPECT_EQ(s.at(1, Metric::cost_supplements, t) > 0, matching)
          << "never share " << never_share << ", month " << t;
      EXPECT_EQ(s.at(0, Metric::cost_supplements, t) > 0, t >= 2) << "month " << t;
    }
  }
}

}  // namespace
}  // namespace wfsim::test
