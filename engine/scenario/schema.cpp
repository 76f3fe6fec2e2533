#include "scenario/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace wfsim::scenario::detail {

namespace {

std::string_view noun_of(Kind kind, bool integer) {
  switch (kind) {
    case Kind::count:
      return "a whole number";
    case Kind::months:
      return integer ? "a whole number of months" : "a number of months";
    case Kind::probability:
      return "a probability";
    case Kind::fraction:
      return "a fraction";
    case Kind::rate:
      return "a rate";
    case Kind::gbp:
      return "an amount in GBP";
    case Kind::multiplier:
      return "a multiplier";
    case Kind::weight:
      return "a weight";
    case Kind::cases:
      return "a caseload";
    case Kind::real:
    case Kind::text:
    case Kind::year_month:
    case Kind::structured:
      break;
  }
  return integer ? "a whole number" : "a number";
}

NumberRule default_rule(Kind kind, bool integer) {
  NumberRule rule;
  rule.noun = noun_of(kind, integer);
  rule.integer = integer;
  switch (kind) {
    case Kind::probability:
    case Kind::fraction:
      rule.min = 0.0;
      rule.max = 1.0;
      break;
    case Kind::months:
    case Kind::cases:
      rule.min = 0.0;
      rule.min_inclusive = false;
      break;
    case Kind::count:
    case Kind::rate:
    case Kind::gbp:
    case Kind::multiplier:
    case Kind::weight:
      rule.min = 0.0;
      break;
    case Kind::real:
    case Kind::text:
    case Kind::year_month:
    case Kind::structured:
      break;
  }
  return rule;
}

FieldSpec number(std::string path, Kind kind, double& (*field)(model::Parameters&), std::string units,
                 std::string description) {
  FieldSpec spec;
  spec.path = std::move(path);
  spec.kind = kind;
  spec.units = std::move(units);
  spec.description = std::move(description);
  spec.rule = default_rule(kind, false);
  spec.real_field = field;
  return spec;
}

FieldSpec number(std::string path, Kind kind, int& (*field)(model::Parameters&), std::string units,
                 std::string description) {
  FieldSpec spec;
  spec.path = std::move(path);
  spec.kind = kind;
  spec.units = std::move(units);
  spec.description = std::move(description);
  spec.rule = default_rule(kind, true);
  spec.integer_field = field;
  return spec;
}

FieldSpec text(std::string path, std::string description, std::string default_text) {
  FieldSpec spec;
  spec.path = std::move(path);
  spec.kind = Kind::text;
  spec.required = false;
  spec.description = std::move(description);
  spec.format_text = "string";
  spec.default_text = std::move(default_text);
  return spec;
}

FieldSpec structured(std::string path, std::string units, std::string format_text, std::string description,
                     ParseFn parse, EmitFn emit) {
  FieldSpec spec;
  spec.path = std::move(path);
  spec.kind = Kind::structured;
  spec.units = std::move(units);
  spec.format_text = std::move(format_text);
  spec.description = std::move(description);
  spec.parse = parse;
  spec.emit = emit;
  return spec;
}

FieldSpec optional_structured(FieldSpec spec, ResetFn reset, std::string default_text) {
  spec.required = false;
  spec.reset = reset;
  spec.default_text = std::move(default_text);
  return spec;
}

template <typename T, std::size_t N>
std::string emit_list(const std::array<T, N>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < N; ++i) out += (i ? ", " : "") + format_number(values[i]);
  return out + "]";
}

void expect_sequence(const Node& node, const std::string& path, std::string_view what) {
  if (node.type != Node::Type::sequence) {
    fail(node.location, path, fmt::format("expected {}, got {}", what, node.describe()));
  }
}

// ---- start -------------------------------------------------------------

void parse_start(const Node& node, const std::string& path, model::Parameters& parameters, Bindings&) {
  parameters.time.start = parse_year_month(node, path);
}

std::string emit_start(const model::Parameters& parameters) {
  return format_year_month(parameters.time.start);
}

// ---- demand.shocks -----------------------------------------------------

const std::array<std::string, 2> kShockKeys{"month", "multiplier"};

