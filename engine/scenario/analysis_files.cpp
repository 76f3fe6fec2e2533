// Targets and ranges files: strict, located, and checked against the
// parameter registry and the scenarios they apply to.
#include "scenario/analysis_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <tuple>

#include "scenario/analysis_file_parsing.hpp"
#include "scenario/document.hpp"
#include "scenario/parameter_registry.hpp"
#include "scenario/schema.hpp"
#include "scenario/schema_catalogue.hpp"

namespace wfsim::scenario {

namespace {

namespace fs = std::filesystem;
using detail::Entry;
using detail::fail;
using detail::item_path;
using detail::Location;
using detail::mapping_list;
using detail::Node;
using detail::NumberRule;
using detail::optional_text;
using detail::parse_root;
using detail::rule_of;
using detail::Seen;

constexpr std::string_view kOutOfHoursShare = "policies.workload_relief.out_of_hours_demand_share";
constexpr std::string_view kPost16Share = "policies.workload_relief.post16_demand_share";

// The registry entry a `path:` names, if it can be varied on its own.
const NumericParameter& registry_entry(const Node& item, const std::string& item_key) {
  const std::string key = item_key + ".path";
  const Node& node = detail::require_key(item, item_key, "path");
  const std::string path = detail::parse_text(node, key);
  const NumericParameter* parameter = find_numeric_parameter(path);
  if (parameter == nullptr) {
    std::vector<std::string> paths;
    for (const NumericParameter& p : numeric_parameters()) paths.push_back(p.path);
    if (auto suggestion = detail::nearest_key(path, paths)) {
      fail(
          node.location, key,
          fmt::format("unknown parameter '{}'; did you mean '{}'?", detail::excerpt(path, 160), *suggestion));
    }
    fail(node.location, key,
         fmt::format("unknown parameter '{}'; `wfsim parameters` lists every numeric key",
                     detail::excerpt(path, 160)));
  }
  if (parameter->path == "months") {
    fail(node.location, key, "the horizon cannot vary: every evaluation runs the scenario's months");
  }
  if (parameter->path.starts_with("attrition.destinations.")) {
    fail(node.location, key,
         fmt::format("'{}' is one of four destination shares that must sum to 1, so it cannot vary alone",
                     parameter->path));
  }
  return *parameter;
}

// One item of the `parameters` list both analysis files have: its key in the
// file, the registry parameter it names, where that name is written and the
// rule its values follow.
struct ParameterItem {
  const Node& node;
  std::string path;
  const NumericParameter& parameter;
  const Location& path_location;
  NumberRule rule;
};

// The file's `parameters` items (each with only `keys`), each naming a
// parameter that can vary alone, and none named twice.
std::vector<ParameterItem> parameter_items(const Node& root, const std::vector<std::string>& keys) {
  const auto& items = mapping_list(root, "", "parameters", keys);
  std::vector<ParameterItem> out;
  Seen seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string path = item_path("parameters", i);
    const NumericParameter& parameter = registry_entry(items[i], path);
    const Location& path_location = items[i].find("path")->value.location;
    seen.add(parameter.path, path + ".path", path_location);
    out.push_back({items[i], path, parameter, path_location, rule_of(parameter)});
  }
  return out;
}

// The two workload relief shares must sum to less than 1 in every scenario
// whatever values the file allows. `highest` holds the largest value the file
// allows for each share it names, with where it was written.
struct WorkloadShareBounds {
  std::map<std::string_view, std::pair<double, Location>> highest;

