// Throughput of the engine on the shipped baseline, against a floor: the
// cost of drawing one addressed uniform per person-month, which every
// person-month of the model pays at least once (the attrition draw).
//
//   BM_Baseline/threads:N  run::run_monte_carlo over kReplications
//                          replications of scenarios/lancashire-2015/baseline.yaml
//                          on N runner threads
//   BM_EndToEnd/threads:N  what `wfsim run baseline.yaml` does after loading:
//                          kEndToEndReplications replications in the run's
//                          blocks, each written to a run file and tallied,
//                          then the summaries and the file finished
//   BM_SizeSweep/workers:N the baseline scaled to N case-holding posts (600,
//                          6,000, 33,000) on one thread, fewer replications
//                          for more workers: the cost of a person-month
//                          should not depend on the council's size
//   BM_RandomFloor         the person-month block (Purpose::person_month)
//                          drawn as the model draws it, a month's workforce
//                          at once on the machine's vector unit, for as many
//                          person-months as the baseline simulates, on one
//                          thread: the cheapest correct way
//   BM_RandomOneByOne      the same block one person at a time
//                          (random::AddressedStream), for comparison
//
// A person-month is one person (permanent qualified staff, trainee or agency
// worker, end-of-month headcount as recorded) simulated for one month.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/calendar.hpp"
#include "model/metrics.hpp"
#include "model/parameters.hpp"
#include "output/run_file.hpp"
#include "random/addressed_stream.hpp"
#include "random/person_month_draws.hpp"
#include "run/default_seed.hpp"
#include "run/monte_carlo.hpp"
#include "run/results.hpp"
#include "run/statistics.hpp"
#include "scenario/parameter_registry.hpp"
#include "scenario/scenario.hpp"

namespace {

using wfsim::model::index_of;
using wfsim::model::Metric;

constexpr int kReplications = 64;
constexpr int kEndToEndReplications = 512;
constexpr std::uint64_t kSeed = wfsim::run::kDefaultSeed;
constexpr char kCounter[] = "person_months_per_s";
constexpr char kBaselineName[] = "BM_Baseline";
constexpr char kFloorName[] = "BM_RandomFloor";
constexpr char kEndToEndName[] = "BM_EndToEnd";
constexpr char kCores[] = "cores_used";
constexpr double kBusyShare = 0.9;  // of the cores a benchmark should keep busy

// People simulated in a block: permanent qualified staff, trainees and agency
// workers at the end of each month, summed over months and replications.
double person_months(const wfsim::run::ResultBlock& block) {
  double total = 0;
  for (int scenario = 0; scenario < block.scenarios; ++scenario)
    for (const Metric metric : {Metric::permanent_qsw, Metric::trainees, Metric::agency})
      for (const double value : block.metric_rows(scenario, index_of(metric))) total += value;
  return total;
}

// Cores this process kept busy while a benchmark ran: its CPU time (all
// threads) over the wall-clock time. Below the threads it runs, other
// processes took the cores and the real-time figures understate the engine.
class CoresUsed {
 public:
  CoresUsed() : real_start_(std::chrono::steady_clock::now()), cpu_start_(process_cpu_seconds()) {}
  double value() const {
    const std::chrono::duration<double> real = std::chrono::steady_clock::now() - real_start_;
    return real.count() > 0 ? (process_cpu_seconds() - cpu_start_) / real.count() : 0.0;
  }

 private:
  static double process_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
  }
  std::chrono::steady_clock::time_point real_start_;
  double cpu_start_;
};

wfsim::run::MonteCarloSettings settings_for(int threads) {
  wfsim::run::MonteCarloSettings settings;
  settings.seed = kSeed;
  settings.replications = kReplications;
  settings.threads = threads;
  // One block for the whole run: the runner starts its threads once per
  // block, so each thread gets kReplications / threads whole replications
  // and thread start-up is paid once per iteration.
  settings.block_size = kReplications;
  return settings;
}

