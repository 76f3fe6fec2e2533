// Burnout (MODEL.md section 6): strain from overload and stretched
// supervision, softened by personal resilience, accumulated with a memory.
#pragma once

#include "model/allocation.hpp"
#include "model/parameters.hpp"

namespace wfsim::model {

struct BurnoutTerms {
  double baseline_strain = 0;         // after workload relief and extra leave
  double nqsw_strain_multiplier = 1;  // ASYE programme
};

BurnoutTerms burnout_terms(const Parameters& parameters, double relief_phase, int month);

// The month's strain of a worker of resilience 1: by band for case holders,
// from supervision and the baseline alone for practice managers.
struct MonthStrain {
  BandValues case_holder{};
  double practice_manager = 0;
};

MonthStrain month_strain(const BurnoutParameters& burnout, const BurnoutTerms& terms,
                         const MonthAllocation& allocation);

// A person's burnout after this month's stress (resilience x strain). The
// workforce starts in equilibrium with its first month's conditions.
inline double updated_burnout(double previous, double stress, double memory_per_month, bool first_month) {
  return first_month ? stress : previous + (stress - previous) * memory_per_month;
}

}  // namespace wfsim::model