// Shock months are relative to `start`, which precedes demand in the table.
void parse_shocks(const Node& node, const std::string& path, model::Parameters& parameters,
                  Bindings& bindings) {
  expect_sequence(node, path, "a list of {month: YYYY-MM, multiplier: number > 0}");
  NumberRule multiplier_rule = default_rule(Kind::multiplier, false);
  multiplier_rule.min_inclusive = false;
  parameters.demand.shocks.clear();
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const Node& item = node.items[i];
    const std::string item_path = fmt::format("{}[{}]", path, i);
    expect_mapping(item, item_path, "a mapping {month: YYYY-MM, multiplier: number > 0}");
    reject_unknown_keys(item, item_path, kShockKeys);
    const Node& month_node = require_key(item, item_path, "month");
    const Node& multiplier_node = require_key(item, item_path, "multiplier");
    const model::YearMonth month = parse_year_month(month_node, item_path + ".month");
    model::DemandShock shock;
    shock.month_index = month.months_since_epoch() - parameters.time.start.months_since_epoch();
    shock.multiplier = parse_number(multiplier_node, item_path + ".multiplier", multiplier_rule);
    parameters.demand.shocks.push_back(shock);
    bindings.record(item_path, item);
    bindings.record(item_path + ".month", month_node);
  }
}

std::string emit_shocks(const model::Parameters& parameters) {
  std::string out = "[";
  bool first = true;
  for (const model::DemandShock& shock : parameters.demand.shocks) {
    out += first ? "" : ", ";
    first = false;
    out += fmt::format("{{month: {}, multiplier: {}}}",
                       format_year_month(parameters.time.start.plus_months(shock.month_index)),
                       format_number(shock.multiplier));
  }
  return out + "]";
}

void reset_shocks(model::Parameters& parameters) {
  parameters.demand.shocks.clear();
}

// ---- step_up.intake_months ---------------------------------------------

void parse_intake_months(const Node& node, const std::string& path, model::Parameters& parameters,
                         Bindings&) {
  expect_sequence(node, path, "a list of calendar months 1..12 (may be empty: [])");
  NumberRule rule;
  rule.noun = "a calendar month number";
  rule.integer = true;
  rule.min = 1;
  rule.max = 12;
  std::vector<int>& months = parameters.step_up.intake_calendar_months;
  months.clear();
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const std::string item_path = fmt::format("{}[{}]", path, i);
    const int month = static_cast<int>(parse_number(node.items[i], item_path, rule));
    if (std::find(months.begin(), months.end(), month) != months.end()) {
      fail(node.items[i].location, item_path,
           fmt::format("calendar month {} is listed more than once", month));
    }
    months.push_back(month);
  }
}

std::string emit_intake_months(const model::Parameters& parameters) {
  std::string out = "[";
  bool first = true;
  for (int month : parameters.step_up.intake_calendar_months) {
    out += (first ? "" : ", ") + fmt::format("{}", month);
    first = false;
  }
  return out + "]";
}

// ---- recruitment.nqsw_season -------------------------------------------

void parse_nqsw_season(const Node& node, const std::string& path, model::Parameters& parameters, Bindings&) {
  auto& season = parameters.recruitment.nqsw_season;
  expect_sequence(node, path, "a list of 12 monthly factors >= 0, January first");
  if (node.items.size() != season.size()) {
    fail(node.location, path,
         fmt::format("expected exactly 12 monthly factors (January first), got {}", node.items.size()));
  }
  NumberRule rule = default_rule(Kind::multiplier, false);
  rule.noun = "a seasonal factor";
  for (std::size_t i = 0; i < season.size(); ++i) {
    season[i] = parse_number(node.items[i], fmt::format("{}[{}]", path, i), rule);
  }
}

std::string emit_nqsw_season(const model::Parameters& parameters) {
  return emit_list(parameters.recruitment.nqsw_season);
}

// ---- cross-field rules -------------------------------------------------

void check_name(const Bindings& bindings, const model::Parameters&) {
  const auto name = bindings.texts.find("name");
  if (name != bindings.texts.end() && name->second.empty()) {
    fail(bindings.at("name").location, "name",
         "expected a non-empty name (omit the key to use the file's stem)");
  }
}

