#include "scenario/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "scenario/roster.hpp"

namespace wfsim::scenario::detail {

namespace {

namespace fs = std::filesystem;

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
    case Kind::run_month:
    case Kind::block:
    case Kind::structured:
      break;
  }
  return integer ? "a whole number" : "a number";
}

// Every number has an upper bound as well as a lower one: far beyond any
// council's values, and low enough that the model's outputs stay finite
// (costs summed over people and months, Poisson means of applicants, burnout
// held as a float). A field narrows these where its meaning asks for it.
constexpr double kMaxMonths = 600;      // 50 years
constexpr double kMaxRate = 1'000;      // per year or per month
constexpr double kMaxGbp = 10'000'000;  // per person, hire, month or year
constexpr double kMaxFactor = 100;      // multipliers and weights
constexpr double kMinCaseload = 0.1;    // a caseload divides demand
constexpr double kMaxCaseload = 1'000;
constexpr double kMaxMagnitude = 1'000;  // any other number, either sign
// People who join in one month (a cohort, the offers accepted before the
// start) are numbered within the month's 4096 person ids.
constexpr double kMaxPerMonth = 1'000;

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
      rule.min = 0.0;
      rule.min_inclusive = false;
      rule.max = kMaxMonths;
      break;
    case Kind::cases:
      rule.min = kMinCaseload;
      rule.max = kMaxCaseload;
      break;
    case Kind::count:
      rule.min = 0.0;
      rule.max = kMaxPeople;
      break;
    case Kind::rate:
      rule.min = 0.0;
      rule.max = kMaxRate;
      break;
    case Kind::gbp:
      rule.min = 0.0;
      rule.max = kMaxGbp;
      break;
    case Kind::multiplier:
    case Kind::weight:
      rule.min = 0.0;
      rule.max = kMaxFactor;
      break;
    case Kind::real:
      rule.min = -kMaxMagnitude;
      rule.max = kMaxMagnitude;
      break;
    case Kind::text:
    case Kind::year_month:
    case Kind::run_month:
    case Kind::block:
    case Kind::structured:
      break;
  }
  return rule;
}

// What every kind of field states; the factories below add the rest.
FieldSpec field_spec(std::string path, Kind kind, std::string units, std::string format_text,
                     std::string description) {
  FieldSpec spec;
  spec.path = std::move(path);
  spec.kind = kind;
  spec.units = std::move(units);
  spec.format_text = std::move(format_text);
  spec.description = std::move(description);
  return spec;
}

FieldSpec number(std::string path, Kind kind, double& (*field)(model::Parameters&), std::string units,
                 std::string description) {
  FieldSpec spec = field_spec(std::move(path), kind, std::move(units), "", std::move(description));
  spec.rule = default_rule(kind, false);
  spec.real_field = field;
  return spec;
}

FieldSpec number(std::string path, Kind kind, int& (*field)(model::Parameters&), std::string units,
                 std::string description) {
  FieldSpec spec = field_spec(std::move(path), kind, std::move(units), "", std::move(description));
  spec.rule = default_rule(kind, true);
  spec.integer_field = field;
  return spec;
}

FieldSpec text(std::string path, std::string description, std::string default_text) {
  FieldSpec spec = field_spec(std::move(path), Kind::text, "", "string", std::move(description));
  spec.required = false;
  spec.default_text = std::move(default_text);
  return spec;
}

FieldSpec structured(std::string path, std::string units, std::string format_text, std::string description,
                     ParseFn parse, EmitFn emit) {
  FieldSpec spec = field_spec(std::move(path), Kind::structured, std::move(units), std::move(format_text),
                              std::move(description));
  spec.parse = parse;
  spec.emit = emit;
  return spec;
}

FieldSpec run_month(std::string path, int& (*field)(model::Parameters&), std::string description) {
  FieldSpec spec = field_spec(std::move(path), Kind::run_month, "calendar month", "YYYY-MM, within the run",
                              std::move(description));
  spec.month_field = field;
  return spec;
}

// An optional mapping that turns a lever on by being present.
FieldSpec block(std::string path, bool& (*enabled)(model::Parameters&), std::string description) {
  FieldSpec spec = field_spec(std::move(path), Kind::block, "lever", "mapping", std::move(description));
  spec.required = false;
  spec.enabled_field = enabled;
  spec.default_text = "off";
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

// ---- workforce.roster and workforce.roster_rows ------------------------

// The CSV is read relative to the file that names it; `start` precedes
// workforce in the table, so dates can be counted back from it.
void parse_roster(const Node& node, const std::string& path, model::Parameters& parameters, Bindings&) {
  const std::string relative = parse_text(node, path);
  if (relative.empty()) {
    fail(node.location, path,
         "expected the path of a roster CSV file, relative to this scenario file, got \"\"");
  }
  const fs::path file = (fs::path(node.location.file_name()).parent_path() / relative).lexically_normal();
  // Only a CSV file is read, so no message ever quotes a file of another kind.
  if (!has_extension(file, {".csv"})) {
    fail(node.location, path,
         fmt::format("expected a roster CSV file (.csv), got '{}'", excerpt(relative, 160)));
  }
  std::error_code error;
  if (!fs::is_regular_file(file, error)) {
    fail(node.location, path,
         fmt::format("cannot find the roster '{}' (looked for {})", relative, file.string()));
  }
  parameters.workforce.roster = read_roster_csv(file, parameters.time.start);
  set_roster_totals(parameters.workforce);
}

// The roster as the resolved YAML embeds it, so a run file reproduces a run without the CSV.
void parse_roster_rows(const Node& node, const std::string& path, model::Parameters& parameters, Bindings&) {
  constexpr std::string_view what = "[role, pq_months, tenure_months, fte]";
  expect_sequence(node, path, fmt::format("a non-empty list of {}", what));
  if (node.items.empty()) fail(node.location, path, "expected at least one person, got an empty list");
  if (node.items.size() > static_cast<std::size_t>(kMaxPeople)) {
    fail(node.location, path,
         fmt::format("a roster holds at most {} people, got {}", kMaxPeople, node.items.size()));
  }
  NumberRule months_rule;
  months_rule.noun = "a whole number of months";
  months_rule.integer = true;
  months_rule.min = 0;
  months_rule.max = kMaxMonths;
  NumberRule fte_rule;
  fte_rule.noun = "an FTE";
  fte_rule.min = kMinFte;
  fte_rule.max = 1;
  const auto& names = roster_role_names();
  auto& roster = parameters.workforce.roster;
  roster.clear();
  roster.reserve(node.items.size());
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const Node& item = node.items[i];
    const std::string item_path = fmt::format("{}[{}]", path, i);
    if (item.type != Node::Type::sequence || item.items.size() != 4) {
      fail(item.location, item_path, fmt::format("expected a list {}, got {}", what, item.describe()));
    }
    const Node& role_node = item.items[0];
    const auto found = role_node.type == Node::Type::scalar
                           ? std::find(names.begin(), names.end(), role_node.text)
                           : names.end();
    if (found == names.end()) {
      fail(role_node.location, item_path + "[0]",
           fmt::format("expected a role ({}), got {}", fmt::join(names, ", "), role_node.describe()));
    }
    model::RosterRow row;
    row.role = static_cast<model::Role>(found - names.begin());
    row.pq_months = static_cast<int>(parse_number(item.items[1], item_path + "[1]", months_rule));
    row.tenure_months = static_cast<int>(parse_number(item.items[2], item_path + "[2]", months_rule));
    row.fte = parse_number(item.items[3], item_path + "[3]", fte_rule);
    roster.push_back(row);
  }
  set_roster_totals(parameters.workforce);
}

