// wfsim run: scenarios as Monte Carlo replications into a run file, with
// paired comparisons against the first.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

#include "analysis/outcome_runs.hpp"
#include "cli/command_registry.hpp"
#include "cli/common.hpp"
#include "model/entry.hpp"
#include "model/region.hpp"
#include "output/output_files.hpp"
#include "output/run_file.hpp"
#include "run/comparison.hpp"
#include "run/default_seed.hpp"
#include "run/footprint.hpp"
#include "run/monte_carlo.hpp"
#include "run/ranks.hpp"
#include "run/statistics.hpp"
#include "scenario/parameter_registry.hpp"
#include "scenario/region_file.hpp"
#include "version.hpp"

namespace wfsim::cli {
namespace {

struct RunOptions {
  std::vector<std::string> scenario_files;
  std::string output;
  ReplicationOptions draws{.replications = 1000};
  int block_size = 0;
  bool independent_streams = false;
  bool pairing_check = false;
  bool skip_chance_only = false;
  bool quiet = false;
  bool no_resource_check = false;
};

std::string year_label(const model::YearMonth& start, int year) {
  return fmt::format("{} to {}", model::format_year_month(start.plus_months(12 * year)),
                     model::format_year_month(start.plus_months(12 * year + 11)).substr(2));
}

std::string interval(const run::Summary& s, double scale, int decimals) {
  return fmt::format("{:.{}f} [{:.{}f}, {:.{}f}]", scale * s.mean, decimals, scale * s.p10, decimals,
                     scale * s.p90, decimals);
}

// One row per name, of the tally's scenarios from `first` on.
void print_outcomes(const std::vector<std::string>& names, const model::YearMonth& start,
                    const run::OutcomeTally& tally, int first = 0) {
  const int net_loss = run::outcome_index("net_loss");
  std::cout << "\nNet loss of permanent qualified social workers (leavers - starters): mean [80% interval]\n";
  std::cout << fmt::format("{:<26}", "scenario");
  for (int y = 0; y < tally.years(); ++y) std::cout << fmt::format("{:>22}", year_label(start, y));
  std::cout << fmt::format("{:>24}{:>24}\n", "vacancy rate at end", "agency rate at end");
  for (std::size_t s = 0; s < names.size(); ++s) {
    const int si = first + static_cast<int>(s);
    std::cout << fmt::format("{:<26}", names[s]);
    for (int y = 0; y < tally.years(); ++y)
      std::cout << fmt::format("{:>22}", interval(run::summarise(tally.values(si, net_loss, y)), 1, 1));
    std::cout << fmt::format(
        "{:>24}{:>24}\n",
        interval(run::summarise(tally.values(si, run::outcome_index("vacancy_rate_end"), 0)), 100, 1) + "%",
        interval(run::summarise(tally.values(si, run::outcome_index("agency_rate_end"), 0)), 100, 1) + "%");
  }
}

void print_assumption_share(const std::vector<scenario::Scenario>& scenarios, const run::OutcomeTally& tally,
                            const run::OutcomeTally& chance_only, std::size_t assumptions) {
  const int total = run::outcome_index("net_loss_total");
  std::cout << fmt::format(
      "\nThe ranges include what is not known: {} assumption{} drawn in every replication. Share of the 80% "
      "range of the net loss over the whole years that comes from them:\n",
      assumptions, assumptions == 1 ? " is" : "s are");
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    const int si = static_cast<int>(s);
    const run::Summary all = run::summarise(tally.values(si, total, 0));
    const run::Summary alone = run::summarise(chance_only.values(si, total, 0));
    std::cout << fmt::format(
        "  {:<26}{:>5.0f}%   (width {:.0f}; from chance alone {:.0f})\n", scenarios[s].name,
        100 * run::share_of_width_from_assumptions(all.p90 - all.p10, alone.p90 - alone.p10),
        all.p90 - all.p10, alone.p90 - alone.p10);
  }
}

void print_comparison(const std::vector<scenario::Scenario>& scenarios, const run::Comparison& c,
                      std::optional<double> independent_variance) {
  const auto start = scenarios.front().parameters.time.start;
  std::cout << fmt::format(
      "\n{} against {}, paired by replication: option - reference, mean [80% interval], "
      "share of futures where the option does better\n",
      scenarios[static_cast<std::size_t>(c.scenario)].name,
      scenarios[static_cast<std::size_t>(c.reference)].name);
  auto row = [&](std::string_view label, std::string_view outcome, double scale, int decimals,
                 std::string_view unit) {
    const auto& columns = c.summaries[static_cast<std::size_t>(run::outcome_index(outcome))];
    for (std::size_t column = 0; column < columns.size(); ++column) {
      const std::string name = columns.size() > 1
                                   ? fmt::format("{} {}", label, year_label(start, static_cast<int>(column)))
                                   : std::string(label);
      std::cout << fmt::format("  {:<40}{:>30}{:>8.0f}%\n", name,
                               interval(columns[column].difference, scale, decimals) + std::string(unit),
                               100 * columns[column].probability_better);
    }
  };
  row("net loss", "net_loss", 1, 1, "");
  row("leavers", "leavers", 1, 1, "");
  row("vacancy rate at end", "vacancy_rate_end", 100, 1, " pts");
  row("agency rate at end", "agency_rate_end", 100, 1, " pts");
  row("NQSW share at end", "nqsw_share_end", 100, 1, " pts");
  row("NQSW two-year retention", "nqsw_retention_24", 100, 1, " pts");
  row("posts with no one in them at end, FTE", "uncovered_vacancies_end", 1, 1, "");
  row("unallocated cases at end", "unallocated_cases_end", 1, 0, "");
  row("policy's own spending, GBP million", "policy_spend_total", 1e-6, 2, "");
  row("staffing spending change, GBP million", "staffing_spend_total", 1e-6, 2, "");
  row("extra cost (both), GBP million", "cost_against_establishment_total", 1e-6, 2, "");
  if (std::isnan(c.cost_per_leaver_avoided)) {
    std::cout << "  cost per leaver avoided: no leavers avoided on average\n";
  } else if (c.cost_per_leaver_avoided < 0) {
    std::cout << fmt::format("  cost per leaver avoided: none; it saves GBP {:.0f} per leaver avoided\n",
                             -c.cost_per_leaver_avoided);
  } else {
    std::cout << fmt::format("  cost per leaver avoided: GBP {:.0f}\n", c.cost_per_leaver_avoided);
  }
  if (independent_variance) {
    std::cout << fmt::format(
        "  variance of the net-loss difference: paired {:.1f}, independent streams {:.1f}, ratio {:.1f}\n",
        c.net_loss_difference_variance, *independent_variance,
        *independent_variance / c.net_loss_difference_variance);
  }
}

// What a run file records of the run as a whole, but for its input files.
output::RunInfo run_info(const ReplicationOptions& draws, const model::TimeParameters& time,
                         const CommandLine& command_line) {
  output::RunInfo info;
  info.wfsim_version = kVersion;
  info.created_utc = utc_now("%Y-%m-%dT%H:%M:%SZ");
  info.seed = draws.seed;
  info.replications = draws.replications;
  info.months = time.months;
  info.start_month = model::format_year_month(time.start);
  info.command_line = command_line_text(command_line);
  return info;
}

std::string readable_bytes(double bytes) {
  if (bytes >= 1e9) return fmt::format("{:.1f} GB", bytes / 1e9);
  if (bytes >= 1e6) return fmt::format("{:.1f} MB", bytes / 1e6);
  return fmt::format("{:.0f} kB", bytes / 1e3);
}

// Why the machine cannot hold this run (its memory, the run file's disk
// space), checked before it starts; empty if it can or cannot be told.
std::string resource_problem(const std::vector<scenario::Scenario>& scenarios, const RunOptions& options,
                             const fs::path& output) {
  run::RunShape shape;
  for (const auto& s : scenarios) shape.scenarios.push_back(&s.parameters);
  shape.replications = options.draws.replications;
  shape.threads = options.draws.threads;
  shape.block_size = options.block_size;
  shape.pairing_check = options.pairing_check && scenarios.size() > 1;
  shape.chance_only_pass =
      !options.skip_chance_only &&
      std::any_of(scenarios.begin(), scenarios.end(), [](const auto& s) { return !s.uncertain.empty(); });
  const int months = scenarios.front().parameters.time.months;
  const std::string size = fmt::format("{} scenario{} x {} replications x {} months", scenarios.size(),
                                       scenarios.size() == 1 ? "" : "s", options.draws.replications, months);
  const double memory = run::estimated_memory_bytes(shape);
  const double available = run::available_memory_bytes();
  if (available >= 0 && memory > available) {
    return fmt::format("this run ({}) needs about {} of memory, but {} is available", size,
                       readable_bytes(memory), readable_bytes(available));
  }
  const double disk = output::estimated_run_file_bytes(static_cast<int>(scenarios.size()),
                                                       options.draws.replications, months);
  const double free = output::free_disk_bytes(output);
  if (free >= 0 && disk > free) {
    return fmt::format("the run file of this run ({}) takes about {} of disk, but {} is free where {} goes",
                       size, readable_bytes(disk), readable_bytes(free), output.string());
  }
  return "";
}

int run_scenarios(const RunOptions& options, const CommandLine& command_line) {
  if (options.pairing_check && options.independent_streams) {
    std::cerr << "wfsim: error: --pairing-check measures what common random numbers buy; it cannot be "
                 "combined with "
                 "--independent-streams\n";
    return kExitInputError;
  }
  std::vector<scenario::Scenario> scenarios;
  if (!load_all(options.scenario_files, scenarios)) return kExitInputError;

  // Rank 0 writes the run file, so it alone checks where it goes; the
  // others stop with it.
  fs::path output;
  int status = 0;
  if (run::is_root_rank()) {
    output = output_path(options.output, scenarios.front().name, ".h5");
    if (output.empty()) {
      status = kExitInputError;
    } else if (!options.no_resource_check) {
      if (const std::string problem = resource_problem(scenarios, options, output); !problem.empty()) {
        std::cerr << fmt::format(
            "wfsim: error: {}; run fewer replications, write elsewhere, or give --no-resource-check to try "
            "anyway\n",
            problem);
        status = kExitOutputError;
      }
    }
  }
  if (const int agreed = run::value_of_root(status); agreed != 0) return agreed;

  const auto& time = scenarios.front().parameters.time;
  output::RunInfo info = run_info(options.draws, time, command_line);
  for (const auto& s : scenarios) info.input_files.push_back(s.file.string());
  info.independent_streams = options.independent_streams;

  std::vector<output::ScenarioInfo> described;
  std::vector<run::ScenarioInput> parameters;
  std::set<std::string> uncertain;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const auto& s = scenarios[k];
    described.push_back({s.name, s.description, s.resolved_yaml, k == 0,
                         static_cast<double>(model::initial_permanent_qsw(s.parameters))});
    parameters.push_back(analysis::scenario_input(s));
    for (const auto& u : s.uncertain) uncertain.insert(u.path);
  }
  if (!uncertain.empty() && !options.quiet) {
    std::cerr << fmt::format(
        "{} uncertain parameter{}, drawn once per replication and shared by every scenario: {}\n",
        uncertain.size(), uncertain.size() == 1 ? "" : "s", fmt::join(uncertain, ", "));
  }

