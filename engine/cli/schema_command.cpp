// wfsim schema: the JSON Schema of scenario files, for editors.
#include <iostream>

#include "cli/command_registry.hpp"
#include "scenario/json_schema.hpp"

namespace wfsim::cli {
namespace {

const bool registered = register_command(95, [](CLI::App& app, const CommandLine&) -> Action {
  app.add_subcommand("schema", "Print a JSON Schema (2020-12) of scenario files, for editors");
  return [] {
    std::cout << scenario::scenario_json_schema();
    return 0;
  };
});

}  // namespace
}  // namespace wfsim::cli
