#include "model/terms.hpp"

namespace wfsim::model {

MonthTerms month_terms(const Parameters& p, int month) {
  MonthTerms terms;
  terms.pay = pay_terms(p, month);
  terms.demand = demand_terms(p, month);
  terms.allocation = allocation_terms(p, month);
  terms.burnout = burnout_terms(p, terms.demand.relief_phase, month);
  terms.leaving = leaving_terms(p, terms.pay, month);
  terms.progression = progression_terms(p, month);
  terms.recruitment = recruitment_terms(p, terms.pay, month);
  terms.agency = agency_terms(p, month);
  terms.costs = cost_terms(p, month);
  return terms;
}

}  // namespace wfsim::model