  std::optional<output::RunFileWriter> writer;
  if (run::is_root_rank())
    writer.emplace(output, info, described, run::resolve_thread_count(options.draws.threads));
  run::OutcomeTally tally(static_cast<int>(scenarios.size()), time.months);
  const ProgressBar progress(!options.quiet && stderr_is_terminal());
  run::MonteCarloSettings settings;
  options.draws.apply_to(settings);
  settings.block_size = options.block_size;
  settings.independent_streams = options.independent_streams;
  // Only rank 0 writes and tallies; the other ranks of a job simulate their
  // share and compress its series, in blocks of whole chunks.
  settings.delivery = run::BlockDelivery::root_rank;
  settings.prepare = [&](run::ResultBlock& block) {
    block.prepared = output::encode_series_chunks(block, options.draws.replications);
  };
  settings.block_multiple = output::series_chunk_rows(options.draws.replications, time.months);
  const run::GatherCost gather = run::run_monte_carlo(
      parameters, settings,
      [&](const run::ResultBlock& block) {
        writer->write_block(block);
        tally.add(block);
      },
      [&](int finished, int total) { progress.update(finished, total); });
  if (gather.blocks > 0 && !options.quiet) {
    std::cerr << fmt::format(
        "{} ranks: rank 0 received {} blocks from the others in {:.2f} s (waiting for them included) and "
        "stored them in {:.2f} s ({:.1f} ms a block)\n",
        run::rank_count(), gather.blocks, gather.receiving_seconds, gather.consuming_seconds,
        1e3 * gather.consuming_seconds / gather.blocks);
  }
  settings.prepare = nullptr;  // the passes below write nothing

