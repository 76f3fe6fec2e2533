// wfsim optimise: the package of levers that does best within a budget, with
// the cost-outcome frontier, its best packages run again on a fresh seed,
// and those packages written as scenario files that `wfsim run` reproduces.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "analysis/policy_search.hpp"
#include "cli/command_registry.hpp"
#include "cli/common.hpp"
#include "output/output_files.hpp"
#include "output/policy_search_file.hpp"
#include "report/report.hpp"
#include "run/default_seed.hpp"
#include "run/ranks.hpp"
#include "scenario/levers.hpp"
#include "version.hpp"

namespace wfsim::cli {
namespace {

using analysis::PolicySearchResult;
using analysis::RerunPackage;
using analysis::SearchCandidate;
using output::MatrixColumn;
using output::NumberColumn;
using output::TextColumn;

struct OptimiseOptions {
  std::string scenario_file;
  std::string levers_file;
  std::string output;
  // The options bind to the search's settings but for its re-run seed.
  analysis::PolicySearchSettings search;
  std::uint64_t rerun_seed = 0;  // 0: seed + 1
  bool quiet = false;
};

std::vector<double> column_of(const std::vector<SearchCandidate>& candidates,
                              double SearchCandidate::*member) {
  std::vector<double> out;
  for (const SearchCandidate& c : candidates) out.push_back(c.*member);
  return out;
}

output::PolicySearchTables tables_of(const scenario::Levers& levers, const PolicySearchResult& result,
                                     const std::vector<std::string>& package_files,
                                     const std::vector<std::string>& package_texts) {
  output::PolicySearchTables t;
  const std::size_t lever_count = levers.levers.size();

  TextColumn policy{"policy", "The policy block the lever switches on", {}};
  TextColumn label{"label", "How sentences name the lever", {}};
  NumberColumn optional{"optional", "0 or 1", "1 if a package may leave the lever off", {}, true};
  for (const scenario::Lever& lever : levers.levers) {
    policy.values.push_back(lever.policy);
    label.values.push_back(lever.label);
    optional.values.push_back(lever.optional ? 1 : 0);
  }
  t.levers.texts = {policy, label};
  t.levers.numbers = {optional};

  NumberColumn lever_of{"lever", "row of /levers", "The lever the number belongs to", {}, true};
  TextColumn paths{"paths", "The keys it sets, comma-separated", {}};
  TextColumn variable_label{"label", "How sentences name the number", {}};
  TextColumn units{"units", "Units of min, max and start: months are months after the run's start", {}};
  NumberColumn min{"min", "", "Least value the search tries", {}};
  NumberColumn max{"max", "", "Greatest value the search tries", {}};
  NumberColumn start{"start", "", "Where each set's search starts", {}};
  NumberColumn integer{"integer", "0 or 1", "1 for a whole number (posts, months, counts)", {}, true};
  for (std::size_t k = 0; k < lever_count; ++k) {
    for (const scenario::LeverVariable& v : levers.levers[k].variables) {
      lever_of.values.push_back(static_cast<double>(k));
      paths.values.push_back(fmt::format("{}", fmt::join(v.paths, ", ")));
      variable_label.values.push_back(v.label);
      units.values.push_back(v.kind == scenario::LeverVariableKind::month ? "months after the start"
                                                                          : v.units);
      min.values.push_back(v.min);
      max.values.push_back(v.max);
      start.values.push_back(v.start);
      integer.values.push_back(v.integer ? 1 : 0);
    }
  }
  t.variables.numbers = {lever_of, min, max, start, integer};
  t.variables.texts = {paths, variable_label, units};

  const auto& c = result.candidates;
  const std::string score_units = analysis::objective_units(levers);
  NumberColumn set{
      "set", "row of /contenders", "The on/off set the package belongs to; -1 for the reference", {}, true};
  NumberColumn round{"round", "round", "The round it was first run in, from 1", {}, true};
  NumberColumn reps{
      "replications", "replications", "Replications 0 .. n-1 of the search seed it was run for", {}, true};
  NumberColumn feasible{
      "feasible",
      "0 or 1",
      "1 if within the budget by the rule with the search's margin (budget_margin_z), on its replications",
      {},
      true};
  NumberColumn frontier{"frontier", "0 or 1", "1 if no cheaper package evaluated does as well", {}, true};
  NumberColumn valid{"valid", "0 or 1", "1 if the scenario loader accepts the package", {}, true};
  TextColumn words{"package", "The package in words", {}};
  TextColumn invalid{"invalid", "Why the scenario loader refuses the package; empty if it accepts it", {}};
  MatrixColumn on{"on", "0 or 1", "[package, lever]: 1 if the lever is on", lever_count, {}};
  MatrixColumn values{"values",
                      "see /variables/units",
                      "[package, number]: its value; NaN where its lever is off",
                      levers.variable_count(),
                      {}};
  for (const SearchCandidate& candidate : c) {
    set.values.push_back(candidate.set);
    round.values.push_back(candidate.round + 1);
    reps.values.push_back(candidate.replications);
    feasible.values.push_back(candidate.feasible ? 1 : 0);
    frontier.values.push_back(candidate.frontier ? 1 : 0);
    valid.values.push_back(candidate.invalid.empty() ? 1 : 0);
    words.values.push_back(analysis::package_words(levers, candidate.package));
    invalid.values.push_back(candidate.invalid);
    for (std::size_t k = 0; k < lever_count; ++k) {
      on.values.push_back(candidate.package.on[k] ? 1 : 0);
      for (double v : candidate.package.values[k])
        values.values.push_back(candidate.package.on[k] ? v : std::numeric_limits<double>::quiet_NaN());
    }
  }
  t.candidates.numbers = {
      set,
      round,
      reps,
      {"score", score_units, "Mean score (the objective, lower is better) on its replications",
       column_of(c, &SearchCandidate::score)},
      {"score_standard_error", score_units, "Monte Carlo standard error of the mean score",
       column_of(c, &SearchCandidate::score_standard_error)},
      {"score_difference", score_units, "Mean score, package - reference, paired on its replications",
       column_of(c, &SearchCandidate::score_difference)},
      {"spend_mean", "GBP", "Mean policy spend over the whole years (policy_spend_total)",
       column_of(c, &SearchCandidate::spend_mean)},
      {"spend_quantile", "GBP",
       "Policy spend the budget rule compares: the mean, or the (1 - max_probability) quantile",
       column_of(c, &SearchCandidate::spend_quantile)},
      {"overspend_probability", "fraction", "Share of its replications spending more than the budget",
       column_of(c, &SearchCandidate::overspend_probability)},
      feasible,
      {"net_loss_difference", "headcount", "Mean net loss over the whole years, package - reference",
       column_of(c, &SearchCandidate::net_loss_difference)},
      {"extra_cost", "GBP",
       "Mean spending against the establishment over the whole years, package - reference",
       column_of(c, &SearchCandidate::extra_cost)},
      frontier,
      valid};
  t.candidates.texts = {words, invalid};
  t.candidates.matrices = {on, values};

  NumberColumn best{"best", "row of /candidates", "The set's best package", {}, true};
  NumberColumn eliminated{
      "eliminated_round", "round", "The round it left the race; 0 if it stayed to the end", {}, true};
  NumberColumn evaluations{"evaluations", "evaluations", "Package runs spent on the set", {}, true};
  TextColumn why{"why_eliminated", "Why it left the race", {}};
  MatrixColumn set_on{"on", "0 or 1", "[set, lever]: 1 if the lever is on", lever_count, {}};
  for (const analysis::SearchContender& contender : result.contenders) {
    best.values.push_back(contender.best);
    eliminated.values.push_back(contender.eliminated + 1);
    evaluations.values.push_back(contender.evaluations);
    why.values.push_back(contender.why_eliminated);
    for (bool b : contender.on) set_on.values.push_back(b ? 1 : 0);
  }
  t.contenders.numbers = {best, eliminated, evaluations};
  t.contenders.texts = {why};
  t.contenders.matrices = {set_on};

  const auto& r = result.reruns;
  const auto summary = [&](const char* name, run::Summary RerunPackage::*member, std::string_view units,
                           std::string_view what) {
    std::vector<NumberColumn> out;
    for (const auto& [suffix, field, words] : {std::tuple{"mean", &run::Summary::mean, "mean"},
                                               std::tuple{"p10", &run::Summary::p10, "10th percentile"},
                                               std::tuple{"p90", &run::Summary::p90, "90th percentile"}}) {
      NumberColumn column{fmt::format("{}_{}", name, suffix),
                          std::string(units),
                          fmt::format("{} on the fresh seed: {}", what, words),
                          {}};
      for (const RerunPackage& p : r) column.values.push_back(p.*member.*field);
      out.push_back(std::move(column));
    }
    return out;
  };
  const auto each = [&](const char* name, std::string_view units, std::string_view what, auto value,
                        bool is_integer = false) {
    NumberColumn column{name, std::string(units), std::string(what), {}, is_integer};
    for (std::size_t i = 0; i < r.size(); ++i) column.values.push_back(value(i));
    return column;
  };
  std::vector<NumberColumn>& n = t.packages.numbers;
  n.push_back(each(
      "candidate", "row of /candidates", "The package", [&](std::size_t i) { return r[i].candidate; }, true));
  n.push_back(each(
      "finalist_rank", "rank", "1, 2, ... in the search's order; 0 for a frontier package",
      [&](std::size_t i) { return r[i].finalist_rank; }, true));
  n.push_back(each(
      "chosen", "0 or 1", "1 for the chosen package: the first finalist within the budget on the fresh seed",
      [&](std::size_t i) { return static_cast<int>(i) == result.chosen ? 1 : 0; }, true));
  for (auto& column : summary("score_difference", &RerunPackage::score_difference, score_units,
                              "Score, package - reference, paired"))
    n.push_back(std::move(column));
  n.push_back(each("score_difference_standard_error", score_units,
                   "Standard error of the mean score difference",
                   [&](std::size_t i) { return r[i].score_difference_standard_error; }));
  for (auto& column : summary("net_loss_difference", &RerunPackage::net_loss_difference, "headcount",
                              "Net loss over the whole years, package - reference, paired"))
    n.push_back(std::move(column));
  for (auto& column :
       summary("extra_cost", &RerunPackage::extra_cost, "GBP",
               "Spending against the establishment over the whole years, package - reference, paired"))
    n.push_back(std::move(column));
  for (auto& column : summary("spend", &RerunPackage::spend, "GBP", "Policy spend over the whole years"))
    n.push_back(std::move(column));
  n.push_back(each("spend_quantile", "GBP", "Policy spend the budget rule compares, on the fresh seed",
                   [&](std::size_t i) { return r[i].spend_quantile; }));
  n.push_back(each("overspend_probability", "fraction",
                   "Share of the fresh seed's replications spending more than the budget",
                   [&](std::size_t i) { return r[i].overspend_probability; }));
  n.push_back(each(
      "feasible", "0 or 1", "1 if within the budget by the rule on the fresh seed",
      [&](std::size_t i) { return r[i].feasible ? 1 : 0; }, true));
  n.push_back(each("vacancy_rate_difference", "fraction",
                   "Vacancy rate at the end, package - reference, mean",
                   [&](std::size_t i) { return r[i].vacancy_rate_difference; }));
  n.push_back(each("agency_rate_difference", "fraction", "Agency rate at the end, package - reference, mean",
                   [&](std::size_t i) { return r[i].agency_rate_difference; }));
  n.push_back(
      each("search_score_difference", score_units,
           "The search's own mean score difference, for how far the re-run moved it",
           [&](std::size_t i) { return c[static_cast<std::size_t>(r[i].candidate)].score_difference; }));
  n.push_back(each("search_spend_mean", "GBP", "The search's own mean policy spend",
                   [&](std::size_t i) { return c[static_cast<std::size_t>(r[i].candidate)].spend_mean; }));
  n.push_back(
      each("search_net_loss_difference", "headcount", "The search's own mean net loss difference",
           [&](std::size_t i) { return c[static_cast<std::size_t>(r[i].candidate)].net_loss_difference; }));
  n.push_back(each(
      "search_replications", "replications", "Replications of the search seed behind the search's figures",
      [&](std::size_t i) { return c[static_cast<std::size_t>(r[i].candidate)].replications; }, true));
  TextColumn package_words{"package", "The package in words", {}};
  for (const RerunPackage& p : r)
    package_words.values.push_back(
        analysis::package_words(levers, c[static_cast<std::size_t>(p.candidate)].package));
  t.packages.texts = {package_words,
                      {"file", "The scenario file written for the package", package_files},
                      {"yaml", "The scenario file's text", package_texts}};
  return t;
}

int optimise(const OptimiseOptions& options, const CommandLine& command_line) {
  const std::uint64_t rerun_seed = options.rerun_seed != 0 ? options.rerun_seed : options.search.seed + 1;
  if (rerun_seed == options.search.seed) {
    return input_error(
        fmt::format("--rerun-seed {}: the best packages are run again on fresh random numbers, so it must "
                    "differ from --seed",
                    rerun_seed));
  }
  if (options.search.max_replications < options.search.replications) {
    return input_error(fmt::format("--max-replications {}: expected at least --replications ({})",
                                   options.search.max_replications, options.search.replications));
  }
  if (!(std::isfinite(options.search.budget_gbp) && options.search.budget_gbp > 0)) {
    return input_error(
        fmt::format("--budget {}: expected an amount in GBP above 0", options.search.budget_gbp));
  }
  std::vector<scenario::Scenario> scenarios;
  if (!load_all({options.scenario_file}, scenarios)) return kExitInputError;
  const scenario::Scenario& reference = scenarios.front();
  scenario::Levers levers;
  const std::vector<scenario::ObjectiveOutcome> outcomes = analysis::objective_outcomes();
  if (!load_reporting_errors(
          [&] { levers = scenario::load_levers(options.levers_file, reference, outcomes); }))
    return kExitInputError;

  // Rank 0 writes the files, so it alone checks where they go; the others stop with it.
  const fs::path output =
      run::is_root_rank() ? output_path(options.output, reference.name + "-optimise", ".h5") : fs::path();
  if (run::value_of_root(output.empty() ? 1 : 0) != 0) return kExitInputError;
  const fs::path directory = output.has_parent_path() ? output.parent_path() : fs::path(".");
  const std::string stem = output.stem().string();

  analysis::PolicySearchSettings settings = options.search;
  settings.rerun_seed = rerun_seed;
  const bool show_progress = !options.quiet && stderr_is_terminal();
  const auto started = std::chrono::steady_clock::now();
  const PolicySearchResult result =
      analysis::search_policies(reference, levers, settings, [&](int round, int racing, int evaluations) {
        if (show_progress) {
          std::cerr << fmt::format("round {}: {} set(s) still racing, {} evaluations\n", round, racing,
                                   evaluations);
        }
      });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!run::is_root_rank()) return 0;

