// The terms in force in one month: every module's, once the policies active
// in that month are applied (MODEL.md section 12). Both drivers read these,
// never the policy blocks.
#pragma once

#include "model/agency.hpp"
#include "model/allocation.hpp"
#include "model/burnout.hpp"
#include "model/costs.hpp"
#include "model/demand.hpp"
#include "model/leaving.hpp"
#include "model/parameters.hpp"
#include "model/pay.hpp"
#include "model/progression.hpp"
#include "model/recruitment.hpp"

namespace wfsim::model {

struct MonthTerms {
  PayTerms pay;
  DemandTerms demand;
  AllocationTerms allocation;
  BurnoutTerms burnout;
  LeavingTerms leaving;
  ProgressionTerms progression;
  RecruitmentTerms recruitment;
  AgencyTerms agency;
  CostTerms costs;
};

MonthTerms month_terms(const Parameters& parameters, int month);

}  // namespace wfsim::model