// Runs `scenarios` once an iteration, reports person-months a second and
// the cores used, and returns the person-months of every iteration.
double time_runs(benchmark::State& state, const std::vector<const wfsim::model::Parameters*>& scenarios,
                 const wfsim::run::MonteCarloSettings& settings) {
  double total = 0;
  const CoresUsed cores;
  for (auto _ : state) {
    wfsim::run::run_monte_carlo(scenarios, settings, [&](const wfsim::run::ResultBlock& block) {
      total += person_months(block);
      benchmark::DoNotOptimize(block.values.data());
    });
  }
  state.counters[kCores] = cores.value();
  state.counters[kCounter] = benchmark::Counter(total, benchmark::Counter::kIsRate);
  return total;
}

void BM_Baseline(benchmark::State& state, const wfsim::model::Parameters* parameters) {
  time_runs(state, {parameters}, settings_for(static_cast<int>(state.range(0))));
}

// The baseline as a council `factor` times its size: every headcount, post,
// open case and monthly inflow scaled; rates, shares and caseloads kept, so
// the council runs at the same operating point. A negative post count (no
// limit) stays as it is.
wfsim::model::Parameters scaled(const wfsim::model::Parameters& baseline, double factor) {
  wfsim::model::Parameters parameters = baseline;
  for (const auto& parameter : wfsim::scenario::numeric_parameters()) {
    const bool size =
        parameter.units == "people" || parameter.units == "posts" ||
        parameter.path == "demand.initial_cases" ||
        (parameter.units == "per month" && parameter.path.find("probability") == std::string::npos);
    const double value = parameter.get(parameters);
    if (size && value > 0) parameter.set(parameters, value * factor);
  }
  return parameters;
}

void BM_SizeSweep(benchmark::State& state, const wfsim::model::Parameters* baseline) {
  const auto workers = static_cast<double>(state.range(0));
  const wfsim::model::Parameters parameters =
      scaled(*baseline, workers / baseline->recruitment.social_work_posts);
  auto settings = settings_for(1);
  // About as many person-months an iteration at every size.
  settings.replications = std::max(2, static_cast<int>(std::lround(kReplications * 600 / workers)));
  settings.block_size = settings.replications;
  const double total = time_runs(state, {&parameters}, settings);
  // People in post a month on average: the size the council actually ran at.
  state.counters["people"] =
      total / (static_cast<double>(state.iterations()) * settings.replications * parameters.time.months);
}

// The run file goes to the temporary directory and is removed after each iteration.
void BM_EndToEnd(benchmark::State& state, const wfsim::scenario::Scenario* scenario) {
  namespace output = wfsim::output;
  const int threads = static_cast<int>(state.range(0));
  const std::vector<const wfsim::model::Parameters*> scenarios{&scenario->parameters};
  wfsim::run::MonteCarloSettings settings;
  settings.seed = kSeed;
  settings.replications = kEndToEndReplications;
  settings.threads = threads;  // blocks of the runner's own size, as `wfsim run` uses
  const auto path =
      std::filesystem::temp_directory_path() / ("wfsim_bench_" + std::to_string(getpid()) + ".h5");
  output::RunInfo info;
  info.seed = kSeed;
  info.replications = kEndToEndReplications;
  info.months = scenario->parameters.time.months;
  info.start_month = wfsim::model::format_year_month(scenario->parameters.time.start);
  output::ScenarioInfo described;
  described.name = scenario->name;
  described.reference = true;
  double total = 0;
  const CoresUsed cores;
  for (auto _ : state) {
    output::RunFileWriter writer(path, info, {described}, threads);
    wfsim::run::OutcomeTally tally(1, info.months);
    wfsim::run::run_monte_carlo(scenarios, settings, [&](const wfsim::run::ResultBlock& block) {
      writer.write_block(block);
      tally.add(block);
      total += person_months(block);
    });
    writer.finish();
    std::filesystem::remove(path);
  }
  state.counters[kCores] = cores.value();
  state.counters[kCounter] = benchmark::Counter(total, benchmark::Counter::kIsRate);
}