  const std::string command = command_line_text(command_line);
  const std::string extends = relative_to(reference.file, directory);

  // The packages run again, as scenario files extending the reference.
  std::vector<std::string> files, texts;
  int frontier_files = 0;
  for (std::size_t i = 0; i < result.reruns.size(); ++i) {
    const RerunPackage& p = result.reruns[i];
    const SearchCandidate& c = result.candidates[static_cast<std::size_t>(p.candidate)];
    const fs::path file =
        directory / (p.finalist_rank > 0 ? fmt::format("{}-package-{}.yaml", stem, p.finalist_rank)
                                         : fmt::format("{}-frontier-{}.yaml", stem, ++frontier_files));
    const std::string words = analysis::package_words(levers, c.package);
    const std::string role =
        p.finalist_rank == 0 ? "A package on the cost-outcome frontier of the search."
        : static_cast<int>(i) == result.chosen
            ? fmt::format("Finalist {} of the search, the chosen package.", p.finalist_rank)
            : fmt::format("Finalist {} of the search.", p.finalist_rank);
    const std::string text = scenario::package_yaml(
        levers, c.package, extends, words,
        {fmt::format("Written by wfsim {} on {}:", kVersion, utc_now("%Y-%m-%dT%H:%M:%SZ")), command, role,
         fmt::format(
             "On seed {} with {} replications, paired with {}: net loss over the whole years {:+.1f} "
             "[80% range {:+.1f} to {:+.1f}], policy spend GBP {:.0f}, extra cost against the establishment "
             "GBP {:.0f}.",
             rerun_seed, settings.rerun_replications, reference.name, p.net_loss_difference.mean,
             p.net_loss_difference.p10, p.net_loss_difference.p90, p.spend.mean, p.extra_cost.mean),
         fmt::format("Those figures again: wfsim run {} {} --seed {} -n {}", reference.file.string(),
                     file.string(), rerun_seed, settings.rerun_replications),
         "Only the policies are set; everything else comes from the scenario it extends."});
    files.push_back(file.string());
    texts.push_back(text);
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    output::write_file_whole(files[i], texts[i]);
    // The file must load to the package the search ran.
    const scenario::Scenario from_file = scenario::load_scenario(files[i]);
    const scenario::Scenario searched = scenario::load_scenario_over(reference, texts[i], files[i]);
    if (from_file.resolved_yaml != searched.resolved_yaml) {
      throw std::runtime_error(fmt::format("{} does not load to the package the search ran", files[i]));
    }
  }

