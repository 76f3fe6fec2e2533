// Reading run files in tests, with the HDF5 C API and the writer's RAII handles.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "output/hdf5_handle.hpp"

namespace wfsim::test_h5 {

namespace h5 = wfsim::output::h5;

inline hid_t must(hid_t id, const std::string& what) {
  if (id < 0) throw std::runtime_error("test could not " + what);
  return id;
}
inline void must(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("test could not " + what);
}

inline h5::Datatype vlen_string() {
  h5::Datatype type(must(H5Tcopy(H5T_C_S1), "copy string type"));
  must(H5Tset_size(type.get(), H5T_VARIABLE), "set string size");
  must(H5Tset_cset(type.get(), H5T_CSET_UTF8), "set string character set");  // as written
  return type;
}

inline bool has_attribute(hid_t object, const char* name) {
  return H5Aexists(object, name) > 0;
}

inline std::string read_string_attribute(hid_t object, const char* name) {
  h5::Attribute attribute(must(H5Aopen(object, name, H5P_DEFAULT), std::string("open attribute ") + name));
  const h5::Datatype type = vlen_string();
  char* text = nullptr;
  must(H5Aread(attribute.get(), type.get(), &text), std::string("read attribute ") + name);
  std::string result = text != nullptr ? text : "";
  H5free_memory(text);
  return result;
}

inline std::vector<std::string> read_string_array_attribute(hid_t object, const char* name) {
  h5::Attribute attribute(must(H5Aopen(object, name, H5P_DEFAULT), std::string("open attribute ") + name));
  h5::Dataspace space(must(H5Aget_space(attribute.get()), "get space"));
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  std::vector<char*> texts(static_cast<std::size_t>(count), nullptr);
  const h5::Datatype type = vlen_string();
  if (count > 0)
    must(H5Aread(attribute.get(), type.get(), texts.data()), std::string("read attribute ") + name);
  std::vector<std::string> result;
  for (char* text : texts) {
    result.emplace_back(text != nullptr ? text : "");
    H5free_memory(text);
  }
  return result;
}

template <typename T>
inline T read_scalar_attribute(hid_t object, const char* name, hid_t memory_type) {
  h5::Attribute attribute(must(H5Aopen(object, name, H5P_DEFAULT), std::string("open attribute ") + name));
  T value{};
  must(H5Aread(attribute.get(), memory_type, &value), std::string("read attribute ") + name);
  return value;
}
inline int read_int_attribute(hid_t object, const char* name) {
  return read_scalar_attribute<int>(object, name, H5T_NATIVE_INT);
}

inline std::vector<hsize_t> shape_of(hid_t dataset) {
  h5::Dataspace space(must(H5Dget_space(dataset), "get space"));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

inline std::vector<double> read_doubles(hid_t dataset) {
  hsize_t total = 1;
  for (const hsize_t dim : shape_of(dataset)) total *= dim;
  std::vector<double> values(total);
  if (total > 0)
    must(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read");
  return values;
}

inline std::vector<std::string> read_string_dataset(hid_t dataset) {
  hsize_t total = 1;
  for (const hsize_t dim : shape_of(dataset)) total *= dim;
  std::vector<char*> texts(total, nullptr);
  const h5::Datatype type = vlen_string();
  if (total > 0)
    must(H5Dread(dataset, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), "read strings");
  std::vector<std::string> result;
  for (char* text : texts) {
    result.emplace_back(text != nullptr ? text : "");
    H5free_memory(text);
  }
  return result;
}

// A dataset by path, read whole as doubles.
inline std::vector<double> read_doubles(hid_t file, const std::string& path) {
  h5::Dataset dataset(must(H5Dopen2(file, path.c_str(), H5P_DEFAULT), "open " + path));
  return read_doubles(dataset.get());
}

}  // namespace wfsim::test_h5
