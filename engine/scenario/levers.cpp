// The levers file and the packages it describes. A package is built as text
// (the measures' policy blocks with the package's numbers) and loaded over
// the reference exactly as a scenario file extending it would be, so the
// package files the search writes are what it evaluated.
#include "scenario/levers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <optional>

#include "scenario/analysis_file_parsing.hpp"
#include "scenario/document.hpp"
#include "scenario/parameter_registry.hpp"
#include "scenario/schema.hpp"

namespace wfsim::scenario {

namespace {

namespace fs = std::filesystem;
using detail::Entry;
using detail::fail;
using detail::Location;
using detail::Node;
using detail::NumberRule;

constexpr std::string_view kPolicies = "policies";

// Numbers inside a list-valued field that a lever may vary.
struct ListItemVariable {
  std::string_view list;
  std::string_view key;
  LeverVariableKind kind;
};
constexpr std::array kListItems{
    ListItemVariable{"policies.extra_posts.phases", "social_work_posts", LeverVariableKind::posts},
    ListItemVariable{"policies.extra_posts.phases", "practice_manager_posts", LeverVariableKind::posts},
    ListItemVariable{"policies.extra_posts.phases", "month", LeverVariableKind::month},
};

// One step of a path inside a block: a key, and an index when it names a list.
struct Step {
  std::string key;
  std::optional<std::size_t> index;
};

// "phases[0].social_work_posts" -> {phases, 0}, {social_work_posts}; nullopt if malformed.
std::optional<std::vector<Step>> parse_steps(std::string_view path) {
  std::vector<Step> steps;
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    std::string_view part = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    if (dot != std::string_view::npos && path.empty()) return std::nullopt;
    Step step;
    if (const std::size_t open = part.find('['); open != std::string_view::npos) {
      if (part.back() != ']' || open + 2 > part.size() - 1) return std::nullopt;
      std::size_t index = 0;
      for (char c : part.substr(open + 1, part.size() - open - 2)) {
        if (c < '0' || c > '9') return std::nullopt;
        index = index * 10 + static_cast<std::size_t>(c - '0');
      }
      step.index = index;
      part = part.substr(0, open);
    }
    if (part.empty()) return std::nullopt;
    step.key = std::string(part);
    steps.push_back(std::move(step));
  }
  if (steps.empty()) return std::nullopt;
  return steps;
}

// The node at `steps` under `node`, or nullptr.
Node* find_node(Node& node, const std::vector<Step>& steps) {
  Node* at = &node;
  for (const Step& step : steps) {
    if (at->type != Node::Type::mapping) return nullptr;
    Entry* entry = at->find(step.key);
    if (entry == nullptr) return nullptr;
    at = &entry->value;
    if (step.index) {
      if (at->type != Node::Type::sequence || *step.index >= at->items.size()) return nullptr;
      at = &at->items[*step.index];
    }
  }
  return at;
}

// The paths of every scalar under `node`, as a lever names them: "amount_gbp", "phases[0].month".
void scalar_paths(const Node& node, const std::string& prefix, std::vector<std::string>& out) {
  if (node.type == Node::Type::scalar) out.push_back(prefix);
  if (node.type == Node::Type::mapping) {
    for (const Entry& entry : node.entries)
      scalar_paths(entry.value, detail::join_path(prefix, entry.key), out);
  }
  if (node.type == Node::Type::sequence) {
    for (std::size_t i = 0; i < node.items.size(); ++i)
      scalar_paths(node.items[i], fmt::format("{}[{}]", prefix, i), out);
  }
}

// The block of `policy` in a resolved scenario's tree, or nullptr.
Node* policy_block(Node& root, std::string_view policy) {
  Entry* policies = root.find(kPolicies);
  if (policies == nullptr || policies->value.type != Node::Type::mapping) return nullptr;
  Entry* block = policies->value.find(policy);
  return block ? &block->value : nullptr;
}

std::string words(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

// The policy levers a scenario may hold: the blocks under `policies`.
std::vector<const detail::FieldSpec*> policy_blocks() {
  std::vector<const detail::FieldSpec*> blocks;
  for (const detail::FieldSpec& field : detail::schema_fields()) {
    if (field.kind == detail::Kind::block && field.path.starts_with("policies.")) blocks.push_back(&field);
  }
  return blocks;
}

bool parse_boolean(const Node& node, const std::string& path) {
  if (node.type == Node::Type::scalar && !node.quoted) {
    if (node.text == "true") return true;
    if (node.text == "false") return false;
  }
  fail(node.location, path, fmt::format("expected true or false, got {}", node.describe()));
}

struct VariableRule {
  LeverVariableKind kind = LeverVariableKind::amount;
  NumberRule number;  // amounts and posts
  std::string units;
};

// What the variable at `full` is, or a located error saying why it cannot vary.
VariableRule variable_rule(const std::string& full, const Location& where, const std::string& key) {
  VariableRule rule;
  if (const NumericParameter* parameter = find_numeric_parameter(full)) {
    rule.kind = LeverVariableKind::amount;
    rule.number = detail::rule_of(*parameter);
    rule.units = parameter->units;
    return rule;
  }
  for (const detail::FieldSpec& field : detail::schema_fields()) {
    if (field.path == full && field.month_field != nullptr) {
      rule.kind = LeverVariableKind::month;
      rule.units = "month";
      return rule;
    }
  }
  for (const ListItemVariable& item : kListItems) {
    const std::string prefix = std::string(item.list) + "[";
    const std::string suffix = "]." + std::string(item.key);
    if (full.starts_with(prefix) && full.ends_with(suffix)) {
      rule.kind = item.kind;
      rule.units = item.kind == LeverVariableKind::posts ? "posts" : "month";
      rule.number.noun = "a whole number of posts";
      rule.number.min = 0;
      rule.number.integer = true;
      return rule;
    }
  }
  fail(where, key,
       fmt::format(
           "'{}' cannot vary: a lever varies a number of its block (`wfsim parameters` lists them), its "
           "start month, or the posts or month of an extra_posts phase",
           full));
}

double parse_value(const Node& node, const std::string& path, const VariableRule& rule,
                   const model::TimeParameters& time) {
  if (rule.kind == LeverVariableKind::month) return detail::parse_run_month(node, path, time);
  return detail::parse_number(node, path, rule.number);
}

// A mapping in block style, nested mappings indented, everything else in flow style.
void block_yaml(const Node& mapping, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  for (const Entry& entry : mapping.entries) {
    if (entry.value.type == Node::Type::mapping && !entry.value.entries.empty()) {
      out += fmt::format("{}{}:\n", pad, entry.key);
      block_yaml(entry.value, indent + 2, out);
    } else {
      out += fmt::format("{}{}: {}\n", pad, entry.key, detail::flow_yaml(entry.value));
    }
  }
}

Node parse_measures(const Levers& levers) {
  return detail::parse_document(levers.measures_yaml,
                                std::make_shared<const std::string>(levers.measures_file.string()));
}

void bind_objective(const Node& root, std::span<const ObjectiveOutcome> outcomes, Levers& levers) {
  std::vector<std::string> allowed;
  for (const ObjectiveOutcome& o : outcomes)
    if (o.allowed) allowed.emplace_back(o.name);
  const auto outcome_named = [&](const Node& node, const std::string& path) {
    const std::string name = detail::parse_text(node, path);
    const auto found = std::find_if(outcomes.begin(), outcomes.end(),
                                    [&](const ObjectiveOutcome& o) { return o.name == name; });
    if (found == outcomes.end()) {
      if (auto suggestion = detail::nearest_key(name, allowed)) {
        fail(node.location, path, fmt::format("unknown outcome '{}'; did you mean '{}'?", name, *suggestion));
      }
      fail(node.location, path,
           fmt::format("unknown outcome '{}'; expected one of: {}", name, fmt::join(allowed, ", ")));
    }
    if (!found->allowed) {
      fail(node.location, path, fmt::format("'{}' cannot be an objective: {}", name, found->why_not));
    }
    return name;
  };
  const Entry* entry = root.find("objective");
  if (entry == nullptr) {
    levers.objective = {{"net_loss_total", 1.0}};
    return;
  }
  const Node& node = entry->value;
  if (node.type == Node::Type::scalar) {
    levers.objective = {{outcome_named(node, "objective"), 1.0}};
    return;
  }
  static const std::vector<std::string> kKeys = {"weights"};
  const std::string expected = "an outcome name, or a mapping {weights: {outcome: weight, ...}}";
  if (node.type != Node::Type::mapping) {
    fail(node.location, "objective", fmt::format("expected {}, got {}", expected, node.describe()));
  }
  detail::reject_unknown_keys(node, "objective", kKeys);
  const Node& weights = detail::require_key(node, "objective", "weights");
  if (weights.type != Node::Type::mapping || weights.entries.empty()) {
    fail(weights.location, "objective.weights",
         fmt::format("expected a non-empty mapping of outcome names to weights, got {}", weights.describe()));
  }
  NumberRule weight_rule;
  weight_rule.noun = "a weight";
  weight_rule.min = 0;
  weight_rule.min_inclusive = false;
  for (const Entry& weight : weights.entries) {
    const std::string path = "objective.weights." + weight.key;
    Node name_node;
    name_node.type = Node::Type::scalar;
    name_node.text = weight.key;
    name_node.location = weight.key_location;
    levers.objective.push_back(
        {outcome_named(name_node, path), detail::parse_number(weight.value, path, weight_rule)});
  }
}

void bind_budget(const Node& root, Levers& levers) {
  const Entry* entry = root.find("budget");
  if (entry == nullptr) return;
  static const std::vector<std::string> kKeys = {"rule", "max_probability"};
  const Node& node = entry->value;
  detail::expect_mapping(node, "budget", "a mapping with keys rule, max_probability");
  detail::reject_unknown_keys(node, "budget", kKeys);
  const Node& rule = detail::require_key(node, "budget", "rule");
  const std::string text = detail::parse_text(rule, "budget.rule");
  const Entry* probability = node.find("max_probability");
  if (text == "mean") {
    levers.budget_rule = BudgetRule::mean;
    if (probability != nullptr) {
      fail(probability->key_location, "budget.max_probability",
           "applies only to rule: probability; with rule: mean the mean spend must be within the budget");
    }
  } else if (text == "probability") {
    levers.budget_rule = BudgetRule::probability;
    if (probability == nullptr) {
      fail(rule.location, "budget.max_probability",
           "rule: probability needs max_probability, the largest acceptable chance of overspending");
    }
    NumberRule p;
    p.noun = "a probability";
    p.min = 0;
    p.max = 1;
    p.min_inclusive = false;
    p.max_inclusive = false;
    levers.max_probability = detail::parse_number(probability->value, "budget.max_probability", p);
  } else {
    fail(rule.location, "budget.rule", fmt::format("expected mean or probability, got {}", rule.describe()));
  }
}

// Checks that a package with only `lever` on, all its numbers at one end of
// their ranges, is a valid scenario: a cross-field rule (phase months in
// order, workload shares under 1) could otherwise fail in the middle of a search.
void check_lever_extremes(const Levers& levers, std::size_t index, const Scenario& reference,
                          const Node& lever_node, const std::string& lever_path) {
  const Lever& lever = levers.levers[index];
  if (lever.variables.empty()) return;
  for (const bool high : {false, true}) {
    Package package;
    package.on.assign(levers.levers.size(), false);
    package.values.resize(levers.levers.size());
    for (std::size_t k = 0; k < levers.levers.size(); ++k) {
      for (const LeverVariable& v : levers.levers[k].variables) package.values[k].push_back(v.start);
    }
    package.on[index] = true;
    for (std::size_t v = 0; v < lever.variables.size(); ++v) {
      package.values[index][v] = high ? lever.variables[v].max : lever.variables[v].min;
    }
    try {
      load_scenario_over(reference, package_yaml(levers, package, reference.file.string(), ""),
                         "package.yaml");
    } catch (const ScenarioError& e) {
      fail(lever_node.location, lever_path,
           fmt::format("with every number of this lever at its {} the package is not a valid scenario: {}",
                       high ? "max" : "min", e.what()));
    }
  }
}

Lever bind_lever(const Node& item, const std::string& path, Node& measures, const Scenario& reference,
                 const model::TimeParameters& time, const fs::path& measures_file,
                 const std::vector<std::string>& drawn_from_assumptions) {
  Lever lever;
  lever.line = item.location.line;
  const Node& policy_node = detail::require_key(item, path, "policy");
  lever.policy = detail::parse_text(policy_node, path + ".policy");
  const std::string block_path = std::string(kPolicies) + "." + lever.policy;
  const auto blocks = policy_blocks();
  const auto block = std::find_if(blocks.begin(), blocks.end(),
                                  [&](const detail::FieldSpec* b) { return b->path == block_path; });
  if (block == blocks.end()) {
    std::vector<std::string> names;
    for (const detail::FieldSpec* b : blocks) names.push_back(b->path.substr(kPolicies.size() + 1));
    if (auto suggestion = detail::nearest_key(lever.policy, names)) {
      fail(policy_node.location, path + ".policy",
           fmt::format("unknown policy '{}'; did you mean '{}'?", lever.policy, *suggestion));
    }
    fail(policy_node.location, path + ".policy",
         fmt::format("unknown policy '{}'; expected one of: {}", lever.policy, fmt::join(names, ", ")));
  }
  if ((*block)->enabled_field(const_cast<model::Parameters&>(reference.parameters))) {
    fail(policy_node.location, path + ".policy",
         fmt::format(
             "the reference scenario {} already switches on '{}'; the reference is doing nothing, so a "
             "package could not switch it off: remove it from the reference",
             reference.file.string(), lever.policy));
  }
  Node* measures_block = policy_block(measures, lever.policy);
  if (measures_block == nullptr) {
    fail(policy_node.location, path + ".policy",
         fmt::format("the measures scenario {} does not switch on '{}'; the levers take each policy as the "
                     "measures set it",
                     measures_file.string(), lever.policy));
  }
  const Entry* label = item.find("label");
  lever.label = label ? detail::parse_text(label->value, path + ".label") : words(lever.policy);
  if (const Entry* optional = item.find("optional")) {
    lever.optional = parse_boolean(optional->value, path + ".optional");
  }

  const Entry* vary = item.find("vary");
  if (vary == nullptr) {
    if (!lever.optional) {
      fail(item.location, path,
           "a lever that is never off and varies nothing is the same in every package; switch it on in the "
           "reference scenario instead, or give it `vary` or `optional: true`");
    }
    return lever;
  }
  static const std::vector<std::string> kVaryKeys = {"path", "min", "max", "start", "label"};
  const auto& items = detail::mapping_list(item, path, "vary", kVaryKeys);
  detail::Seen seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Node& v = items[i];
    const std::string vpath = detail::item_path(path + ".vary", i);
    LeverVariable variable;
    variable.line = v.location.line;
    const Node& paths_node = detail::require_key(v, vpath, "path");
    std::vector<const Node*> path_nodes;
    if (paths_node.type == Node::Type::sequence) {
      if (paths_node.items.empty()) {
        fail(paths_node.location, vpath + ".path", "expected a path or a non-empty list of paths, got []");
      }
      for (const Node& p : paths_node.items) path_nodes.push_back(&p);
    } else {
      path_nodes.push_back(&paths_node);
    }
    std::optional<VariableRule> rule;
    for (const Node* p : path_nodes) {
      std::string relative = detail::parse_text(*p, vpath + ".path");
      if (relative.starts_with(block_path + ".")) relative = relative.substr(block_path.size() + 1);
      const auto steps = parse_steps(relative);
      if (!steps) {
        fail(p->location, vpath + ".path",
             fmt::format("'{}' is not a path of keys inside the policy, like amount_gbp or "
                         "phases[0].social_work_posts",
                         relative));
      }
      const std::string full = block_path + "." + relative;
      const Node* found = find_node(*measures_block, *steps);
      if (found == nullptr) {
        std::vector<std::string> set;
        scalar_paths(*measures_block, "", set);
        const auto suggestion = detail::nearest_key(relative, set);
        fail(p->location, vpath + ".path",
             fmt::format("the measures scenario {} does not set '{}'{}", measures_file.string(), full,
                         suggestion ? fmt::format("; did you mean '{}'?", *suggestion) : ""));
      }
      const VariableRule this_rule = variable_rule(full, p->location, vpath + ".path");
      if (rule && (rule->kind != this_rule.kind || rule->units != this_rule.units ||
                   rule->number.integer != this_rule.number.integer)) {
        fail(p->location, vpath + ".path",
             fmt::format("'{}' is not the same kind of number as '{}'; one variable sets keys of one kind",
                         full, variable.paths.front()));
      }
      rule = this_rule;
      // A number the measures' `assumptions` drew (the measures wrote it
      // plainly) is the package's to choose: the package sets it as given. A
      // distribution written in the measures is an unknown, not a choice.
      const bool drawn = std::find(drawn_from_assumptions.begin(), drawn_from_assumptions.end(), full) !=
                         drawn_from_assumptions.end();
      if (found->type != Node::Type::scalar && !drawn) {
        fail(p->location, vpath + ".path",
             fmt::format(
                 "'{}' is {} in the measures scenario {}; a lever's number must be a plain number there",
                 full, found->type == Node::Type::mapping ? "a distribution" : found->describe(),
                 measures_file.string()));
      }
      seen.add(full, vpath + ".path", p->location);
      variable.paths.push_back(full);
    }
    variable.kind = rule->kind;
    variable.units = rule->units;
    variable.integer = rule->kind != LeverVariableKind::amount || rule->number.integer;
    const Entry* vlabel = v.find("label");
    variable.label = vlabel ? detail::parse_text(vlabel->value, vpath + ".label")
                            : words(variable.paths.front().substr(variable.paths.front().rfind('.') + 1));
    const Node& min_node = detail::require_key(v, vpath, "min");
    const Node& max_node = detail::require_key(v, vpath, "max");
    variable.min = parse_value(min_node, vpath + ".min", *rule, time);
    variable.max = parse_value(max_node, vpath + ".max", *rule, time);
    if (!(variable.min < variable.max)) {
      fail(max_node.location, vpath + ".max",
           fmt::format("expected a value above min ({}), got {}", min_node.text, max_node.text));
    }
    // By default the cheaper end: the least amount, or the latest month.
    variable.start = rule->kind == LeverVariableKind::month ? variable.max : variable.min;
    if (const Entry* start = v.find("start")) {
      variable.start = parse_value(start->value, vpath + ".start", *rule, time);
      if (variable.start < variable.min || variable.start > variable.max) {
        fail(start->value.location, vpath + ".start",
             fmt::format("expected a value within [{}, {}], got {}", min_node.text, max_node.text,
                         start->value.text));
      }
    }
    lever.variables.push_back(std::move(variable));
  }
  return lever;
}

Levers bind_levers(const Node& root, const fs::path& directory, const Scenario& reference,
                   std::span<const ObjectiveOutcome> outcomes) {
  Levers levers;
  levers.description = detail::optional_text(root, "description");
  levers.time = reference.parameters.time;

  const Node& measures_node = detail::require_key(root, "", "measures");
  const std::string measures_text = detail::parse_text(measures_node, "measures");
  levers.measures_file = (directory / measures_text).lexically_normal();
  std::error_code error;
  if (measures_text.empty() || !fs::is_regular_file(levers.measures_file, error)) {
    fail(measures_node.location, "measures",
         fmt::format("cannot read the scenario file '{}' (looked for {})", measures_text,
                     levers.measures_file.string()));
  }
  const Scenario measures = load_scenario(levers.measures_file);
  if (!(measures.parameters.time.start == reference.parameters.time.start) ||
      measures.parameters.time.months != reference.parameters.time.months) {
    fail(measures_node.location, "measures",
         fmt::format("the measures scenario {} runs {} for {} months, the reference {} runs {} for {}: they "
                     "must share the horizon",
                     levers.measures_file.string(), model::format_year_month(measures.parameters.time.start),
                     measures.parameters.time.months, reference.file.string(),
                     model::format_year_month(reference.parameters.time.start),
                     reference.parameters.time.months));
  }
  levers.measures_yaml = measures.resolved_yaml;
  Node measures_tree = parse_measures(levers);

  bind_objective(root, outcomes, levers);
  bind_budget(root, levers);

  static const std::vector<std::string> kLeverKeys = {"policy", "label", "optional", "vary"};
  const auto& items = detail::mapping_list(root, "", "levers", kLeverKeys);
  detail::Seen seen;
  int optional_count = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string path = detail::item_path("levers", i);
    Lever lever = bind_lever(items[i], path, measures_tree, reference, levers.time, levers.measures_file,
                             measures.drawn_from_assumptions);
    seen.add(lever.policy, path + ".policy", items[i].find("policy")->value.location);
    if (lever.optional && ++optional_count > kMaxOptionalLevers) {
      fail(items[i].location, path,
           fmt::format("at most {} levers may be switched on or off ({} on/off sets to search); make some "
                       "`optional: false` or leave them out",
                       kMaxOptionalLevers, 1 << kMaxOptionalLevers));
    }
    levers.levers.push_back(std::move(lever));
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    check_lever_extremes(levers, i, reference, items[i], detail::item_path("levers", i));
  }
  return levers;
}