  output::PolicySearchFileInfo info;
  info.wfsim_version = kVersion;
  info.created_utc = utc_now("%Y-%m-%dT%H:%M:%SZ");
  info.command_line = command;
  info.input_files = {options.scenario_file, options.levers_file, levers.measures_file.string()};
  info.reference = reference.name;
  info.objective = analysis::objective_text(levers);
  info.objective_units = analysis::objective_units(levers);
  info.budget_gbp = settings.budget_gbp;
  info.budget_rule = levers.budget_rule == scenario::BudgetRule::mean ? "mean" : "probability";
  info.max_probability = levers.max_probability;
  info.seed = settings.seed;
  info.replications = settings.replications;
  info.max_replications = settings.max_replications;
  info.max_evaluations = settings.max_evaluations;
  info.racing_z = settings.racing_z;
  info.budget_margin_z = settings.budget_margin_z;
  info.rerun_seed = rerun_seed;
  info.rerun_replications = settings.rerun_replications;
  info.rounds = result.rounds;
  info.evaluations = result.evaluations;
  info.replications_simulated = result.replications_simulated;
  info.seconds = seconds;
  info.stop_reason = result.stop_reason;
  info.reference_score = result.rerun_reference_score.mean;
  output::write_policy_search_file(output, info, tables_of(levers, result, files, texts));

