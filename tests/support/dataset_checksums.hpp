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

// A checksum of a chunked dataset's chunks as stored (compressed, with the
// fill past its last row), or "" for a dataset stored whole.
inline std::string stored_chunks_checksum(hid_t dataset) {
  namespace th = wfsim::test_h5;
  const wfsim::output::h5::PropertyList layout(th::must(H5Dget_create_plist(dataset), "get the layout"));
  if (H5Pget_layout(layout.get()) != H5D_CHUNKED) return "";
  const wfsim::output::h5::Dataspace space(th::must(H5Dget_space(dataset), "get the dataspace"));
  hsize_t chunks = 0;
  th::must(H5Dget_num_chunks(dataset, space.get(), &chunks), "count the chunks");
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (hsize_t k = 0; k < chunks; ++k) {
    std::vector<hsize_t> offset(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space.get())));
    unsigned filters = 0;
    haddr_t address = 0;
    hsize_t size = 0;
    th::must(H5Dget_chunk_info(dataset, space.get(), k, offset.data(), &filters, &address, &size),
             "find a chunk");
    std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
    th::must(H5Dread_chunk(dataset, H5P_DEFAULT, offset.data(), &filters, bytes.data()), "read a chunk");
    hash = fnv1a(offset.data(), offset.size() * sizeof(hsize_t), hash);
    hash = fnv1a(bytes.data(), bytes.size(), hash);
  }
  return fmt::format("\tstored {:016x}", hash);
}

namespace detail {
struct Visit {
  bool stored_chunks;
  std::map<std::string, std::string> checksums;
};
inline herr_t add_checksum(hid_t root, const char* name, const H5O_info_t* info, void* visit) {
  if (info->type != H5O_TYPE_DATASET) return 0;
  auto& [stored_chunks, checksums] = *static_cast<Visit*>(visit);
  const wfsim::output::h5::Dataset dataset(H5Dopen2(root, name, H5P_DEFAULT));
  checksums[name] = dataset_checksum(dataset.get());
  if (stored_chunks) checksums[name] += stored_chunks_checksum(dataset.get());
  return 0;
}
}  // namespace detail

// Every dataset of the file by path, with its shape and checksum; with
// `stored_chunks`, also of its chunks as stored.
inline std::map<std::string, std::string> dataset_checksums(const std::filesystem::path& file,
                                                            bool stored_chunks = false) {
  namespace th = wfsim::test_h5;
  const wfsim::output::h5::File h5(
      th::must(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + file.string()));
  detail::Visit visit{stored_chunks, {}};
  th::must(H5Ovisit2(h5.get(), H5_INDEX_NAME, H5_ITER_INC, detail::add_checksum, &visit, H5O_INFO_BASIC),
           "visit datasets");
  return visit.checksums;
}

}  // namespace wfsim::test
