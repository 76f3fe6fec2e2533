#include "output/output_files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <system_error>

namespace wfsim::output {
namespace {

namespace fs = std::filesystem;

// The partial files the interrupt handler removes. A handler may run on any
// thread at any moment, so it reads a slot only through atomics and takes a
// path only if the slot's sequence number was even and unchanged while it
// copied it (a sequence lock).
constexpr std::size_t kPartialFileSlots = 16;
constexpr std::size_t kMaxPathBytes = 4096;

struct Slot {
  std::atomic<bool> taken{false};
  std::atomic<unsigned> sequence{0};  // odd while the path is being changed
  std::array<std::atomic<char>, kMaxPathBytes> path{};
};
std::array<Slot, kPartialFileSlots> partial_files;

void store_path(Slot& slot, const char* path) {
  slot.sequence.fetch_add(1, std::memory_order_acq_rel);
  std::size_t k = 0;
  for (; path[k] != '\0' && k + 1 < kMaxPathBytes; ++k)
    slot.path[k].store(path[k], std::memory_order_relaxed);
  slot.path[k].store('\0', std::memory_order_relaxed);
  slot.sequence.fetch_add(1, std::memory_order_release);
}

int remember_partial_file(const fs::path& path) {
  if (path.native().size() + 1 > kMaxPathBytes) return -1;
  for (std::size_t k = 0; k < partial_files.size(); ++k) {
    bool expected = false;
    if (!partial_files[k].taken.compare_exchange_strong(expected, true)) continue;
    store_path(partial_files[k], path.c_str());
    return static_cast<int>(k);
  }
  return -1;  // more files at once than slots: the destructor still removes it
}

void forget_partial_file(int slot) {
  if (slot < 0) return;
  store_path(partial_files[static_cast<std::size_t>(slot)], "");
  partial_files[static_cast<std::size_t>(slot)].taken.store(false, std::memory_order_release);
}

// Async-signal-safe: atomics, unlink, write and _exit only.
extern "C" void remove_partial_files_and_exit(int signal_number) {
  for (Slot& slot : partial_files) {
    const unsigned before = slot.sequence.load(std::memory_order_acquire);
    if ((before & 1u) != 0) continue;
    std::array<char, kMaxPathBytes> path;
    for (std::size_t k = 0; k < kMaxPathBytes; ++k) path[k] = slot.path[k].load(std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    if (slot.sequence.load(std::memory_order_relaxed) != before || path[0] == '\0') continue;
    path[kMaxPathBytes - 1] = '\0';
    ::unlink(path.data());
  }
  static constexpr char kMessage[] = "\nwfsim: interrupted; unfinished output removed\n";
  [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  ::_exit(128 + signal_number);
}

std::string system_message(int error_number) {
  return std::error_code(error_number, std::generic_category()).message();
}

fs::path directory_of(const fs::path& file) {
  return file.has_parent_path() ? file.parent_path() : fs::path(".");
}

}  // namespace

std::string output_directory_problem(const fs::path& file) {
  if (file.empty() || !file.has_filename()) return fmt::format("'{}' names no file", file.string());
  std::error_code error;
  if (fs::is_directory(file, error)) return fmt::format("{} is a directory", file.string());
  const fs::path directory = directory_of(file);
  if (!fs::exists(directory, error))
    return fmt::format("the directory {} does not exist", directory.string());
  if (!fs::is_directory(directory, error)) return fmt::format("{} is not a directory", directory.string());
  if (::access(directory.c_str(), W_OK | X_OK) != 0)
    return fmt::format("the directory {} is not writable", directory.string());
  return "";
}

double free_disk_bytes(const fs::path& file) {
  struct statvfs status {};
  if (::statvfs(directory_of(file).c_str(), &status) != 0) return -1;
  return static_cast<double>(status.f_bavail) * static_cast<double>(status.f_frsize);
}

void remove_partial_files_on_interrupt() {
  for (const int signal_number : {SIGINT, SIGTERM}) {
    struct sigaction current {};
    // A signal ignored by whoever started us (`nohup`, a background job) stays ignored.
    if (::sigaction(signal_number, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) continue;
    struct sigaction action {};
    action.sa_handler = remove_partial_files_and_exit;
    sigfillset(&action.sa_mask);
    ::sigaction(signal_number, &action, nullptr);
  }
}

bool is_partial_file_name(const fs::path& path) {
  const std::string name = path.filename().string();
  const std::size_t marker = name.rfind(".partial-");
  if (marker == std::string::npos) return false;
  const std::string_view digits = std::string_view(name).substr(marker + 9);
  return !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
}

PartialFile::PartialFile(fs::path final_path)
    : final_path_(std::move(final_path)),
      path_(fs::path(final_path_) += fmt::format(".partial-{}", static_cast<long>(::getpid()))) {}

PartialFile::~PartialFile() {
  if (!owned_) return;
  std::error_code ignored;
  fs::remove(path_, ignored);
  forget();
}

void PartialFile::created() {
  owned_ = true;
  if (slot_ < 0) slot_ = remember_partial_file(path_);
}

void PartialFile::forget() {
  forget_partial_file(slot_);
  slot_ = -1;
}

void PartialFile::fail(std::string_view kind, std::string_view cause) const {
  const std::string what = kind.empty() ? std::string() : std::string(kind) + " ";
  throw OutputError(fmt::format("cannot write {}'{}': {}", what, final_path_.string(), cause));
}

void PartialFile::publish() {
  const int file = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (file < 0 || ::fsync(file) != 0) {
    const int error = errno;
    if (file >= 0) ::close(file);
    fail("", fmt::format("could not flush it to disk: {}", system_message(error)));
  }
  ::close(file);
  if (::rename(path_.c_str(), final_path_.c_str()) != 0) {
    fail("", fmt::format("could not rename '{}' to it: {}", path_.string(), system_message(errno)));
  }
  forget();
  owned_ = false;
  // The rename is durable only once the directory is; some file systems
  // cannot sync a directory (EINVAL) and need not.
  const int directory = ::open(directory_of(final_path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory >= 0 && ::fsync(directory) != 0 && errno != EINVAL) {
    const int error = errno;
    ::close(directory);
    std::error_code ignored;
    fs::remove(final_path_, ignored);
    fail("", fmt::format("could not flush its directory to disk: {}", system_message(error)));
  }
  if (directory >= 0) ::close(directory);
}

void write_file_whole(const fs::path& path, std::string_view text) {
  PartialFile partial(path);
  const int file = ::open(partial.path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (file < 0) partial.fail("", system_message(errno));
  partial.created();
  while (!text.empty()) {
    const ssize_t written = ::write(file, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      const int error = written < 0 ? errno : EIO;
      ::close(file);
      partial.fail("", system_message(error));
    }
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  if (::close(file) != 0) partial.fail("", system_message(errno));
  partial.publish();
}

}  // namespace wfsim::output
