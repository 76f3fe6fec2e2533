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

#include "model/metrics.hpp"
#include "model/simulation.hpp"
#include "output/run_file.hpp"
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

// What the console table needs, a few numbers per replication.
struct ConsoleTally {
  int years = 0;
  std::vector<std::vector<std::vector<double>>> net_loss;  // [scenario][year][replication]
  std::vector<std::vector<double>> end_vacancy_rate;       // [scenario][replication]
  std::vector<std::vector<double>> end_agency_rate;

  ConsoleTally(int scenarios, int months) : years(months / 12) {
    net_loss.assign(static_cast<std::size_t>(scenarios),
                    std::vector<std::vector<double>>(static_cast<std::size_t>(years)));
    end_vacancy_rate.resize(static_cast<std::size_t>(scenarios));
    end_agency_rate.resize(static_cast<std::size_t>(scenarios));
  }
  void add(const run::ResultBlock& block) {
    for (int s = 0; s < block.scenarios; ++s) {
      const auto si = static_cast<std::size_t>(s);
      for (int r = 0; r < block.count; ++r) {
        for (int y = 0; y < years; ++y) {
          double loss = 0;
          for (int t = 12 * y; t < 12 * y + 12; ++t)
            loss +=
                block.at(s, index_of(Metric::leavers), r, t) - block.at(s, index_of(Metric::starters), r, t);
          net_loss[si][static_cast<std::size_t>(y)].push_back(loss);
        }
        end_vacancy_rate[si].push_back(block.at(s, index_of(Metric::vacancy_rate), r, block.months - 1));
        end_agency_rate[si].push_back(block.at(s, index_of(Metric::agency_rate), r, block.months - 1));
      }
    }
  }
};

void print_table(const std::vector<scenario::Scenario>& scenarios, const ConsoleTally& tally) {
  const auto start = scenarios.front().parameters.time.start;
  std::cout << "\nNet loss of permanent qualified social workers (leavers - starters): mean [80% interval]\n";
  std::cout << fmt::format("{:<24}", "scenario");
  for (int y = 0; y < tally.years; ++y)
    std::cout << fmt::format("{:>20}", fmt::format("{} to {}", month_label(start.plus_months(12 * y)),
                                                   month_label(start.plus_months(12 * y + 11)).substr(2)));
  std::cout << fmt::format("{:>22}{:>22}\n", "vacancy rate at end", "agency rate at end");
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    std::cout << fmt::format("{:<24}", scenarios[s].name);
    for (int y = 0; y < tally.years; ++y) {
      const auto sum = run::summarise(tally.net_loss[s][static_cast<std::size_t>(y)]);
      std::cout << fmt::format("{:>20}", fmt::format("{:.1f} [{:.0f}, {:.0f}]", sum.mean, sum.p10, sum.p90));
    }
    const auto vacancy = run::summarise(tally.end_vacancy_rate[s]);
    const auto agency = run::summarise(tally.end_agency_rate[s]);
    std::cout << fmt::format(
        "{:>22}{:>22}\n",
        fmt::format("{:.1f}% [{:.1f}, {:.1f}]", 100 * vacancy.mean, 100 * vacancy.p10, 100 * vacancy.p90),
        fmt::format("{:.1f}% [{:.1f}, {:.1f}]", 100 * agency.mean, 100 * agency.p10, 100 * agency.p90));
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
  ConsoleTally tally(static_cast<int>(scenarios.size()), time.months);
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
  writer.finish();

  if (!options.quiet) print_table(scenarios, tally);
  std::cerr << fmt::format("wrote {}\n", output.string());
  return 0;
}

}  // namespace wfsim::cli
