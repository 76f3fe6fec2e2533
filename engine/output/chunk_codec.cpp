#include "output/chunk_codec.hpp"

#include <fmt/format.h>
#include <libdeflate.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace wfsim::output::h5 {
namespace {

constexpr std::size_t kElementBytes = sizeof(double);
constexpr std::size_t kChecksumBytes = 4;

// HDF5's shuffle: byte j of every element, then byte j + 1 of every element.
void shuffle(const unsigned char* in, unsigned char* out, std::size_t elements) {
  for (std::size_t e = 0; e < elements; ++e)
    for (std::size_t j = 0; j < kElementBytes; ++j) out[j * elements + e] = in[e * kElementBytes + j];
}

void unshuffle(const unsigned char* in, unsigned char* out, std::size_t elements) {
  for (std::size_t j = 0; j < kElementBytes; ++j)
    for (std::size_t e = 0; e < elements; ++e) out[e * kElementBytes + j] = in[j * elements + e];
}

// One compressor and one decompressor a thread, made on first use: each
// holds its tables, so a chunk allocates and clears none.
libdeflate_compressor& compressor() {
  thread_local const std::unique_ptr<libdeflate_compressor, decltype(&libdeflate_free_compressor)> own(
      libdeflate_alloc_compressor(kDeflateLevel), &libdeflate_free_compressor);
  if (!own) throw std::bad_alloc();
  return *own;
}
libdeflate_decompressor& decompressor() {
  thread_local const std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> own(
      libdeflate_alloc_decompressor(), &libdeflate_free_decompressor);
  if (!own) throw std::bad_alloc();
  return *own;
}

}  // namespace

std::uint32_t fletcher32(std::span<const unsigned char> bytes) {
  const unsigned char* data = bytes.data();
  std::size_t words = bytes.size() / 2;
  std::uint32_t sum1 = 0;
  std::uint32_t sum2 = 0;
  // 360 16-bit words at most between reductions, so that neither sum overflows.
  while (words > 0) {
    std::size_t run = words > 360 ? 360 : words;
    words -= run;
    do {
      sum1 += static_cast<std::uint32_t>((data[0] << 8) | data[1]);
      data += 2;
      sum2 += sum1;
    } while (--run > 0);
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  if (bytes.size() % 2 != 0) {
    sum1 += static_cast<std::uint32_t>(*data << 8);
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  return (sum2 << 16) | sum1;
}

std::vector<unsigned char> encode_chunk(std::span<const double> values) {
  const std::size_t raw_bytes = values.size() * kElementBytes;
  std::vector<unsigned char> shuffled(raw_bytes);
  shuffle(reinterpret_cast<const unsigned char*>(values.data()), shuffled.data(), values.size());

  libdeflate_compressor& deflater = compressor();
  std::vector<unsigned char> out(libdeflate_zlib_compress_bound(&deflater, raw_bytes) + kChecksumBytes);
  const std::size_t deflated = libdeflate_zlib_compress(&deflater, shuffled.data(), raw_bytes, out.data(),
                                                        out.size() - kChecksumBytes);
  if (deflated == 0) throw std::runtime_error("could not compress a chunk of the series");
  // The checksum follows the data, least significant byte first, as HDF5 stores it.
  const std::uint32_t sum = fletcher32(std::span(out.data(), deflated));
  for (std::size_t k = 0; k < kChecksumBytes; ++k)
    out[deflated + k] = static_cast<unsigned char>(sum >> (8 * k));
  out.resize(deflated + kChecksumBytes);
  return out;
}

void decode_chunk(std::span<const unsigned char> bytes, std::span<double> values, std::string_view where) {
  if (bytes.size() < kChecksumBytes) throw std::runtime_error(fmt::format("{}: a chunk is truncated", where));
  const std::size_t data_bytes = bytes.size() - kChecksumBytes;
  std::uint32_t stored = 0;
  for (std::size_t k = 0; k < kChecksumBytes; ++k)
    stored |= static_cast<std::uint32_t>(bytes[data_bytes + k]) << (8 * k);
  if (stored != fletcher32(bytes.first(data_bytes)))
    throw std::runtime_error(fmt::format("{}: a chunk fails its checksum (the file is damaged)", where));

  const std::size_t raw_bytes = values.size() * kElementBytes;
  std::vector<unsigned char> shuffled(raw_bytes);
  // Exactly raw_bytes, or refused.
  if (libdeflate_zlib_decompress(&decompressor(), bytes.data(), data_bytes, shuffled.data(), raw_bytes,
                                 nullptr) != LIBDEFLATE_SUCCESS)
    throw std::runtime_error(
        fmt::format("{}: a chunk does not decompress to its {} values", where, values.size()));
  unshuffle(shuffled.data(), reinterpret_cast<unsigned char*>(values.data()), values.size());
}

}  // namespace wfsim::output::h5
