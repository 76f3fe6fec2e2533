// wfsim sensitivity: how much an outcome, or a policy's paired advantage over
// the reference, moves over the declared ranges of uncertain parameters.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "analysis/sensitivity.hpp"
#include "cli/command_registry.hpp"
#include "cli/common.hpp"
#include "output/output_files.hpp"
#include "output/sensitivity_file.hpp"
#include "run/comparison.hpp"
#include "run/default_seed.hpp"
#include "run/ranks.hpp"
#include "scenario/analysis_files.hpp"
#include "version.hpp"

namespace wfsim::cli {
namespace {

struct SensitivityOptions {
  std::vector<std::string> scenario_files;
  std::string ranges_file;
  std::string design = "tornado";
  std::string output_metric = "net_loss_total";
  std::string output;
  ReplicationOptions draws{.replications = 200};
  int trajectories = 10;
  int levels = 4;
  bool quiet = false;
};

std::string outcome_names() {
  std::string names;
  for (const auto& outcome : run::kOutcomes) names += (names.empty() ? "" : ", ") + std::string(outcome.name);
  return names;
}

int sensitivity(const SensitivityOptions& options, const CommandLine& command_line) {
  analysis::SensitivitySettings settings;
  if (options.design == "tornado") {
    settings.design = analysis::SensitivityDesign::tornado;
  } else if (options.design == "morris") {
    settings.design = analysis::SensitivityDesign::morris;
  } else {
    return input_error(fmt::format("--design {}: expected tornado or morris", options.design));
  }
  const auto outcome =
      std::find_if(run::kOutcomes.begin(), run::kOutcomes.end(),
                   [&](const run::OutcomeInfo& o) { return o.name == options.output_metric; });
  if (outcome == run::kOutcomes.end()) {
    return input_error(
        fmt::format("--output-metric {}: expected one of {}", options.output_metric, outcome_names()));
  }
  if (options.levels % 2 != 0) {
    return input_error(fmt::format("--levels {}: expected an even number of grid levels", options.levels));
  }

  std::vector<scenario::Scenario> scenarios;
  if (!load_all(options.scenario_files, scenarios)) return kExitInputError;
  std::vector<const model::Parameters*> parameters;
  for (const auto& s : scenarios) parameters.push_back(&s.parameters);
  scenario::Ranges ranges;
  if (!load_reporting_errors([&] { ranges = scenario::load_ranges(options.ranges_file, parameters); }))
    return kExitInputError;

  // Rank 0 writes the file, so it alone checks where it goes; the others stop with it.
  const fs::path output = run::is_root_rank()
                              ? output_path(options.output, scenarios.front().name + "-sensitivity", ".h5")
                              : fs::path();
  if (run::value_of_root(output.empty() ? 1 : 0) != 0) return kExitInputError;

  settings.output = options.output_metric;
  options.draws.apply_to(settings);
  settings.trajectories = options.trajectories;
  settings.levels = options.levels;
  const ProgressBar bar(!options.quiet && stderr_is_terminal());
  const model::Parameters* policy = scenarios.size() > 1 ? &scenarios[1].parameters : nullptr;
  const analysis::SensitivityResult result =
      analysis::run_sensitivity(scenarios.front().parameters, policy, ranges.parameters, settings,
                                [&](int done, int total) { bar.update(done, total); });

  if (!options.quiet) {
    if (policy != nullptr) {
      std::cout << fmt::format("{} against {}, paired by replication ({}; {} is better):\n",
                               scenarios[1].name, scenarios[0].name, outcome->description,
                               outcome->lower_is_better ? "lower" : "higher");
    }
    std::cout << analysis::sensitivity_table(result);
  }
  if (!run::is_root_rank()) return 0;

  output::SensitivityFileInfo info;
  info.wfsim_version = kVersion;
  info.created_utc = utc_now("%Y-%m-%dT%H:%M:%SZ");
  info.command_line = command_line_text(command_line);
  info.input_files = options.scenario_files;
  info.input_files.push_back(options.ranges_file);
  info.design = options.design;
  info.output = options.output_metric;
  info.output_units = std::string(outcome->units);
  info.scenario = scenarios.front().name;
  info.policy = policy != nullptr ? scenarios[1].name : "";
  info.replications = options.draws.replications;
  info.seed = options.draws.seed;
  info.base_value = result.base_value;
  info.evaluations = result.evaluations;
  if (settings.design == analysis::SensitivityDesign::morris) {
    info.trajectories = options.trajectories;
    info.levels = options.levels;
  }
  output::SensitivityColumns columns{result.parameters, result.baseline,     result.low, result.high,
                                     result.output_low, result.output_high,  result.mu,  result.mu_star,
                                     result.sigma,      result.flips_ranking};
  output::write_sensitivity_file(output, info, columns);
  std::cerr << fmt::format("wrote {}\n", output.string());
  return 0;
}

const bool registered = register_command(60, [](CLI::App& app, const CommandLine& command_line) -> Action {
  auto options = std::make_shared<SensitivityOptions>();
  auto* sub = app.add_subcommand("sensitivity",
                                 "Tornado or Morris sensitivity of an outcome, or of a policy's paired "
                                 "difference, to parameter ranges");
  add_input_files(*sub, "scenarios", options->scenario_files,
                  "SCENARIO.yaml [POLICY.yaml]: with a policy the output is policy - reference, paired")
      ->expected(1, 2);
  add_input_files(*sub, "--ranges", options->ranges_file, "Ranges YAML: parameters: [{path, low, high}]");
  sub->add_option("--design", options->design, "tornado (one at a time, default) or morris");
  sub->add_option("--output-metric", options->output_metric,
                  "Outcome: " + outcome_names() + " (per-year ones summed over whole years)");
  add_replication_options(*sub, options->draws, "Replications per design point (same seed)", 1, 1'000'000,
                          "Random seed (also draws the Morris trajectories)");
  sub->add_option("--trajectories", options->trajectories, "Morris trajectories K (default 10)")
      ->check(CLI::Range(2, 100'000));
  sub->add_option("--levels", options->levels, "Morris grid levels p, even (default 4)")
      ->check(CLI::Range(2, 1000));
  sub->add_option("-o,--output", options->output,
                  "Sensitivity file to write (default outputs/<scenario>-sensitivity-<UTC time>.h5)");
  sub->add_flag("-q,--quiet", options->quiet, "No progress bar and no table");
  return [options, command_line] { return sensitivity(*options, command_line); };
});
const bool spread = spread_over_ranks("sensitivity");

}  // namespace
}  // namespace wfsim::cli