// People 0..people-1 over months 0..months-1 of replications
// 0..kReplications-1: `month_sum(stream, month)` draws one month's uniforms
// and returns their sum, which keeps the draws from being optimised away.
template <typename MonthSum>
void time_person_month_draws(benchmark::State& state, std::uint32_t people, int months, MonthSum month_sum) {
  double total = 0;
  const CoresUsed cores;
  for (auto _ : state) {
    double sum = 0;
    for (std::uint32_t replication = 0; replication < kReplications; ++replication) {
      const auto stream = wfsim::random::make_stream_key(kSeed, replication);
      for (int month = 0; month < months; ++month) sum += month_sum(stream, month);
    }
    benchmark::DoNotOptimize(sum);
    total += static_cast<double>(kReplications) * months * people;
  }
  state.counters[kCores] = cores.value();
  state.counters[kCounter] = benchmark::Counter(total, benchmark::Counter::kIsRate);
}

void BM_RandomFloor(benchmark::State& state, std::uint32_t people, int months) {
  std::vector<std::uint32_t> ids(people);
  for (std::uint32_t id = 0; id < people; ++id) ids[id] = id;
  wfsim::random::PersonMonthDraws draws;
  time_person_month_draws(state, people, months, [&](const wfsim::random::StreamKey& stream, int month) {
    draws.draw(stream, month, ids);
    double sum = 0;
    for (const double u : draws.leaving) sum += u;
    return sum;
  });
}

void BM_RandomOneByOne(benchmark::State& state, std::uint32_t people, int months) {
  time_person_month_draws(state, people, months, [&](const wfsim::random::StreamKey& stream, int month) {
    double sum = 0;
    for (std::uint32_t id = 0; id < people; ++id)
      sum += wfsim::random::uniform01(stream, wfsim::random::Purpose::person_month, id, month);
    return sum;
  });
}

// The standard console table, and the person-month rate of every run by name.
class RateReporter : public benchmark::ConsoleReporter {
 public:
  explicit RateReporter(OutputOptions options) : ConsoleReporter(options) {}

  void ReportRuns(const std::vector<Run>& reports) override {
    for (const auto& run : reports) {
      if (run.error_occurred) continue;
      // With --benchmark_repetitions the mean stands for the run.
      const bool mean = run.run_type == Run::RT_Aggregate && run.aggregate_name == "mean";
      if (run.run_type != Run::RT_Iteration && !mean) continue;
      const auto counter = run.counters.find(kCounter);
      if (counter == run.counters.end()) continue;
      const std::string name = run.run_name.str();
      if (mean || !has_mean_.contains(name)) rates_[name] = counter->second.value;
      if (mean) has_mean_.insert(name);
      // Every thread of these benchmarks works throughout, so fewer cores
      // busy than threads means other processes took some.
      const auto cores = run.counters.find(kCores);
      if (cores != run.counters.end() && cores->second.value < kBusyShare * expected_threads(run))
        busy_.insert(name);
    }
    ConsoleReporter::ReportRuns(reports);
  }

  const std::set<std::string>& busy() const { return busy_; }

  // The rate of the run named `prefix` (before any "/min_time:..." or
  // "/real_time" suffix), or NaN when it did not run.
  double rate(const std::string& prefix) const {
    for (const auto& [name, value] : rates_)
      if (name == prefix || name.starts_with(prefix + "/")) return value;
    return std::nan("");
  }

 private:
  // BM_Baseline/threads:N runs N threads; the floor one.
  static int expected_threads(const Run& run) {
    constexpr std::string_view prefix = "threads:";
    const std::string_view args = run.run_name.args;
    return args.starts_with(prefix) ? std::atoi(std::string(args.substr(prefix.size())).c_str()) : 1;
  }

  std::map<std::string, double> rates_;
  std::set<std::string> has_mean_;
  std::set<std::string> busy_;
};