  void note(const NumericParameter& parameter, double upper_bound, const Location& where) {
    if (parameter.path == kOutOfHoursShare || parameter.path == kPost16Share) {
      highest.emplace(parameter.path == kOutOfHoursShare ? kOutOfHoursShare : kPost16Share,
                      std::pair{upper_bound, where});
    }
  }
  void check(std::span<const model::Parameters* const> scenarios) const;
};

// A parameter's two bounds, `upper_key` above `lower_key`; `noun` names the
// upper one in the message ("a bound above min").
std::pair<double, double> parse_bounds(const Node& item, const std::string& path, const NumberRule& rule,
                                       const std::string& lower_key, const std::string& upper_key,
                                       std::string_view noun) {
  const Node& lower = detail::require_key(item, path, lower_key);
  const Node& upper = detail::require_key(item, path, upper_key);
  const double low = detail::parse_number(lower, path + "." + lower_key, rule);
  const double high = detail::parse_number(upper, path + "." + upper_key, rule);
  if (!(low < high)) {
    fail(upper.location, path + "." + upper_key,
         fmt::format("expected {} above {} ({}), got {}", noun, lower_key, detail::excerpt(lower.text),
                     detail::excerpt(upper.text)));
  }
  return {low, high};
}

void WorkloadShareBounds::check(std::span<const model::Parameters* const> scenarios) const {
  if (highest.empty()) return;
  for (const model::Parameters* scenario : scenarios) {
    if (!scenario->policies.workload_relief.enabled) continue;  // the shares are not used
    double sum = 0;
    const Location* where = nullptr;
    for (std::string_view share : {kOutOfHoursShare, kPost16Share}) {
      const auto given = highest.find(share);
      if (given != highest.end()) {
        sum += given->second.first;
        if (where == nullptr || given->second.second.line > where->line) where = &given->second.second;
      } else {
        sum += find_numeric_parameter(share)->get(*scenario);
      }
    }
    if (sum >= 1.0) {
      fail(*where, "",
           fmt::format("at the highest values allowed here the two workload relief demand shares "
                       "sum to {}; they must sum to less than 1",
                       sum));
    }
  }
}

// A range overwrites the parameter in every scenario alike, so the scenarios
// that use it must agree on its value, or the design would erase a policy.
void check_scenarios_agree(const NumericParameter& parameter, const Location& where, const std::string& key,
                           std::span<const model::Parameters* const> scenarios) {
  std::optional<double> first;
  for (const model::Parameters* scenario : scenarios) {
    if (!parameter_in_force(*scenario, parameter.path)) continue;
    const double value = parameter.get(*scenario);
    if (!first) {
      first = value;
    } else if (value != *first) {
      fail(where, key,
           fmt::format("the scenarios set '{}' to different values ({} and {}); a range applies to every "
                       "scenario alike and would overwrite the policy's own value",
                       parameter.path, detail::format_number(*first), detail::format_number(value)));
    }
  }
}

Targets bind_targets(const Node& root, const model::Parameters& scenario,
                     std::span<const StatisticRule> statistics) {
  Targets targets;
  targets.description = optional_text(root, "description");
  const model::TimeParameters& time = scenario.time;
  const Node& reference = detail::require_key(root, "", "reference_date");
  const int reference_index = detail::parse_run_month(reference, "reference_date", time);
  targets.reference_date = time.start.plus_months(reference_index);

  std::vector<std::string> statistic_names;
  for (const StatisticRule& rule : statistics) statistic_names.emplace_back(rule.name);

  static const std::vector<std::string> kStatisticKeys = {"statistic", "value", "weight", "month"};
  const auto& statistic_items = mapping_list(root, "", "statistics", kStatisticKeys);
  Seen seen_statistics;
  for (std::size_t i = 0; i < statistic_items.size(); ++i) {
    const Node& item = statistic_items[i];
    const std::string path = item_path("statistics", i);
    const Node& name_node = detail::require_key(item, path, "statistic");
    const std::string name = detail::parse_text(name_node, path + ".statistic");
    const auto rule = std::find_if(statistics.begin(), statistics.end(),
                                   [&](const StatisticRule& r) { return r.name == name; });
    if (rule == statistics.end()) {
      if (auto suggestion = detail::nearest_key(name, statistic_names)) {
        fail(name_node.location, path + ".statistic",
             fmt::format("unknown statistic '{}'; did you mean '{}'?", detail::excerpt(name), *suggestion));
      }
      fail(name_node.location, path + ".statistic",
           fmt::format("unknown statistic '{}'; expected one of: {}", detail::excerpt(name),
                       fmt::join(statistic_names, ", ")));
    }
    TargetStatistic target;
    target.statistic = name;
    target.line = item.location.line;
    NumberRule value_rule;
    value_rule.noun = rule->noun;
    value_rule.min = rule->min;
    value_rule.max = rule->max;
    target.value =
        detail::parse_number(detail::require_key(item, path, "value"), path + ".value", value_rule);
    if (const Entry* weight = item.find("weight")) {
      NumberRule weight_rule;
      weight_rule.noun = "a weight";
      weight_rule.min = 0;
      weight_rule.min_inclusive = false;
      target.weight = detail::parse_number(weight->value, path + ".weight", weight_rule);
    }
    const Entry* month = item.find("month");
    target.month_index =
        month ? detail::parse_run_month(month->value, path + ".month", time) : reference_index;
    target.month = time.start.plus_months(target.month_index);
    if (rule->annual_flow && target.month_index < 11) {
      const Location& where = month ? month->value.location : name_node.location;
      fail(where, month ? path + ".month" : path + ".statistic",
           fmt::format("{} counts the 12 months ending {}, but the run starts {}: the first year inside the "
                       "run ends {}",
                       name, model::format_year_month(target.month), model::format_year_month(time.start),
                       model::format_year_month(time.start.plus_months(11))));
    }
    if (target.month_index + rule->follow_up_months >= time.months) {
      const Location& where = month ? month->value.location : name_node.location;
      fail(where, month ? path + ".month" : path + ".statistic",
           fmt::format("{} follows the starters of the year to {} for {} months, to {}, past the run's last "
                       "month {}",
                       name, model::format_year_month(target.month), rule->follow_up_months,
                       model::format_year_month(target.month.plus_months(rule->follow_up_months)),
                       model::format_year_month(time.start.plus_months(time.months - 1))));
    }
    seen_statistics.add(fmt::format("{} at {}", name, model::format_year_month(target.month)), path,
                        name_node.location);
    targets.statistics.push_back(std::move(target));
  }

  static const std::vector<std::string> kParameterKeys = {"path", "min", "max", "start"};
  WorkloadShareBounds share_bounds;
  for (const auto& [item, path, parameter, path_location, rule] : parameter_items(root, kParameterKeys)) {
    if (parameter.integer) {
      fail(path_location, path + ".path",
           fmt::format("'{}' is a whole number; calibration varies parameters continuously, so fit a "
                       "real-valued parameter instead",
                       parameter.path));
    }
    CalibrationParameter fitted;
    fitted.path = parameter.path;
    fitted.line = item.location.line;
    std::tie(fitted.min, fitted.max) = parse_bounds(item, path, rule, "min", "max", "a bound");
    if (const Entry* start = item.find("start")) {
      fitted.start = detail::parse_number(start->value, path + ".start", rule);
      if (fitted.start < fitted.min || fitted.start > fitted.max) {
        fail(start->value.location, path + ".start",
             fmt::format("expected a starting value within [{}, {}], got {}", fitted.min, fitted.max,
                         start->value.text));
      }
    } else {
      fitted.start = parameter.get(scenario);
      if (fitted.start < fitted.min || fitted.start > fitted.max) {
        fail(path_location, path + ".path",
             fmt::format("the scenario's value {} lies outside [{}, {}]; widen the bounds or give `start`",
                         detail::format_number(fitted.start), fitted.min, fitted.max));
      }
    }
    share_bounds.note(parameter, fitted.max, item.find("max")->value.location);
    targets.parameters.push_back(std::move(fitted));
  }
  const model::Parameters* only[] = {&scenario};
  share_bounds.check(only);
  return targets;
}

Ranges bind_ranges(const Node& root, std::span<const model::Parameters* const> scenarios) {
  Ranges ranges;
  ranges.description = optional_text(root, "description");
  static const std::vector<std::string> kKeys = {"path", "low", "high", "distribution"};
  WorkloadShareBounds share_bounds;
  for (const auto& [item, path, parameter, path_location, rule] : parameter_items(root, kKeys)) {
    check_scenarios_agree(parameter, path_location, path + ".path", scenarios);
    ParameterRange range;
    range.path = parameter.path;
    range.line = item.location.line;
    std::tie(range.low, range.high) = parse_bounds(item, path, rule, "low", "high", "a value");
    if (const Entry* shape = item.find("distribution")) {
      const std::string name = detail::parse_text(shape->value, path + ".distribution");
      if (name == "uniform") {
        range.shape = ParameterRange::Shape::uniform;
      } else if (name != "triangular") {
        fail(shape->value.location, path + ".distribution",
             fmt::format("expected triangular (the scenario's value as its mode) or uniform, got \"{}\"",
                         name.substr(0, 40)));
      }
    }
    share_bounds.note(parameter, range.high, item.find("high")->value.location);
    ranges.parameters.push_back(std::move(range));
  }
  share_bounds.check(scenarios);
  return ranges;
}

const std::vector<std::string>& targets_keys() {
  static const std::vector<std::string> keys = {"description", "reference_date", "statistics", "parameters"};
  return keys;
}
const std::vector<std::string>& ranges_keys() {
  static const std::vector<std::string> keys = {"description", "parameters"};
  return keys;
}

// Dotted paths as a tree, children in the order first seen.
struct Tree {
  std::string key;
  std::optional<std::string> value;
  std::vector<Tree> children;

