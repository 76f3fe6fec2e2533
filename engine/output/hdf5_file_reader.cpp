#include "output/hdf5_file_reader.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <system_error>
#include <utility>

#include "output/file_kinds.hpp"
#include "output/hdf5_file_writer.hpp"
#include "output/output_files.hpp"

namespace wfsim::output::h5 {

FileReader::FileReader(FileKind kind_, std::filesystem::path path_) : kind(kind_), path(std::move(path_)) {}

std::string FileReader::open() {
  prepare_library();
  const auto refuse = [](std::string why) {
    H5Eclear2(H5E_DEFAULT);
    return why;
  };
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return refuse("does not exist");
  if (!std::filesystem::is_regular_file(path, error)) return refuse("is not a file");
  // A file killed between its last write and its rename may carry complete = 1.
  if (is_partial_file_name(path)) {
    return refuse(
        fmt::format("is the unfinished file of a `{}` that was interrupted (its name ends in "
                    ".partial-<process id>); {}",
                    kind.writer, kind.redo));
  }
#if H5_VERSION_GE(1, 12, 0)
  const htri_t is_hdf5 = H5Fis_accessible(path.c_str(), H5P_DEFAULT);
#else
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
#endif
  if (is_hdf5 <= 0) {
    return refuse(fmt::format("is not an HDF5 file (a wfsim {} is written by `{}`)", kind.name, kind.writer));
  }
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) {
    return refuse(
        fmt::format("cannot be opened ({}); is `{}` still writing it?", error_detail(), kind.writer));
  }
  file = File(id);
  const hid_t root = file.get();
  const std::string filetype = has_attribute(root, "filetype") ? read_string_attribute(root, "filetype") : "";
  if (filetype == kRegionRunFile.filetype && kind.filetype != filetype) {
    return refuse(
        fmt::format("is a region run file, written by `wfsim region`: open it with HDF5 "
                    "(outputs/README.md, \"Region run files\"); this command reads a wfsim {}",
                    kind.name));
  }
  if (filetype != kind.filetype) {
    return refuse(fmt::format("is not a wfsim {} (its root attribute filetype is not \"{}\")", kind.name,
                              kind.filetype));
  }
  if (!has_attribute(root, "complete") || !is_integer_attribute(root, "complete") ||
      read_int_attribute(root, "complete") != 1) {
    return refuse(
        fmt::format("is incomplete: it has no attribute complete = 1, so the `{}` that wrote it did not "
                    "finish; {}",
                    kind.writer, kind.redo));
  }
  if (!has_attribute(root, "file_format_version") || !is_integer_attribute(root, "file_format_version"))
    return refuse("has no integer attribute file_format_version");
  const int version = read_int_attribute(root, "file_format_version");
  if (version != kind.file_format_version) {
    return refuse(fmt::format("has file format version {}; this wfsim reads version {}: {} with this wfsim",
                              version, kind.file_format_version, kind.redo));
  }
  return "";
}

void FileReader::fail(std::string_view what) const {
  throw std::runtime_error(
      fmt::format("cannot read {} '{}': {}: {}", kind.name, path.string(), what, error_detail()));
}

bool FileReader::has_attribute(hid_t object, const char* name) {
  return H5Aexists(object, name) > 0;
}

bool FileReader::is_integer_attribute(hid_t object, const char* name) {
  const Attribute attribute(H5Aopen(object, name, H5P_DEFAULT));
  if (!attribute.valid()) return false;
  const Datatype type(H5Aget_type(attribute.get()));
  const Dataspace space(H5Aget_space(attribute.get()));
  return type.valid() && space.valid() && H5Tget_class(type.get()) == H5T_INTEGER &&
         H5Sget_simple_extent_npoints(space.get()) == 1;
}

bool FileReader::has_link(hid_t parent, const std::string& name) const {
  return H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0;
}

std::string FileReader::read_string_attribute(hid_t object, const char* name) const {
  const std::string what = fmt::format("read attribute {}", name);
  Attribute attribute(check(H5Aopen(object, name, H5P_DEFAULT), what));
  Datatype stored(check(H5Aget_type(attribute.get()), what));
  if (H5Tget_class(stored.get()) != H5T_STRING) fail(fmt::format("attribute {} is not a string", name));
  if (H5Tis_variable_str(stored.get()) > 0) {
    Datatype type = string_type(true);
    char* text = nullptr;
    check(H5Aread(attribute.get(), type.get(), &text), what);
    std::string result = text != nullptr ? text : "";
    H5free_memory(text);
    return result;
  }
  const std::size_t size = H5Tget_size(stored.get());
  std::string buffer(size, '\0');
  Datatype type(check(H5Tcopy(H5T_C_S1), what));
  check(H5Tset_size(type.get(), size), what);
  check(H5Aread(attribute.get(), type.get(), buffer.data()), what);
  return buffer.substr(0, buffer.find('\0'));
}

