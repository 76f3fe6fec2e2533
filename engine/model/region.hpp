// A region (MODEL.md section 15): councils that share a labour market,
// stepped together a month at a time so that a worker who leaves one for a
// neighbour starts in the neighbour, keeping their experience and history.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "model/parameters.hpp"
#include "model/pay.hpp"
#include "model/simulation.hpp"
#include "random/addressed_stream.hpp"

namespace wfsim::model {

// How a mover weighs the neighbours with a post open for them: weight
// exp(pay * (relative pay - 1) - caseload * (load ratio difference)
// + reputation * (reputation difference)), against the council they leave.
struct MoveWeights {
  double pay = 10;
  double caseload = 1;
  double reputation = 1;
};

// How councils respond to their neighbours' pay (switched off unless a
// region file says otherwise): a council that responds pays, from `lag_months`
// after a neighbour starts paying a larger market supplement, that supplement.
// Whether a council responds is drawn once a replication; `never_share` never do.
struct RegionResponses {
  bool enabled = false;
  int lag_months = 6;
  double never_share = 0;
};

// Who is whose neighbour, by council index.
struct RegionNetwork {
  std::vector<std::vector<int>> neighbours;  // each council's, in ascending order
  // Of a council's leavers to a neighbour, the share who go to employers
  // outside the region (a council on the region's edge has neighbours there).
  std::vector<double> outside_neighbour_share;
  MoveWeights weights;
  RegionResponses responses;
};

// Council c of a replication uses the stream with salt c: the first
// council's numbers are those of the same scenario run alone.
random::StreamKey council_stream(std::uint64_t seed, std::uint32_t replication, int council);

// One replication of every council; reusable, like Simulation. A council's
// pay gap to its neighbours moves with what they pay in market supplements
// as well as what it pays (pay_terms), and its leavers to a neighbour start
// there if a neighbour in the region has a post open for them.
class RegionSimulation {
 public:
  // `councils[c]` runs into `sinks[c]`; all must share the horizon.
  void run(std::span<const Parameters* const> councils, const RegionNetwork& network, std::uint64_t seed,
           std::uint32_t replication, std::span<const MetricSink> sinks);

 private:
  void set_region_pay(std::span<const Parameters* const> councils, const RegionNetwork& network, int months);
  void move_between_councils(const RegionNetwork& network, int month);
  // The draw of whether a council responds: an id no person has.
  static constexpr std::uint32_t kResponseDrawId = 0xFFFFFFFFu;

  std::vector<Simulation> councils_;
  std::vector<random::StreamKey> streams_;
  std::vector<std::vector<PersonRecord>> arrivals_;  // this month's, by council
  std::vector<std::array<int, 2>> open_;             // social work and practice manager posts open
  std::vector<Simulation::Standing> standing_;
  std::vector<double> weights_;
  std::vector<std::vector<PermanentRoleValues>> paid_;  // supplements each council pays, by month
  std::vector<bool> responds_;
  std::vector<std::vector<RegionPay>> region_pay_;  // by council and month
};

// The region's series from its councils' (`councils`, one sink each) into
// `region`: counts summed, so that a move between two councils is a leaver
// of one and a starter of the other, as the councils' census returns count
// it (and cancels in the net loss); rates computed again from the sums;
// averages weighted by what they average over.
// `initial_permanent` is each council's permanent staff before month 0.
void record_region_totals(std::span<const MetricSink> councils, std::span<const int> initial_permanent,
                          int months, const MetricSink& region);

}  // namespace wfsim::model
