// What several subcommands share: loading scenario sets, times, progress.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command_registry.hpp"
#include "model/parameters.hpp"
#include "run/default_seed.hpp"
#include "scenario/scenario.hpp"

namespace wfsim::cli {

namespace fs = std::filesystem;

// Loads every file and checks they can run together (same horizon, distinct
// names). Prints every problem to stderr; false if there was any.
bool load_all(const std::vector<std::string>& files, std::vector<scenario::Scenario>& scenarios);

// Prints "wfsim: error: <message>" to stderr; returns kExitInputError.
int input_error(std::string_view message);

// Runs `load` (of a scenario or an analysis file); a ScenarioError is printed
// to stderr and makes it false.
bool load_reporting_errors(const std::function<void()>& load);

// The --output path as given or, when empty, a new file in outputs/ (made
// here) named "<stem>-<UTC time><extension>". Empty, with the problem
// printed as an input error, when no file can be written there.
std::filesystem::path output_path(const std::string& given, std::string_view stem,
                                  std::string_view extension);

// Options several commands take, checked and worded alike. `files` is a
// required input file (or files) that must exist.
template <typename Files>
CLI::Option* add_input_files(CLI::App& command, const std::string& name, Files& files,
                             const std::string& help) {
  return command.add_option(name, files, help)->required()->check(CLI::ExistingFile);
}
CLI::Option* add_threads_option(
    CLI::App& command, int& threads,
    const std::string& help =
        "Worker threads (default: all cores, shared by the ranks of an MPI job on one machine)");

// How many replications a simulating command runs, from which seed, on how
// many threads: declared and checked alike by every such command.
struct ReplicationOptions {
  int replications = 0;
  std::uint64_t seed = run::kDefaultSeed;
  int threads = 0;

  // Sets the three on a run's or an analysis's settings.
  template <typename Settings>
  void apply_to(Settings& settings) const {
    settings.seed = seed;
    settings.replications = replications;
    settings.threads = threads;
  }
};
// -n/--replications (from `min_replications` to `max_replications`), --seed
// and --threads.
void add_replication_options(CLI::App& command, ReplicationOptions& options,
                             const std::string& replications_help, int min_replications, int max_replications,
                             const std::string& seed_help = "Random seed");

std::string utc_now(const char* format);

// The whole command line as one string, for the provenance a file records.
std::string command_line_text(const CommandLine& command_line);

// `target` as a path relative to `directory`, for a scenario that `extends` it.
std::string relative_to(const std::filesystem::path& target, const std::filesystem::path& directory);

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
