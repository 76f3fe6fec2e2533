// Input and output files of the modellers' tools, read with the scenario
// module's located-error machinery: calibration targets, sensitivity ranges,
// and the overlay scenario a calibration writes. Every problem throws
// ScenarioError with file, line, column and key.
#pragma once

#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/parameters.hpp"
#include "scenario/scenario_error.hpp"

namespace wfsim::scenario {

// A statistic a targets file may name. The definitions live in the analysis
// layer, which hands the loader this catalogue.
struct StatisticRule {
  std::string_view name;
  std::string_view noun;  // what an observed value is, for messages: "a fraction"
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool annual_flow = false;  // counted over the 12 months ending at its month
  int follow_up_months = 0;  // the statistic also looks this many months past its month
};

// One observed statistic to fit.
struct TargetStatistic {
  std::string statistic;
  double value = 0;
  double weight = 1;
  model::YearMonth month;  // a stock: that month's end; a flow: the last month of its year
  int month_index = 0;     // months after the run's start
  int line = 0;            // where the entry was written
};

// One parameter to fit, within bounds.
struct CalibrationParameter {
  std::string path;  // dotted, as in scenario::numeric_parameters()
  double min = 0;
  double max = 0;
  double start = 0;  // `start:`, else the scenario's value
  int line = 0;
};

struct Targets {
  std::filesystem::path file;
  std::string description;
  model::YearMonth reference_date;
  std::vector<TargetStatistic> statistics;
  std::vector<CalibrationParameter> parameters;
};

// Reads a targets file against the scenario it calibrates (its horizon for
// the months, its values for the starting points) and the statistics the
// analysis layer defines.
Targets load_targets(const std::filesystem::path& file, const model::Parameters& scenario,
                     std::span<const StatisticRule> statistics);
Targets load_targets_text(const std::string& yaml_text, const std::string& display_name,
                          const model::Parameters& scenario, std::span<const StatisticRule> statistics);

// One uncertain parameter of a sensitivity design, and the distribution a
// scenario that names the file as its `assumptions` draws it from.
struct ParameterRange {
  enum class Shape { triangular, uniform };
  std::string path;
  double low = 0;
  double high = 0;
  Shape shape = Shape::triangular;  // triangular: its mode is the scenario's own value
  int line = 0;
};

struct Ranges {
  std::filesystem::path file;
  std::string description;
  std::vector<ParameterRange> parameters;
};

// Reads a ranges file; `scenarios` are those the design will vary (each
// range is applied to all of them), for the checks that involve their values.
Ranges load_ranges(const std::filesystem::path& file, std::span<const model::Parameters* const> scenarios);
Ranges load_ranges_text(const std::string& yaml_text, const std::string& display_name,
                        std::span<const model::Parameters* const> scenarios);

// Whether `parameters` use the numeric parameter at `path`: false inside a
// policy block the scenario does not switch on.
bool parameter_in_force(const model::Parameters& parameters, std::string_view path);

// A scenario file that `extends` another and sets only `values` (dotted
// paths, written as nested YAML in the schema's order, numbers that read back
// bit-identical). `header` lines become comments at the top.
std::string overlay_yaml(const std::string& extends, const std::string& description,
                         const std::vector<std::pair<std::string, double>>& values,
                         const std::vector<std::string>& header = {});

// The same with values as YAML text: any key of the schema, each value on one
// line (a number, a month, a flow list or mapping, a distribution), and a
// policy block's own key with `{}` to switch it on with nothing else set.
// Throws std::invalid_argument for an unknown key or a value of several lines.
std::string overlay_yaml_text(const std::string& extends, const std::string& description,
                              const std::vector<std::pair<std::string, std::string>>& values,
                              const std::vector<std::string>& header = {});

}  // namespace wfsim::scenario
