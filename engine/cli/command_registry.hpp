// Subcommands register themselves, so adding one is adding one file.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace wfsim::cli {

// Exit statuses, as README.md ("Exit status") documents them. SIGINT and
// SIGTERM end a command with 130 and 143 (output/output_files.hpp).
inline constexpr int kExitRuntimeError = 1;  // a failure wfsim did not foresee
inline constexpr int kExitInputError = 2;    // an input, option or output path is wrong; nothing written
inline constexpr int kExitOutputError = 3;   // the disk failed the output (full, quota, read-only, I/O)

// The whole command line, for the provenance a run file records.
struct CommandLine {
  int argc = 0;
  char** argv = nullptr;
};

using Action = std::function<int()>;
// Adds a subcommand (with its options bound to state the action keeps) and
// returns what runs when it is chosen.
using Setup = std::function<Action(CLI::App& parent, const CommandLine& command_line)>;

struct RegisteredCommand {
  int order;  // position in --help
  Setup setup;
};

// Call from a namespace-scope initialiser in the command's own file.
bool register_command(int order, Setup setup);
std::vector<RegisteredCommand>& registered_commands();

// Marks the command `name` as one that spreads its work over the ranks of an
// MPI job (run/ranks.hpp), from a namespace-scope initialiser in its file;
// the other commands refuse to start in a job of several ranks.
bool spread_over_ranks(std::string name);
const std::set<std::string>& commands_spread_over_ranks();

}  // namespace wfsim::cli
