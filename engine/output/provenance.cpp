#include "output/provenance.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "output/output_files.hpp"

namespace wfsim::output {

void check_final_path(const std::filesystem::path& final_path, std::string_view kind) {
  if (const std::string problem = output_directory_problem(final_path); !problem.empty())
    throw std::runtime_error(fmt::format("cannot write {} '{}': {}", kind, final_path.string(), problem));
}

void write_provenance(const h5::FileWriter& writer, hid_t root, const h5::FileKind& kind,
                      const Provenance& provenance) {
  writer.write_string_attribute(root, "filetype", kind.filetype);
  writer.write_int_attribute(root, "file_format_version", kind.file_format_version);
  writer.write_string_attribute(root, "wfsim_version", provenance.wfsim_version);
  writer.write_string_attribute(root, "created_utc", provenance.created_utc);
  writer.write_string_attribute(root, "command_line", provenance.command_line);
  writer.write_string_array_attribute(root, "input_files", provenance.input_files);
}

Provenance read_provenance(const h5::FileReader& reader, hid_t root) {
  Provenance provenance;
  provenance.wfsim_version = reader.optional_string_attribute(root, "wfsim_version");
  provenance.created_utc = reader.optional_string_attribute(root, "created_utc");
  provenance.command_line = reader.optional_string_attribute(root, "command_line");
  if (h5::FileReader::has_attribute(root, "input_files"))
    provenance.input_files = reader.read_string_array_attribute(root, "input_files");
  return provenance;
}

}  // namespace wfsim::output
