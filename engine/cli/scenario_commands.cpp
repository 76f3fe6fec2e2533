// wfsim validate and wfsim parameters: scenario files without running them.
#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli/command_registry.hpp"
#include "cli/common.hpp"
#include "scenario/parameter_registry.hpp"

namespace wfsim::cli {
namespace {

int validate(const std::vector<std::string>& files) {
  std::vector<scenario::Scenario> scenarios;
  if (!load_all(files, scenarios)) return kExitInputError;
  for (const auto& s : scenarios) std::cout << fmt::format("{}: ok ({})\n", s.file.string(), s.name);
  return 0;
}

int print_parameters() {
  std::cout << scenario::parameter_table_markdown();
  return 0;
}

const bool validate_registered = register_command(20, [](CLI::App& app, const CommandLine&) -> Action {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* sub = app.add_subcommand("validate", "Check scenario files without running them");
  add_input_files(*sub, "scenarios", *files, "Scenario YAML files");
  return [files] { return validate(*files); };
});

const bool parameters_registered = register_command(90, [](CLI::App& app, const CommandLine&) -> Action {
  app.add_subcommand("parameters", "Print every scenario parameter as a Markdown table");
  return [] { return print_parameters(); };
});

}  // namespace
}  // namespace wfsim::cli
