// The monthly series a replication records: one table, read by the model
// (to fill), the writer (names, units) and the console summary.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace wfsim::model {

// clang-format off
#define WFSIM_METRICS(X)                                                                                        \
  X(permanent_qsw, "headcount", "Permanent qualified staff in post: social workers, advanced practitioners and practice managers (end of month)") \
  X(permanent_qsw_fte, "FTE", "Permanent qualified staff in post, full-time equivalent (end of month)")         \
  X(nqsw, "headcount", "Permanent case holders with under 12 months post-qualifying experience (end of month)") \
  X(early, "headcount", "Permanent case holders with 12 to 35 months post-qualifying experience (end of month)") \
  X(experienced, "headcount", "Permanent case holders with 36 months or more post-qualifying experience (end of month)") \
  X(social_workers, "headcount", "Grade 8 social workers in post (end of month)")                              \
  X(advanced_practitioners, "headcount", "Grade 9 advanced practitioners in post (end of month)")              \
  X(practice_managers, "headcount", "Practice managers in post (end of month)")                                \
  X(trainees, "headcount", "Step-up trainees in training (end of month)")                                      \
  X(agency, "headcount", "Agency social workers on assignment (end of month)")                                 \
  X(starters, "headcount", "Permanent qualified staff who joined during the month: external hires, qualifying trainees, converted agency workers") \
  X(starters_nqsw, "headcount", "External newly qualified hires who started during the month")                 \
  X(starters_experienced, "headcount", "External experienced hires (social workers and practice managers) who started during the month") \
  X(starters_trainees, "headcount", "Step-up trainees who qualified and joined as newly qualified social workers during the month") \
  X(starters_agency_conversions, "headcount", "Agency workers converted to permanent posts during the month")   \
  X(starters_internal, "headcount", "Qualified staff who moved into frontline teams from elsewhere in the council during the month (mobility policy)") \
  X(starters_neighbour, "headcount", "Qualified staff who moved in from a neighbouring council of the region during the month, keeping their experience (region runs only)") \
  X(leavers, "headcount", "Permanent qualified staff who left during the month (all destinations, ASYE failures included)") \
  X(leavers_neighbour, "headcount", "Leavers to a neighbouring employer during the month")                     \
  X(leavers_agency, "headcount", "Leavers to agency work during the month")                                    \
  X(leavers_profession, "headcount", "Leavers out of the profession during the month, ASYE failures included") \
  X(leavers_internal, "headcount", "Leavers by internal move out of frontline teams during the month")         \
  X(nqsw_leavers, "headcount", "Leavers from the newly qualified band during the month, ASYE failures included") \
  X(early_leavers, "headcount", "Leavers from the band with 1 to 3 years' experience during the month")          \
  X(experienced_leavers, "headcount", "Leavers from the band with 3 years' experience or more during the month") \
  X(practice_manager_leavers, "headcount", "Practice managers who left during the month")                      \
  X(asye_failures, "headcount", "Newly qualified social workers who failed the ASYE and left during the month") \
  X(promotions_ap, "headcount", "Grade 8 social workers promoted to advanced practitioner during the month")   \
  X(promotions_pm, "headcount", "Advanced practitioners promoted to practice manager during the month")        \
  X(trainee_intake, "headcount", "Step-up trainees who started training during the month")                      \
  X(trainee_dropouts, "headcount", "Step-up trainees who left before qualifying during the month")             \
  X(applicants_nqsw, "headcount", "Newly qualified applicants during the month")                                \
  X(applicants_experienced, "headcount", "Experienced social worker applicants during the month")               \
  X(offers_accepted, "headcount", "Offers accepted during the month (start after the notice period)")           \
  X(establishment, "posts", "Funded permanent posts: social work and practice manager establishment (end of month)") \
  X(vacancies, "FTE", "Establishment minus FTE in post minus accepted offers not yet started (end of month)")  \
  X(vacancy_rate, "fraction", "Vacancies / (vacancies + FTE in post), as the national workforce census defines it") \
  X(unallocated_cases, "cases", "Cases nobody holds: beyond every case holder's cap or ceiling and what practice managers take (month)") \
  X(cases_held_by_managers, "cases", "Cases practice managers hold because every case holder is at a cap or ceiling (month)") \
  X(uncovered_vacancies, "FTE", "Case-holding posts with neither a permanent worker nor agency cover (end of month)") \
  X(retention_payments, "headcount", "Retention payments made during the month")                                \
  X(agency_rate, "fraction", "Agency FTE / (agency FTE + permanent FTE in post), as the national workforce census defines it") \
  X(agency_cover_sought, "headcount", "Agency workers the cover policy seeks: a share of the empty case-holding posts (month)") \
  X(agency_starts, "headcount", "Agency workers who started an assignment during the month")                    \
  X(agency_rate_gbp_per_year, "GBP per year", "Rate paid for an agency worker this month: the reference rate times the market's multiple") \
  X(reputation, "reputation", "The service's reputation with applicants: falls with the caseloads staff carry and with turnover (end of month)") \
  X(recruitment_drive, "fraction", "How hard the management response drove recruitment in the month: 0 up to its vacancy threshold, rising to 1 over the next ten points") \
  X(stability_index, "fraction", "Permanent qualified staff in post for a year or more / permanent qualified staff a year before; missing in the first 11 months") \
  X(nqsw_share, "fraction", "nqsw / (nqsw + early + experienced)")                                              \
  X(under_2y_share, "fraction", "Share of permanent case holders with under 24 months post-qualifying experience") \
  X(cohort_nqsw_in_post_12, "headcount", "Of the newly qualified hires who joined in month m, those still in post 12 months later, stored at m; missing where m + 12 is beyond the horizon") \
  X(cohort_nqsw_in_post_24, "headcount", "Of the newly qualified hires who joined in month m, those still in post 24 months later, stored at m; missing where m + 24 is beyond the horizon") \
  X(cohort_nqsw_in_post_36, "headcount", "Of the newly qualified hires who joined in month m, those still in post 36 months later, stored at m; missing where m + 36 is beyond the horizon") \
  X(cohort_experienced_in_post_12, "headcount", "Of the experienced hires (social workers and practice managers) who joined in month m, those still in post 12 months later, stored at m; missing where m + 12 is beyond the horizon") \
  X(cohort_experienced_in_post_24, "headcount", "Of the experienced hires (social workers and practice managers) who joined in month m, those still in post 24 months later, stored at m; missing where m + 24 is beyond the horizon") \
  X(cohort_experienced_in_post_36, "headcount", "Of the experienced hires (social workers and practice managers) who joined in month m, those still in post 36 months later, stored at m; missing where m + 36 is beyond the horizon") \
  X(cohort_step_up_in_post_12, "headcount", "Of the step-up trainees who qualified who joined in month m, those still in post 12 months later, stored at m; missing where m + 12 is beyond the horizon") \
  X(cohort_step_up_in_post_24, "headcount", "Of the step-up trainees who qualified who joined in month m, those still in post 24 months later, stored at m; missing where m + 24 is beyond the horizon") \
  X(cohort_step_up_in_post_36, "headcount", "Of the step-up trainees who qualified who joined in month m, those still in post 36 months later, stored at m; missing where m + 36 is beyond the horizon") \
  X(cohort_conversion_in_post_12, "headcount", "Of the agency workers converted to permanent posts who joined in month m, those still in post 12 months later, stored at m; missing where m + 12 is beyond the horizon") \
  X(cohort_conversion_in_post_24, "headcount", "Of the agency workers converted to permanent posts who joined in month m, those still in post 24 months later, stored at m; missing where m + 24 is beyond the horizon") \
  X(cohort_conversion_in_post_36, "headcount", "Of the agency workers converted to permanent posts who joined in month m, those still in post 36 months later, stored at m; missing where m + 36 is beyond the horizon") \
  X(demand_cases, "cases", "Open cases needing an allocated qualified social worker (month)")                    \
  X(load_ratio, "ratio", "Effective demand / standard caseload capacity of all case holders (month)")            \
  X(caseload_nqsw, "cases per FTE", "Average caseload of newly qualified permanent case holders (month)")       \
  X(caseload_early, "cases per FTE", "Average caseload of permanent case holders with 1 to 3 years experience (month)") \
  X(caseload_experienced, "cases per FTE", "Average caseload of permanent case holders with 3 years or more experience (month)") \
  X(supervision_span, "case holders per practice manager", "Case holders (permanent and agency) per practice manager (month)") \
  X(burnout_mean, "strain index", "Mean burnout of permanent qualified staff (end of month)")                   \
  X(burnout_nqsw, "strain index", "Mean burnout of newly qualified permanent case holders (end of month)")       \
  X(burnout_early, "strain index", "Mean burnout of permanent case holders with 1 to 3 years experience (end of month)") \
  X(burnout_experienced, "strain index", "Mean burnout of permanent case holders with 3 years or more experience (end of month)") \
  X(cost_total, "GBP", "Total workforce cost accrued during the month")                                         \
  X(cost_salaries, "GBP", "Salaries with on-costs of permanent staff and trainees during the month")            \
  X(cost_agency, "GBP", "Agency charges during the month")                                                      \
  X(cost_recruitment, "GBP", "Recruitment cost of hires that started during the month, and of any recruitment drive")                         \
  X(cost_asye, "GBP", "ASYE support for newly qualified social workers during the month")                      \
  X(cost_marketing, "GBP", "Recruitment marketing spend during the month")                                      \
  X(cost_retention, "GBP", "Retention payments made during the month")                                          \
  X(cost_supplements, "GBP", "Market supplements with on-costs during the month")                               \
  X(cost_programmes, "GBP", "Policy programmes during the month: step-up training, workload relief, work-life measures") \
  X(cost_budget, "GBP", "Budget of the funded establishment for the month: every post at its salary with on-costs") \
  X(cost_underspend, "GBP", "Budget of funded posts with nobody in them and no agency cover, not spent during the month") \
  X(cost_policy, "GBP", "The policy's own spending during the month: retention payments, supplements, programmes, its marketing, the ASYE programme and the budget of the posts it adds") \
  X(cost_staffing, "GBP", "Staffing spending against the establishment during the month: salaries, agency, recruitment and support, with empty posts counted at their budget, less the added posts' budget") \
  X(cost_against_establishment, "GBP", "cost_policy + cost_staffing: spending with empty posts counted at their budget, so that an empty post is never a saving")