void check_destinations(const Bindings& bindings, const model::Parameters& parameters) {
  const auto& shares = parameters.attrition.destination_shares;
  const double sum = shares[0] + shares[1] + shares[2] + shares[3];
  if (std::fabs(sum - 1.0) > 1e-9) {
    fail(bindings.at("attrition.destinations").location, "attrition.destinations",
         fmt::format(
             "destination shares must sum to 1, got {:.10g} (neighbour {} + agency {} + profession {} + "
             "internal {})",
             sum, shares[0], shares[1], shares[2], shares[3]));
  }
}

void check_shocks_in_horizon(const Bindings& bindings, const model::Parameters& parameters) {
  const model::YearMonth start = parameters.time.start;
  const int months = parameters.time.months;
  for (std::size_t i = 0; i < parameters.demand.shocks.size(); ++i) {
    const int index = parameters.demand.shocks[i].month_index;
    if (index >= 0 && index < months) continue;
    const std::string path = fmt::format("demand.shocks[{}].month", i);
    fail(bindings.at(path).location, path,
         fmt::format("shock month {} is outside the simulated months {} to {} (start and months)",
                     format_year_month(start.plus_months(index)), format_year_month(start),
                     format_year_month(start.plus_months(months - 1))));
  }
}

constexpr std::array<CrossCheck, 3> kChecks{check_name, check_destinations, check_shocks_in_horizon};

// A captureless accessor into model::Parameters, e.g. FIELD(demand.annual_growth).
#define FIELD(member)                   \
  +[](model::Parameters & p) -> auto& { \
    return p.member;                    \
  }