const std::vector<std::string>& levers_keys() {
  static const std::vector<std::string> keys = {"description", "measures", "objective", "budget", "levers"};
  return keys;
}

}  // namespace

std::size_t Levers::variable_count() const {
  std::size_t n = 0;
  for (const Lever& lever : levers) n += lever.variables.size();
  return n;
}

Levers load_levers(const fs::path& file, const Scenario& reference,
                   std::span<const ObjectiveOutcome> outcomes) {
  const fs::path directory = file.has_parent_path() ? file.parent_path() : fs::path(".");
  Levers levers =
      load_levers_text(detail::read_file(file, "levers"), file.string(), directory, reference, outcomes);
  levers.file = file;
  return levers;
}

Levers load_levers_text(const std::string& yaml_text, const std::string& display_name,
                        const fs::path& directory, const Scenario& reference,
                        std::span<const ObjectiveOutcome> outcomes) {
  const Node root = detail::parse_root(yaml_text, display_name, levers_keys());
  Levers levers = bind_levers(root, directory, reference, outcomes);
  levers.file = display_name;
  return levers;
}

std::string format_lever_value(const Levers& levers, const LeverVariable& variable, double value) {
  if (variable.kind == LeverVariableKind::month) {
    return detail::format_run_month(static_cast<int>(std::lround(value)), levers.time);
  }
  if (variable.integer) return fmt::format("{}", std::llround(value));
  return detail::format_number(value);
}

