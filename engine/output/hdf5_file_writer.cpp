#include "output/hdf5_file_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "output/chunk_codec.hpp"

namespace wfsim::output::h5 {
namespace {

// Tables written whole are one chunk of at most this many bytes.
constexpr std::size_t kWholeTableChunkBytes = 1 << 20;
constexpr std::size_t kConversionBufferBytes = 16 << 10;

// "... errno = 28, error message = ..." in the library's description of a failed system call.
int system_error_in(std::string_view description) {
  constexpr std::string_view kMarker = "errno = ";
  const std::size_t at = description.find(kMarker);
  if (at == std::string_view::npos) return 0;
  int value = 0;
  const char* first = description.data() + at + kMarker.size();
  const auto [end, error] = std::from_chars(first, description.data() + description.size(), value);
  return error == std::errc() && end != first ? value : 0;
}

// Dataset creation properties: chunked, optionally compressed, and then
// checksummed, so the reader verifies the bytes as stored.
void checksum_chunks(hid_t creation, std::span<const hsize_t> chunk, bool compress, const FileWriter& writer,
                     std::string_view where) {
  writer.check(H5Pset_chunk(creation, static_cast<int>(chunk.size()), chunk.data()),
               fmt::format("set chunking of {}", where));
  if (compress) {
    writer.check(H5Pset_shuffle(creation), fmt::format("set the shuffle filter of {}", where));
    writer.check(H5Pset_deflate(creation, kDeflateLevel), fmt::format("set compression of {}", where));
  }
  writer.check(H5Pset_fletcher32(creation), fmt::format("set the checksum of {}", where));
}

}  // namespace

ErrorStack take_error_stack() {
  ErrorStack stack;
  std::vector<std::string> messages;
  struct Walk {
    ErrorStack* stack;
    std::vector<std::string>* messages;
  } walk{&stack, &messages};
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned, const H5E_error2_t* error, void* data) -> herr_t {
        const auto* walk = static_cast<const Walk*>(data);
        if (error->maj_num == H5E_IO) walk->stack->input_output = true;
        if (error->desc != nullptr && *error->desc != '\0') {
          walk->messages->emplace_back(error->desc);
          if (walk->stack->system_error == 0) walk->stack->system_error = system_error_in(error->desc);
        }
        return 0;
      },
      &walk);
  H5Eclear2(H5E_DEFAULT);
  if (messages.empty()) {
    stack.detail = "no detail from the HDF5 library";
  } else if (messages.size() == 1) {
    stack.detail = messages.front();
  } else {
    stack.detail = messages.front() + ": " + messages.back();
  }
  return stack;
}

std::string error_detail() {
  return take_error_stack().detail;
}

void prepare_library() {
  // Only a call before the library starts counts, so the first one decides.
  [[maybe_unused]] static const herr_t no_clean_up_at_exit = H5dont_atexit();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // per thread: the error stack is thread-local
}

FileWriter::FileWriter(std::string kind_name, std::filesystem::path final)
    : kind(std::move(kind_name)), final_path(std::move(final)), temporary(final_path) {}

void FileWriter::fail(std::string_view what) const {
  const ErrorStack stack = take_error_stack();
  if (stack.system_error != 0 || stack.input_output) {
    const std::string cause = stack.system_error != 0
                                  ? std::error_code(stack.system_error, std::generic_category()).message()
                                  : stack.detail;
    temporary.fail(kind,
                   fmt::format("could not {}: {} (temporary '{}')", what, cause, temporary.path().string()));
  }
  throw std::runtime_error(fmt::format("cannot write {} '{}' (temporary '{}'): could not {}: {}", kind,
                                       final_path.string(), temporary.path().string(), what, stack.detail));
}

