// Scenario files: YAML in, one validated, fully resolved Parameters out.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model/parameters.hpp"
#include "scenario/scenario_error.hpp"
#include "scenario/uncertainty.hpp"

namespace wfsim::scenario {

struct Scenario {
  std::string name;         // `name:` in the file, else the file's stem
  std::string description;  // `description:` in the file
  std::filesystem::path file;
  std::vector<std::filesystem::path> inherited_files;  // the `extends` chain, nearest first
  std::string resolved_yaml;     // after `extends`, self-contained: loads to identical parameters
  model::Parameters parameters;  // an uncertain parameter holds its distribution's mean
  // Parameters written as distributions, in registry order; each replication
  // draws them (apply_parameter_draws) into a copy of `parameters`.
  std::vector<UncertainParameter> uncertain;
};

// Loads, resolves `extends` and validates. Throws ScenarioError.
Scenario load_scenario(const std::filesystem::path& file);

// Loads `yaml_text` as if it were the contents of `file`, which need not
// exist: its `extends` and roster paths are resolved from file's directory, so
// writing the text to `file` later gives the same scenario.
Scenario load_scenario_as(const std::string& yaml_text, const std::filesystem::path& file);

// Loads a resolved scenario from text (as stored in a run file).
Scenario load_scenario_text(const std::string& yaml_text, const std::string& display_name);

}  // namespace wfsim::scenario
