// Plain, validated parameter structs for one scenario. The scenario layer
// fills them from YAML; the model reads them and never sees YAML or strings.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "model/calendar.hpp"

namespace wfsim::model {

// Experience bands follow the source's caseload standards (MODEL.md section 2).
enum class Band : std::uint8_t { nqsw = 0, early = 1, experienced = 2 };
inline constexpr int kBandCount = 3;
inline constexpr int kNqswEndPqMonths = 12;
inline constexpr int kEarlyEndPqMonths = 36;
inline constexpr int kMaxPqMonths = 480;              // a 40-year career: experience is capped here
inline constexpr int kFirstYearEndTenureMonths = 12;  // tenure multiplier bands (section 7)
inline constexpr int kSecondYearEndTenureMonths = 24;

constexpr Band band_of(int pq_months) {
  return pq_months < kNqswEndPqMonths    ? Band::nqsw
         : pq_months < kEarlyEndPqMonths ? Band::early
                                         : Band::experienced;
}

enum class Role : std::uint8_t {
  social_worker = 0,          // grade 8
  advanced_practitioner = 1,  // grade 9
  practice_manager = 2,
  trainee = 3,  // step-up, not yet qualified
  agency = 4,   // locum social worker
};
inline constexpr int kRoleCount = 5;
// Permanent qualified roles come first, so a Role indexes arrays by permanent role.
inline constexpr int kPermanentRoleCount = 3;
using PermanentRoleValues = std::array<double, kPermanentRoleCount>;

constexpr bool is_permanent(Role role) {
  return static_cast<int>(role) < kPermanentRoleCount;
}
// Grade 8 and grade 9 hold cases as permanent staff; practice managers do not.
constexpr bool is_case_holder(Role role) {
  return role == Role::social_worker || role == Role::advanced_practitioner;
}

// Where a permanent leaver goes (MODEL.md section 7).
enum class Destination : std::uint8_t { neighbour = 0, agency = 1, profession = 2, internal = 3 };
inline constexpr int kDestinationCount = 4;

using BandValues = std::array<double, kBandCount>;

struct TimeParameters {
  YearMonth start{2015, 11};
  int months = 36;
};

// One person of an initial workforce given as a roster (scenario key
// workforce.roster), as the model takes it.
struct RosterRow {
  Role role = Role::social_worker;
  int pq_months = 0;      // months since qualifying; a trainee's months of training done
  int tenure_months = 0;  // months employed here; an agency worker's months on the assignment
  double fte = 1.0;
};

struct WorkforceParameters {
  // The initial workforce one person a row, numbered 0..N-1 in roster order;
  // empty when it is given as counts. With a roster the counts below hold
  // its totals (filled by the loader) and pq, tenure and FTE come from it.
  std::vector<RosterRow> roster;
  std::array<int, kBandCount> social_workers{};  // grade 8 headcount by band
  int advanced_practitioners = 0;                // all in the experienced band
  int practice_managers = 0;
  int trainees = 0;  // step-up trainees already in training
  int agency = 0;

