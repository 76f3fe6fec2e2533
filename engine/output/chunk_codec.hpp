// The filter pipeline of the run file's series (shuffle, deflate in zlib's
// format, then a Fletcher-32 checksum, in the layout HDF5's filters use), run
// by wfsim itself so that chunks are encoded and decoded on every worker
// thread while the library, which is serial, only stores and fetches the
// bytes (H5Dwrite_chunk, H5Dread_chunk). libdeflate compresses: the same
// format as zlib in about half zlib's time; any HDF5 reader decodes the
// chunks with its own filters. Internal to engine/output.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace wfsim::output::h5 {

// The deflate level of the series. At 4, libdeflate compresses the
// baseline's chunks 2% smaller than zlib at 4, in 56% of zlib's time at 1.
// HDF5's own filter (zlib) uses it too, for the small annual tables.
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
