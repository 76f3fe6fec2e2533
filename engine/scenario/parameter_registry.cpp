#include "scenario/parameter_registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <vector>

#include "scenario/schema.hpp"

namespace wfsim::scenario {

namespace {

std::vector<NumericParameter> build_registry() {
  std::vector<NumericParameter> registry;
  for (const detail::FieldSpec& field : detail::schema_fields()) {
    if (!field.numeric()) continue;
    NumericParameter parameter;
    parameter.path = field.path;
    parameter.units = field.units;
    parameter.description = field.description;
    parameter.min = field.rule.min;
    parameter.max = field.rule.max;
    parameter.min_inclusive = field.rule.min_inclusive;
    parameter.max_inclusive = field.rule.max_inclusive;
    parameter.integer = field.integer_field != nullptr;
    parameter.required = field.required;
    parameter.absent_value = field.absent_value;
    parameter.real_field = field.real_field;
    parameter.integer_field = field.integer_field;
    registry.push_back(std::move(parameter));
  }
  return registry;
}

const std::vector<NumericParameter>& registry() {
  static const std::vector<NumericParameter> parameters = build_registry();
  return parameters;
}

std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

double NumericParameter::get(const model::Parameters& parameters) const {
  // The accessors only form a reference; nothing is written through it here.
  auto& mutable_parameters = const_cast<model::Parameters&>(parameters);
  return integer_field ? static_cast<double>(integer_field(mutable_parameters))
                       : real_field(mutable_parameters);
}

void NumericParameter::set(model::Parameters& parameters, double value) const {
  if (integer_field) {
    const double clamped =
        std::clamp(std::round(value), static_cast<double>(INT_MIN), static_cast<double>(INT_MAX));
    integer_field(parameters) = static_cast<int>(clamped);
  } else {
    real_field(parameters) = value;
  }
}

bool NumericParameter::admits(double value) const {
  if (absent_value && value == *absent_value) return true;
  if (!std::isfinite(value)) return false;
  if (min_inclusive ? value < min : value <= min) return false;
  if (max_inclusive ? value > max : value >= max) return false;
  return !integer || std::floor(value) == value;
}

std::span<const NumericParameter> numeric_parameters() {
  return registry();
}

const NumericParameter* find_numeric_parameter(std::string_view path) {
  for (const NumericParameter& parameter : registry()) {
    if (parameter.path == path) return &parameter;
  }
  return nullptr;
}

std::string parameter_table_markdown() {
  std::string out =
      "| Key | Units | Range | Required | Description |\n"
      "|---|---|---|---|---|\n";
  std::string block;  // "policies.x." while the rows of an optional block follow it
  for (const detail::FieldSpec& field : detail::schema_fields()) {
    if (!block.empty() && field.path.rfind(block, 0) != 0) block.clear();
    std::string required =
        field.required
            ? (block.empty() ? "yes" : "yes, in the block")
            : fmt::format("no (default: {})", field.default_text.empty() ? "none" : field.default_text);
    for (const detail::Alternatives& alternatives : detail::schema_alternatives()) {
      for (const std::string& key : alternatives.usual) {
        const std::string prefix = detail::join_path(alternatives.section, key);
        if (field.path == prefix || field.path.rfind(prefix + ".", 0) == 0) {
          required = fmt::format("yes, unless `{}` is given",
                                 detail::join_path(alternatives.section, alternatives.instead.front()));
        }
      }
    }
    if (field.kind == detail::Kind::block) block = field.path + ".";
    out += fmt::format("| `{}` | {} | {} | {} | {} |\n", field.path, cell(field.units),
                       cell(field.range_column()), cell(required), cell(field.description));
  }
  return out;
}

}  // namespace wfsim::scenario
