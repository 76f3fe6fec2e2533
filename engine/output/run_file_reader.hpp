// Reading a finished run file (layout in outputs/README.md): the root
// attributes, the month and year labels, every scenario's summaries, annual
// tables and resolved YAML, and the paired comparisons. Per-replication
// series are read on request, one metric at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wfsim::output {

// The file cannot be used as a run file: missing, not HDF5, not a wfsim run,
// of an unknown format version, or unfinished (no `complete = 1`). The message
// names the file and says what to do.
class RunFileInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A float64 [rows, columns] table with named rows, such as a summary
// (rows "mean,p10,p25,p50,p75,p90") or a comparison summary (the same, then
// "probability_better").
struct NamedRowTable {
  std::string name;
  std::string units;
  std::string description;
  std::vector<std::string> rows;
  std::size_t columns = 0;
  std::vector<double> values;  // row-major

  bool has_row(std::string_view row) const;
  // Throws std::out_of_range naming the table if there is no such row.
  std::span<const double> row(std::string_view row) const;
  double at(std::string_view row, std::size_t column) const { return this->row(row)[column]; }
};

// A float64 [replications, columns] table, such as annual/net_loss.
struct ReplicationTable {
  std::string name;
  std::string units;
  std::string description;
  std::size_t replications = 0;
  std::size_t columns = 0;
  std::vector<double> values;  // row-major: values[replication * columns + column]
};

struct ScenarioRecord {
  std::string name;
  std::string description;
  std::string config_yaml;  // the fully resolved scenario
  bool reference = false;
  std::optional<double> initial_permanent_qsw;  // attribute `initial` on series/permanent_qsw
  std::vector<NamedRowTable> summaries;         // summary/<metric>, in the model's metric order
  std::vector<NamedRowTable> annual_summaries;  // annual/summary/<table>
  std::vector<ReplicationTable> annual;         // annual/<table>
  std::vector<std::string> series_metrics;      // names under series/, in metric order
  // With uncertain assumptions: how many were drawn (assumptions/), and the
  // share of the 80% width of the horizon's net loss that they add
  // (uncertainty/share_from_assumptions/net_loss_total; absent without the
  // chance-only pass).
  int uncertain_parameters = 0;
  std::optional<double> net_loss_total_share_from_assumptions;

  // Throws std::out_of_range naming the scenario if absent.
  const NamedRowTable& summary(std::string_view metric) const;
  const NamedRowTable& annual_summary(std::string_view table) const;
  const ReplicationTable& annual_table(std::string_view table) const;
};

struct ComparisonRecord {
  std::string option;
  std::string reference;
  std::string description;
  double cost_per_leaver_avoided = 0;  // NaN when no leavers are avoided on average
  double net_loss_difference_variance = 0;
  std::optional<double> net_loss_difference_variance_independent;
  // summary/<outcome>: rows mean..p90 of (option - reference), then the row
  // probability_better from probability_better/<outcome>; one column per year,
  // or one; in the order of run::kOutcomes, any others after.
  std::vector<NamedRowTable> summaries;
  std::vector<bool> lower_is_better;  // per summary, from the outcome dataset's attribute

  const NamedRowTable& summary(std::string_view outcome) const;
};

struct RunRecord {
  std::filesystem::path path;
  std::string filetype;
  int file_format_version = 0;
  std::string wfsim_version;
  std::string created_utc;
  std::uint64_t seed = 0;
  int replications = 0;
  int month_count = 0;
  std::string start_month;
  std::vector<std::string> scenario_names;
  std::vector<std::string> input_files;
  std::string command_line;
  bool independent_streams = false;

  std::vector<std::string> months;            // "2015-11", ...
  std::vector<std::string> years;             // "2015-11 to 2016-10", ...
  std::vector<ScenarioRecord> scenarios;      // in run order
  std::vector<ComparisonRecord> comparisons;  // in run order of the options

  const ScenarioRecord& scenario(std::string_view name) const;
  // The scenario marked reference = 1 (the first if none is marked).
  const ScenarioRecord& reference() const;
  // nullptr if the file holds no comparison for this option.
  const ComparisonRecord* comparison(std::string_view option) const;
};

// Opens a run file read-only and reads everything but the series. Throws
// RunFileInputError for a file that is not a finished wfsim run file and
// std::runtime_error for any other failure to read it.
class RunFileReader {
 public:
  explicit RunFileReader(const std::filesystem::path& path);
  RunFileReader(const RunFileReader&) = delete;
  RunFileReader& operator=(const RunFileReader&) = delete;
  ~RunFileReader();

  const RunRecord& run() const;
  // series/<metric> of one scenario: [replications, months], row-major.
  std::vector<double> read_series(std::string_view scenario, std::string_view metric) const;

  // Checks the file against itself before anything is made from it: every
  // metric, table and comparison present with the shape the root attributes
  // give, no infinity anywhere, and every series read through, so the
  // library verifies each chunk's checksum. Throws RunFileInputError naming
  // the first damage or disagreement.
  void verify() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wfsim::output
