// Internal to the scenario module: the one table that describes every key a
// scenario file may hold. Loading, validation, the resolved YAML, the
// numeric parameter registry and the docs table are all driven from it.
//
// To add a section, append FieldSpec rows to the table in schema.cpp:
// numeric leaves with `number(...)`, calendar months within the run with
// `run_month(...)`, anything structured with `structured(...)` and its own
// parse/emit functions, and cross-field rules to `schema_checks()`. An
// optional block that switches something on by being present (each lever
// under `policies`) is a `block(...)` row followed by its fields: the block
// may be omitted, but a field marked required must be given whenever the
// block is. The loader core needs no change.
//
// Any numeric field may be written as a distribution instead of a number
// (scenario/uncertainty.hpp) unless `certain(reason)` says why it cannot.
// Two ways of giving the same thing in one section (the initial workforce as
// counts or as a roster) are declared in `schema_alternatives()`.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/parameters.hpp"
#include "scenario/document.hpp"
#include "scenario/uncertainty.hpp"

namespace wfsim::scenario::detail {

enum class Kind {
  text,         // a string
  year_month,   // YYYY-MM
  count,        // a whole number of people or posts, >= 0
  months,       // a duration in months
  probability,  // in [0, 1]
  fraction,     // a share in [0, 1] unless narrowed
  rate,         // a non-negative rate (per year or per month)
  real,         // any finite number unless narrowed
  gbp,          // pounds sterling, >= 0
  multiplier,   // a non-negative factor
  weight,       // a non-negative weight
  cases,        // a caseload, > 0
  run_month,    // YYYY-MM within the simulated months, stored as months after the start
  block,        // an optional mapping whose presence sets a flag; its fields follow it
  structured,   // a list or mapping with its own parse and emit functions
};

// Where each bound value was written, and the text values read, so
// cross-field rules can report the right location.
class Bindings {
 public:
  void record(std::string path, const Node& node) { nodes_[std::move(path)] = &node; }
  const Node& at(std::string_view path) const;  // the node bound at `path`; must exist
  bool has(std::string_view path) const { return nodes_.find(path) != nodes_.end(); }
  std::map<std::string, std::string, std::less<>> texts;           // text fields by path: name, description
  std::map<std::string, Distribution, std::less<>> distributions;  // numeric fields given as distributions

 private:
  std::map<std::string, const Node*, std::less<>> nodes_;
};

using ParseFn = void (*)(const Node& node, const std::string& path, model::Parameters& parameters,
                         Bindings& bindings);
using EmitFn = std::string (*)(const model::Parameters& parameters);  // one-line YAML value
using ResetFn = void (*)(model::Parameters& parameters);              // value when omitted

struct FieldSpec {
  std::string path;  // dotted path in the YAML file
  Kind kind = Kind::real;
  bool required = true;
  std::string units;
  std::string description;

  // Numeric fields: exactly one accessor is set.
  NumberRule rule;
  double& (*real_field)(model::Parameters&) = nullptr;
  int& (*integer_field)(model::Parameters&) = nullptr;
  // Optional numeric field: stored when omitted; emitted only when given or different.
  std::optional<double> absent_value;

  // Kind::run_month: the month index after the start.
  int& (*month_field)(model::Parameters&) = nullptr;
  // Kind::block: set when the block is present, cleared when it is absent.
  bool& (*enabled_field)(model::Parameters&) = nullptr;

  // Numeric fields that must be a plain number: why (empty: a distribution is allowed).
  std::string certain_reason;

  // Structured fields.
  ParseFn parse = nullptr;
  EmitFn emit = nullptr;
  ResetFn reset = nullptr;
  bool (*emitted)(const model::Parameters&) = nullptr;  // set: emitted only when this holds
  std::string format_text;  // the "range" column of the docs for non-numeric fields

  std::string default_text;  // docs: what omitting an optional field means

  bool numeric() const { return real_field != nullptr || integer_field != nullptr; }
  std::string range_column() const;

  FieldSpec& at_least(double min);
  FieldSpec& above(double min);
  FieldSpec& at_most(double max);
  FieldSpec& below(double max);
  FieldSpec& optional(double absent, std::string meaning);
  // Written into the resolved YAML only when `in_effect` says so.
  FieldSpec& emitted_when(bool (*in_effect)(const model::Parameters&));
  FieldSpec& certain(std::string reason);
};

// Two ways of giving the same thing in one section, of which a scenario uses
// one: the keys of `usual` (required as the table says) or one key of
// `instead`, which makes the `usual` keys optional and forbids them. Across
// `extends`, a file that gives either form replaces the other form its
// ancestors gave.
struct Alternatives {
  std::string section;               // dotted path of the section
  std::vector<std::string> usual;    // keys of the section
  std::vector<std::string> instead;  // keys of the section; at most one may be given
  std::string what;                  // "the initial workforce", for messages
  bool (*instead_in_effect)(const model::Parameters&) = nullptr;  // the usual keys are then not emitted
};

using CrossCheck = void (*)(const Bindings& bindings, const model::Parameters& parameters);

// A `YYYY-MM` month that must lie within the simulated months of `time`, as
// months after the start; fails at `node` otherwise.
int parse_run_month(const Node& node, const std::string& path, const model::TimeParameters& time);
std::string format_run_month(int month_index, const model::TimeParameters& time);

// Every field, in canonical order (the order of the resolved YAML).
const std::vector<FieldSpec>& schema_fields();
// Rules that involve more than one field, run after all fields are bound.
std::span<const CrossCheck> schema_checks();
std::span<const Alternatives> schema_alternatives();

// A numeric field written as a mapping {distribution: ..., ...}, truncated to
// `rule`; fails at the offending key.
Distribution parse_distribution(const Node& node, const std::string& path, const NumberRule& rule);

}  // namespace wfsim::scenario::detail