// A block sequence, one person a line; the loader indents it under its key.
std::string emit_roster_rows(const model::Parameters& parameters) {
  const auto& names = roster_role_names();
  std::string out;
  for (const model::RosterRow& row : parameters.workforce.roster) {
    out += fmt::format("\n- [{}, {}, {}, {}]", names[static_cast<std::size_t>(row.role)], row.pq_months,
                       row.tenure_months, format_number(row.fte));
  }
  return out;
}

std::string emit_nothing(const model::Parameters&) {
  return "";
}

bool never(const model::Parameters&) {
  return false;
}

bool has_roster(const model::Parameters& parameters) {
  return !parameters.workforce.roster.empty();
}

FieldSpec roster_field(FieldSpec spec, bool (*emitted)(const model::Parameters&), std::string default_text) {
  spec.required = false;
  spec.default_text = std::move(default_text);
  return spec.emitted_when(emitted);
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

std::string emit_integers(const std::vector<int>& values) {
  std::string out = "[";
  bool first = true;
  for (int value : values) {
    out += (first ? "" : ", ") + fmt::format("{}", value);
    first = false;
  }
  return out + "]";
}

// ---- step_up.intake_months ---------------------------------------------

void parse_calendar_months(const Node& node, const std::string& path, std::vector<int>& months,
                           bool may_be_empty) {
  expect_sequence(node, path,
                  may_be_empty ? "a list of calendar months 1..12 (may be empty: [])"
                               : "a non-empty list of calendar months 1..12");
  if (!may_be_empty && node.items.empty()) {
    fail(node.location, path, "expected at least one calendar month, got an empty list");
  }
  NumberRule rule;
  rule.noun = "a calendar month number";
  rule.integer = true;
  rule.min = 1;
  rule.max = 12;
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

void parse_intake_months(const Node& node, const std::string& path, model::Parameters& parameters,
                         Bindings&) {
  parse_calendar_months(node, path, parameters.step_up.intake_calendar_months, true);
}

std::string emit_intake_months(const model::Parameters& parameters) {
  return emit_integers(parameters.step_up.intake_calendar_months);
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
  rule.max = 12;  // every applicant of the year in one month
  for (std::size_t i = 0; i < season.size(); ++i) {
    season[i] = parse_number(node.items[i], fmt::format("{}[{}]", path, i), rule);
  }
}

std::string emit_nqsw_season(const model::Parameters& parameters) {
  return emit_list(parameters.recruitment.nqsw_season);
}

// ---- policies.retention_payment ----------------------------------------

void parse_milestones(const Node& node, const std::string& path, model::Parameters& parameters, Bindings&) {
  expect_sequence(node, path, "a non-empty list of tenures in months, strictly increasing");
  if (node.items.empty())
    fail(node.location, path, "expected at least one tenure milestone, got an empty list");
  NumberRule rule;
  rule.noun = "a tenure in whole months";
  rule.integer = true;
  rule.min = 1;
  rule.max = kMaxMonths;
  std::vector<int>& milestones = parameters.policies.retention_payment.tenure_milestones_months;
  milestones.clear();
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const std::string item_path = fmt::format("{}[{}]", path, i);
    const int months = static_cast<int>(parse_number(node.items[i], item_path, rule));
    if (!milestones.empty() && months <= milestones.back()) {
      fail(node.items[i].location, item_path,
           fmt::format("milestones must be strictly increasing: {} follows {}", months, milestones.back()));
    }
    milestones.push_back(months);
  }
}

std::string emit_milestones(const model::Parameters& parameters) {
  return emit_integers(parameters.policies.retention_payment.tenure_milestones_months);
}

// A non-empty list of distinct names from `names`, as flags in the same order.
template <std::size_t N>
void parse_name_set(const Node& node, const std::string& path, std::string_view noun,
                    const std::array<std::string, N>& names, std::array<bool, N>& chosen) {
  const std::string all = fmt::format("{}", fmt::join(names, ", "));
  expect_sequence(node, path, fmt::format("a non-empty list of {}s from: {}", noun, all));
  if (node.items.empty()) {
    fail(node.location, path,
         fmt::format("expected at least one {} (omit the key for the default), got an empty list", noun));
  }
  chosen.fill(false);
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const Node& item = node.items[i];
    const std::string item_path = fmt::format("{}[{}]", path, i);
    if (item.type != Node::Type::scalar) {
      fail(item.location, item_path, fmt::format("expected a {} name, got {}", noun, item.describe()));
    }
    const auto found = std::find(names.begin(), names.end(), item.text);
    if (found == names.end()) {
      if (auto suggestion = nearest_key(item.text, names)) {
        fail(item.location, item_path,
             fmt::format("unknown {} '{}'; did you mean '{}'?", noun, excerpt(item.text), *suggestion));
      }
      fail(item.location, item_path,
           fmt::format("unknown {} '{}'; expected one of: {}", noun, excerpt(item.text), all));
    }
    bool& flag = chosen[static_cast<std::size_t>(found - names.begin())];
    if (flag)
      fail(item.location, item_path,
           fmt::format("{} '{}' is listed more than once", noun, excerpt(item.text)));
    flag = true;
  }
}

template <std::size_t N>
std::string emit_name_set(const std::array<std::string, N>& names, const std::array<bool, N>& chosen) {
  std::string out = "[";
  bool first = true;
  for (std::size_t i = 0; i < N; ++i) {
    if (!chosen[i]) continue;
    out += (first ? "" : ", ") + names[i];
    first = false;
  }
  return out + "]";
}

const std::array<std::string, 3> kPaidRoles{"social_worker", "advanced_practitioner", "practice_manager"};
const std::array<std::string, model::kBandCount> kBandNames{"nqsw", "early", "experienced"};