  Tree& child(const std::string& name) {
    for (Tree& c : children)
      if (c.key == name) return c;
    children.push_back(Tree{name, std::nullopt, {}});
    return children.back();
  }
  void emit(int indent, std::string& out) const {
    for (const Tree& c : children) {
      const std::string pad(static_cast<std::size_t>(indent), ' ');
      // A block given as `{}` and also keys inside it is the block with those keys.
      if (c.value && c.children.empty()) {
        out += fmt::format("{}{}: {}\n", pad, c.key, *c.value);
      } else {
        out += fmt::format("{}{}:\n", pad, c.key);
        c.emit(indent + 2, out);
      }
    }
  }
};

}  // namespace

Targets load_targets(const fs::path& file, const model::Parameters& scenario,
                     std::span<const StatisticRule> statistics) {
  Targets targets =
      load_targets_text(detail::read_file(file, "targets"), file.string(), scenario, statistics);
  targets.file = file;
  return targets;
}

Targets load_targets_text(const std::string& yaml_text, const std::string& display_name,
                          const model::Parameters& scenario, std::span<const StatisticRule> statistics) {
  const Node root = parse_root(yaml_text, display_name, targets_keys());
  Targets targets = bind_targets(root, scenario, statistics);
  targets.file = display_name;
  return targets;
}