std::vector<FieldSpec> build_schema() {
  using K = Kind;
  constexpr int nq = static_cast<int>(model::Band::nqsw);
  constexpr int early = static_cast<int>(model::Band::early);
  constexpr int exp = static_cast<int>(model::Band::experienced);
  constexpr int neighbour = static_cast<int>(model::Destination::neighbour);
  constexpr int agency = static_cast<int>(model::Destination::agency);
  constexpr int profession = static_cast<int>(model::Destination::profession);
  constexpr int internal = static_cast<int>(model::Destination::internal);
  return {
      text("name", "Scenario name in outputs; not inherited through extends", "the file's stem"),
      text("description", "One-line description; not inherited through extends", "empty"),
      text("extends", "Scenario file this one overrides, relative to this file (deep merge)", "none"),

      structured("start", "calendar month", "YYYY-MM", "Calendar month of the first simulated month",
                 parse_start, emit_start),
      number("months", K::months, FIELD(time.months), "months", "Number of simulated months")
          .at_least(1)
          .at_most(600),

      number("workforce.social_workers.nqsw", K::count, FIELD(workforce.social_workers[nq]), "people",
             "Grade 8 social workers in the NQSW band (pq < 12 months) at the start"),
      number("workforce.social_workers.early", K::count, FIELD(workforce.social_workers[early]), "people",
             "Grade 8 social workers with 12 to 36 pq months at the start"),
      number("workforce.social_workers.experienced", K::count, FIELD(workforce.social_workers[exp]), "people",
             "Grade 8 social workers with 36 or more pq months at the start"),
      number("workforce.advanced_practitioners", K::count, FIELD(workforce.advanced_practitioners), "people",
             "Advanced practitioners (grade 9) at the start"),
      number("workforce.practice_managers", K::count, FIELD(workforce.practice_managers), "people",
             "Practice managers at the start"),
      number("workforce.trainees", K::count, FIELD(workforce.trainees), "people",
             "Step-up trainees already in training at the start"),
      number("workforce.agency", K::count, FIELD(workforce.agency), "people",
             "Agency (locum) social workers at the start"),
      number("workforce.experienced_extra_pq_mean_months", K::months,
             FIELD(workforce.experienced_extra_pq_mean_months), "months",
             "Mean of the exponential pq experience beyond 36 months of experienced staff"),
      number("workforce.senior_min_pq_months", K::months, FIELD(workforce.senior_min_pq_months), "months",
             "Minimum pq experience of initial practice managers and advanced practitioners")
          .at_least(36),
      number("workforce.tenure_share_of_pq_min", K::fraction, FIELD(workforce.tenure_share_of_pq_min),
             "fraction", "Initial tenure is a uniform share of pq months between this and 1"),
      number("workforce.part_time_share", K::probability, FIELD(workforce.part_time_share), "probability",
             "Probability that a permanent worker is part time"),
      number("workforce.part_time_fte", K::fraction, FIELD(workforce.part_time_fte), "FTE",
             "FTE of a part-time worker")
          .above(0),
      number("workforce.accepted_offers.nqsw", K::count, FIELD(workforce.accepted_offers_nqsw), "people",
             "Newly qualified hires who accepted before the start; they start over the first notice months"),
      number("workforce.accepted_offers.experienced", K::count, FIELD(workforce.accepted_offers_experienced),
             "people",
             "Experienced hires who accepted before the start; they start over the first notice months"),

      number("demand.initial_cases", K::real, FIELD(demand.initial_cases), "cases",
             "Open cases needing an allocated social worker at the start")
          .at_least(0),
      number("demand.annual_growth", K::real, FIELD(demand.annual_growth), "fraction per year",
             "Annual growth rate of demand")
          .above(-1),
      number("demand.monthly_noise_sd", K::real, FIELD(demand.monthly_noise_sd), "log scale",
             "Standard deviation of month-to-month lognormal demand noise")
          .at_least(0),
      optional_structured(
          structured("demand.shocks", "multiplier", "list of {month: YYYY-MM, multiplier: > 0}",
                     "Step changes in demand inside the horizon", parse_shocks, emit_shocks),
          reset_shocks, "none"),

      number("caseload.standard.nqsw", K::cases, FIELD(caseload.standard_by_band[nq]), "cases",
             "Standard caseload of an NQSW (seed 000: 15)"),
      number("caseload.standard.early", K::cases, FIELD(caseload.standard_by_band[early]), "cases",
             "Standard caseload with 1 to 3 years' experience (seed 000: 20)"),
      number("caseload.standard.experienced", K::cases, FIELD(caseload.standard_by_band[exp]), "cases",
             "Standard caseload with 3 or more years' experience (seed 000: 23)"),
      number("caseload.standard.advanced_practitioner", K::cases,
             FIELD(caseload.advanced_practitioner_standard), "cases",
             "Standard caseload of an advanced practitioner"),
      number("caseload.standard.agency", K::cases, FIELD(caseload.agency_standard), "cases",
             "Standard caseload of an agency social worker"),
      number("caseload.allocation_weight.nqsw", K::weight, FIELD(caseload.allocation_weight_by_band[nq]),
             "weight", "Share of the overload NQSWs carry: caseload = ratio * weight * standard"),
      number("caseload.allocation_weight.early", K::weight, FIELD(caseload.allocation_weight_by_band[early]),
             "weight", "Share of the overload carried with 1 to 3 years' experience"),
      number("caseload.allocation_weight.experienced", K::weight,
             FIELD(caseload.allocation_weight_by_band[exp]), "weight",
             "Share of the overload carried with 3 years' experience or more"),

      number("supervision.standard_span", K::real, FIELD(supervision.standard_span),
             "case holders per manager", "Standard supervision span of a practice manager")
          .above(0),
      number("supervision.progression_slowdown", K::weight, FIELD(supervision.progression_slowdown), "factor",
             "AP pass probability is divided by (1 + this * overstretch)"),

      number("burnout.memory_months", K::months, FIELD(burnout.memory_months), "months",
             "Memory tau of accumulated strain")
          .at_least(1),
      number("burnout.load_weight", K::weight, FIELD(burnout.load_weight), "strain per unit overload",
             "Weight of caseload overload in strain"),
      number("burnout.span_weight", K::weight, FIELD(burnout.span_weight), "strain per unit overstretch",
             "Weight of supervision overstretch in strain"),
      number("burnout.baseline_strain", K::weight, FIELD(burnout.baseline_strain), "strain",
             "Strain present at standard caseload and span"),
      number("burnout.resilience_sd", K::real, FIELD(burnout.resilience_sd), "log scale",
             "Spread of personal resilience (lognormal, mean 1)")
          .at_least(0),

      number("attrition.annual_rate.nqsw", K::rate, FIELD(attrition.annual_rate_by_band[nq]), "per year",
             "Base leaving hazard of NQSW-band permanent staff"),
      number("attrition.annual_rate.early", K::rate, FIELD(attrition.annual_rate_by_band[early]), "per year",
             "Base leaving hazard of early-band permanent staff"),
      number("attrition.annual_rate.experienced", K::rate, FIELD(attrition.annual_rate_by_band[exp]),
             "per year", "Base leaving hazard of experienced-band permanent staff"),
      number("attrition.annual_rate.practice_manager", K::rate, FIELD(attrition.practice_manager_annual_rate),
             "per year", "Base leaving hazard of practice managers"),
      number("attrition.tenure_multiplier.first_year", K::multiplier,
             FIELD(attrition.tenure_multiplier_first_year), "factor",
             "Hazard multiplier in the first year of tenure"),
      number("attrition.tenure_multiplier.second_year", K::multiplier,
             FIELD(attrition.tenure_multiplier_second_year), "factor",
             "Hazard multiplier in the second year of tenure"),
      number("attrition.burnout_coefficient", K::real, FIELD(attrition.burnout_coefficient),
             "per unit burnout", "Log-hazard coefficient of burnout"),
      number("attrition.pay_gap_coefficient", K::real, FIELD(attrition.pay_gap_coefficient),
             "per unit pay gap", "Log-hazard coefficient of the neighbour pay gap"),
      number("attrition.advanced_practitioner_coefficient", K::real,
             FIELD(attrition.advanced_practitioner_coefficient), "log hazard",
             "Log-hazard shift for advanced practitioners (recognition)"),
      number("attrition.destinations.neighbour", K::probability,
             FIELD(attrition.destination_shares[neighbour]), "share",
             "Share of leavers going to a neighbouring council (shares sum to 1)"),
      number("attrition.destinations.agency", K::probability, FIELD(attrition.destination_shares[agency]),
             "share", "Share of leavers going to agency work"),
      number("attrition.destinations.profession", K::probability,
             FIELD(attrition.destination_shares[profession]), "share",
             "Share of leavers leaving the profession"),
      number("attrition.destinations.internal", K::probability, FIELD(attrition.destination_shares[internal]),
             "share", "Share of leavers moving internally out of the frontline"),
      number("attrition.trainee_annual_rate", K::rate, FIELD(attrition.trainee_annual_rate), "per year",
             "Leaving hazard of step-up trainees"),

      number("asye.failure_probability", K::probability, FIELD(asye.failure_probability), "probability",
             "Probability of failing the ASYE at 12 pq months"),
      number("asye.support_gbp_per_nqsw_per_year", K::gbp, FIELD(asye.support_gbp_per_nqsw_per_year),
             "GBP per year", "ASYE support cost per NQSW"),

      number("progression.advanced_practitioner.min_pq_months", K::months,
             FIELD(progression.ap_min_pq_months), "months",
             "Minimum pq experience to become an advanced practitioner")
          .at_least(0),
      number("progression.advanced_practitioner.monthly_probability", K::probability,
             FIELD(progression.ap_monthly_probability), "per month",
             "Monthly probability an eligible social worker passes the career-grade assessment"),
      number("progression.advanced_practitioner.post_limit", K::count, FIELD(progression.ap_post_limit),
             "posts", "Maximum number of advanced practitioner posts")
          .optional(-1, "unlimited"),
      number("progression.practice_manager.min_pq_months", K::months, FIELD(progression.pm_min_pq_months),
             "months", "Minimum pq experience to become a practice manager")
          .at_least(0),
      number("progression.practice_manager.internal_probability", K::probability,
             FIELD(progression.pm_internal_probability), "probability",
             "Probability a vacant practice manager post is filled from advanced practitioners this month"),

      number("step_up.cohort_size", K::count, FIELD(step_up.cohort_size), "people",
             "Step-up trainees per intake"),
      structured("step_up.intake_months", "calendar months", "list of 1..12, no repeats (may be empty)",
                 "Calendar months in which a step-up cohort starts", parse_intake_months, emit_intake_months),
      number("step_up.training_months", K::months, FIELD(step_up.training_months), "months",
             "Months from starting step-up to qualifying")
          .at_least(1),
      number("step_up.bond_months", K::months, FIELD(step_up.bond_months), "months",
             "Months a qualified step-up trainee is bonded")
          .at_least(0),
      number("step_up.bond_hazard_multiplier", K::multiplier, FIELD(step_up.bond_hazard_multiplier), "factor",
             "Leaving hazard multiplier during the bond"),

      number("recruitment.establishment.social_work_posts", K::count, FIELD(recruitment.social_work_posts),
             "posts", "Funded grade 8 and grade 9 case-holding posts"),
      number("recruitment.establishment.practice_manager_posts", K::count,
             FIELD(recruitment.practice_manager_posts), "posts", "Funded practice manager posts"),
      number("recruitment.applicants_per_month.nqsw", K::rate, FIELD(recruitment.nqsw_applicants_per_month),
             "per month", "Mean NQSW applicants per month before season and attraction (Poisson)"),
      number("recruitment.applicants_per_month.experienced", K::rate,
             FIELD(recruitment.experienced_applicants_per_month), "per month",
             "Mean experienced applicants per month before attraction (Poisson)"),
      number("recruitment.applicants_per_month.practice_manager", K::rate,
             FIELD(recruitment.practice_manager_applicants_per_month), "per month",
             "Mean practice manager applicants per month (Poisson)"),
      structured("recruitment.nqsw_season", "factor", "12 numbers >= 0, January first",
                 "Seasonal factor on NQSW applicants by calendar month", parse_nqsw_season, emit_nqsw_season),
      number("recruitment.attraction.pay_gap_coefficient", K::real,
             FIELD(recruitment.attraction_pay_gap_coefficient), "per unit pay gap",
             "Log-attractiveness lost per unit neighbour pay gap"),
      number("recruitment.attraction.reputation_coefficient", K::real,
             FIELD(recruitment.attraction_reputation_coefficient), "per unit reputation",
             "Log-attractiveness gained per unit reputation"),
      number("recruitment.attraction.marketing", K::real, FIELD(recruitment.marketing_attraction),
             "log attractiveness", "Additive marketing term in log attractiveness"),
      number("recruitment.reputation.memory_months", K::months, FIELD(recruitment.reputation_memory_months),
             "months", "Memory of reputation")
          .at_least(1),
      number("recruitment.reputation.overload_weight", K::weight,
             FIELD(recruitment.reputation_overload_weight), "per unit overload",
             "Reputation lost per unit caseload overload"),
      number("recruitment.reputation.turnover_weight", K::weight,
             FIELD(recruitment.reputation_turnover_weight), "per unit turnover",
             "Reputation lost per unit annual turnover"),
      number("recruitment.acceptance_probability.nqsw", K::probability,
             FIELD(recruitment.nqsw_acceptance_probability), "probability",
             "Probability an NQSW accepts an offer"),
      number("recruitment.acceptance_probability.experienced", K::probability,
             FIELD(recruitment.experienced_acceptance_probability), "probability",
             "Probability an experienced social worker accepts an offer"),
      number("recruitment.notice_months.nqsw", K::months, FIELD(recruitment.nqsw_notice_months), "months",
             "Months from an NQSW accepting to starting")
          .at_least(1),
      number("recruitment.notice_months.experienced", K::months, FIELD(recruitment.experienced_notice_months),
             "months", "Months from an experienced hire accepting to starting")
          .at_least(1),
      number("recruitment.max_nqsw_share_of_hires", K::probability,
             FIELD(recruitment.max_nqsw_share_of_hires), "fraction", "Maximum share of offers made to NQSWs"),
      number("recruitment.cost_gbp_per_hire", K::gbp, FIELD(recruitment.cost_gbp_per_hire), "GBP",
             "Recruitment cost per permanent hire"),
      number("recruitment.marketing_gbp_per_month", K::gbp, FIELD(recruitment.marketing_gbp_per_month),
             "GBP per month", "Recruitment marketing spend"),

      number("agency.new_workers_per_month", K::rate, FIELD(agency.new_workers_per_month), "per month",
             "Mean agency workers available per month (Poisson supply)"),
      number("agency.cap", K::count, FIELD(agency.cap), "people", "Maximum number of agency workers")
          .optional(-1, "no cap beyond vacancies"),
      number("agency.monthly_end_probability", K::probability, FIELD(agency.monthly_end_probability),
             "per month", "Probability an agency assignment ends in a month"),
      number("agency.monthly_conversion_probability", K::probability,
             FIELD(agency.monthly_conversion_probability), "per month",
             "Probability an agency worker converts to permanent in a month"),
      number("agency.cost_gbp_per_year", K::gbp, FIELD(agency.cost_gbp_per_year), "GBP per year",
             "Full annual cost of an agency worker"),

      number("pay.salary_gbp_per_year.social_worker", K::gbp, FIELD(pay.social_worker_gbp_per_year),
             "GBP per year", "Salary of a grade 8 social worker"),
      number("pay.salary_gbp_per_year.practice_manager", K::gbp, FIELD(pay.practice_manager_gbp_per_year),
             "GBP per year", "Salary of a practice manager"),
      number("pay.salary_gbp_per_year.trainee", K::gbp, FIELD(pay.trainee_gbp_per_year), "GBP per year",
             "Salary of a step-up trainee"),
      number("pay.advanced_practitioner_uplift_gbp_per_year", K::gbp,
             FIELD(pay.advanced_practitioner_uplift_gbp_per_year), "GBP per year",
             "Salary uplift of an advanced practitioner over grade 8"),
      number("pay.on_cost_multiplier", K::multiplier, FIELD(pay.on_cost_multiplier), "factor",
             "Employer on-costs as a multiplier on salary")
          .at_least(1),
      number("pay.neighbour_gap.social_worker", K::real, FIELD(pay.neighbour_gap_social_worker), "fraction",
             "Relative pay advantage of the best neighbouring employer for social workers"),
      number("pay.neighbour_gap.advanced_practitioner", K::real,
             FIELD(pay.neighbour_gap_advanced_practitioner), "fraction",
             "Relative pay advantage of the best neighbouring employer for advanced practitioners"),
      number("pay.neighbour_gap.practice_manager", K::real, FIELD(pay.neighbour_gap_practice_manager),
             "fraction", "Relative pay advantage of the best neighbouring employer for practice managers"),
  };
}

