#include "model/burnout.hpp"

#include <algorithm>

namespace wfsim::model {

BurnoutTerms burnout_terms(const Parameters& p, double relief_phase, int month) {
  const auto& work_life = p.policies.work_life;
  const auto& asye = p.policies.asye_programme;
  BurnoutTerms terms;
  terms.baseline_strain = std::max(
      0.0,
      p.burnout.baseline_strain - relief_phase * p.policies.workload_relief.specialism_strain_reduction -
          (work_life.active_in(month) ? work_life.extra_leave_days * work_life.strain_reduction_per_leave_day
                                      : 0.0));
  terms.nqsw_strain_multiplier = asye.active_in(month) ? asye.nqsw_strain_multiplier : 1.0;
  return terms;
}

MonthStrain month_strain(const BurnoutParameters& b, const BurnoutTerms& terms,
                         const MonthAllocation& allocation) {
  MonthStrain strain;
  strain.practice_manager = b.span_weight * allocation.overstretch + terms.baseline_strain;
  for (int band = 0; band < kBandCount; ++band)
    strain.case_holder[band] =
        b.load_weight * std::max(0.0, allocation.cases.band_ratio[band] - 1.0) + strain.practice_manager;
  strain.case_holder[0] *= terms.nqsw_strain_multiplier;
  return strain;
}

}  // namespace wfsim::model
