// The run file: one HDF5 file per run (layout in MODEL.md section 14 and
// outputs/README.md), written under a temporary name and renamed into place
// only when complete, so a file at the final path is always a finished run.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "run/comparison.hpp"
#include "run/results.hpp"

namespace wfsim::output {

// Version 2: dimension scales, long_name on every table, comparison outcomes of
// one value per replication stored as vectors, probability_better in a group of its own.
inline constexpr int kRunFileFormatVersion = 2;

// What the file records about one scenario of the run.
struct ScenarioInfo {
  std::string name;  // group name under /scenarios: non-empty, no '/', unique in the run
  std::string description;
  std::string config_yaml;  // the fully resolved scenario
  bool reference = false;   // the scenario others are compared with
  double initial_permanent_qsw =
      0;  // permanent_qsw before month 0: attribute `initial` on series/permanent_qsw
};

// What the file records about the run as a whole (root attributes).
struct RunInfo {
  std::string wfsim_version;
  std::string created_utc;  // ISO 8601 UTC
  std::uint64_t seed = 0;
  int replications = 0;
  int months = 0;
  std::string start_month;  // "YYYY-MM", e.g. "2015-11"
  std::vector<std::string> input_files;
  std::string command_line;
  bool independent_streams = false;
  // Written by wfsim region: each region's councils, then its totals, as
  // scenarios; stamped filetype wfsim-region-run, since a region holds a
  // reference per council and the run-file readers expect one.
  bool region = false;
};

// The values one uncertain parameter took, one per replication.
struct ParameterDraws {
  std::string path;  // dotted, as in a scenario file
  std::string units;
  std::string distribution;  // as written, e.g. "{distribution: triangular, min: 1.5, mode: 2, max: 2.5}"
  std::vector<double> values;
};

// Streams a run's results into `<final>.partial-<pid>`, then writes summaries
// and annual tables, marks the file complete and renames it to the final path.
// Every failure throws std::runtime_error naming the file. Not thread-safe:
// call from one thread at a time.
class RunFileWriter {
 public:
  // Creates the temporary file with every group, attribute and dataset. Throws
  // if the final path's directory does not exist (it never creates directories).
  // `threads` compress the series as blocks complete their chunks and read
  // them back for the summaries: the run's own threads, idle meanwhile.
  RunFileWriter(std::filesystem::path final_path, RunInfo run, std::vector<ScenarioInfo> scenarios,
                int threads = 1);
  RunFileWriter(const RunFileWriter&) = delete;
  RunFileWriter& operator=(const RunFileWriter&) = delete;
  // If finish() has not completed: closes and deletes the temporary file.
  ~RunFileWriter();

  // Blocks must arrive in order: each starts at the replication after the last
  // one written, any size. After a failure the writer only accepts destruction.
  void write_block(const run::ResultBlock& block);
  // Paired differences of one option against the reference, under
  // /comparisons/<option>/. `independent_variance` is the variance of the
  // net-loss difference measured again with independent streams, if it was.
  // Call after every block and before finish().
  void write_comparison(const run::Comparison& comparison, std::optional<double> independent_variance = {});
  // One scenario's draws of its uncertain parameters, one value per
  // replication each, under /scenarios/<name>/assumptions/<dotted path>.
  void write_assumptions(int scenario, const std::vector<ParameterDraws>& draws);
  // How much of each outcome's 80% range comes from the assumptions: the
  // widths (p90 - p10) with the draws and with chance alone (every uncertain
  // parameter at its mean), under /scenarios/<name>/uncertainty/.
  void write_uncertainty(int scenario, const run::OutcomeTally& with_draws,
                         const run::OutcomeTally& chance_only);
  // Requires every replication written. Writes summaries and annual tables,
  // then `complete = 1`, closes and renames to the final path.
  void finish();

  const std::filesystem::path& final_path() const;
  const std::filesystem::path& temporary_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// About how many bytes a run file of this shape takes on disk, for the
// check before a run: series compress to about a third (measured on the
// Lancashire runs: 30%), the rest is stored as it is.
double estimated_run_file_bytes(int scenarios, int replications, int months);

// Replications a chunk of every series holds in a run of this shape.
int series_chunk_rows(int replications, int months);

// A block's series chunks encoded as the run file stores them, for a block
// of a run of `replications` that covers whole chunks (else empty): a rank
// of an MPI job encodes the blocks it simulated, and rank 0's writer stores
// the bytes as they are (RunFileWriter::write_block with block.prepared).
std::vector<unsigned char> encode_series_chunks(const run::ResultBlock& block, int replications);

}  // namespace wfsim::output
