// Numeric scenario parameters addressable by dotted path, for calibration
// and sensitivity analysis. Generated from the scenario schema, so it lists
// exactly the numeric scalars a scenario file holds, with the same ranges.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/parameters.hpp"

namespace wfsim::scenario {

// One numeric scalar parameter, e.g. `attrition.annual_rate.nqsw`.
struct NumericParameter {
  std::string path;         // dotted path as in a scenario file
  std::string units;        // e.g. "per year", "GBP per year", "people"
  std::string description;  // one line
  double min = 0.0;         // accepted range in scenario files; may be -inf / +inf
  double max = 0.0;
  bool min_inclusive = true;
  bool max_inclusive = true;
  bool integer = false;                // stored as int: set() rounds to nearest
  bool required = true;                // false: may be omitted from a file
  std::optional<double> absent_value;  // stored when omitted, e.g. -1 for "no limit"

  // The value in `parameters` as a double.
  double get(const model::Parameters& parameters) const;
  // Stores `value` (rounded to nearest for integer parameters); no range check.
  void set(model::Parameters& parameters, double value) const;
  // Whether a scenario file could hold `value` (the range, wholeness, or absent_value).
  bool admits(double value) const;

  double& (*real_field)(model::Parameters&) = nullptr;
  int& (*integer_field)(model::Parameters&) = nullptr;
};

// All numeric scalar parameters in canonical (schema) order.
std::span<const NumericParameter> numeric_parameters();

// The parameter at `path`, or nullptr.
const NumericParameter* find_numeric_parameter(std::string_view path);

// The whole scenario schema as a Markdown table (path, units, range,
// required, description), for the docs.
std::string parameter_table_markdown();

}  // namespace wfsim::scenario
