#include "scenario/json_schema.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "scenario/schema.hpp"
#include "scenario/schema_catalogue.hpp"
#include "scenario/uncertainty.hpp"

namespace wfsim::scenario {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kCalendarMonthPattern = "^[0-9]{4}-(0[1-9]|1[0-2])$";

Json calendar_month() {
  return Json{{"type", "string"}, {"pattern", kCalendarMonthPattern}};
}

Json whole_in(int min, int max) {
  return Json{{"type", "integer"}, {"minimum", min}, {"maximum", max}};
}

Json list_of(Json items, bool non_empty, bool unique) {
  Json list{{"type", "array"}, {"items", std::move(items)}};
  if (non_empty) list["minItems"] = 1;
  if (unique) list["uniqueItems"] = true;
  return list;
}

Json names(std::initializer_list<std::string_view> values) {
  Json out = Json::array();
  for (std::string_view value : values) out.push_back(value);
  return Json{{"enum", std::move(out)}};
}

// The shape of each structured key: a list or mapping with its own parser in
// schema.cpp. Rules a parser applies across items (months increasing, within
// the run) are left to `wfsim validate`; a test holds every structured key of
// the table to a shape here.
const std::map<std::string, Json, std::less<>>& structured_shapes() {
  static const std::map<std::string, Json, std::less<>> shapes = [] {
    const Json roles = names({"social_worker", "advanced_practitioner", "practice_manager"});
    const Json bands = names({"nqsw", "early", "experienced"});
    const Json non_negative_whole{{"type", "integer"}, {"minimum", 0}};
    std::map<std::string, Json, std::less<>> out;
    out["start"] = calendar_month();
    out["workforce.roster"] = Json{{"type", "string"}, {"minLength", 1}};
    out["workforce.roster_rows"] = list_of(
        Json{
            {"type", "array"},
            {"prefixItems", Json::array({Json{{"type", "string"}}, whole_in(0, 600), whole_in(0, 600),
                                         Json{{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", 1}}})},
            {"minItems", 4},
            {"maxItems", 4}},
        true, false);
    out["demand.shocks"] = list_of(
        Json{{"type", "object"},
             {"additionalProperties", false},
             {"required", {"month", "multiplier"}},
             {"properties",
              {{"month", calendar_month()}, {"multiplier", {{"type", "number"}, {"exclusiveMinimum", 0}}}}}},
        false, false);
    out["step_up.intake_months"] = list_of(whole_in(1, 12), false, true);
    out["recruitment.nqsw_season"] = Json{{"type", "array"},
                                          {"items", {{"type", "number"}, {"minimum", 0}}},
                                          {"minItems", 12},
                                          {"maxItems", 12}};
    out["policies.retention_payment.tenure_milestones_months"] =
        list_of(Json{{"type", "integer"}, {"minimum", 1}}, true, true);
    out["policies.retention_payment.roles"] = list_of(roles, true, true);
    out["policies.retention_payment.bands"] = list_of(bands, true, true);
    out["policies.extra_posts.phases"] =
        list_of(Json{{"type", "object"},
                     {"additionalProperties", false},
                     {"required", {"month", "social_work_posts", "practice_manager_posts"}},
                     {"properties",
                      {{"month", calendar_month()},
                       {"social_work_posts", non_negative_whole},
                       {"practice_manager_posts", non_negative_whole}}}},
                true, false);
    out["policies.step_up.intake_months"] = list_of(whole_in(1, 12), true, true);
    return out;
  }();
  return shapes;
}

Json distribution_schema() {
  Json properties{{"distribution", Json{{"enum", Json::array()}}}};
  Json rules = Json::array();
  for (const DistributionForm& form : distribution_forms()) {
    properties["distribution"]["enum"].push_back(form.family);
    Json allowed = Json::array({"distribution"});
    Json sets = Json::array();
    for (const auto& keys : form.key_sets) {
      Json required = Json::array();
      for (const std::string& key : keys) {
        properties[key] = Json{{"type", "number"}};
        required.push_back(key);
        allowed.push_back(key);
      }
      sets.push_back(Json{{"required", std::move(required)}});
    }
    Json then{{"propertyNames", Json{{"enum", std::move(allowed)}}}};
    if (sets.size() == 1) {
      then["required"] = sets.front()["required"];
    } else {
      then["oneOf"] = std::move(sets);
    }
    rules.push_back(Json{{"if", Json{{"properties", Json{{"distribution", Json{{"const", form.family}}}}}}},
                         {"then", std::move(then)}});
  }
  return Json{{"type", "object"},
              {"description",
               "An uncertain parameter: drawn once per replication, truncated to the parameter's range"},
              {"required", {"distribution"}},
              {"properties", std::move(properties)},
              {"allOf", std::move(rules)}};
}

Json number_schema(const NumericParameter& number) {
  Json out{{"type", number.integer ? "integer" : "number"}};
  if (std::isfinite(number.min)) out[number.min_inclusive ? "minimum" : "exclusiveMinimum"] = number.min;
  if (std::isfinite(number.max)) {
    out[number.max_inclusive ? "maximum" : "exclusiveMaximum"] = number.max;
  } else if (number.integer) {
    out["maximum"] = std::numeric_limits<int>::max();  // whole numbers are stored as int
  }
  return out;
}

// Text keys that cannot be empty: a name, and the file a scenario extends.
Json text_schema(std::string_view path) {
  Json out{{"type", "string"}};
  if (path == "name" || path == "extends") out["minLength"] = 1;
  return out;
}

// What an editor shows on hover: the meaning, then units, range and default.
std::string hover_text(const SchemaEntry& entry) {
  std::vector<std::string> facts;
  if (!entry.units.empty() && entry.type != SchemaEntry::Type::block) facts.push_back(entry.units);
  if (!entry.range.empty() && entry.range != "any" && entry.type != SchemaEntry::Type::block &&
      entry.type != SchemaEntry::Type::text)
    facts.push_back(entry.range);
  if (!entry.required && !entry.default_text.empty())
    facts.push_back(fmt::format("optional, default {}", entry.default_text));
  if (!entry.certain_reason.empty()) facts.push_back("a plain number, never a distribution");
  std::string text = entry.description;
  if (!facts.empty()) text += fmt::format(" [{}]", fmt::join(facts, "; "));
  return text;
}

Json leaf_schema(const SchemaEntry& entry) {
  Json out;
  switch (entry.type) {
    case SchemaEntry::Type::text:
      out = text_schema(entry.path);
      break;
    case SchemaEntry::Type::run_month:
      out = calendar_month();
      break;
    case SchemaEntry::Type::number:
      if (entry.certain_reason.empty()) {
        out = Json{
            {"anyOf", Json::array({number_schema(*entry.number), Json{{"$ref", "#/$defs/distribution"}}})}};
      } else {
        out = number_schema(*entry.number);
      }
      break;
    case SchemaEntry::Type::structured: {
      const auto shape = structured_shapes().find(entry.path);
      if (shape == structured_shapes().end())
        throw std::logic_error(
            fmt::format("scenario JSON Schema: no shape for the structured key {}", entry.path));
      out = shape->second;
      break;
    }
    case SchemaEntry::Type::block:
      break;
  }
  out["description"] = hover_text(entry);
  return out;
}

// One mapping of the file: its keys in table order, the schema of each, and
// whether a self-contained file must give it.
struct Section {
  Json schema = Json{{"type", "object"}, {"additionalProperties", false}, {"properties", Json::object()}};
  Json complete = Json::object();  // what a file without `extends` must give inside this section
  std::vector<std::string> required;
  std::map<std::string, Section, std::less<>> children;
  std::vector<std::string> order;  // child sections and leaves, as keys
  bool block = false;
  bool has_required = false;  // some required key inside, not within a block
};

void add_entry(Section& root, const SchemaEntry& entry) {
  std::vector<Section*> trail{&root};
  std::string_view rest = entry.path;
  for (std::size_t dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.')) {
    const std::string key(rest.substr(0, dot));
    Section& parent = *trail.back();
    if (!parent.children.contains(key)) parent.order.push_back(key);
    trail.push_back(&parent.children[key]);
    rest.remove_prefix(dot + 1);
  }
  Section& section = *trail.back();
  const std::string key(rest);
  if (entry.type == SchemaEntry::Type::block) {
    if (!section.children.contains(key)) section.order.push_back(key);
    Section& block = section.children[key];
    block.block = true;
    block.schema["description"] = hover_text(entry);
    return;
  }
  section.order.push_back(key);
  section.schema["properties"][key] = leaf_schema(entry);
  if (!entry.required) return;
  section.required.push_back(key);
  for (auto it = trail.rbegin(); it != trail.rend() && !(*it)->block; ++it) (*it)->has_required = true;
}

Json required_of(const std::vector<std::string>& keys) {
  Json any = Json::array();
  for (const std::string& key : keys) any.push_back(Json{{"required", {key}}});
  return Json{{"anyOf", std::move(any)}};
}

// Two forms of one thing (the workforce as counts or a roster): at most one
// key of the other form, never with the usual keys; a self-contained file
// gives the usual keys unless it gives the other form.
void apply_alternatives(Section& section, const detail::Alternatives& alternatives) {
  Json rules = Json::array();
  for (std::size_t a = 0; a < alternatives.instead.size(); ++a) {
    for (std::size_t b = a + 1; b < alternatives.instead.size(); ++b) {
      rules.push_back(Json{{"not", Json{{"required", {alternatives.instead[a], alternatives.instead[b]}}}}});
    }
  }
  rules.push_back(Json{{"if", required_of(alternatives.instead)},
                       {"then", Json{{"not", required_of(alternatives.usual)}}}});
  section.schema["allOf"] = std::move(rules);

  std::vector<std::string> usual_required;
  std::erase_if(section.required, [&](const std::string& key) {
    const bool usual =
        std::find(alternatives.usual.begin(), alternatives.usual.end(), key) != alternatives.usual.end();
    if (usual) usual_required.push_back(key);
    return usual;
  });
  if (!usual_required.empty()) {
    section.complete["if"] = required_of(alternatives.instead);
    section.complete["else"] = Json{{"required", usual_required}};
  }
}

// Fills each section's schema with its child sections, and its `complete`
// rules with what a self-contained file must give.
void finish(Section& section, const std::string& path) {
  for (const detail::Alternatives& alternatives : detail::schema_alternatives()) {
    if (alternatives.section == path) apply_alternatives(section, alternatives);
  }
  Json complete_properties = Json::object();
  std::vector<std::string> required = section.required;
  Json properties = Json::object();
  for (const std::string& key : section.order) {
    const auto child = section.children.find(key);
    if (child == section.children.end()) {
      properties[key] = section.schema["properties"][key];
      continue;
    }
    Section& inner = child->second;
    finish(inner, path.empty() ? key : path + "." + key);
    properties[key] = inner.schema;
    if (inner.has_required && !inner.block) required.push_back(key);
    if (!inner.complete.empty()) complete_properties[key] = inner.complete;
  }
  section.schema["properties"] = std::move(properties);
  if (!required.empty()) section.complete["required"] = required;
  if (!complete_properties.empty()) section.complete["properties"] = std::move(complete_properties);
}

}  // namespace

std::string scenario_json_schema() {
  Section root;
  for (const SchemaEntry& entry : schema_entries()) add_entry(root, entry);
  finish(root, "");

  Json schema{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
              {"title", "wfsim scenario"},
              {"description",
               "A wfsim scenario file. A file that `extends` another gives only what it changes, so required "
               "keys are checked only in a file without `extends`. Cross-file and cross-field rules (months "
               "within the horizon, destinations summing to 1, rosters) are checked by `wfsim validate`."}};
  for (auto& [key, value] : root.schema.items()) schema[key] = value;
  schema["if"] = Json{{"required", {"extends"}}};
  schema["else"] = Json{{"$ref", "#/$defs/self_contained"}};
  schema["$defs"] = Json{{"distribution", distribution_schema()}, {"self_contained", root.complete}};
  return schema.dump(2) + "\n";
}

}  // namespace wfsim::scenario
