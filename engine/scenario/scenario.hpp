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
  // The paths of `uncertain` that the `assumptions` ranges file made
  // uncertain (the files wrote plain numbers), as opposed to distributions
  // written in the files themselves.
  std::vector<std::string> drawn_from_assumptions;
};

// Loads, resolves `extends` and validates. Throws ScenarioError.
Scenario load_scenario(const std::filesystem::path& file);

// Loads `yaml_text` as if it were the contents of `file`, which need not
// exist: its `extends` and roster paths are resolved from file's directory, so
// writing the text to `file` later gives the same scenario.
Scenario load_scenario_as(const std::string& yaml_text, const std::filesystem::path& file);

// Loads a resolved scenario from text (as stored in a run file).
Scenario load_scenario_text(const std::string& yaml_text, const std::string& display_name);

// `base` with `yaml_text` merged over it as `extends` merges a file over the
// one it extends, so a file holding the same text and extending base's file
// loads to the same parameters. The text's own `extends`, if any, is taken
// to name base. Errors are located in `display_name`, or in base's files.
Scenario load_scenario_over(const Scenario& base, const std::string& yaml_text,
                            const std::string& display_name);

}  // namespace wfsim::scenario
