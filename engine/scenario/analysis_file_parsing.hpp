// Internal to the scenario module: what the readers of the modellers' files
// (targets, ranges, levers) share on top of the located YAML tree.
#pragma once

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/document.hpp"
#include "scenario/parameter_registry.hpp"

namespace wfsim::scenario::detail {

// The whole file; ScenarioError "cannot read the <what> file" if it cannot be read.
std::string read_file(const std::filesystem::path& path, std::string_view what);

// The document's root: a mapping with only `keys`, else a located error.
Node parse_root(const std::string& text, const std::string& display, std::span<const std::string> keys);

// "levers" + 2 -> "levers[2]".
std::string item_path(std::string_view list, std::size_t index);

// The value of `key` in `parent` (at `parent_path`): a non-empty list of
// mappings, each with only `keys`.
const std::vector<Node>& mapping_list(const Node& parent, const std::string& parent_path,
                                      const std::string& key, std::span<const std::string> keys);

// The text at `key`, or "" when it is absent.
std::string optional_text(const Node& root, std::string_view key);

// What a value of `parameter` must be in a scenario file.
NumberRule rule_of(const NumericParameter& parameter);

// Fails at the second of two entries of one list that name the same thing.
class Seen {
 public:
  void add(const std::string& key, const std::string& path, const Location& where);

 private:
  std::map<std::string, int> lines_;
};

}  // namespace wfsim::scenario::detail
