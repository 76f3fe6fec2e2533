// A public view of the scenario schema (schema.hpp is internal to the
// scenario module): every key a scenario file may hold, in canonical order,
// for tools that describe or edit scenarios without reading the table
// themselves: `wfsim schema`'s JSON Schema and the controls of `wfsim serve`.
#pragma once

#include <map>
#include <span>
#include <string>

#include "scenario/parameter_registry.hpp"

namespace wfsim::scenario {

struct SchemaEntry {
  enum class Type {
    text,        // a string: name, description, extends, assumptions
    number,      // a numeric scalar; `number` gives its bounds
    run_month,   // YYYY-MM within the simulated months
    block,       // an optional mapping under `policies` whose presence switches a lever on
    structured,  // a list or mapping with its own format (`range` describes it)
  };
  std::string path;  // dotted, as in a scenario file
  Type type = Type::text;
  std::string units;
  std::string description;
  bool required = true;      // within its block, for keys of a block
  std::string range;         // as the `wfsim parameters` table's Range column
  std::string default_text;  // what omitting an optional key means
  const NumericParameter* number = nullptr;
  std::string certain_reason;  // numbers that cannot be written as a distribution: why
  std::string block;           // the block ("policies.retention_payment") this key belongs to, if any
};

std::span<const SchemaEntry> schema_entries();

// The entry at `path`, or nullptr.
const SchemaEntry* find_schema_entry(std::string_view path);

// Every key of the schema that a scenario document gives (name, description
// and extends aside), each value as one line of YAML: scalars as written
// (quoted if they were), lists and mappings in flow style, a policy block's
// own key as "{}". Two resolved documents give a key the same text exactly
// when they give it the same value. Throws ScenarioError if it is not YAML.
std::map<std::string, std::string, std::less<>> key_texts(const std::string& yaml_text,
                                                          const std::string& display_name);

}  // namespace wfsim::scenario