std::vector<std::string> FileReader::read_string_array_attribute(hid_t object, const char* name) const {
  const std::string what = fmt::format("read attribute {}", name);
  Attribute attribute(check(H5Aopen(object, name, H5P_DEFAULT), what));
  Dataspace space(check(H5Aget_space(attribute.get()), what));
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 0) fail(what);
  std::vector<char*> texts(static_cast<std::size_t>(count), nullptr);
  const Datatype type = string_type(true);
  if (count > 0) check(H5Aread(attribute.get(), type.get(), texts.data()), what);
  std::vector<std::string> result;
  for (char* text : texts) {
    result.emplace_back(text != nullptr ? text : "");
    H5free_memory(text);
  }
  return result;
}

void FileReader::read_scalar_attribute_bytes(hid_t object, const char* name, hid_t memory_type,
                                             void* value) const {
  const std::string what = fmt::format("read attribute {}", name);
  Attribute attribute(check(H5Aopen(object, name, H5P_DEFAULT), what));
  check(H5Aread(attribute.get(), memory_type, value), what);
}

int FileReader::read_int_attribute(hid_t object, const char* name) const {
  return read_scalar_attribute<int>(object, name, H5T_NATIVE_INT);
}

double FileReader::read_double_attribute(hid_t object, const char* name) const {
  return read_scalar_attribute<double>(object, name, H5T_NATIVE_DOUBLE);
}

std::string FileReader::optional_string_attribute(hid_t object, const char* name) const {
  return has_attribute(object, name) ? read_string_attribute(object, name) : std::string();
}

double FileReader::optional_double_attribute(hid_t object, const char* name, double missing) const {
  return has_attribute(object, name) ? read_double_attribute(object, name) : missing;
}

bool FileReader::optional_flag_attribute(hid_t object, const char* name, bool missing) const {
  return has_attribute(object, name) ? read_int_attribute(object, name) != 0 : missing;
}

Datatype FileReader::string_type(bool variable) const {
  Datatype type(check(H5Tcopy(H5T_C_S1), "copy the string type"));
  if (variable) check(H5Tset_size(type.get(), H5T_VARIABLE), "make the string type variable-length");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "set the string type to UTF-8");
  return type;
}

Dataset FileReader::open_dataset(hid_t parent, const std::string& name, const std::string& where) const {
  return Dataset(check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), fmt::format("open {}", where)));
}

Group FileReader::open_group(hid_t parent, const std::string& name, const std::string& where) const {
  return Group(check(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), fmt::format("open {}", where)));
}

std::vector<hsize_t> FileReader::shape_of(hid_t dataset, const std::string& where) const {
  Dataspace space(check(H5Dget_space(dataset), fmt::format("get the shape of {}", where)));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) fail(fmt::format("get the rank of {}", where));
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

std::vector<double> FileReader::read_doubles(hid_t dataset, std::size_t total,
                                             const std::string& where) const {
  std::vector<double> values(total);
  if (total > 0) {
    check(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          fmt::format("read {}", where));
  }
  return values;
}

std::vector<int> FileReader::read_ints(hid_t dataset, std::size_t total, const std::string& where) const {
  std::vector<int> values(total);
  if (total > 0) {
    check(H5Dread(dataset, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          fmt::format("read {}", where));
  }
  return values;
}

std::vector<std::string> FileReader::read_string_dataset(hid_t parent, const std::string& name,
                                                         const std::string& where) const {
  const Dataset dataset = open_dataset(parent, name, where);
  const auto dims = shape_of(dataset.get(), where);
  const std::size_t total = dims.empty() ? 1 : static_cast<std::size_t>(dims.at(0));
  std::vector<char*> texts(total, nullptr);
  const Datatype type = string_type(true);
  if (total > 0) {
    check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()),
          fmt::format("read {}", where));
  }
  std::vector<std::string> result;
  for (char* text : texts) {
    result.emplace_back(text != nullptr ? text : "");
    H5free_memory(text);
  }
  return result;
}

std::vector<std::string> FileReader::members(hid_t group, const std::string& where) const {
  H5G_info_t info;
  check(H5Gget_info(group, &info), fmt::format("list {}", where));
  std::vector<std::string> names;
  for (hsize_t k = 0; k < info.nlinks; ++k) {
    const ssize_t size =
        H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, k, nullptr, 0, H5P_DEFAULT);
    if (size < 0) fail(fmt::format("list {}", where));
    std::string name(static_cast<std::size_t>(size) + 1, '\0');
    if (H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, k, name.data(), name.size(), H5P_DEFAULT) <
        0) {
      fail(fmt::format("list {}", where));
    }
    name.resize(static_cast<std::size_t>(size));
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace wfsim::output::h5
