#include "output/isolation.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <exception>
#include <system_error>

namespace wfsim::output {
namespace {

constexpr std::size_t kMaxMessageBytes = 4096;

void write_all(int descriptor, std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(descriptor, text.data(), text.size());
    if (written <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(written));
  }
}

}  // namespace

std::optional<std::string> failure_in_child(const std::function<void()>& work, double seconds,
                                            const std::string& what) {
  std::array<int, 2> channel{};
  if (::pipe(channel.data()) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(channel[0]);
    ::close(channel[1]);
    throw std::system_error(errno, std::generic_category(), "fork");
  }
  if (child == 0) {
    ::close(channel[0]);
    // An interrupt ends the child plainly; the parent's handler cleans up for the parent.
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    int status = 0;
    try {
      work();
    } catch (const std::exception& error) {
      write_all(channel[1], std::string_view(error.what()).substr(0, kMaxMessageBytes));
      status = 1;
    } catch (...) {
      write_all(channel[1], "an unknown failure");
      status = 1;
    }
    // No clean-up of the parent's state (atexit handlers, HDF5's) in the child.
    ::_exit(status);
  }
  ::close(channel[1]);

  std::string message;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  bool timed_out = false;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd readable{channel[0], POLLIN, 0};
    const int ready = ::poll(&readable, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    std::array<char, 1024> buffer;
    const ssize_t got = ::read(channel[0], buffer.data(), buffer.size());
    if (got > 0) {
      if (message.size() < kMaxMessageBytes) message.append(buffer.data(), static_cast<std::size_t>(got));
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    break;  // the child closed its end: it has ended, or is about to
  }
  ::close(channel[0]);
  if (timed_out) ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out)
    return fmt::format("{} is damaged: reading it did not finish within {:.0f} s", what, seconds);
  if (WIFSIGNALED(status)) {
    return fmt::format("{} is damaged: reading it crashed the HDF5 library ({})", what,
                       ::strsignal(WTERMSIG(status)));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return std::nullopt;
  return message.empty() ? std::string("reading it failed") : message;
}

double reading_time_limit(const std::filesystem::path& file) {
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  return 20.0 + (error ? 0.0 : static_cast<double>(size) / 10e6);
}

}  // namespace wfsim::output