void FileWriter::create_file() {
  prepare_library();
  PropertyList access(check(H5Pcreate(H5P_FILE_ACCESS), "create file access properties"));
  // Closing must fail, not silently defer, if an object were still open:
  // the rename that follows relies on the file being flushed and closed.
  check(H5Pset_fclose_degree(access.get(), H5F_CLOSE_SEMI), "set the file close degree");
  // The 1.10 format checksums the file's own structures (superblock, object
  // headers, chunk indexes), so a reader notices damage there too.
  check(H5Pset_libver_bounds(access.get(), H5F_LIBVER_V110, H5F_LIBVER_LATEST), "set the file format");
#if H5_VERSION_GE(1, 10, 7)
  // Work on filesystems without locking (some network mounts) instead of failing.
  check(H5Pset_file_locking(access.get(), true, true), "set file locking");
#endif
  file = File(check(H5Fcreate(temporary.path().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()),
                    "create the temporary file"));
  temporary.created();
}

void FileWriter::publish() {
  write_int_attribute(file.get(), "complete", 1);
  check(file.close(), "close the temporary file");
  temporary.publish();
}

void FileWriter::check_finite(std::span<const double> values, std::size_t columns, std::size_t first_row,
                              bool missing_allowed, std::string_view where) const {
  for (std::size_t k = 0; k < values.size(); ++k) {
    const double value = values[k];
    if (std::isfinite(value) || (missing_allowed && std::isnan(value))) continue;
    const std::string at = columns > 0 ? fmt::format("[{}, {}]", first_row + k / columns, k % columns)
                                       : fmt::format("index {}", k);
    throw std::runtime_error(fmt::format(
        "cannot write {} '{}': {} would hold {} at {}; the inputs are beyond what the model computes in "
        "finite numbers, although every one is within its range (please report this)",
        kind, final_path.string(), where, value, at));
  }
}

Datatype FileWriter::string_type() const {
  Datatype type(check(H5Tcopy(H5T_C_S1), "copy the string type"));
  check(H5Tset_size(type.get(), H5T_VARIABLE), "make the string type variable-length");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "set the string type to UTF-8");
  return type;
}

Group FileWriter::create_group(hid_t parent, const std::string& name, std::string_view where) const {
  return Group(check(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                     fmt::format("create group {}", where)));
}

void FileWriter::write_scalar_attribute_bytes(hid_t object, const char* name, hid_t type,
                                              const void* value) const {
  Dataspace space(check(H5Screate(H5S_SCALAR), "create a scalar dataspace"));
  Attribute attribute(check(H5Acreate2(object, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                            fmt::format("create attribute {}", name)));
  check(H5Awrite(attribute.get(), type, value), fmt::format("write attribute {}", name));
}

void FileWriter::write_int_attribute(hid_t object, const char* name, int value) const {
  write_scalar_attribute(object, name, H5T_NATIVE_INT, value);
}

void FileWriter::write_double_attribute(hid_t object, const char* name, double value) const {
  check_finite(std::span(&value, 1), 0, 0, true, fmt::format("attribute {}", name));
  write_scalar_attribute(object, name, H5T_NATIVE_DOUBLE, value);
}

void FileWriter::write_string_attribute(hid_t object, const char* name, std::string_view value) const {
  const std::string text(value);
  const char* pointer = text.c_str();
  const Datatype type = string_type();
  write_scalar_attribute(object, name, type.get(), pointer);
}

void FileWriter::write_string_array_attribute(hid_t object, const char* name,
                                              const std::vector<std::string>& values) const {
  std::vector<const char*> pointers;
  for (const std::string& value : values) pointers.push_back(value.c_str());
  const hsize_t size = pointers.size();
  const Datatype type = string_type();
  Dataspace space(check(H5Screate_simple(1, &size, nullptr), "create a dataspace"));
  Attribute attribute(check(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                            fmt::format("create attribute {}", name)));
  if (!pointers.empty()) {
    check(H5Awrite(attribute.get(), type.get(), pointers.data()), fmt::format("write attribute {}", name));
  }
}

Dataset FileWriter::write_string_dataset(hid_t parent, const char* name,
                                         const std::vector<std::string>& values,
                                         std::string_view where) const {
  std::vector<const char*> pointers;
  for (const std::string& value : values) pointers.push_back(value.c_str());
  const Datatype type = string_type();
  return write_vector(parent, name, type.get(), pointers.data(), pointers.size(), where);
}

Dataset FileWriter::write_vector(hid_t parent, const char* name, hid_t type, const void* values, hsize_t size,
                                 std::string_view where) const {
  Dataspace space(check(H5Screate_simple(1, &size, nullptr), "create a dataspace"));
  PropertyList creation(check(H5Pcreate(H5P_DATASET_CREATE), "create dataset properties"));
  // Variable-length strings live outside their dataset, where no filter reaches.
  const bool fixed_size = H5Tis_variable_str(type) <= 0 && H5Tdetect_class(type, H5T_VLEN) <= 0;
  if (size > 0 && fixed_size) {
    const hsize_t chunk = std::min<hsize_t>(size, kWholeTableChunkBytes / H5Tget_size(type));
    checksum_chunks(creation.get(), std::span(&chunk, 1), false, *this, where);
  }
  Dataset dataset(check(H5Dcreate2(parent, name, type, space.get(), H5P_DEFAULT, creation.get(), H5P_DEFAULT),
                        fmt::format("create dataset {}", where)));
  if (size > 0) {
    // The library converts variable-length strings through a buffer it
    // allocates and clears for every write, 1 MiB unless told otherwise: a
    // run file's many short label lists spent most of its creation there.
    PropertyList transfer(check(H5Pcreate(H5P_DATASET_XFER), "create transfer properties"));
    check(H5Pset_buffer(transfer.get(), kConversionBufferBytes, nullptr, nullptr),
          fmt::format("size the conversion buffer of {}", where));
    check(H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, transfer.get(), values),
          fmt::format("write dataset {}", where));
  }
  return dataset;
}

