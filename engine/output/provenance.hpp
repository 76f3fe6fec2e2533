// Internal to engine/output: what the files of the modellers' tools
// (sensitivity and policy search files) record of where they came from, and
// the checks of where one will be written.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "output/hdf5_file_reader.hpp"
#include "output/hdf5_file_writer.hpp"

namespace wfsim::output {

struct Provenance {
  std::string wfsim_version;
  std::string created_utc;  // ISO 8601 UTC
  std::string command_line;
  std::vector<std::string> input_files;
};

// Throws std::runtime_error "cannot write <kind> '<path>': ..." if the file
// cannot be written there (output_directory_problem).
void check_final_path(const std::filesystem::path& final_path, std::string_view kind);

// The root attributes: filetype, file_format_version and the provenance.
void write_provenance(const h5::FileWriter& writer, hid_t root, const h5::FileKind& kind,
                      const Provenance& provenance);
// The provenance of an open file (missing attributes read as empty).
Provenance read_provenance(const h5::FileReader& reader, hid_t root);

}  // namespace wfsim::output
