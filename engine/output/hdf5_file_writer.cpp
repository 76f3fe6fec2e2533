#include "output/hdf5_file_writer.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <limits>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace wfsim::output::h5 {
namespace {

constexpr unsigned kDeflateLevel = 4;

}  // namespace

std::string error_detail() {
  std::vector<std::string> messages;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned, const H5E_error2_t* error, void* data) -> herr_t {
        if (error->desc != nullptr && *error->desc != '\0') {
          static_cast<std::vector<std::string>*>(data)->emplace_back(error->desc);
        }
        return 0;
      },
      &messages);
  H5Eclear2(H5E_DEFAULT);
  if (messages.empty()) return "no detail from the HDF5 library";
  if (messages.size() == 1) return messages.front();
  return messages.front() + ": " + messages.back();
}

std::filesystem::path temporary_path_for(const std::filesystem::path& final_path) {
  std::filesystem::path temporary = final_path;
  temporary += fmt::format(".partial-{}", static_cast<long>(::getpid()));
  return temporary;
}

TemporaryFile::~TemporaryFile() {
  if (owned_) {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
}

FileWriter::FileWriter(std::string kind_name, std::filesystem::path final)
    : kind(std::move(kind_name)), final_path(std::move(final)), temporary(temporary_path_for(final_path)) {}

void FileWriter::fail(std::string_view what) const {
  throw std::runtime_error(fmt::format("cannot write {} '{}' (temporary '{}'): could not {}: {}", kind,
                                       final_path.string(), temporary.path().string(), what, error_detail()));
}

void FileWriter::create_file() {
  // Failures are reported by exceptions with the error stack's text, not printed.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  PropertyList access(check(H5Pcreate(H5P_FILE_ACCESS), "create file access properties"));
  // Closing must fail, not silently defer, if an object were still open:
  // the rename that follows relies on the file being flushed and closed.
  check(H5Pset_fclose_degree(access.get(), H5F_CLOSE_SEMI), "set the file close degree");
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
  sync_to_disk();
  std::error_code error;
  std::filesystem::rename(temporary.path(), final_path, error);
  if (error) {
    throw std::runtime_error(fmt::format("cannot rename '{}' to {} '{}': {}", temporary.path().string(), kind,
                                         final_path.string(), error.message()));
  }
  temporary.release();
}

// Makes the data durable before the rename publishes it.
void FileWriter::sync_to_disk() const {
  const std::filesystem::path& path = temporary.path();
  const int descriptor = ::open(path.c_str(), O_RDONLY);
  if (descriptor < 0 || ::fsync(descriptor) != 0) {
    const std::error_code error(errno, std::generic_category());
    if (descriptor >= 0) ::close(descriptor);
    throw std::runtime_error(fmt::format("cannot flush {} '{}' (temporary '{}') to disk: {}", kind,
                                         final_path.string(), path.string(), error.message()));
  }
  ::close(descriptor);
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

void FileWriter::write_string_dataset(hid_t parent, const char* name,
                                      const std::vector<std::string>& values) const {
  std::vector<const char*> pointers;
  for (const std::string& value : values) pointers.push_back(value.c_str());
  const hsize_t size = pointers.size();
  const Datatype type = string_type();
  Dataspace space(check(H5Screate_simple(1, &size, nullptr), "create a dataspace"));
  Dataset dataset(
      check(H5Dcreate2(parent, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
            fmt::format("create dataset /{}", name)));
  if (!pointers.empty()) {
    check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
          fmt::format("write dataset /{}", name));
  }
}

Dataset FileWriter::write_vector(hid_t parent, const char* name, hid_t type, const void* values, hsize_t size,
                                 std::string_view where) const {
  Dataspace space(check(H5Screate_simple(1, &size, nullptr), "create a dataspace"));
  Dataset dataset(check(H5Dcreate2(parent, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                        fmt::format("create dataset {}", where)));
  if (size > 0) {
    check(H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values),
          fmt::format("write dataset {}", where));
  }
  return dataset;
}

Dataset FileWriter::write_double_dataset(hid_t parent, const char* name, std::span<const double> values,
                                         std::string_view where) const {
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
  if (chunk_rows > 0 && rows > 0 && columns > 0) {
    const std::array<hsize_t, 2> chunk = {static_cast<hsize_t>(chunk_rows), columns};
    check(H5Pset_chunk(creation.get(), 2, chunk.data()), fmt::format("set chunking of {}", where));
    check(H5Pset_shuffle(creation.get()), fmt::format("set the shuffle filter of {}", where));
    check(H5Pset_deflate(creation.get(), kDeflateLevel), fmt::format("set compression of {}", where));
  }
  // Rows never written read as NaN, not as a plausible zero.
  const double fill = std::numeric_limits<double>::quiet_NaN();
  check(H5Pset_fill_value(creation.get(), H5T_NATIVE_DOUBLE, &fill),
        fmt::format("set the fill of {}", where));
  return Dataset(
      check(H5Dcreate2(parent, name, H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, creation.get(), access),
            fmt::format("create dataset {}", where)));
}

void FileWriter::write_table(hid_t dataset, std::span<const double> values, std::string_view where) const {
  check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
        fmt::format("write dataset {}", where));
}

void FileWriter::describe(hid_t object, std::string_view units, std::string_view description) const {
  write_string_attribute(object, "units", units);
  write_string_attribute(object, "description", description);
}

}  // namespace wfsim::output::h5
