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

// zlib's level for the series: the fastest. Shuffled series compress almost
// as well at 1 as at 4 (2,000 replications of the baseline: 16.0 MB against
// 15.7 MB) in 93% of the run's time, and every reader decompresses them.
inline constexpr int kDeflateLevel = 1;

// The chunk's values shuffled, deflated and checksummed.
std::vector<unsigned char> encode_chunk(std::span<const double> values);

// The inverse of encode_chunk into exactly values.size() doubles. Throws
// std::runtime_error naming `where` when the checksum, the stream or the
// size is wrong.
void decode_chunk(std::span<const unsigned char> bytes, std::span<double> values, std::string_view where);

// HDF5's Fletcher-32 over bytes (its H5_checksum_fletcher32).
std::uint32_t fletcher32(std::span<const unsigned char> bytes);

}  // namespace wfsim::output::h5