void parse_retention_roles(const Node& node, const std::string& path, model::Parameters& parameters,
                           Bindings&) {
  parse_name_set(node, path, "role", kPaidRoles, parameters.policies.retention_payment.roles);
}

std::string emit_retention_roles(const model::Parameters& parameters) {
  return emit_name_set(kPaidRoles, parameters.policies.retention_payment.roles);
}

void reset_retention_roles(model::Parameters& parameters) {
  parameters.policies.retention_payment.roles = model::RetentionPaymentPolicy{}.roles;
}

void parse_retention_bands(const Node& node, const std::string& path, model::Parameters& parameters,
                           Bindings&) {
  parse_name_set(node, path, "band", kBandNames, parameters.policies.retention_payment.bands);
}

std::string emit_retention_bands(const model::Parameters& parameters) {
  return emit_name_set(kBandNames, parameters.policies.retention_payment.bands);
}

void reset_retention_bands(model::Parameters& parameters) {
  parameters.policies.retention_payment.bands = model::RetentionPaymentPolicy{}.bands;
}

// ---- policies.extra_posts.phases ---------------------------------------

const std::array<std::string, 3> kPhaseKeys{"month", "social_work_posts", "practice_manager_posts"};

void parse_posts_phases(const Node& node, const std::string& path, model::Parameters& parameters,
                        Bindings& bindings) {
  constexpr std::string_view what =
      "{month: YYYY-MM, social_work_posts: whole number >= 0, practice_manager_posts: whole number >= 0}";
  expect_sequence(node, path, fmt::format("a non-empty list of {}", what));
  if (node.items.empty()) fail(node.location, path, "expected at least one phase, got an empty list");
  const NumberRule posts_rule = default_rule(Kind::count, true);
  std::vector<model::PostsPhase>& phases = parameters.policies.extra_posts.phases;
  phases.clear();
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const Node& item = node.items[i];
    const std::string item_path = fmt::format("{}[{}]", path, i);
    expect_mapping(item, item_path, fmt::format("a mapping {}", what));
    reject_unknown_keys(item, item_path, kPhaseKeys);
    const Node& month_node = require_key(item, item_path, "month");
    const Node& social_work_node = require_key(item, item_path, "social_work_posts");
    const Node& manager_node = require_key(item, item_path, "practice_manager_posts");
    model::PostsPhase phase;
    phase.month_index = parse_run_month(month_node, item_path + ".month", parameters.time);
    if (!phases.empty() && phase.month_index <= phases.back().month_index) {
      fail(month_node.location, item_path + ".month",
           fmt::format("phase months must be strictly increasing: {} does not follow {}",
                       format_run_month(phase.month_index, parameters.time),
                       format_run_month(phases.back().month_index, parameters.time)));
    }
    phase.posts.social_work_posts =
        static_cast<int>(parse_number(social_work_node, item_path + ".social_work_posts", posts_rule));
    phase.posts.practice_manager_posts =
        static_cast<int>(parse_number(manager_node, item_path + ".practice_manager_posts", posts_rule));
    phases.push_back(phase);
    bindings.record(item_path, item);
  }
}

void reset_posts_phases(model::Parameters& parameters) {
  parameters.policies.extra_posts.phases.clear();
}

bool has_posts_phases(const model::Parameters& parameters) {
  return !parameters.policies.extra_posts.phases.empty();
}

std::string emit_posts_phases(const model::Parameters& parameters) {
  std::string out = "[";
  bool first = true;
  for (const model::PostsPhase& phase : parameters.policies.extra_posts.phases) {
    out += first ? "" : ", ";
    first = false;
    out += fmt::format("{{month: {}, social_work_posts: {}, practice_manager_posts: {}}}",
                       format_run_month(phase.month_index, parameters.time), phase.posts.social_work_posts,
                       phase.posts.practice_manager_posts);
  }
  return out + "]";
}

// ---- policies.step_up.intake_months ------------------------------------

void parse_policy_intake_months(const Node& node, const std::string& path, model::Parameters& parameters,
                                Bindings&) {
  parse_calendar_months(node, path, parameters.policies.step_up.intake_calendar_months, false);
}

