// One month of the model: the order of its events, declared once (MODEL.md
// section 1), and what happens during it. Both drivers, the simulation and
// the analytic projection, follow this order; docs/model.md shows it.
#pragma once

#include <array>
#include <string_view>

#include "model/parameters.hpp"

namespace wfsim::model {

struct MonthStep {
  std::string_view name;
  std::string_view module;  // the header under engine/ that holds the mechanism
  std::string_view what;
};

inline constexpr std::array<MonthStep, 8> kMonthOrder = {{
    {"demand", "model/demand.hpp", "the month's open cases"},
    {"allocation", "model/allocation.hpp",
     "cases over the case holders in post at the start of the month; the span of supervision"},
    {"burnout", "model/burnout.hpp", "strain from this month's caseload and supervision span"},
    {"leaving", "model/leaving.hpp", "permanent staff leave; trainees drop out"},
    {"progression", "model/progression.hpp",
     "everyone still in post ages one month; ASYE completion or failure at 12 months; grade 8 to advanced "
     "practitioner; advanced practitioner to practice manager; step-up trainees qualify; a new step-up "
     "cohort starts"},
    {"recruitment", "model/recruitment.hpp",
     "accepted offers whose notice has run out start; applicants arrive; offers are made and accepted"},
    {"agency cover", "model/agency.hpp",
     "assignments end or convert to permanent; agency workers are released or engaged to cover empty posts"},
    {"costs and recording", "model/costs.hpp",
     "the month's flows and its end-of-month stocks; the month's spending"},
}};

// What happened during one month, counted by the steps as they happen.
struct MonthFlows {
  int starters_nqsw = 0;
  int starters_experienced = 0;
  int starters_trainees = 0;
  int starters_conversions = 0;
  int starters_internal = 0;
  int starters_neighbour = 0;                    // moved in from a neighbouring council of the region
  int external_starters = 0;                     // hires whose notice ran out (recruitment cost)
  std::array<int, kDestinationCount> leavers{};  // by destination
  std::array<int, kBandCount>
      case_holder_leavers{};  // by band when they left (ASYE failures: newly qualified)
  int practice_manager_leavers = 0;
  int asye_failures = 0;
  int promotions_ap = 0;
  int promotions_pm = 0;
  int trainee_intake = 0;
  int paid_trainee_intake = 0;
  int trainee_dropouts = 0;
  int applicants_nqsw = 0;
  int applicants_experienced = 0;
  int offers_accepted = 0;
  int retention_payments = 0;
  int agency_starts = 0;

  int leavers_total() const { return leavers[0] + leavers[1] + leavers[2] + leavers[3]; }
  int starters_total() const {
    return starters_nqsw + starters_experienced + starters_trainees + starters_conversions +
           starters_internal + starters_neighbour;
  }
};

}  // namespace wfsim::model