  // Ranges carry what is not known as well as chance: the draws are stored,
  // and the same run with every uncertain parameter at its mean measures how
  // much of each range's width the assumptions add.
  std::optional<run::OutcomeTally> chance_only;
  if (!uncertain.empty()) {
    for (std::size_t k = 0; k < scenarios.size() && writer; ++k) {
      std::vector<output::ParameterDraws> draws;
      for (const auto& u : scenarios[k].uncertain) {
        output::ParameterDraws drawn{
            u.path, scenario::find_numeric_parameter(u.path)->units, u.distribution.yaml(), {}};
        drawn.values.reserve(static_cast<std::size_t>(options.draws.replications));
        for (int r = 0; r < options.draws.replications; ++r)
          drawn.values.push_back(scenario::draw_parameter(
              u, random::make_stream_key(options.draws.seed, static_cast<std::uint32_t>(r))));
        draws.push_back(std::move(drawn));
      }
      writer->write_assumptions(static_cast<int>(k), draws);
    }
    if (!options.skip_chance_only) {
      chance_only.emplace(static_cast<int>(scenarios.size()), time.months);
      std::vector<run::ScenarioInput> at_means;
      for (const auto& s : scenarios) at_means.push_back({&s.parameters, {}});
      const ProgressBar chance_progress(!options.quiet && stderr_is_terminal());
      run::run_monte_carlo(
          at_means, settings, [&](const run::ResultBlock& block) { chance_only->add(block); },
          [&](int finished, int total) { chance_progress.update(finished, total); });
      for (std::size_t k = 0; k < scenarios.size() && writer; ++k)
        writer->write_uncertainty(static_cast<int>(k), tally, *chance_only);
    }
  }