std::string emit_policy_intake_months(const model::Parameters& parameters) {
  return emit_integers(parameters.policies.step_up.intake_calendar_months);
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

void check_caseload_cap_names_a_band(const Bindings& bindings, const model::Parameters& parameters) {
  if (!parameters.policies.caseload_cap.enabled) return;
  const std::string cases = "policies.caseload_cap.cases";
  for (const std::string& band : kBandNames) {
    if (bindings.has(join_path(cases, band))) return;
  }
  const std::string where = bindings.has(cases) ? cases : "policies.caseload_cap";
  fail(bindings.at(where).location, cases,
       "expected a cap for at least one band: nqsw, early or experienced");
}

void check_hiring_mix_sets_a_limit(const Bindings& bindings, const model::Parameters& parameters) {
  if (!parameters.policies.hiring_mix.enabled) return;
  const std::string path = "policies.hiring_mix";
  if (bindings.has(path + ".max_nqsw_share_of_hires") || bindings.has(path + ".target_nqsw_share")) return;
  fail(bindings.at(path).location, path,
       "expected max_nqsw_share_of_hires, target_nqsw_share or both; the block sets no limit");
}

// The largest value the field at `path` takes in any replication.
double largest_value(const Bindings& bindings, std::string_view path, double value) {
  const auto found = bindings.distributions.find(path);
  if (found == bindings.distributions.end()) return value;
  return found->second.value_at(std::nextafter(1.0, 0.0));
}

void check_workload_shares(const Bindings& bindings, const model::Parameters& parameters) {
  const model::WorkloadReliefPolicy& relief = parameters.policies.workload_relief;
  if (!relief.enabled) return;
  const std::string out_of_hours_path = "policies.workload_relief.out_of_hours_demand_share";
  const std::string path = "policies.workload_relief.post16_demand_share";
  const double out_of_hours = largest_value(bindings, out_of_hours_path, relief.out_of_hours_demand_share);
  const double post16 = largest_value(bindings, path, relief.post16_demand_share);
  const double sum = out_of_hours + post16;
  if (sum < 1.0) return;
  if (bindings.distributions.count(out_of_hours_path) || bindings.distributions.count(path)) {
    fail(bindings.at(path).location, path,
         fmt::format("the demand shares moved away must sum to less than 1 in every replication, but their "
                     "distributions reach {:.10g} (out of hours up to {:.10g} + post-16 up to {:.10g})",
                     sum, out_of_hours, post16));
  }
  fail(bindings.at(path).location, path,
       fmt::format("the demand shares moved away must sum to less than 1, got {:.10g} (out of hours {} + "
                   "post-16 {})",
                   sum, out_of_hours, post16));
}

constexpr std::array<CrossCheck, 6> kChecks{check_name,
                                            check_destinations,
                                            check_shocks_in_horizon,
                                            check_caseload_cap_names_a_band,
                                            check_hiring_mix_sets_a_limit,
                                            check_workload_shares};

// A captureless accessor into model::Parameters, e.g. FIELD(demand.annual_growth).
#define FIELD(member)                   \
  +[](model::Parameters & p) -> auto& { \
    return p.member;                    \
  }

std::vector<FieldSpec> build_schema() {
  using K = Kind;
  const std::string kHeadcountIsData =
      "the initial headcount is data, the same in every replication (the run file records one initial count)";
  const std::string kSharesSumToOne = "the destination shares must sum to 1 in every replication";
  constexpr int nq = static_cast<int>(model::Band::nqsw);
  constexpr int early = static_cast<int>(model::Band::early);
  constexpr int exp = static_cast<int>(model::Band::experienced);
  constexpr int neighbour = static_cast<int>(model::Destination::neighbour);
  constexpr int agency = static_cast<int>(model::Destination::agency);
  constexpr int profession = static_cast<int>(model::Destination::profession);
  constexpr int internal = static_cast<int>(model::Destination::internal);
  constexpr int sw = static_cast<int>(model::Role::social_worker);
  constexpr int ap = static_cast<int>(model::Role::advanced_practitioner);
  constexpr int pm = static_cast<int>(model::Role::practice_manager);
  return {
      text("name", "Scenario name in outputs; not inherited through extends", "the file's stem"),
      text("description", "One-line description; not inherited through extends", "empty"),
      text("extends", "Scenario file this one overrides, relative to this file (deep merge)", "none"),
      text("assumptions",
           "Ranges file of uncertain assumptions, relative to this file: each parameter it lists that this "
           "file or one it extends sets within the range is drawn per replication; none: every value as "
           "written",
           "none"),

      structured("start", "calendar month", "YYYY-MM", "Calendar month of the first simulated month",
                 parse_start, emit_start),
      number("months", K::months, FIELD(time.months), "months", "Number of simulated months")
          .at_least(1)
          .at_most(600)
          .certain("every replication of a run has the same horizon"),

      number("workforce.social_workers.nqsw", K::count, FIELD(workforce.social_workers[nq]), "people",
             "Grade 8 social workers in the NQSW band (pq < 12 months) at the start")
          .certain(kHeadcountIsData),
      number("workforce.social_workers.early", K::count, FIELD(workforce.social_workers[early]), "people",
             "Grade 8 social workers with 12 to 36 pq months at the start")
          .certain(kHeadcountIsData),
      number("workforce.social_workers.experienced", K::count, FIELD(workforce.social_workers[exp]), "people",
             "Grade 8 social workers with 36 or more pq months at the start")
          .certain(kHeadcountIsData),
      number("workforce.advanced_practitioners", K::count, FIELD(workforce.advanced_practitioners), "people",
             "Advanced practitioners (grade 9) at the start")
          .certain(kHeadcountIsData),
      number("workforce.practice_managers", K::count, FIELD(workforce.practice_managers), "people",
             "Practice managers at the start")
          .certain(kHeadcountIsData),
      number("workforce.trainees", K::count, FIELD(workforce.trainees), "people",
             "Step-up trainees already in training at the start")
          .certain(kHeadcountIsData),
      number("workforce.agency", K::count, FIELD(workforce.agency), "people",
             "Agency (locum) social workers at the start")
          .certain(kHeadcountIsData),
      roster_field(structured("workforce.roster", "file", "path of a CSV file, relative to this file",
                              "Initial workforce one person a row, instead of the counts above (see Roster)",
                              parse_roster, emit_nothing),
                   never, "none, the counts give the workforce"),
      roster_field(
          structured("workforce.roster_rows", "people",
                     "non-empty list of [role, pq_months, "
                     "tenure_months, fte]",
                     "The roster as the resolved YAML embeds it; written instead of workforce.roster",
                     parse_roster_rows, emit_roster_rows),
          has_roster, "none"),
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
          .at_least(kMinFte),
      number("workforce.accepted_offers.nqsw", K::count, FIELD(workforce.accepted_offers_nqsw), "people",
             "Newly qualified hires who accepted before the start; they start over the first notice months")
          .at_most(kMaxPerMonth),
      number("workforce.accepted_offers.experienced", K::count, FIELD(workforce.accepted_offers_experienced),
             "people",
             "Experienced hires who accepted before the start; they start over the first notice months")
          .at_most(kMaxPerMonth),

      number("demand.initial_cases", K::real, FIELD(demand.initial_cases), "cases",
             "Open cases needing an allocated social worker at the start")
          .at_least(0)
          .at_most(1'000'000),
      number("demand.annual_growth", K::real, FIELD(demand.annual_growth), "fraction per year",
             "Annual growth rate of demand")
          .above(-1)
          .at_most(1),
      number("demand.monthly_noise_sd", K::real, FIELD(demand.monthly_noise_sd), "log scale",
             "Standard deviation of month-to-month lognormal demand noise")
          .at_least(0)
          .at_most(0.5),
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
          .at_least(0.1),
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
          .at_least(0)
          .at_most(2),

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
             "per unit burnout", "Log-hazard coefficient of burnout")
          .at_least(-100)
          .at_most(100),
      number("attrition.pay_gap_coefficient", K::real, FIELD(attrition.pay_gap_coefficient),
             "per unit pay gap", "Log-hazard coefficient of the neighbour pay gap")
          .at_least(-20)
          .at_most(20),
      number("attrition.advanced_practitioner_coefficient", K::real,
             FIELD(attrition.advanced_practitioner_coefficient), "log hazard",
             "Log-hazard shift for advanced practitioners (recognition)")
          .at_least(-20)
          .at_most(20),
      number("attrition.destinations.neighbour", K::probability,
             FIELD(attrition.destination_shares[neighbour]), "share",
             "Share of leavers going to a neighbouring council (shares sum to 1)")
          .certain(kSharesSumToOne),
      number("attrition.destinations.agency", K::probability, FIELD(attrition.destination_shares[agency]),
             "share", "Share of leavers going to agency work")
          .certain(kSharesSumToOne),
      number("attrition.destinations.profession", K::probability,
             FIELD(attrition.destination_shares[profession]), "share",
             "Share of leavers leaving the profession")
          .certain(kSharesSumToOne),
      number("attrition.destinations.internal", K::probability, FIELD(attrition.destination_shares[internal]),
             "share", "Share of leavers moving internally out of the frontline")
          .certain(kSharesSumToOne),
      number("attrition.trainee_annual_rate", K::rate, FIELD(attrition.trainee_annual_rate), "per year",
             "Leaving hazard of step-up trainees"),
      number("attrition.burnout_reference.nqsw", K::weight, FIELD(attrition.burnout_reference_by_band[nq]),
             "strain", "Strain of the NQSW band at the operating point where the leaving rates were observed")
          .optional(0, "0"),
      number("attrition.burnout_reference.early", K::weight,
             FIELD(attrition.burnout_reference_by_band[early]), "strain",
             "Strain of the early band at the operating point")
          .optional(0, "0"),
      number("attrition.burnout_reference.experienced", K::weight,
             FIELD(attrition.burnout_reference_by_band[exp]), "strain",
             "Strain of the experienced band at the operating point")
          .optional(0, "0"),
      number("attrition.burnout_reference.practice_manager", K::weight,
             FIELD(attrition.practice_manager_burnout_reference), "strain",
             "Strain of practice managers at the operating point")
          .optional(0, "0"),
      number("attrition.retention_exodus.share", K::fraction, FIELD(attrition.retention_exodus_share),
             "share",
             "Share of the leaving a retention payment held back that happens once its clawback ends")
          .optional(0, "0, no exodus"),
      number("attrition.retention_exodus.months", K::months, FIELD(attrition.retention_exodus_months),
             "months", "Months after a payment's clawback over which the held-back leaving happens")
          .optional(6, "6"),

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
             "Step-up trainees per intake")
          .at_most(kMaxPerMonth),
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
      number("recruitment.applicants_per_open_post.nqsw", K::rate,
             FIELD(recruitment.nqsw_applicants_per_open_post), "per open post per month",
             "Mean NQSW applicants a month for each open social work post, before season and attraction")
          .optional(0, "0"),
      number("recruitment.applicants_per_open_post.experienced", K::rate,
             FIELD(recruitment.experienced_applicants_per_open_post), "per open post per month",
             "Mean experienced applicants a month for each open social work post, before attraction")
          .optional(0, "0"),
      number("recruitment.applicants_per_open_post.practice_manager", K::rate,
             FIELD(recruitment.practice_manager_applicants_per_open_post), "per open post per month",
             "Mean practice manager applicants a month for each open practice manager post")
          .optional(0, "0"),
      structured("recruitment.nqsw_season", "factor", "12 numbers >= 0, January first",
                 "Seasonal factor on NQSW applicants by calendar month", parse_nqsw_season, emit_nqsw_season),
      number("recruitment.attraction.pay_gap_coefficient", K::real,
             FIELD(recruitment.attraction_pay_gap_coefficient), "per unit pay gap",
             "Log-attractiveness lost per unit neighbour pay gap")
          .at_least(-10)
          .at_most(10),
      number("recruitment.attraction.reputation_coefficient", K::real,
             FIELD(recruitment.attraction_reputation_coefficient), "per unit reputation",
             "Log-attractiveness gained per unit reputation")
          .at_least(0)
          .at_most(10),
      number("recruitment.attraction.marketing", K::real, FIELD(recruitment.marketing_attraction),
             "log attractiveness", "Additive marketing term in log attractiveness")
          .at_least(-3)
          .at_most(3),
      number("recruitment.reputation.memory_months", K::months, FIELD(recruitment.reputation_memory_months),
             "months", "Memory of reputation")
          .at_least(1),
      number("recruitment.reputation.overload_weight", K::weight,
             FIELD(recruitment.reputation_overload_weight), "per unit overload",
             "Reputation lost per unit caseload overload"),
      number("recruitment.reputation.turnover_weight", K::weight,
             FIELD(recruitment.reputation_turnover_weight), "per unit turnover",
             "Reputation lost per unit annual turnover"),
      number("recruitment.reputation.reference", K::real, FIELD(recruitment.reputation_reference),
             "reputation", "Reputation at the operating point where applicants were observed")
          .optional(0, "0"),
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

      number("response.caseload_ceiling.nqsw", K::cases, FIELD(response.caseload_ceiling_by_band[nq]),
             "cases per FTE", "Most cases an NQSW holds; beyond it cases go to practice managers or wait")
          .optional(-1, "no ceiling"),
      number("response.caseload_ceiling.early", K::cases, FIELD(response.caseload_ceiling_by_band[early]),
             "cases per FTE", "Most cases a worker with 1 to 3 years' experience holds")
          .optional(-1, "no ceiling"),
      number("response.caseload_ceiling.experienced", K::cases, FIELD(response.caseload_ceiling_by_band[exp]),
             "cases per FTE", "Most cases a worker with 3 years' experience or more holds")
          .optional(-1, "no ceiling"),
      number("response.caseload_ceiling.agency", K::cases, FIELD(response.agency_caseload_ceiling),
             "cases per FTE", "Most cases an agency worker holds")
          .optional(-1, "no ceiling"),
      number("response.manager_cases", K::rate, FIELD(response.manager_cases), "cases per FTE",
             "Most cases a practice manager holds when every case holder is at a ceiling")
          .optional(0, "0"),
      number("response.recruitment_drive.vacancy_rate", K::fraction,
             FIELD(response.recruitment_drive_vacancy_rate), "fraction",
             "Vacancy rate above which a recruitment drive starts, stepped up to its full size over the next "
             "ten points")
          .optional(-1, "never"),
      number("response.recruitment_drive.attraction", K::real, FIELD(response.recruitment_drive_attraction),
             "log attractiveness", "What a recruitment drive at full size adds to log attractiveness")
          .optional(0, "0"),
      number("response.recruitment_drive.gbp_per_month", K::gbp,
             FIELD(response.recruitment_drive_gbp_per_month), "GBP per month",
             "What a recruitment drive at full size costs a month")
          .optional(0, "0"),

      number("agency.new_workers_per_month", K::rate, FIELD(agency.new_workers_per_month), "per month",
             "Mean agency workers available to start a month at the reference rate (Poisson supply)"),
      number("agency.supply_elasticity", K::rate, FIELD(agency.supply_elasticity), "elasticity",
             "Supply of agency workers grows as (rate paid / reference rate) to this power")
          .optional(0, "0, a fixed supply"),
      number("agency.max_rate_multiple", K::multiplier, FIELD(agency.max_rate_multiple), "factor",
             "Most the council pays for an agency worker, as a multiple of the reference rate")
          .at_least(1)
          .optional(1, "1, the reference rate"),
      number("agency.regional_share", K::fraction, FIELD(agency.regional_share), "share",
             "The council's share of the region's demand for agency workers")
          .optional(1, "1"),
      number("agency.reference_demand", K::rate, FIELD(agency.reference_demand), "people",
             "Agency workers the council sought when the reference rate was observed; the market's rate "
             "moves with the council's demand against it")
          .optional(0, "0, a fixed rate"),
      number("agency.cover_share", K::fraction, FIELD(agency.cover_share), "share",
             "Share of empty case-holding posts the council seeks agency cover for")
          .optional(1, "1, every empty post"),
      number(
          "agency.cover_unallocated", K::count, FIELD(agency.cover_unallocated), "0 or 1",
          "1: the council also seeks agency cover for the month's unallocated cases, within the empty posts")
          .at_most(1)
          .optional(0, "0"),
      number("agency.cap", K::count, FIELD(agency.cap), "people", "Maximum number of agency workers")
          .optional(-1, "no cap beyond vacancies"),
      number("agency.monthly_end_probability", K::probability, FIELD(agency.monthly_end_probability),
             "per month", "Probability an agency assignment ends in a month"),
      number("agency.monthly_conversion_probability", K::probability,
             FIELD(agency.monthly_conversion_probability), "per month",
             "Probability an agency worker converts to permanent in a month"),
      number(
          "agency.cost_gbp_per_year", K::gbp, FIELD(agency.cost_gbp_per_year), "GBP per year",
          "Reference rate: the full annual cost of an agency worker when the market is as it was observed"),

      number("pay.salary_gbp_per_year.social_worker", K::gbp, FIELD(pay.salary_gbp_per_year.social_worker),
             "GBP per year", "Salary of a grade 8 social worker"),
      number("pay.salary_gbp_per_year.practice_manager", K::gbp,
             FIELD(pay.salary_gbp_per_year.practice_manager), "GBP per year", "Salary of a practice manager"),
      number("pay.salary_gbp_per_year.trainee", K::gbp, FIELD(pay.salary_gbp_per_year.trainee),
             "GBP per year", "Salary of a step-up trainee"),
      number("pay.advanced_practitioner_uplift_gbp_per_year", K::gbp,
             FIELD(pay.advanced_practitioner_uplift_gbp_per_year), "GBP per year",
             "Salary uplift of an advanced practitioner over grade 8"),
      number("pay.on_cost_multiplier", K::multiplier, FIELD(pay.on_cost_multiplier), "factor",
             "Employer on-costs as a multiplier on salary")
          .at_least(1),
      number("pay.neighbour_gap.social_worker", K::real, FIELD(pay.neighbour_gap[sw]), "fraction",
             "Relative pay advantage of the best neighbouring employer for social workers")
          .at_least(-0.5)
          .at_most(0.5),
      number("pay.neighbour_gap.advanced_practitioner", K::real, FIELD(pay.neighbour_gap[ap]), "fraction",
             "Relative pay advantage of the best neighbouring employer for advanced practitioners")
          .at_least(-0.5)
          .at_most(0.5),
      number("pay.neighbour_gap.practice_manager", K::real, FIELD(pay.neighbour_gap[pm]), "fraction",
             "Relative pay advantage of the best neighbouring employer for practice managers")
          .at_least(-0.5)
          .at_most(0.5),

      // Policy levers: a block present turns its lever on (MODEL.md section 12).
      block("policies.retention_payment", FIELD(policies.retention_payment.enabled),
            "Retention payments when tenure reaches each milestone; present = on"),
      run_month("policies.retention_payment.start", FIELD(policies.retention_payment.start_month),
                "First month in which a payment can fall due"),
      number("policies.retention_payment.amount_gbp", K::gbp, FIELD(policies.retention_payment.amount_gbp),
             "GBP", "Payment at each milestone"),
      structured("policies.retention_payment.tenure_milestones_months", "months of tenure",
                 "non-empty list of whole numbers >= 1, strictly increasing",
                 "Tenures at which a payment is made", parse_milestones, emit_milestones),
      number("policies.retention_payment.anticipation_months", K::months,
             FIELD(policies.retention_payment.anticipation_months), "months",
             "Window before a payment in which leaving is less likely")
          .at_least(0),
      number("policies.retention_payment.anticipation_coefficient", K::real,
             FIELD(policies.retention_payment.anticipation_coefficient), "per unit payment / salary",
             "In the window the hazard is multiplied by exp(-this * amount / annual salary)")
          .at_least(0)
          .at_most(100),
      number("policies.retention_payment.clawback_months", K::months,
             FIELD(policies.retention_payment.clawback_months), "months",
             "Leaving within this many months after a payment means repaying it")
          .at_least(0),
      number("policies.retention_payment.clawback_hazard_multiplier", K::multiplier,
             FIELD(policies.retention_payment.clawback_hazard_multiplier), "factor",
             "Leaving hazard multiplier during the clawback period"),
      optional_structured(
          structured("policies.retention_payment.roles", "roles",
                     "non-empty list of social_worker, advanced_practitioner, practice_manager",
                     "Roles eligible for the payment", parse_retention_roles, emit_retention_roles),
          reset_retention_roles, "[social_worker, advanced_practitioner]"),
      optional_structured(structured("policies.retention_payment.bands", "bands",
                                     "non-empty list of nqsw, early, experienced",
                                     "Experience bands eligible for the payment", parse_retention_bands,
                                     emit_retention_bands),
                          reset_retention_bands, "all three"),

      block("policies.market_supplement", FIELD(policies.market_supplement.enabled),
            "Market supplement paid on top of salary, by role; present = on"),
      run_month("policies.market_supplement.start", FIELD(policies.market_supplement.start_month),
                "First month the supplement is paid"),
      number("policies.market_supplement.gbp_per_year.social_worker", K::gbp,
             FIELD(policies.market_supplement.gbp_per_year[sw]), "GBP per year",
             "Supplement of a grade 8 social worker"),
      number("policies.market_supplement.gbp_per_year.advanced_practitioner", K::gbp,
             FIELD(policies.market_supplement.gbp_per_year[ap]), "GBP per year",
             "Supplement of an advanced practitioner"),
      number("policies.market_supplement.gbp_per_year.practice_manager", K::gbp,
             FIELD(policies.market_supplement.gbp_per_year[pm]), "GBP per year",
             "Supplement of a practice manager"),

      block("policies.extra_posts", FIELD(policies.extra_posts.enabled),
            "Extra funded posts from a start month, or added in phases; present = on"),
      run_month("policies.extra_posts.start", FIELD(policies.extra_posts.start_month),
                "First month of the extra posts (unless given in phases)"),
      number("policies.extra_posts.social_work_posts", K::count,
             FIELD(policies.extra_posts.posts.social_work_posts), "posts",
             "Case-holding posts added from the start (unless given in phases)"),
      number("policies.extra_posts.practice_manager_posts", K::count,
             FIELD(policies.extra_posts.posts.practice_manager_posts), "posts",
             "Practice manager posts added from the start (unless given in phases)"),
      optional_structured(
          structured("policies.extra_posts.phases", "posts",
                     "non-empty list of {month: YYYY-MM within the run, social_work_posts: whole "
                     ">= 0, practice_manager_posts: whole >= 0}, months increasing",
                     "Posts added to the establishment from each phase's month on, instead of "
                     "start and the two counts",
                     parse_posts_phases, emit_posts_phases),
          reset_posts_phases, "none: the start and counts above")
          .emitted_when(has_posts_phases),

      block("policies.caseload_cap", FIELD(policies.caseload_cap.enabled),
            "Maximum caseload per FTE by band; present = on"),
      run_month("policies.caseload_cap.start", FIELD(policies.caseload_cap.start_month),
                "First month the cap applies"),
      number("policies.caseload_cap.cases.nqsw", K::cases, FIELD(policies.caseload_cap.cap_cases[nq]),
             "cases", "Cap on an NQSW's caseload per FTE (give at least one band)")
          .optional(1e300, "no cap"),
      number("policies.caseload_cap.cases.early", K::cases, FIELD(policies.caseload_cap.cap_cases[early]),
             "cases", "Cap on the caseload per FTE with 1 to 3 years' experience")
          .optional(1e300, "no cap"),
      number("policies.caseload_cap.cases.experienced", K::cases, FIELD(policies.caseload_cap.cap_cases[exp]),
             "cases", "Cap on the caseload per FTE with 3 years' experience or more")
          .optional(1e300, "no cap"),

      block("policies.step_up", FIELD(policies.step_up.enabled),
            "Extra step-up trainees on top of the existing scheme; present = on"),
      run_month("policies.step_up.start", FIELD(policies.step_up.start_month),
                "First month an extra cohort can start"),
      number("policies.step_up.cohort_size", K::count, FIELD(policies.step_up.cohort_size), "people",
             "Extra trainees per intake")
          .at_most(kMaxPerMonth),
      structured("policies.step_up.intake_months", "calendar months", "non-empty list of 1..12, no repeats",
                 "Calendar months in which an extra cohort starts", parse_policy_intake_months,
                 emit_policy_intake_months),
      number("policies.step_up.cost_gbp_per_trainee", K::gbp, FIELD(policies.step_up.cost_gbp_per_trainee),
             "GBP", "One-off cost per extra trainee at intake (tuition, placements)"),

      block("policies.asye_programme", FIELD(policies.asye_programme.enabled),
            "Enhanced ASYE programme for newly qualified social workers; present = on"),
      run_month("policies.asye_programme.start", FIELD(policies.asye_programme.start_month),
                "First month of the programme"),
      number("policies.asye_programme.nqsw_strain_multiplier", K::multiplier,
             FIELD(policies.asye_programme.nqsw_strain_multiplier), "factor",
             "Multiplier on an NQSW's strain"),
      number("policies.asye_programme.nqsw_hazard_multiplier", K::multiplier,
             FIELD(policies.asye_programme.nqsw_hazard_multiplier), "factor",
             "Multiplier on an NQSW's leaving hazard"),
      number("policies.asye_programme.failure_multiplier", K::multiplier,
             FIELD(policies.asye_programme.failure_multiplier), "factor",
             "Multiplier on the probability of failing the ASYE"),
      number("policies.asye_programme.cost_gbp_per_nqsw_per_year", K::gbp,
             FIELD(policies.asye_programme.cost_gbp_per_nqsw_per_year), "GBP per year",
             "Programme cost per NQSW"),

      block("policies.advanced_practitioner", FIELD(policies.advanced_practitioner.enabled),
            "Advanced practitioner career grade opened or widened; present = on"),
      run_month("policies.advanced_practitioner.start", FIELD(policies.advanced_practitioner.start_month),
                "First month of the new terms"),
      number("policies.advanced_practitioner.monthly_probability", K::probability,
             FIELD(policies.advanced_practitioner.monthly_probability), "per month",
             "Monthly probability an eligible social worker passes the career-grade assessment"),
      number("policies.advanced_practitioner.uplift_gbp_per_year", K::gbp,
             FIELD(policies.advanced_practitioner.uplift_gbp_per_year), "GBP per year",
             "Salary uplift of an advanced practitioner over grade 8"),
      number("policies.advanced_practitioner.post_limit", K::count,
             FIELD(policies.advanced_practitioner.post_limit), "posts",
             "Maximum number of advanced practitioner posts")
          .optional(-1, "unlimited"),
      number("policies.advanced_practitioner.recognition_coefficient", K::real,
             FIELD(policies.advanced_practitioner.recognition_coefficient), "log hazard",
             "Added to the advanced practitioner log-hazard coefficient")
          .at_least(-20)
          .at_most(20),

      block("policies.recruitment_marketing", FIELD(policies.recruitment_marketing.enabled),
            "Recruitment marketing campaign; present = on"),
      run_month("policies.recruitment_marketing.start", FIELD(policies.recruitment_marketing.start_month),
                "First month of the campaign"),
      number("policies.recruitment_marketing.duration_months", K::months,
             FIELD(policies.recruitment_marketing.duration_months), "months", "Length of the campaign")
          .at_least(0)
          .optional(0, "0, to the end of the run"),
      number("policies.recruitment_marketing.gbp_per_month", K::gbp,
             FIELD(policies.recruitment_marketing.gbp_per_month), "GBP per month", "Campaign spend"),
      number("policies.recruitment_marketing.max_attraction_gain", K::real,
             FIELD(policies.recruitment_marketing.max_attraction_gain), "log attractiveness",
             "Gain in log attractiveness = this * spend / (spend + half effect)")
          .at_least(0)
          .at_most(3),
      number("policies.recruitment_marketing.half_effect_gbp_per_month", K::gbp,
             FIELD(policies.recruitment_marketing.half_effect_gbp_per_month), "GBP per month",
             "Spend that gives half the maximum gain")
          .above(0),
      number("policies.recruitment_marketing.notice_reduction_months", K::months,
             FIELD(policies.recruitment_marketing.notice_reduction_months), "months",
             "Months taken off the time from accepting to starting (never below one month)")
          .at_least(0),

      block("policies.hiring_mix", FIELD(policies.hiring_mix.enabled),
            "Limits on newly qualified hiring (give at least one); present = on"),
      run_month("policies.hiring_mix.start", FIELD(policies.hiring_mix.start_month),
                "First month the limits apply"),
      number("policies.hiring_mix.max_nqsw_share_of_hires", K::probability,
             FIELD(policies.hiring_mix.max_nqsw_share_of_hires), "fraction",
             "Maximum share of offers made to NQSWs")
          .optional(1, "1, no limit"),
      number("policies.hiring_mix.target_nqsw_share", K::probability,
             FIELD(policies.hiring_mix.target_nqsw_share), "fraction",
             "No NQSW offers while the NQSW share of case holders is at or above this")
          .optional(1, "1, no target"),

      block("policies.agency", FIELD(policies.agency.enabled),
            "Agency policy: a cap, conversion to permanent, a negotiated rate; present = on"),
      run_month("policies.agency.start", FIELD(policies.agency.start_month), "First month of the policy"),
      number("policies.agency.cap", K::count, FIELD(policies.agency.cap), "people",
             "Maximum number of agency workers")
          .optional(-1, "no cap beyond vacancies"),
      number("policies.agency.monthly_conversion_probability", K::probability,
             FIELD(policies.agency.monthly_conversion_probability), "per month",
             "Probability an agency worker converts to permanent in a month"),
      number("policies.agency.cost_gbp_per_year", K::gbp, FIELD(policies.agency.cost_gbp_per_year),
             "GBP per year", "Full annual cost of an agency worker under the policy")
          .optional(-1, "unchanged"),

      block("policies.workload_relief", FIELD(policies.workload_relief.enabled),
            "Out-of-hours cover, post-16 transfer and specialist allocation; present = on"),
      run_month("policies.workload_relief.start", FIELD(policies.workload_relief.start_month),
                "First month of the changes"),
      number("policies.workload_relief.phase_in_months", K::months,
             FIELD(policies.workload_relief.phase_in_months), "months", "Months to reach the full effect")
          .at_least(1),
      number("policies.workload_relief.out_of_hours_demand_share", K::fraction,
             FIELD(policies.workload_relief.out_of_hours_demand_share), "share",
             "Share of cases handled by the out-of-hours team from Friday lunchtime")
          .below(1),
      number("policies.workload_relief.post16_demand_share", K::fraction,
             FIELD(policies.workload_relief.post16_demand_share), "share",
             "Share of cases moved to another service (the two shares sum to less than 1)")
          .below(1),
      number("policies.workload_relief.specialism_strain_reduction", K::real,
             FIELD(policies.workload_relief.specialism_strain_reduction), "strain",
             "Strain removed by specialist rather than generic allocation")
          .at_least(0)
          .at_most(100),
      number("policies.workload_relief.cost_gbp_per_month", K::gbp,
             FIELD(policies.workload_relief.cost_gbp_per_month), "GBP per month", "Cost of the changes"),

      block("policies.work_life", FIELD(policies.work_life.enabled),
            "Extra leave, flexible working and career breaks; present = on"),
      run_month("policies.work_life.start", FIELD(policies.work_life.start_month),
                "First month of the offer"),
      number("policies.work_life.extra_leave_days", K::real, FIELD(policies.work_life.extra_leave_days),
             "days per year", "Extra annual leave")
          .at_least(0)
          .at_most(60),
      number("policies.work_life.strain_reduction_per_leave_day", K::real,
             FIELD(policies.work_life.strain_reduction_per_leave_day), "strain per day",
             "Strain removed per extra day of leave")
          .at_least(0)
          .at_most(100),
      number("policies.work_life.flexible_working_hazard_multiplier", K::multiplier,
             FIELD(policies.work_life.flexible_working_hazard_multiplier), "factor",
             "Leaving hazard multiplier from flexible working"),
      number("policies.work_life.career_break_hazard_multiplier", K::multiplier,
             FIELD(policies.work_life.career_break_hazard_multiplier), "factor",
             "Multiplier on leaving the profession, from career breaks"),
      number("policies.work_life.cost_gbp_per_month", K::gbp, FIELD(policies.work_life.cost_gbp_per_month),
             "GBP per month", "Cost of the offer"),

      block("policies.mobility", FIELD(policies.mobility.enabled),
            "Internal mobility into and within frontline teams; present = on"),
      run_month("policies.mobility.start", FIELD(policies.mobility.start_month), "First month of the scheme"),
      number("policies.mobility.moves_in_per_month", K::rate, FIELD(policies.mobility.moves_in_per_month),
             "per month", "Mean qualified staff moving into frontline teams per month (Poisson)"),
      number("policies.mobility.internal_exit_multiplier", K::multiplier,
             FIELD(policies.mobility.internal_exit_multiplier), "factor",
             "Multiplier on leaving by an internal move out of the frontline"),
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

FieldSpec& FieldSpec::below(double max) {
  rule.max = max;
  rule.max_inclusive = false;
  return *this;
}

FieldSpec& FieldSpec::certain(std::string reason) {
  certain_reason = std::move(reason);
  return *this;
}

FieldSpec& FieldSpec::emitted_when(bool (*in_effect)(const model::Parameters&)) {
  emitted = in_effect;
  return *this;
}

FieldSpec& FieldSpec::optional(double absent, std::string meaning) {
  required = false;
  absent_value = absent;
  default_text = std::move(meaning);
  return *this;
}

int parse_run_month(const Node& node, const std::string& path, const model::TimeParameters& time) {
  const model::YearMonth month = parse_year_month(node, path);
  const int index = month.months_since_epoch() - time.start.months_since_epoch();
  if (index < 0 || index >= time.months) {
    fail(node.location, path,
         fmt::format("month {} is outside the simulated months {} to {} (start and months)",
                     format_year_month(month), format_year_month(time.start),
                     format_year_month(time.start.plus_months(time.months - 1))));
  }
  return index;
}

std::string format_run_month(int month_index, const model::TimeParameters& time) {
  return format_year_month(time.start.plus_months(month_index));
}

const std::vector<FieldSpec>& schema_fields() {
  static const std::vector<FieldSpec> fields = build_schema();
  return fields;
}

std::span<const CrossCheck> schema_checks() {
  return kChecks;
}

std::span<const Alternatives> schema_alternatives() {
  static const std::vector<Alternatives> alternatives{
      {"workforce",
       {"social_workers", "advanced_practitioners", "practice_managers", "trainees", "agency"},
       {"roster", "roster_rows"},
       "the initial workforce",
       has_roster},
      {"policies.extra_posts",
       {"start", "social_work_posts", "practice_manager_posts"},
       {"phases"},
       "the extra posts",
       has_posts_phases},
  };
  return alternatives;
}

}  // namespace wfsim::scenario::detail
