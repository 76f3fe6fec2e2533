// The policy search file: one HDF5 file per `wfsim optimise` (layout in
// outputs/README.md, "Policy search files"), written under a temporary name
// and renamed into place only when complete, as run files are; and read
// back for the report. Every group is a table of named columns, one row per
// lever, number, package evaluated, on/off set or package run again.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "output/file_provenance.hpp"

namespace wfsim::output {

// input_files: the reference, the levers file, the measures.
struct PolicySearchFileInfo : Provenance {
  std::string reference;  // the reference scenario's name
  std::string objective;  // in words: "net_loss_total"
  std::string objective_units;
  double budget_gbp = 0;
  std::string budget_rule;  // "mean" or "probability"
  double max_probability = 0;
  std::uint64_t seed = 0;
  int replications = 0;
  int max_replications = 0;
  int max_evaluations = 0;
  double racing_z = 0;
  double budget_margin_z = 0;  // standard errors of mean spend the search keeps below the budget
  std::uint64_t rerun_seed = 0;
  int rerun_replications = 0;
  int rounds = 0;
  int evaluations = 0;
  std::int64_t replications_simulated = 0;
  double seconds = 0;
  std::string stop_reason;
  double reference_score = 0;  // the reference's mean score on the fresh seed
};

// A column of numbers; `integer` columns are stored as 32-bit integers.
struct NumberColumn {
  std::string name;
  std::string units;
  std::string description;
  std::vector<double> values;
  bool integer = false;
};
struct TextColumn {
  std::string name;
  std::string description;
  std::vector<std::string> values;
};
// A [rows, columns] table of numbers, row-major.
struct MatrixColumn {
  std::string name;
  std::string units;
  std::string description;
  std::size_t columns = 0;
  std::vector<double> values;
};

// One group of the file: columns of equal length.
struct ColumnTable {
  std::vector<NumberColumn> numbers;
  std::vector<TextColumn> texts;
  std::vector<MatrixColumn> matrices;

  std::size_t rows() const;
  // Throws std::out_of_range naming the column when there is none.
  const std::vector<double>& number(std::string_view name) const;
  const std::vector<std::string>& text(std::string_view name) const;
  const MatrixColumn& matrix(std::string_view name) const;
};

// The groups of the file, by name: levers, variables, candidates, contenders, packages.
struct PolicySearchTables {
  ColumnTable levers;
  ColumnTable variables;
  ColumnTable candidates;
  ColumnTable contenders;
  ColumnTable packages;
};

// Writes the whole file. Throws std::runtime_error naming the file on any
// failure, leaving nothing at the final path or the temporary one. Never
// creates directories.
void write_policy_search_file(const std::filesystem::path& final_path, const PolicySearchFileInfo& info,
                              const PolicySearchTables& tables);

// The file cannot be used as a policy search file: missing, not HDF5, not a
// wfsim policy search file, of an unknown format version or unfinished.
class PolicySearchFileInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Columns the report reads, which a file must have.
inline constexpr std::string_view kRequiredCandidateColumns[] = {"spend_mean", "score_difference", "frontier",
                                                                 "valid"};
inline constexpr std::string_view kRequiredPackageColumns[] = {"finalist_rank",
                                                               "chosen",
                                                               "package",
                                                               "spend_mean",
                                                               "overspend_probability",
                                                               "extra_cost_mean",
                                                               "score_difference_mean",
                                                               "score_difference_p10",
                                                               "score_difference_p90",
                                                               "net_loss_difference_mean",
                                                               "net_loss_difference_p10",
                                                               "net_loss_difference_p90",
                                                               "search_net_loss_difference",
                                                               "search_score_difference"};

struct PolicySearchRecord {
  std::filesystem::path path;
  PolicySearchFileInfo info;
  PolicySearchTables tables;
};

// Reads a whole policy search file. Throws PolicySearchFileInputError for a
// file that is not a finished wfsim policy search file and
// std::runtime_error for any other failure to read it.
PolicySearchRecord read_policy_search_file(const std::filesystem::path& path);

}  // namespace wfsim::output