  // The same run with independent streams, for the variance of the
  // differences both ways: what pairing by common random numbers buys.
  std::optional<run::OutcomeTally> independent;
  if (options.pairing_check && scenarios.size() > 1) {
    independent.emplace(static_cast<int>(scenarios.size()), time.months);
    settings.independent_streams = true;
    const ProgressBar second_progress(!options.quiet && stderr_is_terminal());
    run::run_monte_carlo(
        parameters, settings, [&](const run::ResultBlock& block) { independent->add(block); },
        [&](int finished, int total) { second_progress.update(finished, total); });
  }
  if (!writer) return 0;  // a rank other than 0: its share is simulated

  if (!options.quiet) {
    std::vector<std::string> names;
    for (const auto& s : scenarios) names.push_back(s.name);
    print_outcomes(names, time.start, tally);
    if (chance_only) print_assumption_share(scenarios, tally, *chance_only, uncertain.size());
  }
  for (int s = 1; s < static_cast<int>(scenarios.size()); ++s) {
    const auto comparison = run::compare(tally, s, 0);
    std::optional<double> independent_variance;
    if (independent) independent_variance = run::compare(*independent, s, 0).net_loss_difference_variance;
    writer->write_comparison(comparison, independent_variance);
    if (!options.quiet) print_comparison(scenarios, comparison, independent_variance);
  }
  writer->finish();
  std::cerr << fmt::format("wrote {}\n", output.string());
  return 0;
}

