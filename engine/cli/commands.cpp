#include "cli/commands.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "model/metrics.hpp"
#include "model/simulation.hpp"
#include "output/run_file.hpp"
#include "run/comparison.hpp"
#include "run/monte_carlo.hpp"
#include "run/statistics.hpp"
#include "scenario/parameter_registry.hpp"
#include "scenario/scenario.hpp"
#include "version.hpp"

namespace wfsim::cli {
namespace {

namespace fs = std::filesystem;
using model::Metric;

// Loads every file, or reports every broken one and returns nothing.
bool load_all(const std::vector<std::string>& files, std::vector<scenario::Scenario>& scenarios) {
  bool ok = true;
  for (const auto& file : files) {
    try {
      scenarios.push_back(scenario::load_scenario(file));
    } catch (const scenario::ScenarioError& e) {
      std::cerr << e.what() << '\n';
      ok = false;
    }
  }
  if (!ok) return false;
  // Scenarios of one run share a horizon and need distinct names.
  const auto& reference = scenarios.front();
  std::map<std::string, std::string> names;
  for (const auto& s : scenarios) {
    if (s.parameters.time.months != reference.parameters.time.months ||
        !(s.parameters.time.start == reference.parameters.time.start)) {
      std::cerr << fmt::format(
          "{}: error: start, months: the horizon differs from the reference scenario {} ({})\n",
          s.file.string(), reference.name, reference.file.string());
      ok = false;
    }
    if (auto [it, inserted] = names.emplace(s.name, s.file.string()); !inserted) {
      std::cerr << fmt::format("{}: error: name: '{}' is also the name of {}; scenario names must differ\n",
                               s.file.string(), s.name, it->second);
      ok = false;
    }
  }
  return ok;
}

std::string utc_now(const char* format) {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[64];
  std::strftime(text, sizeof text, format, &utc);
  return text;
}

std::string month_label(const model::YearMonth& m) {
  return fmt::format("{:04d}-{:02d}", m.year, m.month);
}

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
  void update(int finished, int total) const {
    if (!enabled_) return;
    constexpr int kWidth = 40;
    const int filled = total > 0 ? finished * kWidth / total : kWidth;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double remaining = finished > 0 ? elapsed * (total - finished) / finished : 0.0;
    std::cerr << fmt::format("\r[{}{}] {:>3}% {}/{} replications, {:.0f} s left ", std::string(filled, '#'),
                             std::string(kWidth - filled, '.'), total > 0 ? finished * 100 / total : 100,
                             finished, total, remaining)
              << std::flush;
    if (finished == total) std::cerr << '\n';
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
};

std::string year_label(const model::YearMonth& start, int year) {
  return fmt::format("{} to {}", month_label(start.plus_months(12 * year)),
                     month_label(start.plus_months(12 * year + 11)).substr(2));
}

std::string interval(const run::Summary& s, double scale, int decimals) {
  return fmt::format("{:.{}f} [{:.{}f}, {:.{}f}]", scale * s.mean, decimals, scale * s.p10, decimals,
                     scale * s.p90, decimals);
}

void print_outcomes(const std::vector<scenario::Scenario>& scenarios, const run::OutcomeTally& tally) {
  const auto start = scenarios.front().parameters.time.start;
  const int net_loss = run::outcome_index("net_loss");
  std::cout << "\nNet loss of permanent qualified social workers (leavers - starters): mean [80% interval]\n";
  std::cout << fmt::format("{:<26}", "scenario");
  for (int y = 0; y < tally.years(); ++y) std::cout << fmt::format("{:>22}", year_label(start, y));
  std::cout << fmt::format("{:>24}{:>24}\n", "vacancy rate at end", "agency rate at end");
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    const int si = static_cast<int>(s);
    std::cout << fmt::format("{:<26}", scenarios[s].name);
    for (int y = 0; y < tally.years(); ++y)
      std::cout << fmt::format("{:>22}", interval(run::summarise(tally.values(si, net_loss, y)), 1, 1));
    std::cout << fmt::format(
        "{:>24}{:>24}\n",
        interval(run::summarise(tally.values(si, run::outcome_index("vacancy_rate_end"), 0)), 100, 1) + "%",
        interval(run::summarise(tally.values(si, run::outcome_index("agency_rate_end"), 0)), 100, 1) + "%");
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
  row("cost over the horizon, GBP million", "cost_total", 1e-6, 2, "");
  if (std::isnan(c.cost_per_leaver_avoided)) {
    std::cout << "  cost per leaver avoided: no leavers avoided on average\n";
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

}  // namespace

int validate_command(const std::vector<std::string>& files) {
  std::vector<scenario::Scenario> scenarios;
  if (!load_all(files, scenarios)) return kExitInputError;
  for (const auto& s : scenarios) std::cout << fmt::format("{}: ok ({})\n", s.file.string(), s.name);
  return 0;
}

int parameters_command() {
  std::cout << scenario::parameter_table_markdown();
  return 0;
}

int run_command(const RunOptions& options, int argc, char** argv) {
  if (options.pairing_check && options.independent_streams) {
    std::cerr << "wfsim: error: --pairing-check measures what common random numbers buy; it cannot be "
                 "combined with "
                 "--independent-streams\n";
    return kExitInputError;
  }
  std::vector<scenario::Scenario> scenarios;
  if (!load_all(options.scenario_files, scenarios)) return kExitInputError;

  fs::path output = options.output;
  if (output.empty()) {
    fs::create_directories("outputs");
    output = fs::path("outputs") / fmt::format("{}-{}.h5", scenarios.front().name, utc_now("%Y%m%dT%H%M%SZ"));
  }
  const fs::path directory = output.has_parent_path() ? output.parent_path() : fs::path(".");
  if (!fs::is_directory(directory)) {
    std::cerr << fmt::format("wfsim: error: --output {}: the directory {} does not exist\n", output.string(),
                             directory.string());
    return kExitInputError;
  }

  const auto& time = scenarios.front().parameters.time;
  output::RunInfo info;
  info.wfsim_version = kVersion;
  info.created_utc = utc_now("%Y-%m-%dT%H:%M:%SZ");
  info.seed = options.seed;
  info.replications = options.replications;
  info.months = time.months;
  info.start_month = month_label(time.start);
  for (const auto& s : scenarios) info.input_files.push_back(s.file.string());
  for (int k = 0; k < argc; ++k) info.command_line += (k ? " " : "") + std::string(argv[k]);
  info.independent_streams = options.independent_streams;

  std::vector<output::ScenarioInfo> described;
  std::vector<const model::Parameters*> parameters;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const auto& s = scenarios[k];
    described.push_back({s.name, s.description, s.resolved_yaml, k == 0,
                         static_cast<double>(model::initial_permanent_qsw(s.parameters))});
    parameters.push_back(&s.parameters);
  }

  output::RunFileWriter writer(output, info, described);
  run::OutcomeTally tally(static_cast<int>(scenarios.size()), time.months);
  const ProgressBar progress(!options.quiet && isatty(STDERR_FILENO));
  run::MonteCarloSettings settings;
  settings.seed = options.seed;
  settings.replications = options.replications;
  settings.threads = options.threads;
  settings.block_size = options.block_size;
  settings.independent_streams = options.independent_streams;
  run::run_monte_carlo(
      parameters, settings,
      [&](const run::ResultBlock& block) {
        writer.write_block(block);
        tally.add(block);
      },
      [&](int finished, int total) { progress.update(finished, total); });

  // The same run with independent streams, for the variance of the
  // differences both ways: what pairing by common random numbers buys.
  std::optional<run::OutcomeTally> independent;
  if (options.pairing_check && scenarios.size() > 1) {
    independent.emplace(static_cast<int>(scenarios.size()), time.months);
    settings.independent_streams = true;
    const ProgressBar second_progress(!options.quiet && isatty(STDERR_FILENO));
    run::run_monte_carlo(
        parameters, settings, [&](const run::ResultBlock& block) { independent->add(block); },
        [&](int finished, int total) { second_progress.update(finished, total); });
  }

  if (!options.quiet) print_outcomes(scenarios, tally);
  for (int s = 1; s < static_cast<int>(scenarios.size()); ++s) {
    const auto comparison = run::compare(tally, s, 0);
    std::optional<double> independent_variance;
    if (independent) independent_variance = run::compare(*independent, s, 0).net_loss_difference_variance;
    writer.write_comparison(comparison, independent_variance);
    if (!options.quiet) print_comparison(scenarios, comparison, independent_variance);
  }
  writer.finish();
  std::cerr << fmt::format("wrote {}\n", output.string());
  return 0;
}

}  // namespace wfsim::cli
