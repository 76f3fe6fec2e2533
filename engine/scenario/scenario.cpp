// The scenario loader core: read files, resolve `extends`, bind the merged
// document to model::Parameters through the schema table, emit the resolved
// YAML. Knows no individual parameter: those live in schema.cpp.
#include "scenario/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <optional>
#include <unordered_map>

#include "scenario/analysis_files.hpp"
#include "scenario/document.hpp"
#include "scenario/parameter_registry.hpp"
#include "scenario/schema.hpp"

namespace wfsim::scenario {

namespace {

namespace fs = std::filesystem;
using detail::Bindings;
using detail::Entry;
using detail::FieldSpec;
using detail::Kind;
using detail::Location;
using detail::Node;

std::string format_what(const std::string& file, int line, int column, const std::string& key,
                        const std::string& message) {
  std::string out = file;
  if (line > 0) {
    out += fmt::format(":{}", line);
    if (column > 0) out += fmt::format(":{}", column);
  }
  out += ": error: ";
  // A key can be any text of the input: a dotted path of the schema is far shorter.
  if (!key.empty()) out += detail::excerpt(key, 160) + ": ";
  return out + message;
}

// The schema table as a tree of sections, built once.
struct Section {
  std::string path;
  bool required = false;
  const FieldSpec* block = nullptr;  // an optional block: present means on
  struct Child {
    std::string key;
    const FieldSpec* field = nullptr;
    Section* section = nullptr;
  };
  std::vector<Child> children;  // canonical order
  std::vector<std::string> keys;
  const detail::Alternatives* alternatives = nullptr;
};

bool contains(const std::vector<std::string>& keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

const detail::Alternatives* alternatives_of(std::string_view section) {
  for (const detail::Alternatives& alternatives : detail::schema_alternatives()) {
    if (alternatives.section == section) return &alternatives;
  }
  return nullptr;
}

class SchemaTree {
 public:
  SchemaTree() {
    sections_.emplace_back();
    for (const FieldSpec& field : detail::schema_fields()) add(field);
  }
  const Section& root() const { return sections_.front(); }

 private:
  Section* descend(Section* section, const std::string& key) {
    for (Section::Child& child : section->children) {
      if (child.key == key && child.section) return child.section;
    }
    Section& created = sections_.emplace_back();
    created.path = detail::join_path(section->path, key);
    created.alternatives = alternatives_of(created.path);
    section->children.push_back({key, nullptr, &created});
    section->keys.push_back(key);
    return &created;
  }

  void add(const FieldSpec& field) {
    std::vector<Section*> trail{&sections_.front()};
    std::string_view rest = field.path;
    for (std::size_t dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.')) {
      trail.push_back(descend(trail.back(), std::string(rest.substr(0, dot))));
      rest.remove_prefix(dot + 1);
    }
    if (field.kind == Kind::block) {
      descend(trail.back(), std::string(rest))->block = &field;
      return;
    }
    // A required field makes its sections required, up to the nearest block.
    if (field.required) {
      for (auto section = trail.rbegin(); section != trail.rend() && !(*section)->block; ++section) {
        (*section)->required = true;
      }
    }
    trail.back()->children.push_back({std::string(rest), &field, nullptr});
    trail.back()->keys.emplace_back(rest);
  }

  std::deque<Section> sections_;  // stable addresses
};

const Section& schema_root() {
  static const SchemaTree tree;
  return tree.root();
}

void apply_absent(const FieldSpec& field, model::Parameters& parameters) {
  if (field.absent_value) {
    if (field.integer_field) field.integer_field(parameters) = static_cast<int>(*field.absent_value);
    if (field.real_field) field.real_field(parameters) = *field.absent_value;
  }
  if (field.reset) field.reset(parameters);
}

void apply_absent(const Section& section, model::Parameters& parameters) {
  if (section.block) section.block->enabled_field(parameters) = false;
  for (const Section::Child& child : section.children) {
    if (child.section) apply_absent(*child.section, parameters);
    if (child.field) apply_absent(*child.field, parameters);
  }
}

// A numeric field written as a distribution: the parameters hold its mean.
void bind_distribution(const Node& node, const FieldSpec& field, model::Parameters& parameters,
                       Bindings& bindings) {
  if (!field.certain_reason.empty()) {
    detail::fail(node.location, field.path,
                 fmt::format("expected {}, got a mapping; this parameter cannot be uncertain: {}",
                             field.rule.describe(), field.certain_reason));
  }
  const Distribution distribution = detail::parse_distribution(node, field.path, field.rule);
  if (field.integer_field) field.integer_field(parameters) = static_cast<int>(std::lround(distribution.mean));
  if (field.real_field) field.real_field(parameters) = distribution.mean;
  bindings.distributions[field.path] = distribution;
}

void bind_field(const Node& node, const FieldSpec& field, model::Parameters& parameters, Bindings& bindings) {
  if (field.numeric() && node.type == Node::Type::mapping) {
    bind_distribution(node, field, parameters, bindings);
  } else if (field.kind == Kind::text) {
    bindings.texts[field.path] = detail::parse_text(node, field.path);
  } else if (field.month_field) {
    field.month_field(parameters) = detail::parse_run_month(node, field.path, parameters.time);
  } else if (field.parse) {
    field.parse(node, field.path, parameters, bindings);
  } else {
    const double value = detail::parse_number(node, field.path, field.rule);
    if (field.integer_field) field.integer_field(parameters) = static_cast<int>(value);
    if (field.real_field) field.real_field(parameters) = value;
  }
}

// `where` is where the section is introduced (its key), for missing-key errors.
void bind_section(const Node& node, const Section& section, const Location& where,
                  model::Parameters& parameters, Bindings& bindings) {
  if (section.path.empty()) {
    detail::expect_mapping(node, "", "a mapping of scenario keys at the top level");
  } else {
    detail::expect_mapping(node, section.path,
                           fmt::format("a mapping with keys {}", fmt::join(section.keys, ", ")));
  }
  detail::reject_unknown_keys(node, section.path, section.keys);
  // Two forms of one thing: at most one key of the other form, and then none of the usual.
  const detail::Alternatives* alternatives = section.alternatives;
  const Entry* instead = nullptr;
  if (alternatives) {
    for (const Entry& entry : node.entries) {
      if (!contains(alternatives->instead, entry.key)) continue;
      if (instead) {
        detail::fail(entry.key_location, detail::join_path(section.path, entry.key),
                     fmt::format("give '{}' or '{}', not both (the other is at line {})", instead->key,
                                 entry.key, instead->key_location.line));
      }
      instead = &entry;
    }
    for (const Entry& entry : node.entries) {
      if (!instead || !contains(alternatives->usual, entry.key)) continue;
      detail::fail(entry.key_location, detail::join_path(section.path, entry.key),
                   fmt::format("{} comes from '{}' (line {}) or from the keys {}, not both; remove one",
                               alternatives->what, instead->key, instead->key_location.line,
                               fmt::join(alternatives->usual, ", ")));
    }
  }
  for (const Section::Child& child : section.children) {
    const std::string path = detail::join_path(section.path, child.key);
    const Entry* entry = node.find(child.key);
    const bool usual = alternatives && contains(alternatives->usual, child.key);
    const bool required =
        (child.section ? child.section->required : child.field->required) && !(usual && instead);
    if (!entry) {
      if (required) {
        const std::string hint =
            usual ? fmt::format(" (or give {} by '{}')", alternatives->what, alternatives->instead.front())
                  : "";
        detail::fail(where, path,
                     section.path.empty()
                         ? fmt::format("missing required key '{}' at the top level{}", child.key, hint)
                         : fmt::format("missing required key '{}' in '{}'{}", child.key, section.path, hint));
      }
      if (child.section) apply_absent(*child.section, parameters);
      if (child.field) apply_absent(*child.field, parameters);
      continue;
    }
    bindings.record(path, entry->value);
    if (child.section) {
      if (child.section->block) child.section->block->enabled_field(parameters) = true;
      bind_section(entry->value, *child.section, entry->key_location, parameters, bindings);
    } else {
      bind_field(entry->value, *child.field, parameters, bindings);
    }
  }
}

std::optional<std::string> emit_field(const FieldSpec& field, const model::Parameters& parameters,
                                      const Bindings& bindings) {
  if (field.kind == Kind::text) {
    const auto text = bindings.texts.find(field.path);
    if (text == bindings.texts.end()) return std::nullopt;
    return detail::quote_string(text->second);
  }
  // The accessors only form a reference; nothing is written through it here.
  auto& readable = const_cast<model::Parameters&>(parameters);
  if (field.month_field) return detail::format_run_month(field.month_field(readable), parameters.time);
  if (field.emitted && !field.emitted(parameters)) return std::nullopt;
  if (field.emit) return field.emit(parameters);
  if (const auto distribution = bindings.distributions.find(field.path);
      distribution != bindings.distributions.end()) {
    return distribution->second.yaml();
  }
  const double value = field.integer_field ? field.integer_field(readable) : field.real_field(readable);
  // A value given explicitly stays, even when it equals the omitted value,
  // so rules about which keys are present hold for the resolved document.
  if (field.absent_value && value == *field.absent_value && !bindings.has(field.path)) return std::nullopt;
  return field.integer_field ? fmt::format("{}", static_cast<int>(value)) : detail::format_number(value);
}

void emit_section(const Section& section, const model::Parameters& parameters, const Bindings& bindings,
                  int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  const detail::Alternatives* alternatives = section.alternatives;
  const bool instead = alternatives && alternatives->instead_in_effect(parameters);
  for (const Section::Child& child : section.children) {
    if (instead && contains(alternatives->usual, child.key)) continue;
    if (child.section) {
      const FieldSpec* block = child.section->block;
      if (block && !block->enabled_field(const_cast<model::Parameters&>(parameters))) continue;
      std::string inner;
      emit_section(*child.section, parameters, bindings, indent + 2, inner);
      if (!inner.empty()) {
        out += fmt::format("{}{}:\n{}", pad, child.key, inner);
      } else if (block) {
        out += fmt::format("{}{}: {{}}\n", pad, child.key);
      }
    } else if (auto value = emit_field(*child.field, parameters, bindings)) {
      if (value->starts_with('\n')) {
        // A block value, one item a line, indented under its key.
        std::string block;
        for (char c : *value) block += c == '\n' ? "\n" + pad + "  " : std::string(1, c);
        out += fmt::format("{}{}:{}\n", pad, child.key, block);
      } else {
        out += fmt::format("{}{}: {}\n", pad, child.key, *value);
      }
    }
  }
}

// Only YAML files are read as scenarios, so no message ever quotes a file of another kind.
bool is_scenario_file_name(const fs::path& path) {
  return detail::has_extension(path, {".yaml", ".yml"});
}

std::string read_text(const fs::path& path, const std::optional<Location>& referenced_from) {
  if (referenced_from) {
    return detail::read_input_file(path, "scenario", detail::kMaxYamlFileBytes, &*referenced_from, "extends");
  }
  if (!is_scenario_file_name(path)) {
    throw ScenarioError(path.string(), 0, 0, "", "is not a scenario file: expected a .yaml or .yml file");
  }
  return detail::read_input_file(path, "scenario", detail::kMaxYamlFileBytes);
}

Node parse_scenario_root(const std::string& text, const std::shared_ptr<const std::string>& display) {
  Node root = detail::parse_document(text, display);
  if (root.type == Node::Type::null) {
    detail::fail(root.location, "", "the file holds no scenario; expected a mapping of scenario keys");
  }
  // A file that is not a scenario at all is named, never quoted.
  if (root.type != Node::Type::mapping) {
    detail::fail(root.location, "",
                 fmt::format("expected a mapping of scenario keys at the top level, got {}",
                             root.type == Node::Type::sequence ? "a list" : "a single value"));
  }
  const auto& top_level = schema_root().keys;
  const bool any_scenario_key =
      std::any_of(root.entries.begin(), root.entries.end(),
                  [&](const Entry& entry) { return contains(top_level, entry.key); });
  if (!any_scenario_key) {
    detail::fail(root.location, "",
                 fmt::format("the file holds no scenario: expected a mapping of scenario keys ({})",
                             fmt::join(top_level, ", ")));
  }
  return root;
}

void erase_key(Node& map, std::string_view key) {
  std::erase_if(map.entries, [&](const Entry& entry) { return entry.key == key; });
}

// Deep merge: mappings merge key by key; anything else in `child` replaces.
// Merged nodes take the child's location: the file the user is editing. A
// child that gives one form of an alternative drops the parent's other form.
Node merge(Node parent, const Node& child, const std::string& path) {
  if (parent.type != Node::Type::mapping || child.type != Node::Type::mapping) return child;
  if (const detail::Alternatives* alternatives = alternatives_of(path)) {
    const auto gives = [&](const std::vector<std::string>& keys) {
      return std::any_of(child.entries.begin(), child.entries.end(),
                         [&](const Entry& entry) { return contains(keys, entry.key); });
    };
    if (gives(alternatives->instead)) {
      std::erase_if(parent.entries, [&](const Entry& entry) {
        return contains(alternatives->usual, entry.key) || contains(alternatives->instead, entry.key);
      });
    } else if (gives(alternatives->usual)) {
      std::erase_if(parent.entries,
                    [&](const Entry& entry) { return contains(alternatives->instead, entry.key); });
    }
  }
  // Indexed, so a mapping of many keys merges in linear time.
  // Reserved first: the index views the keys in place.
  const std::size_t inherited = parent.entries.size();
  parent.entries.reserve(inherited + child.entries.size());
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t k = 0; k < inherited; ++k) index.emplace(parent.entries[k].key, k);
  for (const Entry& entry : child.entries) {
    if (const auto found = index.find(entry.key); found != index.end() && found->second < inherited) {
      Entry& existing = parent.entries[found->second];
      existing.value = merge(std::move(existing.value), entry.value, detail::join_path(path, entry.key));
      existing.key_location = entry.key_location;
    } else {
      parent.entries.push_back(entry);
    }
  }
  parent.location = child.location;
  return parent;
}

Scenario finish(const Node& root, const std::string& default_name);

// The value node at a dotted path, or nullptr.
Node* node_at(Node& root, std::string_view path) {
  Node* node = &root;
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    const std::string_view key = path.substr(0, dot);
    if (node->type != Node::Type::mapping) return nullptr;
    Entry* entry = node->find(key);
    if (!entry) return nullptr;
    node = &entry->value;
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  }
  return node;
}

// A number node as written by the schema's own formatter, located at `where`.
Node number_node(double value, const Location& where) {
  Node node;
  node.type = Node::Type::scalar;
  node.text = detail::format_number(value);
  node.location = where;
  return node;
}

// `assumptions: FILE` names a ranges file: every parameter it lists that the
// scenario uses becomes uncertain, drawn per replication (triangular with
// the scenario's value as mode, or uniform), where its value was written in
// the file that names the ranges or in a file it extends, and lies within
// the range. A value set by a file extending it, or outside its range, is
// taken as given: such a file sets it on purpose. The merged document is
// rewritten with the distributions, so the resolved YAML holds them and
// needs no ranges file. Returns the paths it drew.
std::vector<std::string> apply_assumptions(Node& merged, const std::string& default_name,
                                           const std::vector<std::string>& files_under_assumptions) {
  std::vector<std::string> drawn;
  Entry* entry = merged.find("assumptions");
  if (!entry) return drawn;
  const std::string relative = detail::parse_text(entry->value, "assumptions");
  const Location where = entry->value.location;
  erase_key(merged, "assumptions");
  if (relative == "none") return drawn;
  const fs::path file = fs::path(where.file_name()).parent_path() / relative;
  std::error_code error;
  if (relative.empty() || !fs::is_regular_file(file, error))
    detail::fail(where, "assumptions", fmt::format("cannot read the ranges file '{}'", file.string()));
  const Scenario certain = finish(merged, default_name);
  const model::Parameters* scenarios[] = {&certain.parameters};
  const Ranges ranges = load_ranges(file, scenarios);
  for (const ParameterRange& range : ranges.parameters) {
    if (!parameter_in_force(certain.parameters, range.path)) continue;
    Node* value = node_at(merged, range.path);
    if (!value || value->type != Node::Type::scalar) continue;  // absent, or already a distribution
    if (std::find(files_under_assumptions.begin(), files_under_assumptions.end(),
                  value->location.file_name()) == files_under_assumptions.end())
      continue;
    const double own = find_numeric_parameter(range.path)->get(certain.parameters);
    if (own < range.low || own > range.high) continue;
    Node distribution;
    distribution.type = Node::Type::mapping;
    distribution.location = value->location;
    auto add = [&](const char* key, Node node) {
      distribution.entries.push_back(Entry{key, value->location, std::move(node)});
    };
    Node family = number_node(0, value->location);
    family.quoted = true;
    if (range.shape == ParameterRange::Shape::uniform) {
      family.text = "uniform";
      add("distribution", family);
      add("min", number_node(range.low, value->location));
      add("max", number_node(range.high, value->location));
    } else {
      family.text = "triangular";
      add("distribution", family);
      add("min", number_node(range.low, value->location));
      add("mode", number_node(own, value->location));
      add("max", number_node(range.high, value->location));
    }
    *value = std::move(distribution);
    drawn.push_back(range.path);
  }
  return drawn;
}

Scenario finish(const Node& root, const std::string& default_name) {
  Scenario scenario;
  Bindings bindings;
  bind_section(root, schema_root(), root.location, scenario.parameters, bindings);
  for (detail::CrossCheck check : detail::schema_checks()) check(bindings, scenario.parameters);

  const auto name = bindings.texts.find("name");
  scenario.name = name != bindings.texts.end() ? name->second : default_name;
  const auto description = bindings.texts.find("description");
  scenario.description = description != bindings.texts.end() ? description->second : "";

  const auto registry = numeric_parameters();
  for (const auto& [path, distribution] : bindings.distributions) {
    const NumericParameter* parameter = find_numeric_parameter(path);
    scenario.uncertain.push_back(
        {path, static_cast<std::uint32_t>(parameter - registry.data()), distribution});
  }
  std::sort(scenario.uncertain.begin(), scenario.uncertain.end(),
            [](const UncertainParameter& a, const UncertainParameter& b) {
              return a.registry_index < b.registry_index;
            });

  // The resolved document names itself: a stem or inherited name would be lost.
  bindings.texts["name"] = scenario.name;
  bindings.texts["description"] = scenario.description;
  emit_section(schema_root(), scenario.parameters, bindings, 0, scenario.resolved_yaml);
  return scenario;
}

}  // namespace

