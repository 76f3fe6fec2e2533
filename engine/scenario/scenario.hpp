// Scenario files: YAML in, one validated, fully resolved Parameters out.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/parameters.hpp"
#include "scenario/uncertainty.hpp"

namespace wfsim::scenario {

// A problem in an input file, located precisely enough for a user to fix it.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, int line, int column, std::string key, std::string message);
  const std::string& file() const { return file_; }
  int line() const { return line_; }               // 1-based; 0 when unknown
  int column() const { return column_; }           // 1-based; 0 when unknown
  const std::string& key() const { return key_; }  // dotted path, e.g. attrition.annual_rate.nqsw
 private:
  std::string file_;
  int line_;
  int column_;
  std::string key_;
};

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

// Loads a resolved scenario from text (as stored in a run file).
Scenario load_scenario_text(const std::string& yaml_text, const std::string& display_name);

}  // namespace wfsim::scenario
