// The wfsim command: dispatch to the registered subcommands.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/command_registry.hpp"
#include "output/output_files.hpp"
#include "version.hpp"

int main(int argc, char** argv) {
  using namespace wfsim::cli;
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
    for (auto& [subcommand, action] : actions)
      if (subcommand->parsed()) return action();
  } catch (const wfsim::output::OutputError& e) {
    std::cerr << "wfsim: error: " << e.what() << '\n';
    return kExitOutputError;
  } catch (const std::filesystem::filesystem_error& e) {
    std::cerr << "wfsim: error: " << e.what() << '\n';
    return kExitOutputError;
  } catch (const std::exception& e) {
    std::cerr << "wfsim: error: " << e.what() << '\n';
    return kExitRuntimeError;
  }
  return 0;
}
