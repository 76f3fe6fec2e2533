#include "model/terms.hpp"

namespace wfsim::model {

void terms_for_run(const Parameters& p, std::vector<MonthTerms>& all, std::span<const RegionPay> region_pay) {
  const BurnoutOffsets offsets = burnout_offsets(p);
  all.resize(static_cast<std::size_t>(p.time.months));
  for (int month = 0; month < p.time.months; ++month) {
    MonthTerms& terms = all[static_cast<std::size_t>(month)];
    terms.pay = region_pay.empty() ? pay_terms(p, month)
                                   : pay_terms(p, month, region_pay[static_cast<std::size_t>(month)]);
    terms.demand = demand_terms(p, month);
    terms.allocation = allocation_terms(p, month);
    terms.burnout = burnout_terms(p, terms.demand.relief_phase, month);
    terms.leaving = leaving_terms(p, terms.pay, offsets, month);
    terms.progression = progression_terms(p, month);
    terms.recruitment = recruitment_terms(p, terms.pay, month);
    terms.agency = agency_terms(p, month);
    terms.costs = cost_terms(p, month);
  }
}

}  // namespace wfsim::model
