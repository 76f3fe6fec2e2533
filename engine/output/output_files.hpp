// How every wfsim output file is written, whatever its format: the place is
// checked before any work, the file is written under a temporary name, made
// durable and renamed into place, so a file at the final path is always
// whole. A failed write, SIGINT or SIGTERM removes the unfinished file.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace wfsim::output {

// Writing failed part-way for a reason of the machine, not of the input: a
// full disk, a quota, a read-only file system, an I/O error. The message
// names the file and the cause; the unfinished file has been removed.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Why a file cannot be written at `file`: it names no file or a directory,
// or its directory is missing, not a directory or not writable. Empty if it
// can. Never creates anything.
std::string output_directory_problem(const std::filesystem::path& file);

// Free space for an unprivileged user in the directory that would hold
// `file`, in bytes, or -1 if it cannot be told.
double free_disk_bytes(const std::filesystem::path& file);

// From now on SIGINT and SIGTERM remove every unfinished PartialFile of the
// process and end it with status 130 (SIGINT) or 143 (SIGTERM). Call once,
// early in main.
void remove_partial_files_on_interrupt();

// An output file being written as `<final>.partial-<pid>`. Once created and
// until published, the partial file is removed when this object is
// destroyed and when SIGINT or SIGTERM arrive (once
// remove_partial_files_on_interrupt() was called).
class PartialFile {
 public:
  explicit PartialFile(std::filesystem::path final_path);
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  ~PartialFile();

  const std::filesystem::path& path() const { return path_; }  // the partial file
  const std::filesystem::path& final_path() const { return final_path_; }

  // Call once the partial file exists: from now on it is ours to remove.
  void created();

  // Flushes the partial file to disk, renames it to the final path and
  // flushes the directory, so the rename survives a power cut. Throws
  // OutputError (and removes the partial file) on failure.
  void publish();

  // An OutputError naming the file: "cannot write <kind> '<final>': <cause>".
  [[noreturn]] void fail(std::string_view kind, std::string_view cause) const;

 private:
  std::filesystem::path final_path_;
  std::filesystem::path path_;
  bool owned_ = false;
  int slot_ = -1;  // in the interrupt handler's table, or -1
  void forget();
};

// Writes `text` to `path` through a PartialFile, so a file at `path` is
// always whole. Throws OutputError naming the file.
void write_file_whole(const std::filesystem::path& path, std::string_view text);

// True if `path` is named like a partial file (`<name>.partial-<digits>`),
// which no reader takes for a finished file.
bool is_partial_file_name(const std::filesystem::path& path);

}  // namespace wfsim::output
