#include "scenario/analysis_file_parsing.hpp"

#include <fmt/format.h>

#include <memory>

#include "scenario/scenario_error.hpp"

namespace wfsim::scenario::detail {

namespace fs = std::filesystem;

// Only YAML files are read, so no message ever quotes a file of another kind.
std::string read_file(const fs::path& path, std::string_view what) {
  if (!has_extension(path, {".yaml", ".yml"})) {
    throw ScenarioError(path.string(), 0, 0, "",
                        fmt::format("is not a {} file: expected a .yaml or .yml file", what));
  }
  return read_input_file(path, what, kMaxYamlFileBytes);
}

Node parse_root(const std::string& text, const std::string& display, std::span<const std::string> keys) {
  const auto file = std::make_shared<const std::string>(display);
  Node root = parse_document(text, file);
  const std::string expected = fmt::format("a mapping with keys {}", fmt::join(keys, ", "));
  if (root.type == Node::Type::null)
    fail(root.location, "", fmt::format("the file is empty; expected {}", expected));
  expect_mapping(root, "", expected);
  reject_unknown_keys(root, "", keys);
  return root;
}

std::string item_path(std::string_view list, std::size_t index) {
  return fmt::format("{}[{}]", list, index);
}

const std::vector<Node>& mapping_list(const Node& parent, const std::string& parent_path,
                                      const std::string& key, std::span<const std::string> keys) {
  const std::string list_path = join_path(parent_path, key);
  const Node& list = require_key(parent, parent_path, key);
  const std::string expected =
      fmt::format("a non-empty list of mappings with keys {}", fmt::join(keys, ", "));
  if (list.type != Node::Type::sequence || list.items.empty()) {
    fail(list.location, list_path, fmt::format("expected {}, got {}", expected, list.describe()));
  }
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    const std::string path = item_path(list_path, i);
    expect_mapping(list.items[i], path, expected);
    reject_unknown_keys(list.items[i], path, keys);
  }
  return list.items;
}

std::string optional_text(const Node& root, std::string_view key) {
  const Entry* entry = root.find(key);
  return entry ? parse_text(entry->value, std::string(key)) : "";
}

NumberRule rule_of(const NumericParameter& parameter) {
  NumberRule rule;
  rule.noun = parameter.integer ? "a whole number" : "a number";
  rule.min = parameter.min;
  rule.max = parameter.max;
  rule.min_inclusive = parameter.min_inclusive;
  rule.max_inclusive = parameter.max_inclusive;
  rule.integer = parameter.integer;
  return rule;
}

void Seen::add(const std::string& key, const std::string& path, const Location& where) {
  if (auto [it, inserted] = lines_.emplace(key, where.line); !inserted) {
    fail(where, path, fmt::format("'{}' is already given at line {}", key, it->second));
  }
}

}  // namespace wfsim::scenario::detail
