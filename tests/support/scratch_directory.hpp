// A fresh directory under the system's temporary directory for one test,
// removed with everything in it when the test is done.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace wfsim::test {

class ScratchDirectory {
 public:
  // `<temp>/<prefix>_<pid>`, emptied if a killed test left one behind.
  explicit ScratchDirectory(const std::string& prefix)
      : path_(std::filesystem::temp_directory_path() / fmt::format("{}_{}", prefix, ::getpid())) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace wfsim::test