struct RegionOptions {
  std::vector<std::string> region_files;
  std::string output;
  ReplicationOptions draws{.replications = 1000};
  bool quiet = false;
};

// Net loss over the whole run, each council of `variant` against the same
// council of the reference, one line each.
void print_council_differences(const std::vector<std::string>& names, int variant, int slots,
                               const run::OutcomeTally& tally) {
  const int total = run::outcome_index("net_loss_total");
  std::cout << fmt::format("\n{:<26}{:>34}{:>10}\n", "net loss over the run", "option - reference [80%]",
                           "better");
  for (int k = 0; k < slots; ++k) {
    const auto comparison = run::compare(tally, variant * slots + k, k);
    const auto& column = comparison.summaries[static_cast<std::size_t>(total)].front();
    std::cout << fmt::format("  {:<24}{:>34}{:>9.0f}%\n", names[static_cast<std::size_t>(k)],
                             interval(column.difference, 1, 1), 100 * column.probability_better);
  }
}

// wfsim region: every council of a region stepped together in each
// replication, into a run file whose scenarios are each region's councils
// and, after them, the region's totals. Several region files (the first the
// reference) run on common random numbers and are compared council by
// council and as a region.
int run_region(const RegionOptions& options, const CommandLine& command_line) {
  std::vector<scenario::Region> regions;
  for (const auto& file : options.region_files)
    if (!load_reporting_errors([&] { regions.push_back(scenario::load_region(file)); }))
      return kExitInputError;
  const scenario::Region& reference = regions.front();
  for (const auto& r : regions) {
    bool same = r.councils.size() == reference.councils.size();
    for (std::size_t c = 0; same && c < r.councils.size(); ++c)
      same = r.councils[c].name == reference.councils[c].name &&
             r.councils[c].scenario.parameters.time.months ==
                 reference.councils[c].scenario.parameters.time.months &&
             r.councils[c].scenario.parameters.time.start ==
                 reference.councils[c].scenario.parameters.time.start;
    if (!same)
      return input_error(
          fmt::format("{} and {} are compared council by council, so they must list the same "
                      "councils in the same order over the same months",
                      r.file.string(), reference.file.string()));
  }
  std::set<std::string> region_names;
  for (const auto& r : regions)
    if (!region_names.insert(r.name).second)
      return input_error(fmt::format("two region files are named '{}'; give each a different name", r.name));

  const fs::path output = output_path(options.output, reference.name, ".h5");
  if (output.empty()) return kExitInputError;
  const auto& time = reference.councils.front().scenario.parameters.time;
  const int council_count = static_cast<int>(reference.councils.size());
  const int slots = council_count + 1;  // each region's councils, then its totals
  const int region_count = static_cast<int>(regions.size());

  output::RunInfo info = run_info(options.draws, time, command_line);
  info.region = true;

  std::vector<output::ScenarioInfo> described;
  // By region, then council.
  std::vector<std::vector<run::ScenarioInput>> inputs(regions.size());
  std::vector<std::string> names;
  std::set<std::string> uncertain;
  for (const auto& region : regions) {
    for (const auto& file : region.files) info.input_files.push_back(file.string());
    for (const auto& council : region.councils)
      for (const auto& u : council.scenario.uncertain) uncertain.insert(u.path);
  }
  // Each council's scenario file once, in the order first named.
  for (const auto& region : regions)
    for (const auto& council : region.councils)
      if (std::find(info.input_files.begin(), info.input_files.end(), council.scenario_file.string()) ==
          info.input_files.end())
        info.input_files.push_back(council.scenario_file.string());
  if (!uncertain.empty() && !options.quiet) {
    std::cerr << fmt::format(
        "{} uncertain parameter{}, drawn once per replication and shared by every council and region: {}\n",
        uncertain.size(), uncertain.size() == 1 ? "" : "s", fmt::join(uncertain, ", "));
  }
  for (std::size_t v = 0; v < regions.size(); ++v) {
    const auto& region = regions[v];
    double region_initial = 0;
    for (const auto& council : region.councils) {
      const auto& s = council.scenario;
      const int initial = model::initial_permanent_qsw(s.parameters);
      region_initial += initial;
      described.push_back({fmt::format("{}:{}", region.name, council.name), s.description, s.resolved_yaml,
                           v == 0, static_cast<double>(initial)});
      inputs[v].push_back(analysis::scenario_input(s));
      if (v == 0) names.push_back(council.name);
    }
    // The totals have no scenario of their own: they carry the first council's as their text.
    described.push_back(
        {fmt::format("{}:region", region.name),
         fmt::format("{}: the totals of its {} councils; a move between two of them is a "
                     "leaver of one and a starter of the other; its scenario text is {}'s, as "
                     "the totals have none of their own",
                     region.name, council_count, region.councils.front().name),
         region.councils.front().scenario.resolved_yaml, v == 0, region_initial});
  }
  names.push_back("region");

  run::MonteCarloSettings settings;
  options.draws.apply_to(settings);
  const int workers = run::worker_count(settings);
  std::vector<model::RegionSimulation> simulations(static_cast<std::size_t>(workers));
  // Each worker's copies of the councils' parameters, with this replication's draws.
  std::vector<std::vector<model::Parameters>> drawn(static_cast<std::size_t>(workers));
  std::vector<std::vector<const model::Parameters*>> in_use(static_cast<std::size_t>(workers));
  std::vector<std::vector<model::MetricSink>> sinks(static_cast<std::size_t>(workers));
  std::vector<std::vector<int>> initial_of_region(regions.size());
  for (std::size_t v = 0; v < regions.size(); ++v)
    for (const auto& council : regions[v].councils)
      initial_of_region[v].push_back(model::initial_permanent_qsw(council.scenario.parameters));
  const auto simulate = [&](const run::WorkItem& work, run::ResultBlock& block) {
    const auto worker = static_cast<std::size_t>(work.worker);
    const auto& region_inputs = inputs[static_cast<std::size_t>(work.item)];
    auto& parameters = drawn[worker];
    auto& pointers = in_use[worker];
    parameters.resize(region_inputs.size());
    pointers.resize(region_inputs.size());
    for (std::size_t c = 0; c < region_inputs.size(); ++c) {
      if (region_inputs[c].draws) {
        parameters[c] = *region_inputs[c].parameters;
        region_inputs[c].draws(random::make_stream_key(settings.seed, work.replication), parameters[c]);
        pointers[c] = &parameters[c];
      } else {
        pointers[c] = region_inputs[c].parameters;
      }
    }
    sinks[worker].clear();
    for (int k = 0; k < slots; ++k) {
      const auto rows = block.metric_rows(work.item * slots + k, 0);
      sinks[worker].push_back(
          {rows.data() + static_cast<std::size_t>(work.replication_in_block) * time.months, rows.size()});
    }
    const std::span<const model::MetricSink> council_sinks(sinks[worker].data(), region_inputs.size());
    simulations[worker].run(pointers, regions[static_cast<std::size_t>(work.item)].network, settings.seed,
                            work.replication, council_sinks);
    model::record_region_totals(council_sinks, initial_of_region[static_cast<std::size_t>(work.item)],
                                time.months, sinks[worker].back());
  };

  output::RunFileWriter writer(output, info, described, workers);
  run::OutcomeTally tally(slots * region_count, time.months);
  std::vector<double> moves(regions.size(), 0.0);
  const ProgressBar progress(!options.quiet && stderr_is_terminal());
  run::run_replications(
      slots * region_count, time.months, region_count, settings, simulate,
      [&](const run::ResultBlock& block) {
        writer.write_block(block);
        tally.add(block);
        for (int v = 0; v < region_count; ++v)
          for (const double m : block.metric_rows(v * slots + council_count,
                                                  model::index_of(model::Metric::starters_neighbour)))
            moves[static_cast<std::size_t>(v)] += m;
      },
      [&](int finished, int total) { progress.update(finished, total); });
  for (int s = slots; s < slots * region_count; ++s)
    writer.write_comparison(run::compare(tally, s, s % slots), std::nullopt);
  if (!options.quiet) {
    for (int v = 0; v < region_count; ++v) {
      const auto& region = regions[static_cast<std::size_t>(v)];
      std::cout << fmt::format("\n{}{}\n", region.name,
                               region.description.empty() ? "" : ": " + region.description);
      print_outcomes(names, time.start, tally, v * slots);
      std::cout << fmt::format(
          "Moves between its councils: {:.1f} a year on average\n",
          moves[static_cast<std::size_t>(v)] / options.draws.replications / (time.months / 12.0));
      if (v > 0) {
        std::cout << fmt::format("\n{} against {}, paired by replication:", region.name, reference.name);
        print_council_differences(names, v, slots, tally);
      }
    }
  }
  writer.finish();
  std::cerr << fmt::format("wrote {}\n", output.string());
  return 0;
}

