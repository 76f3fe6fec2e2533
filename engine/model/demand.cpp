#include "model/demand.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <cmath>

namespace wfsim::model {

DemandTerms demand_terms(const Parameters& p, int month) {
  const auto& relief = p.policies.workload_relief;
  DemandTerms terms;
  if (relief.active_in(month))
    terms.relief_phase =
        std::min(1.0, static_cast<double>(month - relief.start_month + 1) / relief.phase_in_months);
  terms.multiplier =
      1.0 - terms.relief_phase * (relief.out_of_hours_demand_share + relief.post16_demand_share);
  return terms;
}

std::vector<double> shock_by_month(const Parameters& p) {
  std::vector<double> shocks(static_cast<std::size_t>(p.time.months), 1.0);
  for (const auto& shock : p.demand.shocks)
    shocks[static_cast<std::size_t>(shock.month_index)] *= shock.multiplier;
  return shocks;
}

double next_demand(const DemandParameters& d, double previous, double shock, int month,
                   const random::StreamKey& stream) {
  double demand = previous;
  if (month > 0) {
    random::AddressedStream engine(stream, random::Purpose::demand_noise, 0, month);
    const double noise = boost::random::normal_distribution<double>(0.0, 1.0)(engine);
    const double sigma = d.monthly_noise_sd;
    demand *= std::pow(1.0 + d.annual_growth, 1.0 / 12.0) * std::exp(sigma * noise - 0.5 * sigma * sigma);
  }
  return demand * shock;
}

}  // namespace wfsim::model
