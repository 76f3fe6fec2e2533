// What several subcommands share: loading scenario sets, times, progress.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "model/parameters.hpp"
#include "scenario/scenario.hpp"

namespace wfsim::cli {

// Loads every file and checks they can run together (same horizon, distinct
// names). Prints every problem to stderr; false if there was any.
bool load_all(const std::vector<std::string>& files, std::vector<scenario::Scenario>& scenarios);

std::string utc_now(const char* format);

// A progress bar on stderr, drawn only when enabled (stderr is a terminal).
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled);
  void update(int finished, int total) const;

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
};

bool stderr_is_terminal();

}  // namespace wfsim::cli
