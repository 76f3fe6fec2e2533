// `wfsim serve` as a child process of a test: started on a free port, its
// address read from what it prints, stopped with a signal as a person stops
// it with Ctrl-C.
#pragma once

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cli_runner.hpp"

namespace wfsim::test {

class ServeProcess {
 public:
  // Runs `wfsim serve --port 0 ARGUMENTS...`, its output in `directory`.
  ServeProcess(const std::vector<std::string>& arguments, const std::filesystem::path& directory)
      : out_(directory / "serve.out"), err_(directory / "serve.err") {
    std::vector<std::string> words{WFSIM_BINARY, "serve", "--port", "0"};
    words.insert(words.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (std::string& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    const int failed = posix_spawn(&pid_, WFSIM_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed) throw std::runtime_error("cannot start wfsim serve");
    // The address is printed once the socket listens.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string printed = read_text(out_);
      const std::size_t at = printed.find("http://127.0.0.1:");
      if (at != std::string::npos && printed.find("/ in a browser", at) != std::string::npos) {
        port_ = std::stoi(printed.substr(at + 17));
        return;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("wfsim serve exited: " + read_text(err_));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("wfsim serve printed no address within a minute: " + read_text(err_));
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;
  ~ServeProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  int port() const { return port_; }
  std::string url() const { return fmt::format("http://127.0.0.1:{}/", port_); }
  std::string stderr_text() const { return read_text(err_); }

  // Sends `signal` and waits up to `limit` for the exit; the exit status, or
  // -1 if it had to be killed (or died of a signal).
  int stop(int signal = SIGINT, std::chrono::seconds limit = std::chrono::seconds(30)) {
    kill(pid_, signal);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    return -1;
  }

 private:
  std::filesystem::path out_;
  std::filesystem::path err_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace wfsim::test
