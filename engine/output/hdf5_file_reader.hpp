// What every wfsim HDF5 reader shares: opening a finished file read-only
// (an HDF5 file of the right filetype and format version with `complete = 1`),
// and reading attributes and small datasets with errors that name the file.
// Internal to engine/output.
#pragma once

#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "output/hdf5_handle.hpp"

namespace wfsim::output::h5 {

// What kind of file a reader expects, for the checks and the messages.
struct FileKind {
  std::string_view name;      // "run file"
  std::string_view filetype;  // the root attribute: "wfsim-run"
  int file_format_version;
  std::string_view writer;  // the command that writes it: "wfsim run"
  std::string_view redo;    // what to do about an unfinished one: "run the scenarios again"
};

struct FileReader : StatusChecks<FileReader> {
  FileReader(FileKind kind, std::filesystem::path path);

  FileKind kind;
  std::filesystem::path path;
  File file;

  // Opens the file read-only and checks that it is a finished file of this
  // kind (and not named like a partial file). Returns why it cannot be used ("is incomplete: ...", to follow
  // "<kind> '<path>' "), or an empty string once open. Silences the
  // library's own error printing: failures become exceptions or messages.
  std::string open();

  // Throws std::runtime_error: "cannot read <kind> '<path>': <what>: <HDF5 detail>".
  [[noreturn]] void fail(std::string_view what) const;

  static bool has_attribute(hid_t object, const char* name);
  // A single integer: `complete` and `file_format_version` must be, to count.
  static bool is_integer_attribute(hid_t object, const char* name);
  bool has_link(hid_t parent, const std::string& name) const;

  std::string read_string_attribute(hid_t object, const char* name) const;
  std::vector<std::string> read_string_array_attribute(hid_t object, const char* name) const;
  int read_int_attribute(hid_t object, const char* name) const;
  double read_double_attribute(hid_t object, const char* name) const;
  template <typename T>
  T read_scalar_attribute(hid_t object, const char* name, hid_t memory_type) const {
    T value{};
    read_scalar_attribute_bytes(object, name, memory_type, &value);
    return value;
  }
  // Empty when the object has no such attribute.
  std::string optional_string_attribute(hid_t object, const char* name) const;
  // `missing` when the object has no such attribute; a flag is an integer, true unless 0.
  double optional_double_attribute(hid_t object, const char* name, double missing) const;
  bool optional_flag_attribute(hid_t object, const char* name, bool missing) const;

  Datatype string_type(bool variable) const;  // UTF-8; variable-length or fixed

  Dataset open_dataset(hid_t parent, const std::string& name, const std::string& where) const;
  Group open_group(hid_t parent, const std::string& name, const std::string& where) const;
  std::vector<hsize_t> shape_of(hid_t dataset, const std::string& where) const;
  std::vector<double> read_doubles(hid_t dataset, std::size_t total, const std::string& where) const;
  std::vector<int> read_ints(hid_t dataset, std::size_t total, const std::string& where) const;
  // A 1-D dataset of variable-length strings.
  std::vector<std::string> read_string_dataset(hid_t parent, const std::string& name,
                                               const std::string& where) const;
  // Names of the links in a group, alphabetically.
  std::vector<std::string> members(hid_t group, const std::string& where) const;

 private:
  void read_scalar_attribute_bytes(hid_t object, const char* name, hid_t memory_type, void* value) const;
};

// A reader whose refusals throw `InputError` naming the file: "<kind> '<path>' <why>".
template <typename InputError>
struct RefusingFileReader : FileReader {
  using FileReader::FileReader;

  [[noreturn]] void refuse(std::string_view why) const {
    throw InputError(fmt::format("{} '{}' {}", kind.name, path.string(), why));
  }
  // Opens the file or refuses it with open()'s reason.
  void open_or_refuse() {
    if (const std::string why = open(); !why.empty()) refuse(why);
  }
};

}  // namespace wfsim::output::h5