std::string package_yaml(const Levers& levers, const Package& package, const std::string& extends,
                         const std::string& description, const std::vector<std::string>& header) {
  Node measures = parse_measures(levers);
  Node policies;
  policies.type = Node::Type::mapping;
  // In the measures' order, which is the schema's.
  const Entry* all = measures.find(kPolicies);
  for (const Entry& block : all ? all->value.entries : std::vector<Entry>{}) {
    const auto lever = std::find_if(levers.levers.begin(), levers.levers.end(),
                                    [&](const Lever& l) { return l.policy == block.key; });
    if (lever == levers.levers.end()) continue;
    const auto k = static_cast<std::size_t>(lever - levers.levers.begin());
    if (!package.on.at(k)) continue;
    Entry copy = block;
    for (std::size_t v = 0; v < lever->variables.size(); ++v) {
      const LeverVariable& variable = lever->variables[v];
      for (const std::string& full : variable.paths) {
        Node* node =
            find_node(copy.value, *parse_steps(full.substr(kPolicies.size() + block.key.size() + 2)));
        // A plain number, also where the measures' assumptions drew it.
        node->type = Node::Type::scalar;
        node->entries.clear();
        node->items.clear();
        node->text = format_lever_value(levers, variable, package.values.at(k).at(v));
        node->quoted = false;
      }
    }
    policies.entries.push_back(std::move(copy));
  }

  std::string out;
  for (const std::string& line : header) out += line.empty() ? "#\n" : "# " + line + "\n";
  out += fmt::format("extends: {}\n", detail::quote_string(extends));
  out += fmt::format("description: {}\n", detail::quote_string(description));
  if (!policies.entries.empty()) {
    out += "policies:\n";
    block_yaml(policies, 2, out);
  }
  return out;
}

}  // namespace wfsim::scenario
