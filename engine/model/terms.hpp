// The terms in force in one month: every module's, once the policies active
// in that month are applied (MODEL.md section 12). Both drivers read these,
// never the policy blocks.
#pragma once

#include <span>
#include <vector>

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

// The terms of every month of the horizon into `terms` (reused, so a
// replication allocates nothing once it has grown). In a region,
// `region_pay` holds what the region sets of the council's pay, by month
// (pay_terms); empty, they pay nothing.
void terms_for_run(const Parameters& parameters, std::vector<MonthTerms>& terms,
                   std::span<const RegionPay> region_pay = {});

}  // namespace wfsim::model