// A reporter passed to RunSpecifiedBenchmarks does not see
// --benchmark_color, so honour it here: colour on a terminal unless told.
benchmark::ConsoleReporter::OutputOptions output_options(int argc, char** argv) {
  bool color = isatty(fileno(stdout)) != 0;
  constexpr std::string_view flag = "--benchmark_color=";
  for (int k = 1; k < argc; ++k) {
    const std::string_view arg = argv[k];
    if (!arg.starts_with(flag)) continue;
    const auto value = arg.substr(flag.size());
    if (value == "true" || value == "yes" || value == "1") color = true;
    if (value == "false" || value == "no" || value == "0") color = false;
  }
  return color ? benchmark::ConsoleReporter::OO_ColorTabular : benchmark::ConsoleReporter::OO_Tabular;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = output_options(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  const char* const file = WFSIM_SOURCE_DIR "/scenarios/lancashire-2015/baseline.yaml";
  wfsim::scenario::Scenario scenario;
  try {
    scenario = wfsim::scenario::load_scenario(file);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "wfsim_bench: cannot load %s: %s\n", file, e.what());
    return 1;
  }
  const auto* parameters = &scenario.parameters;
  const int months = parameters->time.months;

  // The floor draws as many uniforms as the baseline simulates person-months:
  // measure the baseline's average headcount once, outside the timings.
  double baseline_person_months = 0;
  const std::vector<const wfsim::model::Parameters*> scenarios{parameters};
  wfsim::run::run_monte_carlo(scenarios, settings_for(1), [&](const wfsim::run::ResultBlock& block) {
    baseline_person_months += person_months(block);
  });
  const auto people = static_cast<std::uint32_t>(
      std::lround(baseline_person_months / (static_cast<double>(kReplications) * months)));

  // The engine alone and end to end, each on 1 and 2 threads.
  for (benchmark::internal::Benchmark* on_threads :
       {benchmark::RegisterBenchmark(kBaselineName, BM_Baseline, parameters),
        benchmark::RegisterBenchmark(kEndToEndName, BM_EndToEnd, &scenario)}) {
    on_threads->ArgName("threads")
        ->Arg(1)
        ->Arg(2)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond)
        ->MinTime(3.0);
  }
  benchmark::RegisterBenchmark("BM_SizeSweep", BM_SizeSweep, parameters)
      ->ArgName("workers")
      ->Arg(600)
      ->Arg(6000)
      ->Arg(33000)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond)
      ->MinTime(3.0);
  // Real time for the floor too, so the two rates are measured alike.
  for (auto* floor : {benchmark::RegisterBenchmark(kFloorName, BM_RandomFloor, people, months),
                      benchmark::RegisterBenchmark("BM_RandomOneByOne", BM_RandomOneByOne, people, months)})
    floor->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(2.0);

  RateReporter reporter(options);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const double floor = reporter.rate(kFloorName);
  const double one = reporter.rate(std::string(kBaselineName) + "/threads:1");
  const double two = reporter.rate(std::string(kBaselineName) + "/threads:2");
  std::printf("\n%d replications of %s, %d months, %u people a month on average\n", kReplications,
              scenario.name.c_str(), months, people);
  std::printf("floor: %.4g person-months/s (the person-month block, a workforce at once; one by one %.4g)\n",
              floor, reporter.rate("BM_RandomOneByOne"));
  std::printf("baseline 1 thread: %.4g person-months/s = %.3g x the floor time\n", one, floor / one);
  std::printf("baseline 2 threads: %.4g person-months/s, speed-up %.3g x over 1 thread\n", two, two / one);
  const double whole_one = reporter.rate(std::string(kEndToEndName) + "/threads:1");
  const double whole_two = reporter.rate(std::string(kEndToEndName) + "/threads:2");
  std::printf(
      "end to end 1 thread: %.4g person-months/s = %.3g x the floor time (%d replications, run file "
      "written)\n",
      whole_one, floor / whole_one, kEndToEndReplications);
  std::printf("end to end 2 threads: %.4g person-months/s, speed-up %.3g x over 1 thread\n", whole_two,
              whole_two / whole_one);
  for (const auto& name : reporter.busy())
    std::printf(
        "warning: %s kept fewer cores busy than it runs threads: the machine was busy, rerun when idle\n",
        name.c_str());
  return 0;
}