  // The count above a person of `role` (and, in grade 8, experience) is in.
  int& headcount_of(Role role, int pq_months) {
    switch (role) {
      case Role::social_worker:
        return social_workers[static_cast<std::size_t>(band_of(pq_months))];
      case Role::advanced_practitioner:
        return advanced_practitioners;
      case Role::practice_manager:
        return practice_managers;
      case Role::trainee:
        return trainees;
      case Role::agency:
        break;
    }
    return agency;
  }
  // Post-qualifying experience beyond 36 months is exponential with this mean.
  double experienced_extra_pq_mean_months = 60.0;
  // Practice managers and advanced practitioners have at least this much experience.
  double senior_min_pq_months = 48.0;
  // Tenure is a uniform share of pq months between this minimum and 1.
  double tenure_share_of_pq_min = 0.3;
  double part_time_share = 0.0;  // probability a permanent worker is part time
  double part_time_fte = 0.6;
  // Offers accepted before the start, starting over the first notice months.
  int accepted_offers_nqsw = 0;
  int accepted_offers_experienced = 0;
};

struct DemandShock {
  int month_index = 0;  // months after the start
  double multiplier = 1.0;
};

struct DemandParameters {
  double initial_cases = 0.0;
  double annual_growth = 0.0;
  double monthly_noise_sd = 0.0;
  std::vector<DemandShock> shocks;
};

struct CaseloadParameters {
  BandValues standard_by_band{15.0, 20.0, 23.0};  // seed 000 recommended levels
  // Relative share of the overload each band carries: caseload = ratio * weight * standard.
  BandValues allocation_weight_by_band{1.0, 1.0, 1.0};
  double advanced_practitioner_standard = 20.0;
  double agency_standard = 20.0;
};

struct SupervisionParameters {
  double standard_span = 7.0;         // case holders per practice manager
  double progression_slowdown = 1.0;  // AP pass probability divided by (1 + this * overstretch)
};

struct BurnoutParameters {
  double memory_months = 6.0;  // tau
  double load_weight = 1.0;
  double span_weight = 0.5;
  double baseline_strain = 0.0;
  double resilience_sd = 0.25;  // lognormal with mean 1
};

// Leaving is calibrated at an operating point (MODEL.md section 7; docs/model.md,
// "Calibration"): the annual rates are those observed there, at the strain
// of that time and the scenario's own pay gap; burnout and pay move the
// hazard away from them.
struct AttritionParameters {
  BandValues annual_rate_by_band{};
  double practice_manager_annual_rate = 0.0;
  // Strain of a worker of resilience 1 at the operating point, by band and
  // for practice managers: where the burnout term of the hazard is 1 on average.
  BandValues burnout_reference_by_band{};
  double practice_manager_burnout_reference = 0.0;
  // Classic length-of-service wastage curve: multiplier by tenure year.
  double tenure_multiplier_first_year = 1.0;
  double tenure_multiplier_second_year = 1.0;
  double burnout_coefficient = 0.0;
  double pay_gap_coefficient = 0.0;
  double advanced_practitioner_coefficient = 0.0;
  std::array<double, kDestinationCount> destination_shares{0.25, 0.25, 0.25, 0.25};
  double trainee_annual_rate = 0.0;
  // After the clawback of a retention payment, those who stayed for it leave
  // at a pent-up rate: this share of the leaving the payment held back, over
  // exodus_months (section 7, docs/model.md "Retention payments").
  double retention_exodus_share = 0.0;
  int retention_exodus_months = 6;
};

struct AsyeParameters {
  double failure_probability = 0.0;
  double support_gbp_per_nqsw_per_year = 0.0;
};

struct ProgressionParameters {
  int ap_min_pq_months = 36;
  double ap_monthly_probability = 0.0;
  int ap_post_limit = -1;  // -1: no limit
  int pm_min_pq_months = 48;
  double pm_internal_probability = 0.0;  // a vacant PM post filled from APs this month
};

struct StepUpParameters {
  int cohort_size = 0;
  std::vector<int> intake_calendar_months;  // 1..12
  int training_months = 14;
  int bond_months = 0;
  double bond_hazard_multiplier = 1.0;
};

struct RecruitmentParameters {
  int social_work_posts = 0;  // establishment for grade 8 and grade 9 case holders
  int practice_manager_posts = 0;
  // Applicants a month: a stream of their own, plus a number for each post
  // advertised (an open post), as councils advertise what is vacant.
  double nqsw_applicants_per_month = 0.0;
  std::array<double, 12> nqsw_season{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};  // January first
  double experienced_applicants_per_month = 0.0;
  double practice_manager_applicants_per_month = 0.0;
  double nqsw_applicants_per_open_post = 0.0;
  double experienced_applicants_per_open_post = 0.0;
  double practice_manager_applicants_per_open_post = 0.0;
  double attraction_pay_gap_coefficient = 0.0;
  double attraction_reputation_coefficient = 0.0;
  double marketing_attraction = 0.0;  // additive term in log attractiveness
  double reputation_memory_months = 12.0;
  double reputation_reference =
      0.0;  // reputation at the operating point, where it leaves applicants unchanged
  double reputation_overload_weight = 0.0;
  double reputation_turnover_weight = 0.0;
  double nqsw_acceptance_probability = 1.0;
  double experienced_acceptance_probability = 1.0;
  int nqsw_notice_months = 1;
  int experienced_notice_months = 2;
  double max_nqsw_share_of_hires = 1.0;
  double cost_gbp_per_hire = 0.0;
  double marketing_gbp_per_month = 0.0;
};

// The council's management response to a service beyond its means: no
// worker holds more than a ceiling of cases; practice managers hold some of
// the rest and what is left stays unallocated (docs/model.md, "Management
// response").
struct ResponseParameters {
  // Cases per FTE; a negative ceiling is none.
  BandValues caseload_ceiling_by_band{-1, -1, -1};  // permanent case holders by band
  double agency_caseload_ceiling = -1;
  double manager_cases = 0.0;  // cases a practice manager FTE holds at most once the ceilings bind
  // A recruitment drive once the six-month vacancy rate passes the threshold
  // (negative: never), stepped up over the next fifteen points of vacancies:
  // log attractiveness rises by up to the gain, at up to a monthly cost.
  double recruitment_drive_vacancy_rate = -1;
  double recruitment_drive_attraction = 0.0;
  double recruitment_drive_gbp_per_month = 0.0;
};

// Agency cover: the council seeks cover for a share of its empty posts and
// buys it in a regional market whose supply responds to the rate paid.
struct AgencyParameters {
  double new_workers_per_month = 0.0;  // locums available to start a month at the reference rate
  double supply_elasticity = 0.0;      // supply grows as (rate / reference rate)^elasticity
  double max_rate_multiple = 1.0;      // the most the council pays over the reference rate
  double regional_share = 1.0;         // the council's share of the region's demand for locums
  double reference_demand = 0.0;  // locums the council sought when the reference rate was observed (0: none)
  double cover_share = 1.0;       // share of empty case-holding posts the council seeks cover for
  int cover_unallocated = 0;      // 1: and cover for the month's unallocated cases, within the empty posts
  int cap = -1;                   // -1: no cap beyond vacancies
  double monthly_end_probability = 0.0;
  double monthly_conversion_probability = 0.0;
  double cost_gbp_per_year = 0.0;  // the reference rate: the full annual cost of an agency worker
};

// Salaries by role, as the scenario's pay.salary_gbp_per_year gives them.
struct Salaries {
  double social_worker = 0.0;  // grade 8; grade 9 earns the uplift on top
  double practice_manager = 0.0;
  double trainee = 0.0;
};

struct PayParameters {
  Salaries salary_gbp_per_year;
  double advanced_practitioner_uplift_gbp_per_year = 0.0;
  double on_cost_multiplier = 1.0;
  PermanentRoleValues neighbour_gap{};  // relative pay advantage of the best neighbouring employer
};

// Policy levers (MODEL.md section 12). Each is off unless its block is in the
// scenario; a month index counts months after the start of the run.

// A lever's switch and first month, shared by every lever with a start.
struct Lever {
  bool enabled = false;
  int start_month = 0;
  constexpr bool active_in(int month) const { return enabled && month >= start_month; }
};

struct RetentionPaymentPolicy : Lever {
  double amount_gbp = 0;
  std::vector<int> tenure_milestones_months;  // a payment when tenure reaches each
  int anticipation_months = 0;                // window before a payment
  double anticipation_coefficient = 0;        // hazard x exp(-this * amount / annual salary) in the window
  int clawback_months = 0;                    // leaving within this after a payment means repaying
  double clawback_hazard_multiplier = 1;
  std::array<bool, 3> roles{true, true, false};  // social worker, advanced practitioner, practice manager
  std::array<bool, kBandCount> bands{true, true, true};
};

struct MarketSupplementPolicy : Lever {
  PermanentRoleValues gbp_per_year{};
};

// Funded posts the extra posts lever adds.
struct AddedPosts {
  int social_work_posts = 0;
  int practice_manager_posts = 0;
  bool operator==(const AddedPosts&) const = default;
};

struct PostsPhase {
  int month_index = 0;
  AddedPosts posts;  // added from this month on
};

// Posts added from the start month, or in phases (when phases are given).
struct ExtraPostsPolicy : Lever {
  AddedPosts posts;
  std::vector<PostsPhase> phases;
};

struct CaseloadCapPolicy : Lever {
  BandValues cap_cases{1e300, 1e300, 1e300};  // maximum caseload per FTE by band
};

struct StepUpPolicy : Lever {
  int cohort_size = 0;  // extra trainees per intake, on top of the existing scheme
  std::vector<int> intake_calendar_months;
  double cost_gbp_per_trainee = 0;  // one-off at intake (tuition, placements)
};

struct AsyeProgrammePolicy : Lever {
  double nqsw_strain_multiplier = 1;
  double nqsw_hazard_multiplier = 1;
  double failure_multiplier = 1;
  double cost_gbp_per_nqsw_per_year = 0;
};

struct AdvancedPractitionerPolicy : Lever {
  double monthly_probability = 0;
  double uplift_gbp_per_year = 0;
  int post_limit = -1;
  double recognition_coefficient = 0;  // added to the grade 9 hazard coefficient
};

struct RecruitmentMarketingPolicy : Lever {
  int duration_months = 0;  // 0: to the end of the run
  double gbp_per_month = 0;
  // Log-attractiveness gain = max_attraction_gain * spend / (spend + half_effect_gbp_per_month).
  double max_attraction_gain = 0;
  double half_effect_gbp_per_month = 1;
  int notice_reduction_months = 0;  // faster hiring, never below one month
};

struct HiringMixPolicy : Lever {
  double max_nqsw_share_of_hires = 1;
  double target_nqsw_share = 1;  // no newly qualified offers while the NQSW share is at or above this
};

struct AgencyPolicy : Lever {
  int cap = -1;
  double monthly_conversion_probability = 0;
  double cost_gbp_per_year = -1;  // -1: unchanged
};

struct WorkloadReliefPolicy : Lever {
  int phase_in_months = 1;
  double out_of_hours_demand_share = 0;    // cases handled by the out-of-hours team from Friday lunchtime
  double post16_demand_share = 0;          // cases moved to another service
  double specialism_strain_reduction = 0;  // less strain than generic allocation
  double cost_gbp_per_month = 0;
};

struct WorkLifePolicy : Lever {
  double extra_leave_days = 0;
  double strain_reduction_per_leave_day = 0;
  double flexible_working_hazard_multiplier = 1;
  double career_break_hazard_multiplier = 1;  // applied to leaving out of the profession
  double cost_gbp_per_month = 0;
};

struct MobilityPolicy : Lever {
  double moves_in_per_month = 0;        // qualified staff moving into frontline teams (Poisson)
  double internal_exit_multiplier = 1;  // scales leaving by internal move out of frontline
};

struct Policies {
  RetentionPaymentPolicy retention_payment;
  MarketSupplementPolicy market_supplement;
  ExtraPostsPolicy extra_posts;
  CaseloadCapPolicy caseload_cap;
  StepUpPolicy step_up;
  AsyeProgrammePolicy asye_programme;
  AdvancedPractitionerPolicy advanced_practitioner;
  RecruitmentMarketingPolicy recruitment_marketing;
  HiringMixPolicy hiring_mix;
  AgencyPolicy agency;
  WorkloadReliefPolicy workload_relief;
  WorkLifePolicy work_life;
  MobilityPolicy mobility;
};

// Everything one scenario needs to run. Immutable once loaded.
struct Parameters {
  TimeParameters time;
  WorkforceParameters workforce;
  DemandParameters demand;
  CaseloadParameters caseload;
  SupervisionParameters supervision;
  BurnoutParameters burnout;
  AttritionParameters attrition;
  AsyeParameters asye;
  ProgressionParameters progression;
  StepUpParameters step_up;
  RecruitmentParameters recruitment;
  ResponseParameters response;
  AgencyParameters agency;
  PayParameters pay;
  Policies policies;
};

}  // namespace wfsim::model
