// The filter pipeline of the run file's series (shuffle, deflate, then a
// Fletcher-32 checksum, byte for byte as HDF5 applies them), run by wfsim
// itself so that chunks are encoded and decoded on every worker thread while
// the library, which is serial, only stores and fetches the bytes
// (H5Dwrite_chunk, H5Dread_chunk). Any HDF5 reader decodes them with its own
// filters. Internal to engine/output.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace wfsim::output::h5 {

// zlib's level for the series: 4 keeps files near the size of level 9 at a
// fraction of its time.
inline constexpr int kDeflateLevel = 4;

// The chunk's values shuffled, deflated and checksummed.
std::vector<unsigned char> encode_chunk(std::span<const double> values);

// The inverse of encode_chunk into exactly values.size() doubles. Throws
// std::runtime_error naming `where` when the checksum, the stream or the
// size is wrong.
void decode_chunk(std::span<const unsigned char> bytes, std::span<double> values, std::string_view where);

// HDF5's Fletcher-32 over bytes (its H5_checksum_fletcher32).
std::uint32_t fletcher32(std::span<const unsigned char> bytes);

}  // namespace wfsim::output::h5