// clang-format on

enum class Metric : int {
#define WFSIM_METRIC_ENUM(name, units, description) name,
  WFSIM_METRICS(WFSIM_METRIC_ENUM)
#undef WFSIM_METRIC_ENUM
};

struct MetricInfo {
  std::string_view name;
  std::string_view units;
  std::string_view description;
};

inline constexpr std::array kMetrics = {
#define WFSIM_METRIC_INFO(name, units, description) MetricInfo{#name, units, description},
    WFSIM_METRICS(WFSIM_METRIC_INFO)
#undef WFSIM_METRIC_INFO
};
inline constexpr int kMetricCount = static_cast<int>(kMetrics.size());

constexpr int index_of(Metric m) {
  return static_cast<int>(m);
}

// Series kept by band (newly qualified, early, experienced), by role (social
// worker, advanced practitioner, practice manager) and by destination, in
// the model's own order of each.
inline constexpr std::array kHeadcountByBand{Metric::nqsw, Metric::early, Metric::experienced};
inline constexpr std::array kCaseloadByBand{Metric::caseload_nqsw, Metric::caseload_early,
                                            Metric::caseload_experienced};
inline constexpr std::array kBurnoutByBand{Metric::burnout_nqsw, Metric::burnout_early,
                                           Metric::burnout_experienced};
