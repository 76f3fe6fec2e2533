#include "cli/command_registry.hpp"

#include <utility>

namespace wfsim::cli {

std::vector<RegisteredCommand>& registered_commands() {
  static std::vector<RegisteredCommand> commands;  // constructed on first use, before any registration
  return commands;
}

namespace {
std::set<std::string>& spread_commands() {
  static std::set<std::string> names;  // constructed on first use, before any registration
  return names;
}
}  // namespace

bool spread_over_ranks(std::string name) {
  spread_commands().insert(std::move(name));
  return true;
}

const std::set<std::string>& commands_spread_over_ranks() {
  return spread_commands();
}

bool register_command(int order, Setup setup) {
  registered_commands().push_back({order, std::move(setup)});
  return true;
}

}  // namespace wfsim::cli
