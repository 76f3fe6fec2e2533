// The wfsim command: dispatch to the registered subcommands.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/command_registry.hpp"
#include "output/output_files.hpp"
#include "run/ranks.hpp"
#include "version.hpp"

namespace {

// Prints a failure and ends the command with `status`: in a job of several
// ranks, every rank at once (another may be waiting for this one), on the
// error stream the rank was born with.
int fail(int status, const std::string& message, std::streambuf* rank_stderr) {
  if (wfsim::run::rank_count() == 1) {
    std::cerr << "wfsim: error: " << message << '\n';
    return status;
  }
  std::cerr.rdbuf(rank_stderr);
  std::cerr << "wfsim: rank " << wfsim::run::rank() << ": error: " << message << std::endl;
  wfsim::run::abort_all_ranks(status);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace wfsim::cli;
  const wfsim::run::RankSession ranks(argc, argv);
  // Every rank runs the same command; rank 0 alone speaks for the job.
  std::streambuf* const rank_stderr = std::cerr.rdbuf();
  if (!wfsim::run::is_root_rank()) {
    std::cout.rdbuf(nullptr);
    std::cerr.rdbuf(nullptr);
  }
  wfsim::output::remove_partial_files_on_interrupt();
  CLI::App app{"wfsim: a workforce microsimulation of a council's children's social workers"};
  app.set_version_flag("--version", std::string("wfsim ") + wfsim::kVersion);
  app.require_subcommand(1);

  auto commands = registered_commands();
  std::sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
  const CommandLine command_line{argc, argv};
  std::vector<std::pair<CLI::App*, Action>> actions;
  for (const auto& command : commands) {
    const std::size_t before = app.get_subcommands({}).size();
    Action action = command.setup(app, command_line);
    actions.emplace_back(app.get_subcommands({}).at(before), std::move(action));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    // Usage errors are input errors: status 2, like a bad scenario file.
    return status == 0 ? 0 : kExitInputError;
  }

  try {
    for (auto& [subcommand, action] : actions) {
      if (!subcommand->parsed()) continue;
      const auto& spread = commands_spread_over_ranks();
      if (!spread.count(subcommand->get_name()) && wfsim::run::rank_count() > 1) {
        std::cerr << fmt::format(
            "wfsim: error: wfsim {} runs in one process; start it without mpirun (these spread over ranks: "
            "{})\n",
            subcommand->get_name(), fmt::join(spread, ", "));
        return kExitInputError;
      }
      return action();
    }
  } catch (const wfsim::output::OutputError& e) {
    return fail(kExitOutputError, e.what(), rank_stderr);
  } catch (const std::filesystem::filesystem_error& e) {
    return fail(kExitOutputError, e.what(), rank_stderr);
  } catch (const std::exception& e) {
    return fail(kExitRuntimeError, e.what(), rank_stderr);
  }
  return 0;
}
