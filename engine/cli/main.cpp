// The wfsim command: argument parsing and dispatch only.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "version.hpp"

int main(int argc, char** argv) {
  using namespace wfsim::cli;
  CLI::App app{"wfsim: a workforce microsimulation of a council's children's social workers"};
  app.set_version_flag("--version", std::string("wfsim ") + wfsim::kVersion);
  app.require_subcommand(1);

  RunOptions run_options;
  auto* run =
      app.add_subcommand("run", "Run scenarios as Monte Carlo replications and write an HDF5 run file");
  run->add_option("scenarios", run_options.scenario_files, "Scenario YAML files; the first is the reference")
      ->required()
      ->check(CLI::ExistingFile);
  run->add_option("-o,--output", run_options.output,
                  "Run file to write (default outputs/<first>-<UTC time>.h5)");
  run->add_option("-n,--replications", run_options.replications, "Replications per scenario")
      ->check(CLI::Range(1, 10'000'000));
  run->add_option("--seed", run_options.seed, "Random seed");
  run->add_option("--threads", run_options.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 4096));
  run->add_option("--block-size", run_options.block_size,
                  "Replications held in memory at once (default: automatic)")
      ->check(CLI::Range(1, 1'000'000));
  run->add_flag("--independent-streams", run_options.independent_streams,
                "Give each scenario unrelated random numbers instead of common random numbers");
  run->add_flag(
      "--pairing-check", run_options.pairing_check,
      "Run again with the other stream design and report the variance of the net-loss differences both ways");
  run->add_flag("-q,--quiet", run_options.quiet, "No progress bar and no summary table");

  std::vector<std::string> validate_files;
  auto* validate = app.add_subcommand("validate", "Check scenario files without running them");
  validate->add_option("scenarios", validate_files, "Scenario YAML files")
      ->required()
      ->check(CLI::ExistingFile);

  auto* parameters = app.add_subcommand("parameters", "Print every scenario parameter as a Markdown table");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    // Usage errors are input errors: status 2, like a bad scenario file.
    return status == 0 ? 0 : kExitInputError;
  }

  try {
    if (*run) return run_command(run_options, argc, argv);
    if (*validate) return validate_command(validate_files);
    if (*parameters) return parameters_command();
  } catch (const std::exception& e) {
    std::cerr << "wfsim: error: " << e.what() << '\n';
    return kExitRuntimeError;
  }
  return 0;
}
