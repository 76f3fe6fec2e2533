// The sensitivity file: one HDF5 file per `wfsim sensitivity` (layout in
// outputs/README.md, "Sensitivity files"), written under a temporary name and
// renamed into place only when complete, as run files are; and read back for
// the report.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/file_provenance.hpp"

namespace wfsim::output {

struct SensitivityFileInfo : Provenance {
  std::string design;        // "tornado" or "morris"
  std::string output;        // a run::kOutcomes name
  std::string output_units;  // its units
  std::string scenario;      // the reference scenario's name
  std::string policy;        // the policy scenario's name; empty without one
  int replications = 0;
  std::uint64_t seed = 0;
  double base_value = 0;  // the output with every parameter at its scenario value
  int evaluations = 0;
  int trajectories = 0;  // Morris only
  int levels = 0;        // Morris only
};

// One entry per parameter in every column. Tornado fills output_low and
// output_high; Morris mu, mu_star and sigma; the others stay empty.
struct SensitivityColumns {
  std::vector<std::string> parameters;
  std::vector<double> baseline;
  std::vector<double> low;
  std::vector<double> high;
  std::vector<double> output_low;
  std::vector<double> output_high;
  std::vector<double> mu;
  std::vector<double> mu_star;
  std::vector<double> sigma;
  std::vector<int> flips_ranking;
};

// Writes the whole file. Throws std::runtime_error naming the file on any
// failure, leaving nothing at the final path or the temporary one. Never
// creates directories.
void write_sensitivity_file(const std::filesystem::path& final_path, const SensitivityFileInfo& info,
                            const SensitivityColumns& columns);

// The file cannot be used as a sensitivity file: missing, not HDF5, not a
// wfsim sensitivity file, of an unknown format version, unfinished (no
// `complete = 1`) or with columns of the wrong length. The message names the
// file and says what to do.
class SensitivityFileInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SensitivityRecord {
  std::filesystem::path path;
  SensitivityFileInfo info;
  SensitivityColumns columns;

  bool tornado() const { return info.design == "tornado"; }
  // Tornado: |output_high - output_low| of parameter k.
  double swing(std::size_t k) const;
};

// Reads a whole sensitivity file. Throws SensitivityFileInputError for a file
// that is not a finished wfsim sensitivity file and std::runtime_error for any
// other failure to read it.
SensitivityRecord read_sensitivity_file(const std::filesystem::path& path);

}  // namespace wfsim::output
