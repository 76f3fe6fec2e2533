// Internal to engine/output: what the files of the modellers' tools
// (sensitivity and policy search files) record of where they came from, and
// the checks of where one will be written.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "output/file_provenance.hpp"
#include "output/hdf5_file_reader.hpp"
#include "output/hdf5_file_writer.hpp"

namespace wfsim::output {

// One scalar attribute of a file's header record, named once so that the
// writer and the reader cannot drift apart.
template <typename Record>
struct AttributeField {
  const char* name;
  std::variant<std::string Record::*, int Record::*, double Record::*, std::uint64_t Record::*,
               std::int64_t Record::*>
      member;
  bool optional = false;  // a string that reads as empty when the attribute is missing
};

// The HDF5 memory type of a 64-bit integer member.
template <typename Integer>
hid_t native_integer_type() {
  static_assert(std::is_same_v<Integer, std::uint64_t> || std::is_same_v<Integer, std::int64_t>);
  return std::is_same_v<Integer, std::uint64_t> ? H5T_NATIVE_UINT64 : H5T_NATIVE_INT64;
}

template <typename Record>
void write_attributes(const h5::FileWriter& writer, hid_t object, const Record& record,
                      std::span<const AttributeField<Record>> fields) {
  for (const AttributeField<Record>& field : fields) {
    std::visit(
        [&](auto member) {
          const auto& value = record.*member;
          using Value = std::remove_cvref_t<decltype(value)>;
          if constexpr (std::is_same_v<Value, std::string>) {
            writer.write_string_attribute(object, field.name, value);
          } else if constexpr (std::is_same_v<Value, int>) {
            writer.write_int_attribute(object, field.name, value);
          } else if constexpr (std::is_same_v<Value, double>) {
            writer.write_double_attribute(object, field.name, value);
          } else {
            writer.write_scalar_attribute(object, field.name, native_integer_type<Value>(), value);
          }
        },
        field.member);
  }
}

template <typename Record>
void read_attributes(const h5::FileReader& reader, hid_t object, Record& record,
                     std::span<const AttributeField<Record>> fields) {
  for (const AttributeField<Record>& field : fields) {
    std::visit(
        [&](auto member) {
          auto& value = record.*member;
          using Value = std::remove_cvref_t<decltype(value)>;
          if constexpr (std::is_same_v<Value, std::string>) {
            value = field.optional ? reader.optional_string_attribute(object, field.name)
                                   : reader.read_string_attribute(object, field.name);
          } else if constexpr (std::is_same_v<Value, int>) {
            value = reader.read_int_attribute(object, field.name);
          } else if constexpr (std::is_same_v<Value, double>) {
            value = reader.read_double_attribute(object, field.name);
          } else {
            value = reader.read_scalar_attribute<Value>(object, field.name, native_integer_type<Value>());
          }
        },
        field.member);
  }
}

// Throws std::runtime_error "cannot write <kind> '<path>': ..." if the file
// cannot be written there (output_directory_problem).
void check_final_path(const std::filesystem::path& final_path, std::string_view kind);

// The root attributes: filetype, file_format_version and the provenance.
void write_provenance(const h5::FileWriter& writer, hid_t root, const h5::FileKind& kind,
                      const Provenance& provenance);
// The provenance of an open file (missing attributes read as empty).
Provenance read_provenance(const h5::FileReader& reader, hid_t root);

// Opens a modeller's file (refusing one that cannot be used) and starts its
// record with what every such file holds: its path and its provenance.
template <typename Record, typename Reader>
Record open_record(Reader& reader) {
  reader.open_or_refuse();
  Record record;
  record.path = reader.path;
  static_cast<Provenance&>(record.info) = read_provenance(reader, reader.file.get());
  return record;
}

}  // namespace wfsim::output