inline constexpr std::array kLeaversByBand{Metric::nqsw_leavers, Metric::early_leavers,
                                           Metric::experienced_leavers};
inline constexpr std::array kHeadcountByRole{Metric::social_workers, Metric::advanced_practitioners,
                                             Metric::practice_managers};
inline constexpr std::array kLeaversByDestination{Metric::leavers_neighbour, Metric::leavers_agency,
                                                  Metric::leavers_profession, Metric::leavers_internal};

// Metrics that are missing (NaN) where they have nothing to measure:
// averages over people in a month with no one in the band, the stability
// index before a year has passed, and cohorts followed beyond the horizon.
inline constexpr std::array kMetricsThatMayBeMissing = {
    Metric::caseload_nqsw,
    Metric::caseload_early,
    Metric::caseload_experienced,
    Metric::burnout_mean,
    Metric::burnout_nqsw,
    Metric::burnout_early,
    Metric::burnout_experienced,
    Metric::stability_index,
    Metric::cohort_nqsw_in_post_12,
    Metric::cohort_nqsw_in_post_24,
    Metric::cohort_nqsw_in_post_36,
    Metric::cohort_experienced_in_post_12,
    Metric::cohort_experienced_in_post_24,
    Metric::cohort_experienced_in_post_36,
    Metric::cohort_step_up_in_post_12,
    Metric::cohort_step_up_in_post_24,
    Metric::cohort_step_up_in_post_36,
    Metric::cohort_conversion_in_post_12,
    Metric::cohort_conversion_in_post_24,
    Metric::cohort_conversion_in_post_36,
};
constexpr bool may_be_missing(Metric m) {
  for (Metric missing : kMetricsThatMayBeMissing)
    if (missing == m) return true;
  return false;
}

}  // namespace wfsim::model