#undef FIELD

}  // namespace

const Node& Bindings::at(std::string_view path) const {
  const auto found = nodes_.find(path);
  if (found == nodes_.end())
    throw std::logic_error(fmt::format("scenario schema: nothing bound at '{}'", path));
  return *found->second;
}

std::string FieldSpec::range_column() const {
  if (!numeric()) return format_text;
  std::string range = rule.range_text();
  if (range.rfind("in ", 0) == 0) range = range.substr(3);
  if (range.empty()) range = "any";
  return rule.integer ? fmt::format("whole, {}", range) : range;
}

FieldSpec& FieldSpec::at_least(double min) {
  rule.min = min;
  rule.min_inclusive = true;
  return *this;
}

FieldSpec& FieldSpec::above(double min) {
  rule.min = min;
  rule.min_inclusive = false;
  return *this;
}

FieldSpec& FieldSpec::at_most(double max) {
  rule.max = max;
  rule.max_inclusive = true;
  return *this;
}

FieldSpec& FieldSpec::optional(double absent, std::string meaning) {
  required = false;
  absent_value = absent;
  default_text = std::move(meaning);
  return *this;
}

const std::vector<FieldSpec>& schema_fields() {
  static const std::vector<FieldSpec> fields = build_schema();
  return fields;
}

std::span<const CrossCheck> schema_checks() {
  return kChecks;
}

}  // namespace wfsim::scenario::detail
