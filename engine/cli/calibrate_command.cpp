// wfsim calibrate: fit the parameters a targets file names to observed
// census statistics, and write the fit as an overlay scenario and a report.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "analysis/calibration.hpp"
#include "analysis/census_statistics.hpp"
#include "cli/command_registry.hpp"
#include "cli/common.hpp"
#include "output/output_files.hpp"
#include "run/default_seed.hpp"
#include "run/ranks.hpp"
#include "scenario/analysis_files.hpp"
#include "scenario/parameter_registry.hpp"
#include "version.hpp"

namespace wfsim::cli {
namespace {

struct CalibrateOptions {
  std::string scenario_file;
  std::string targets_file;
  std::string overlay;
  std::string report;
  ReplicationOptions draws{.replications = 100};
  int max_evaluations = 1000;
  std::string optimiser = "neldermead";
  bool quiet = false;
};

int calibrate(const CalibrateOptions& options, const CommandLine& command_line) {
  analysis::CalibrationSettings settings;
  if (!analysis::parse_optimiser(options.optimiser, settings.search.optimiser)) {
    return input_error(
        fmt::format("--optimiser {}: expected neldermead, bobyqa or sbplx", options.optimiser));
  }
  std::vector<scenario::Scenario> scenarios;
  if (!load_all({options.scenario_file}, scenarios)) return kExitInputError;
  const scenario::Scenario& base = scenarios.front();
  scenario::Targets targets;
  if (!load_reporting_errors([&] {
        targets =
            scenario::load_targets(options.targets_file, base.parameters, analysis::census_statistic_rules());
      }))
    return kExitInputError;

  // The overlay is a scenario: it must load as one, and only YAML files do.
  if (const std::string extension = fs::path(options.overlay).extension().string();
      !options.overlay.empty() && extension != ".yaml" && extension != ".yml") {
    return input_error(
        fmt::format("--output {}: expected a scenario file name ending in .yaml or .yml", options.overlay));
  }
  // Rank 0 writes the files, so it alone checks where they go; the others stop with it.
  fs::path overlay;
  int status = 0;
  if (run::is_root_rank()) {
    overlay = output_path(options.overlay, base.name + "-calibrated", ".yaml");
    if (overlay.empty()) status = kExitInputError;
    if (status == 0 && !options.report.empty()) {
      if (const std::string problem = output::output_directory_problem(options.report); !problem.empty())
        status = input_error(fmt::format("--report {}: {}", options.report, problem));
    }
  }
  if (const int agreed = run::value_of_root(status); agreed != 0) return agreed;

  options.draws.apply_to(settings);
  settings.search.max_evaluations = options.max_evaluations;
  const bool show_progress = !options.quiet && stderr_is_terminal();
  const analysis::CalibrationResult result = analysis::calibrate(
      base.parameters, targets, settings, [&](int evaluation, double objective, double best) {
        if (show_progress) {
          std::cerr << fmt::format("\revaluation {}: objective {:.5g}, best {:.5g}   ", evaluation, objective,
                                   best)
                    << std::flush;
        }
      });
  if (show_progress) std::cerr << '\n';

  const std::string report =
      analysis::fit_report_markdown(result, options.scenario_file, options.targets_file);
  if (!options.quiet) std::cout << report;
  if (!run::is_root_rank()) return 0;

  std::vector<std::pair<std::string, double>> fitted;
  for (const auto& p : result.parameters) fitted.emplace_back(p.path, p.fitted);
  const std::string command = command_line_text(command_line);
  const fs::path overlay_directory = overlay.has_parent_path() ? overlay.parent_path() : fs::path(".");
  const std::string text = scenario::overlay_yaml(
      relative_to(base.file, overlay_directory),
      fmt::format("{} calibrated to {}", base.name, fs::path(options.targets_file).filename().string()),
      fitted,
      {fmt::format("Written by wfsim {} on {}:", kVersion, utc_now("%Y-%m-%dT%H:%M:%SZ")), command,
       fmt::format(
           "{} replications per evaluation, seed {}, {} evaluations ({}); objective {:.5g} -> {:.5g}.",
           result.settings.replications, result.settings.seed, result.evaluations, result.stop_reason,
           result.objective_start, result.objective_fitted),
       "Only the fitted keys are set; everything else comes from the scenario it extends."});
  output::write_file_whole(overlay, text);

  // The overlay must load to exactly the fitted values.
  const scenario::Scenario reloaded = scenario::load_scenario(overlay);
  for (const auto& p : result.parameters) {
    const double value = scenario::find_numeric_parameter(p.path)->get(reloaded.parameters);
    if (value != p.fitted) {
      throw std::runtime_error(
          fmt::format("{} reloads {} as {}, not the fitted {}", overlay.string(), p.path, value, p.fitted));
    }
  }
  std::cerr << fmt::format("wrote {}\n", overlay.string());
  if (!options.report.empty()) {
    output::write_file_whole(options.report, report);
    std::cerr << fmt::format("wrote {}\n", options.report);
  }
  return 0;
}

const bool registered = register_command(50, [](CLI::App& app, const CommandLine& command_line) -> Action {
  auto options = std::make_shared<CalibrateOptions>();
  auto* sub = app.add_subcommand(
      "calibrate", "Fit the parameters a targets file names to observed census statistics; write an overlay");
  add_input_files(*sub, "scenario", options->scenario_file, "Scenario YAML file to calibrate");
  add_input_files(*sub, "--targets", options->targets_file,
                  "Targets YAML: statistics to fit and parameters to vary");
  add_replication_options(*sub, options->draws, "Replications per evaluation (the same seed every time)", 1,
                          1'000'000);
  sub->add_option("-o,--output", options->overlay,
                  "Overlay scenario to write (default outputs/<scenario>-calibrated-<UTC time>.yaml)");
  sub->add_option("--report", options->report, "Fit report to write (Markdown)");
  sub->add_option("--optimiser", options->optimiser, "NLopt method: neldermead (default), bobyqa or sbplx");
  sub->add_option("--max-evaluations", options->max_evaluations, "Evaluation budget of the optimiser")
      ->check(CLI::Range(1, 1'000'000));
  sub->add_flag("-q,--quiet", options->quiet, "No progress and no table");
  return [options, command_line] { return calibrate(*options, command_line); };
});
const bool spread = spread_over_ranks("calibrate");

}  // namespace
}  // namespace wfsim::cli
