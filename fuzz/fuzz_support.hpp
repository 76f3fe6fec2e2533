// What the fuzz targets share: a private working directory and writing an
// input there, for the readers that take a path.
#pragma once

#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace wfsim::fuzz {

// A directory of its own under the system's temporary directory, made once
// per process and left for the system to clear: libFuzzer ends a process
// without running destructors.
inline const std::filesystem::path& working_directory() {
  static const std::filesystem::path directory = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "wfsim-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot make a fuzzing directory");
    return std::filesystem::path(pattern);
  }();
  return directory;
}

inline void write_input(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

// A source tree's folder, copied under the working directory at the same
// relative path, so the inputs' relative `extends` and rosters resolve.
inline void copy_source_folder(const std::string& relative, const std::filesystem::path& into) {
  std::filesystem::create_directories(into);
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(WFSIM_SOURCE_DIR) / relative)) {
    if (entry.is_regular_file()) {
      std::filesystem::copy_file(entry.path(), into / entry.path().filename(),
                                 std::filesystem::copy_options::skip_existing);
    }
  }
}

}  // namespace wfsim::fuzz