ScenarioError::ScenarioError(std::string file, int line, int column, std::string key, std::string message)
    : std::runtime_error(format_what(file, line, column, key, message)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      key_(std::move(key)),
      message_(std::move(message)) {}

namespace {

// `first_text`, when given, stands for the contents of `file`.
Scenario load_chain(const fs::path& file, const std::string* first_text) {
  std::vector<Node> documents;  // nearest first
  std::vector<fs::path> chain;  // display paths, nearest first
  std::vector<fs::path> identities;
  std::vector<fs::path> inherited;
  std::vector<bool> documents_named_assumptions;  // nearest first

  fs::path current = file;
  std::optional<Location> referenced_from;
  for (;;) {
    auto display = std::make_shared<const std::string>(current.string());
    Node root = parse_scenario_root(
        first_text && documents.empty() ? *first_text : read_text(current, referenced_from), display);
    for (const char* key : {"name", "description"}) {
      if (const Entry* entry = root.find(key)) detail::parse_text(entry->value, key);
    }
    std::error_code error;
    fs::path identity = fs::weakly_canonical(current, error);
    if (error) identity = fs::absolute(current).lexically_normal();
    chain.push_back(current);
    identities.push_back(identity);
    documents_named_assumptions.push_back(root.find("assumptions") != nullptr);
    documents.push_back(std::move(root));

    const Entry* extends = documents.back().find("extends");
    if (!extends) break;
    const std::string relative = detail::parse_text(extends->value, "extends");
    if (relative.empty()) {
      detail::fail(extends->value.location, "extends",
                   "expected a relative path of a scenario file, got \"\"");
    }
    const fs::path next = (current.parent_path() / relative).lexically_normal();
    if (!is_scenario_file_name(next)) {
      detail::fail(
          extends->value.location, "extends",
          fmt::format("expected a scenario file (.yaml or .yml), got '{}'", detail::excerpt(relative, 160)));
    }
    if (!fs::exists(next, error)) {
      detail::fail(extends->value.location, "extends",
                   fmt::format("cannot find '{}' (looked for {})", detail::excerpt(relative, 160),
                               detail::excerpt(next.string(), 200)));
    }
    fs::path next_identity = fs::weakly_canonical(next, error);
    if (error) next_identity = fs::absolute(next).lexically_normal();
    for (std::size_t i = 0; i < identities.size(); ++i) {
      if (identities[i] != next_identity) continue;
      std::string cycle;
      for (std::size_t j = i; j < chain.size(); ++j) cycle += chain[j].string() + " -> ";
      detail::fail(extends->value.location, "extends",
                   fmt::format("extends cycle: {}{}", cycle, next.string()));
    }
    inherited.push_back(next);
    referenced_from = extends->value.location;
    current = next;
  }

  // Merge from the most distant ancestor down. Name and description belong
  // to the file that states them, so only the nearest file keeps its own.
  Node merged;
  for (std::size_t i = documents.size(); i-- > 0;) {
    Node document = std::move(documents[i]);
    erase_key(document, "extends");
    if (i > 0) {
      erase_key(document, "name");
      erase_key(document, "description");
    }
    merged = i + 1 == chain.size() ? std::move(document) : merge(std::move(merged), document, "");
  }

  // The files at and above the nearest that names the assumptions.
  std::vector<std::string> under_assumptions;
  for (std::size_t i = 0; i < documents_named_assumptions.size(); ++i) {
    if (!documents_named_assumptions[i]) continue;
    for (std::size_t j = i; j < chain.size(); ++j) under_assumptions.push_back(chain[j].string());
    break;
  }
  std::vector<std::string> drawn = apply_assumptions(merged, file.stem().string(), under_assumptions);
  Scenario scenario = finish(merged, file.stem().string());
  scenario.drawn_from_assumptions = std::move(drawn);
  scenario.file = file;
  scenario.inherited_files = std::move(inherited);
  return scenario;
}

}  // namespace

Scenario load_scenario(const std::filesystem::path& file) {
  return load_chain(file, nullptr);
}

Scenario load_scenario_as(const std::string& yaml_text, const std::filesystem::path& file) {
  return load_chain(file, &yaml_text);
}

Scenario load_scenario_text(const std::string& yaml_text, const std::string& display_name) {
  auto display = std::make_shared<const std::string>(display_name);
  const Node root = parse_scenario_root(yaml_text, display);
  if (const Entry* extends = root.find("extends")) {
    detail::fail(extends->key_location, "extends",
                 "a scenario given as text must be self-contained; 'extends' cannot be resolved here");
  }
  std::string default_name = fs::path(display_name).stem().string();
  if (default_name.empty()) default_name = display_name;
  Scenario scenario = finish(root, default_name);
  scenario.file = display_name;
  return scenario;
}

Scenario load_scenario_over(const Scenario& base, const std::string& yaml_text,
                            const std::string& display_name) {
  // The base as resolved: one document that loads to its parameters.
  Node merged =
      parse_scenario_root(base.resolved_yaml, std::make_shared<const std::string>(base.file.string()));
  erase_key(merged, "name");
  erase_key(merged, "description");
  Node overlay = parse_scenario_root(yaml_text, std::make_shared<const std::string>(display_name));
  erase_key(overlay, "extends");
  merged = merge(std::move(merged), overlay, "");
  Scenario scenario = finish(merged, fs::path(display_name).stem().string());
  scenario.file = display_name;
  scenario.inherited_files.push_back(base.file);
  scenario.inherited_files.insert(scenario.inherited_files.end(), base.inherited_files.begin(),
                                  base.inherited_files.end());
  return scenario;
}

}  // namespace wfsim::scenario
