// What every wfsim HDF5 writer shares: a file created under a temporary
// name, objects written with errors that name the file, checksummed
// datasets, values checked before they are stored, and publication by
// `complete = 1`, flush and rename, so a file at the final path is always
// finished. Internal to engine/output.
#pragma once

#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "output/hdf5_handle.hpp"
#include "output/output_files.hpp"

namespace wfsim::output::h5 {

// What a table holds where nothing was written (its datasets' fill value):
// NaN, never a plausible zero.
inline constexpr double kTableFill = std::numeric_limits<double>::quiet_NaN();

// The HDF5 error stack, then cleared.
struct ErrorStack {
  std::string detail;         // "outermost: innermost" (the API call and its cause)
  int system_error = 0;       // the errno of a failed system call the library reports, else 0
  bool input_output = false;  // the library failed to read or write the file itself
};
ErrorStack take_error_stack();
// take_error_stack().detail
std::string error_detail();

// Call before any other use of the library: turns off its printing of
// errors (failures become exceptions) and its clean-up at exit, which after
// a failed close (a full disk) crashes; wfsim closes every file itself.
void prepare_library();

// One output file being written. Derived writers declare their datasets and
// groups after these members, so they close first, then the file, then the
// temporary file is removed if it was never published. A failure of the
// disk (full, read-only, quota, I/O error) throws OutputError; any other
// std::runtime_error: "cannot write <kind> '<final>' (temporary '<temp>'):
// could not <what>: <HDF5 detail>".
struct FileWriter : StatusChecks<FileWriter> {
  FileWriter(std::string kind, std::filesystem::path final_path);

  std::string kind;  // "run file", "sensitivity file": for messages
  std::filesystem::path final_path;
  PartialFile temporary;
  File file;

  // Creates the temporary file (truncating a stray one) and silences the
  // library's own error printing: failures become exceptions.
  void create_file();
  // Writes `complete = 1` on the root, closes, flushes to disk and renames
  // the temporary file to the final path. Close every object first.
  void publish();

  // A file holds finite numbers, or NaN for a value that is missing (an
  // average over nobody) where `missing_allowed`; never an infinity. Throws
  // std::runtime_error naming `where` and the place of the first other
  // value: [row, column] with `columns` values a row and rows numbered from
  // `first_row`, or its index when `columns` is 0.
  void check_finite(std::span<const double> values, std::size_t columns, std::size_t first_row,
                    bool missing_allowed, std::string_view where) const;

  [[noreturn]] void fail(std::string_view what) const;

  Datatype string_type() const;  // variable-length UTF-8
  Group create_group(hid_t parent, const std::string& name, std::string_view where) const;

  template <typename T>
  void write_scalar_attribute(hid_t object, const char* name, hid_t type, const T& value) const {
    write_scalar_attribute_bytes(object, name, type, &value);
  }
  void write_int_attribute(hid_t object, const char* name, int value) const;
  void write_double_attribute(hid_t object, const char* name, double value) const;
  void write_string_attribute(hid_t object, const char* name, std::string_view value) const;
  void write_string_array_attribute(hid_t object, const char* name,
                                    const std::vector<std::string>& values) const;

  // 1-D datasets written whole, returned open for attributes.
  Dataset write_string_dataset(hid_t parent, const char* name, const std::vector<std::string>& values,
                               std::string_view where) const;
  // A one-dimensional dataset of `size` values of memory type `type`,
  // checksummed unless the type is of variable length.
  Dataset write_vector(hid_t parent, const char* name, hid_t type, const void* values, hsize_t size,
                       std::string_view where) const;
  Dataset write_double_dataset(hid_t parent, const char* name, std::span<const double> values,
                               std::string_view where) const;
  Dataset write_int_dataset(hid_t parent, const char* name, std::span<const int> values,
                            std::string_view where) const;

  // float64 [rows, columns], filled with kTableFill, chunked with a Fletcher32
  // checksum when not empty: chunks of chunk_rows rows, compressed (shuffle +
  // deflate), when chunk_rows > 0, else of every row that fits in 1 MiB.
  Dataset create_table(hid_t parent, const char* name, hsize_t rows, hsize_t columns, int chunk_rows,
                       hid_t access, std::string_view where) const;
  // Writes the whole table, after check_finite (missing values allowed).
  void write_table(hid_t dataset, std::span<const double> values, std::string_view where) const;
  // `units` and `description` attributes.
  void describe(hid_t object, std::string_view units, std::string_view description) const;

 private:
  void write_scalar_attribute_bytes(hid_t object, const char* name, hid_t type, const void* value) const;
};

}  // namespace wfsim::output::h5
