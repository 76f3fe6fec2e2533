#include "cli/command_registry.hpp"

#include <utility>

namespace wfsim::cli {

std::vector<RegisteredCommand>& registered_commands() {
  static std::vector<RegisteredCommand> commands;  // constructed on first use, before any registration
  return commands;
}

bool register_command(int order, Setup setup, RankUse rank_use) {
  registered_commands().push_back({order, std::move(setup), rank_use});
  return true;
}

}  // namespace wfsim::cli