  if (!options.quiet) {
    std::cout << analysis::policy_search_table(levers, result);
    const output::PolicySearchRecord record = output::read_policy_search_file(output);
    std::cout << '\n' << report::policy_search_sentence(record) << '\n';
    std::cout << fmt::format("{} evaluations, {} replications simulated in all, {:.0f} s.\n",
                             result.evaluations, result.replications_simulated, seconds);
  }
  for (const std::string& file : files) std::cerr << fmt::format("wrote {}\n", file);
  std::cerr << fmt::format("wrote {}\n", output.string());
  return 0;
}

const bool registered = register_command(70, [](CLI::App& app, const CommandLine& command_line) -> Action {
  auto options = std::make_shared<OptimiseOptions>();
  auto* sub = app.add_subcommand("optimise",
                                 "Search the levers file's packages for the best within a budget; write "
                                 "the frontier and the packages");
  add_input_files(*sub, "scenario", options->scenario_file, "Reference scenario YAML: doing nothing");
  add_input_files(*sub, "--levers", options->levers_file,
                  "Levers YAML: the measures, what may vary, objective, budget rule");
  sub->add_option("--budget", options->search.budget_gbp,
                  "Budget in GBP for the policy's own spending over the whole years")
      ->required();
  sub->add_option("-n,--replications", options->search.replications,
                  "Replications of every package in the first round")
      ->check(CLI::Range(2, 1'000'000));
  sub->add_option("--max-replications", options->search.max_replications,
                  "The rounds double the replications up to this (default 400)")
      ->check(CLI::Range(2, 1'000'000));
  sub->add_option("--max-evaluations", options->search.max_evaluations,
                  "Package evaluations of the search (default 3000)")
      ->check(CLI::Range(1, 10'000'000));
  sub->add_option("--finalists", options->search.finalists,
                  "Best packages run again on the fresh seed (default 3)")
      ->check(CLI::Range(1, 100));
  sub->add_option("--frontier-points", options->search.frontier_points,
                  "Other frontier packages within the budget run again (default 6)")
      ->check(CLI::Range(0, 100));
  sub->add_option("--seed", options->search.seed, "Random seed of the search");
  sub->add_option("--rerun-seed", options->rerun_seed, "Seed of the re-run (default: --seed + 1)");
  sub->add_option("--rerun-replications", options->search.rerun_replications,
                  "Replications of the re-run, whose figures are reported (default 1000)")
      ->check(CLI::Range(2, 10'000'000));
  add_threads_option(*sub, options->search.threads);
  sub->add_option(
      "-o,--output", options->output,
      "Policy search file to write (default outputs/<scenario>-optimise-<UTC time>.h5); the packages "
      "are written beside it");
  sub->add_flag("-q,--quiet", options->quiet, "No progress and no table");
  return [options, command_line] { return optimise(*options, command_line); };
});
const bool spread = spread_over_ranks("optimise");

}  // namespace
}  // namespace wfsim::cli