Ranges load_ranges(const fs::path& file, std::span<const model::Parameters* const> scenarios) {
  Ranges ranges = load_ranges_text(detail::read_file(file, "ranges"), file.string(), scenarios);
  ranges.file = file;
  return ranges;
}

Ranges load_ranges_text(const std::string& yaml_text, const std::string& display_name,
                        std::span<const model::Parameters* const> scenarios) {
  const Node root = parse_root(yaml_text, display_name, ranges_keys());
  Ranges ranges = bind_ranges(root, scenarios);
  ranges.file = display_name;
  return ranges;
}

bool parameter_in_force(const model::Parameters& parameters, std::string_view path) {
  for (const detail::FieldSpec& field : detail::schema_fields()) {
    if (field.kind != detail::Kind::block || !path.starts_with(field.path + ".")) continue;
    // The accessor only forms a reference; nothing is written through it here.
    if (!field.enabled_field(const_cast<model::Parameters&>(parameters))) return false;
  }
  return true;
}

std::string overlay_yaml(const std::string& extends, const std::string& description,
                         const std::vector<std::pair<std::string, double>>& values,
                         const std::vector<std::string>& header) {
  std::vector<std::pair<std::string, std::string>> texts;
  for (const auto& [path, value] : values) {
    const NumericParameter* parameter = find_numeric_parameter(path);
    if (!parameter) throw std::invalid_argument("overlay_yaml: unknown parameter " + path);
    texts.emplace_back(path, parameter->integer
                                 ? fmt::format("{}", static_cast<long long>(std::llround(value)))
                                 : detail::format_number(value));
  }
  return overlay_yaml_text(extends, description, texts, header);
}

std::string overlay_yaml_text(const std::string& extends, const std::string& description,
                              const std::vector<std::pair<std::string, std::string>>& values,
                              const std::vector<std::string>& header) {
  const auto entries = schema_entries();
  const auto order = [&](const std::string& path) {
    const SchemaEntry* entry = find_schema_entry(path);
    if (!entry) throw std::invalid_argument("overlay_yaml: unknown key " + path);
    return entry - entries.data();
  };
  std::vector<std::pair<std::string, std::string>> sorted = values;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const auto& a, const auto& b) { return order(a.first) < order(b.first); });

  Tree root;
  for (const auto& [path, text] : sorted) {
    if (text.find_first_of("\r\n") != std::string::npos)
      throw std::invalid_argument("overlay_yaml: a value of more than one line at " + path);
    Tree* node = &root;
    std::string_view rest = path;
    for (std::size_t dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.')) {
      node = &node->child(std::string(rest.substr(0, dot)));
      rest.remove_prefix(dot + 1);
    }
    node->child(std::string(rest)).value = text;
  }

  std::string out;
  for (const std::string& line : header) out += line.empty() ? "#\n" : "# " + line + "\n";
  out += fmt::format("extends: {}\n", detail::quote_string(extends));
  out += fmt::format("description: {}\n", detail::quote_string(description));
  root.emit(0, out);
  return out;
}

}  // namespace wfsim::scenario