Dataset FileWriter::write_double_dataset(hid_t parent, const char* name, std::span<const double> values,
                                         std::string_view where) const {
  check_finite(values, 0, 0, true, where);
  return write_vector(parent, name, H5T_NATIVE_DOUBLE, values.data(), values.size(), where);
}

Dataset FileWriter::write_int_dataset(hid_t parent, const char* name, std::span<const int> values,
                                      std::string_view where) const {
  return write_vector(parent, name, H5T_NATIVE_INT, values.data(), values.size(), where);
}

Dataset FileWriter::create_table(hid_t parent, const char* name, hsize_t rows, hsize_t columns,
                                 int chunk_rows, hid_t access, std::string_view where) const {
  const std::array<hsize_t, 2> dims = {rows, columns};
  Dataspace space(check(H5Screate_simple(2, dims.data(), nullptr), "create a dataspace"));
  PropertyList creation(check(H5Pcreate(H5P_DATASET_CREATE), "create dataset properties"));
  if (rows > 0 && columns > 0) {
    const hsize_t whole_rows = std::max<hsize_t>(1, kWholeTableChunkBytes / (columns * sizeof(double)));
    const std::array<hsize_t, 2> chunk = {
        chunk_rows > 0 ? static_cast<hsize_t>(chunk_rows) : std::min(rows, whole_rows), columns};
    checksum_chunks(creation.get(), chunk, chunk_rows > 0, *this, where);
  }
  check(H5Pset_fill_value(creation.get(), H5T_NATIVE_DOUBLE, &kTableFill),
        fmt::format("set the fill of {}", where));
  return Dataset(
      check(H5Dcreate2(parent, name, H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, creation.get(), access),
            fmt::format("create dataset {}", where)));
}

void FileWriter::write_table(hid_t dataset, std::span<const double> values, std::string_view where) const {
  check_finite(values, 0, 0, true, where);
  check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
        fmt::format("write dataset {}", where));
}

void FileWriter::describe(hid_t object, std::string_view units, std::string_view description) const {
  write_string_attribute(object, "units", units);
  write_string_attribute(object, "description", description);
}

}  // namespace wfsim::output::h5