const bool region_registered =
    register_command(11, [](CLI::App& app, const CommandLine& command_line) -> Action {
      auto options = std::make_shared<RegionOptions>();
      auto* region = app.add_subcommand(
          "region", "Run a region's councils together, as one labour market, and write an HDF5 run file");
      add_input_files(*region, "regions", options->region_files,
                      "Region YAML files; the first is the reference the others are compared with");
      region->add_option("-o,--output", options->output,
                         "Run file to write (default outputs/<first region>-<UTC time>.h5)");
      add_replication_options(*region, options->draws, "Replications of each region", 1, 10'000'000);
      region->add_flag("-q,--quiet", options->quiet, "No progress bar and no summary tables");
      return [options, command_line] { return run_region(*options, command_line); };
    });

const bool registered = register_command(10, [](CLI::App& app, const CommandLine& command_line) -> Action {
  auto options = std::make_shared<RunOptions>();
  auto* run =
      app.add_subcommand("run", "Run scenarios as Monte Carlo replications and write an HDF5 run file");
  add_input_files(*run, "scenarios", options->scenario_files,
                  "Scenario YAML files; the first is the reference");
  run->add_option("-o,--output", options->output,
                  "Run file to write (default outputs/<first>-<UTC time>.h5)");
  add_replication_options(*run, options->draws, "Replications per scenario", 1, 10'000'000);
  run->add_option("--block-size", options->block_size,
                  "Replications held in memory at once (default: automatic)")
      ->check(CLI::Range(1, 1'000'000));
  run->add_flag("--independent-streams", options->independent_streams,
                "Give each scenario unrelated random numbers instead of common random numbers");
  run->add_flag(
      "--pairing-check", options->pairing_check,
      "Run again with independent streams and report the variance of the net-loss differences both ways");
  run->add_flag("--skip-chance-only", options->skip_chance_only,
                "With uncertain parameters, skip the second run at their means that measures how much of "
                "each range comes from them");
  run->add_flag("-q,--quiet", options->quiet,
                "No progress bar, no list of uncertain parameters and no summary table");
  run->add_flag("--no-resource-check", options->no_resource_check,
                "Start even if the run seems to need more memory or disk than the machine has");
  return [options, command_line] { return run_scenarios(*options, command_line); };
});
const bool spread = spread_over_ranks("run");

}  // namespace
}  // namespace wfsim::cli
