// Every dataset of an HDF5 file reduced to its shape and a checksum of its
// values: what the golden run pins and what runs that must be the same bits
// (threads, ranks) are compared by.
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "hdf5_read.hpp"

namespace wfsim::test {

// FNV-1a over bytes: stable across platforms and builds, enough to tell any
// change of a value.
inline std::uint64_t fnv1a(const void* data, std::size_t size, std::uint64_t hash = 0xcbf29ce484222325ull) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 0x100000001b3ull;
  return hash;
}

inline std::string dataset_checksum(hid_t dataset) {
  namespace th = wfsim::test_h5;
  const wfsim::output::h5::Datatype type(H5Dget_type(dataset));
  std::uint64_t hash = 0xcbf29ce484222325ull;
  if (H5Tget_class(type.get()) == H5T_STRING) {
    for (const std::string& text : th::read_string_dataset(dataset))
      hash = fnv1a(text.c_str(), text.size() + 1, hash);
  } else {
    const std::vector<double> values = th::read_doubles(dataset);
    hash = fnv1a(values.data(), values.size() * sizeof(double), hash);
  }
  return fmt::format("{}\t{:016x}", fmt::join(th::shape_of(dataset), "x"), hash);
}

namespace detail {
inline herr_t add_checksum(hid_t root, const char* name, const H5O_info_t* info, void* checksums) {
  if (info->type != H5O_TYPE_DATASET) return 0;
  const wfsim::output::h5::Dataset dataset(H5Dopen2(root, name, H5P_DEFAULT));
  (*static_cast<std::map<std::string, std::string>*>(checksums))[name] = dataset_checksum(dataset.get());
  return 0;
}
}  // namespace detail

// Every dataset of the file by path, with its shape and checksum.
inline std::map<std::string, std::string> dataset_checksums(const std::filesystem::path& file) {
  namespace th = wfsim::test_h5;
  const wfsim::output::h5::File h5(
      th::must(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + file.string()));
  std::map<std::string, std::string> out;
  th::must(H5Ovisit2(h5.get(), H5_INDEX_NAME, H5_ITER_INC, detail::add_checksum, &out, H5O_INFO_BASIC),
           "visit datasets");
  return out;
}

}  // namespace wfsim::test
