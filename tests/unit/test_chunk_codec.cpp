// wfsim encodes the series' chunks itself, on every thread; HDF5 only stores
// them. These tests hold the codec to the library's own filters both ways:
// HDF5 decodes what the codec encodes, and the codec decodes what HDF5
// encodes, so any HDF5 reader reads a run file.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "hdf5_read.hpp"
#include "output/chunk_codec.hpp"
#include "scratch_directory.hpp"

namespace {

using namespace wfsim::output::h5;
using wfsim::test::ScratchDirectory;
using wfsim::test_h5::must;

constexpr hsize_t kRows = 37;  // an odd number of rows, as the last chunk of a run has
constexpr hsize_t kMonths = 36;

// Values like a series: counts, fractions, a missing value.
std::vector<double> series_like(unsigned seed) {
  std::mt19937 generator(seed);
  std::vector<double> values(kRows * kMonths);
  for (std::size_t k = 0; k < values.size(); ++k) {
    values[k] = k % 3 == 0 ? std::floor(600 * std::generate_canonical<double, 53>(generator))
                           : std::generate_canonical<double, 53>(generator);
  }
  values[5] = std::numeric_limits<double>::quiet_NaN();
  return values;
}

// A dataset of one chunk with the run file's series filters, in their order.
Dataset create_series(hid_t file, const char* name) {
  const std::array<hsize_t, 2> dims = {kRows, kMonths};
  Dataspace space(must(H5Screate_simple(2, dims.data(), nullptr), "create a dataspace"));
  PropertyList creation(must(H5Pcreate(H5P_DATASET_CREATE), "create properties"));
  must(H5Pset_chunk(creation.get(), 2, dims.data()), "set chunking");
  must(H5Pset_shuffle(creation.get()), "set shuffle");
  must(H5Pset_deflate(creation.get(), kDeflateLevel), "set deflate");
  must(H5Pset_fletcher32(creation.get()), "set fletcher32");
  return Dataset(
      must(H5Dcreate2(file, name, H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, creation.get(), H5P_DEFAULT),
           "create dataset"));
}

std::vector<unsigned char> stored_chunk(hid_t dataset) {
  const std::array<hsize_t, 2> origin = {0, 0};
  hsize_t size = 0;
  must(H5Dget_chunk_storage_size(dataset, origin.data(), &size), "size the chunk");
  std::vector<unsigned char> bytes(size);
  std::uint32_t filters = 0;
  must(H5Dread_chunk(dataset, H5P_DEFAULT, origin.data(), &filters, bytes.data()), "read the chunk");
  EXPECT_EQ(filters, 0u) << "every filter applied";
  return bytes;
}

class ChunkCodec : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ =
        File(must(H5Fcreate((scratch_.path() / "codec.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                  "create the file"));
  }
  ScratchDirectory scratch_{"wfsim_chunk_codec"};
  File file_;
};

// Equal values, NaN where NaN was.
void expect_same_values(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k) {
    if (std::isnan(expected[k])) {
      EXPECT_TRUE(std::isnan(actual[k])) << k;
    } else {
      EXPECT_EQ(actual[k], expected[k]) << k;
    }
  }
}

TEST_F(ChunkCodec, TheLibraryReadsWhatTheCodecWrote) {
  // Series of several kinds, and a chunk of zeros (the longest matches).
  std::vector<std::vector<double>> cases = {series_like(1), series_like(2), series_like(7)};
  cases.emplace_back(kRows * kMonths, 0.0);
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const std::vector<double>& values = cases[k];
    const Dataset dataset = create_series(file_.get(), ("by_codec_" + std::to_string(k)).c_str());
    const std::vector<unsigned char> bytes = encode_chunk(values);
    const std::array<hsize_t, 2> origin = {0, 0};
    must(H5Dwrite_chunk(dataset.get(), H5P_DEFAULT, 0, origin.data(), bytes.size(), bytes.data()),
         "write chunk");
    std::vector<double> read(values.size());
    must(H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, read.data()), "read");
    expect_same_values(read, values);
    // Compressed: the shuffled bytes of a series repeat.
    EXPECT_LT(bytes.size(), values.size() * sizeof(double)) << k;
  }
}

TEST_F(ChunkCodec, DecodesWhatTheLibraryWrote) {
  const std::vector<double> values = series_like(3);
  const Dataset dataset = create_series(file_.get(), "by_library");
  must(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write");
  std::vector<double> decoded(values.size());
  decode_chunk(stored_chunk(dataset.get()), decoded, "/by_library");
  expect_same_values(decoded, values);
}

TEST(ChunkCodecDamage, RefusesAChunkWhoseBytesChanged) {
  std::vector<unsigned char> bytes = encode_chunk(series_like(4));
  bytes[bytes.size() / 2] ^= 0x10;
  std::vector<double> values(kRows * kMonths);
  try {
    decode_chunk(bytes, values, "/scenarios/baseline/series/leavers");
    FAIL() << "a damaged chunk was decoded";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(),
                 "/scenarios/baseline/series/leavers: a chunk fails its checksum (the file is damaged)");
  }
}

TEST(ChunkCodecDamage, RefusesAChunkOfAnotherSize) {
  const std::vector<unsigned char> bytes = encode_chunk(series_like(5));
  std::vector<double> values(kRows * kMonths + 1);
  EXPECT_THROW(decode_chunk(bytes, values, "/x"), std::runtime_error);  // inflates to fewer bytes
  std::vector<double> fewer(kRows * kMonths - 1);
  EXPECT_THROW(decode_chunk(bytes, fewer, "/x"), std::runtime_error);  // to more bytes
  const std::vector<unsigned char> three = {1, 2, 3};
  EXPECT_THROW(decode_chunk(three, values, "/x"), std::runtime_error);
}

// Fletcher-32 over an odd number of bytes takes the last byte as the high half of a word.
TEST(ChunkCodecDamage, Fletcher32OfKnownBytes) {
  const std::array<unsigned char, 5> bytes = {0x01, 0x02, 0x03, 0x04, 0x05};
  // words 0x0102, 0x0304, 0x0500: sum1 = 0x0906, sum2 = 0x0102 + 0x0406 + 0x0906 = 0x0e0e
  EXPECT_EQ(fletcher32(bytes), 0x0e0e0906u);
}

}  // namespace
