#include "output/run_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <set>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "model/metrics.hpp"
#include "output/hdf5_file_writer.hpp"
#include "output/hdf5_handle.hpp"
#include "output/output_files.hpp"
#include "output/summary.hpp"

namespace wfsim::output {
namespace {

constexpr int kFileFormatVersion = 1;
constexpr std::string_view kFileType = "wfsim-run";
constexpr int kMonthsPerYear = 12;
constexpr int kMaxChunkRows = 256;
// Each open series dataset caches at most one chunk while blocks fill it, so
// the writer's memory is scenarios x metrics x this, whatever the replications.
constexpr std::size_t kTargetChunkBytes = 128 * 1024;

struct AnnualTable {
  std::string_view name;
  std::string_view units;
  std::string_view description;
};
constexpr std::array kAnnualTables = {
    AnnualTable{"net_loss", "headcount",
                "Permanent qualified staff lost over the year: leavers minus starters summed over its 12 "
                "months (negative is a net gain)"},
    AnnualTable{"leavers", "headcount", "Permanent qualified staff who left during the year"},
    AnnualTable{"starters", "headcount", "Permanent qualified staff who joined during the year"},
    AnnualTable{"turnover", "fraction",
                "Leavers during the year / permanent qualified staff in post at the end of the year, as the "
                "national workforce census defines turnover"},
};
enum AnnualIndex { kNetLoss, kLeavers, kStarters, kTurnover };

constexpr int kLeaversMetric = model::index_of(model::Metric::leavers);
constexpr int kStartersMetric = model::index_of(model::Metric::starters);
constexpr int kPermanentQswMetric = model::index_of(model::Metric::permanent_qsw);

// Averages over people, missing (NaN) in a month with no one to average over.
constexpr std::array kAverageMetrics = {model::Metric::caseload_nqsw,        model::Metric::caseload_early,
                                        model::Metric::caseload_experienced, model::Metric::burnout_mean,
                                        model::Metric::burnout_nqsw,         model::Metric::burnout_early,
                                        model::Metric::burnout_experienced};
bool may_be_missing(int metric) {
  return std::find(kAverageMetrics.begin(), kAverageMetrics.end(), static_cast<model::Metric>(metric)) !=
         kAverageMetrics.end();
}

struct YearMonth {
  int year = 0;
  int month = 1;  // 1..12
};

std::string month_label(YearMonth start, int offset) {
  const int index = start.year * 12 + (start.month - 1) + offset;
  return fmt::format("{:04d}-{:02d}", index / 12, index % 12 + 1);
}

// Checks everything that can be checked before touching the disk; returns the parsed start month.
YearMonth validate(const std::filesystem::path& final_path, const RunInfo& run,
                   const std::vector<ScenarioInfo>& scenarios) {
  const auto fail = [&](const std::string& message) {
    throw std::runtime_error(fmt::format("cannot write run file '{}': {}", final_path.string(), message));
  };
  if (const std::string problem = output_directory_problem(final_path); !problem.empty()) fail(problem);
  if (run.replications < 1) fail(fmt::format("replications must be at least 1, not {}", run.replications));
  if (run.months < 1) fail(fmt::format("months must be at least 1, not {}", run.months));
  if (scenarios.empty()) fail("a run needs at least one scenario");
  std::set<std::string_view> names;
  for (const ScenarioInfo& scenario : scenarios) {
    if (scenario.name.empty() || scenario.name == "." || scenario.name.find('/') != std::string::npos) {
      fail(fmt::format("scenario name '{}' cannot name an HDF5 group (empty, '.' or contains '/')",
                       scenario.name));
    }
    if (!names.insert(scenario.name).second)
      fail(fmt::format("scenario name '{}' is repeated", scenario.name));
  }

  const std::string& text = run.start_month;
  const auto digits = [&](std::size_t from, std::size_t count) {
    return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from),
                       text.begin() + static_cast<std::ptrdiff_t>(from + count),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (text.size() != 7 || text[4] != '-' || !digits(0, 4) || !digits(5, 2)) {
    fail(fmt::format("start month '{}' is not of the form YYYY-MM", text));
  }
  const YearMonth start{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2))};
  if (start.month < 1 || start.month > 12)
    fail(fmt::format("start month '{}' has no month {}", text, start.month));
  return start;
}

int series_chunk_rows(int replications, int months) {
  const std::size_t row_bytes = static_cast<std::size_t>(months) * sizeof(double);
  const auto fitting =
      static_cast<int>(std::clamp<std::size_t>(kTargetChunkBytes / row_bytes, 1, kMaxChunkRows));
  return std::min(replications, fitting);
}

}  // namespace

struct RunFileWriter::Impl : h5::FileWriter {
  RunInfo run;
  std::vector<ScenarioInfo> scenarios;
  YearMonth start;  // validated before any file is created
  int years = 0;
  int chunk_rows = 0;
  int next_replication = 0;
  bool finished = false;
  bool failed = false;
  // Destroyed before the base: datasets, then the file, then the temporary file's removal.
  std::vector<h5::Dataset> series;       // [scenario * kMetricCount + metric]
  std::optional<h5::Group> comparisons;  // created with the first comparison

  Impl(std::filesystem::path final, RunInfo run_info, std::vector<ScenarioInfo> scenario_infos)
      : h5::FileWriter("run file", std::move(final)),
        run(std::move(run_info)),
        scenarios(std::move(scenario_infos)),
        start(validate(final_path, run, scenarios)),
        years(run.months / kMonthsPerYear),
        chunk_rows(series_chunk_rows(run.replications, run.months)) {
    create_run_file();
  }

  // ---- small HDF5 helpers ---------------------------------------------------

  void describe_summary(hid_t dataset, std::string_view units, std::string_view description) const {
    write_string_attribute(dataset, "rows", kSummaryRowsAttribute);
    write_string_attribute(dataset, "units", units);
    write_string_attribute(
        dataset, "description",
        fmt::format(
            "Mean and quantiles over replications (linear interpolation, missing values left out) of: {}",
            description));
  }

  std::string scenario_path(std::size_t scenario) const { return "/scenarios/" + scenarios[scenario].name; }

  // ---- creation -------------------------------------------------------------

  void create_run_file() {
    create_file();
    write_root_attributes();

    std::vector<std::string> month_labels;
    for (int month = 0; month < run.months; ++month) month_labels.push_back(month_label(start, month));
    write_string_dataset(file.get(), "months", month_labels);
    std::vector<std::string> year_labels;
    for (int year = 0; year < years; ++year) {
      year_labels.push_back(fmt::format("{} to {}", month_label(start, year * kMonthsPerYear),
                                        month_label(start, year * kMonthsPerYear + kMonthsPerYear - 1)));
    }
    write_string_dataset(file.get(), "years", year_labels);

    const h5::Group all_scenarios = create_group(file.get(), "scenarios", "/scenarios");
    series.reserve(scenarios.size() * model::kMetricCount);
    for (std::size_t s = 0; s < scenarios.size(); ++s) create_scenario(all_scenarios.get(), s);
  }

  void write_root_attributes() const {
    const hid_t root = file.get();
    write_string_attribute(root, "filetype", kFileType);
    write_int_attribute(root, "file_format_version", kFileFormatVersion);
    write_string_attribute(root, "wfsim_version", run.wfsim_version);
    write_string_attribute(root, "created_utc", run.created_utc);
    write_scalar_attribute(root, "seed", H5T_NATIVE_UINT64, run.seed);
    write_int_attribute(root, "replications", run.replications);
    write_int_attribute(root, "months", run.months);
    write_string_attribute(root, "start_month", run.start_month);
    std::vector<std::string> names;
    for (const ScenarioInfo& scenario : scenarios) names.push_back(scenario.name);
    write_string_array_attribute(root, "scenario_names", names);
    write_string_array_attribute(root, "input_files", run.input_files);
    write_string_attribute(root, "command_line", run.command_line);
    write_int_attribute(root, "independent_streams", run.independent_streams ? 1 : 0);
  }

  void create_scenario(hid_t all_scenarios, std::size_t s) {
    const ScenarioInfo& info = scenarios[s];
    const std::string path = scenario_path(s);
    const h5::Group group = create_group(all_scenarios, info.name, path);
    write_string_attribute(group.get(), "description", info.description);
    write_string_attribute(group.get(), "config_yaml", info.config_yaml);
    write_int_attribute(group.get(), "reference", info.reference ? 1 : 0);

    const auto rows = static_cast<hsize_t>(run.replications);
    const auto months = static_cast<hsize_t>(run.months);
    const auto year_count = static_cast<hsize_t>(years);

    // Cache one chunk per series, evicting it as soon as blocks have filled it.
    h5::PropertyList series_access(check(H5Pcreate(H5P_DATASET_ACCESS), "create dataset access properties"));
    const std::size_t chunk_bytes = static_cast<std::size_t>(chunk_rows) * months * sizeof(double);
    check(H5Pset_chunk_cache(series_access.get(), 101, chunk_bytes, 1.0), "set the chunk cache");

    const h5::Group series_group = create_group(group.get(), "series", path + "/series");
    const h5::Group summary_group = create_group(group.get(), "summary", path + "/summary");
    for (int m = 0; m < model::kMetricCount; ++m) {
      const model::MetricInfo& metric = model::kMetrics[static_cast<std::size_t>(m)];
      const std::string name(metric.name);
      h5::Dataset dataset = create_table(series_group.get(), name.c_str(), rows, months, chunk_rows,
                                         series_access.get(), path + "/series/" + name);
      describe(dataset.get(), metric.units, metric.description);
      if (m == kPermanentQswMetric)
        write_double_attribute(dataset.get(), "initial", info.initial_permanent_qsw);
      series.push_back(std::move(dataset));

      const h5::Dataset summary = create_table(summary_group.get(), name.c_str(), kSummaryRows, months, 0,
                                               H5P_DEFAULT, path + "/summary/" + name);
      describe_summary(summary.get(), metric.units, metric.description);
    }

    const h5::Group annual_group = create_group(group.get(), "annual", path + "/annual");
    const h5::Group annual_summary_group =
        create_group(annual_group.get(), "summary", path + "/annual/summary");
    for (const AnnualTable& table : kAnnualTables) {
      const std::string name(table.name);
      const h5::Dataset annual =
          create_table(annual_group.get(), name.c_str(), rows, year_count, std::min(run.replications, 4096),
                       H5P_DEFAULT, path + "/annual/" + name);
      describe(annual.get(), table.units, table.description);
      const h5::Dataset summary = create_table(annual_summary_group.get(), name.c_str(), kSummaryRows,
                                               year_count, 0, H5P_DEFAULT, path + "/annual/summary/" + name);
      describe_summary(summary.get(), table.units, table.description);
    }
  }

  // ---- streaming ------------------------------------------------------------

  void write_block(const run::ResultBlock& block) {
    const auto problem = [&](const std::string& message) {
      throw std::runtime_error(fmt::format("cannot write run file '{}': {}", final_path.string(), message));
    };
    if (block.scenarios != static_cast<int>(scenarios.size()) || block.months != run.months) {
      problem(fmt::format("block has {} scenarios x {} months, the run {} x {}", block.scenarios,
                          block.months, scenarios.size(), run.months));
    }
    if (block.first_replication != next_replication) {
      problem(fmt::format("block starts at replication {}, expected {} (blocks must arrive in order)",
                          block.first_replication, next_replication));
    }
    if (block.count < 0 || block.count > run.replications - next_replication) {
      problem(fmt::format("block of {} replications from {} exceeds the run's {}", block.count,
                          block.first_replication, run.replications));
    }
    const std::size_t expected = scenarios.size() * model::kMetricCount *
                                 static_cast<std::size_t>(block.count) * static_cast<std::size_t>(run.months);
    if (block.values.size() != expected) {
      problem(fmt::format("block holds {} values, its shape needs {}", block.values.size(), expected));
    }
    if (block.count == 0) return;

    const std::array<hsize_t, 2> file_dims = {static_cast<hsize_t>(run.replications),
                                              static_cast<hsize_t>(run.months)};
    const std::array<hsize_t, 2> offset = {static_cast<hsize_t>(block.first_replication), 0};
    const std::array<hsize_t, 2> count = {static_cast<hsize_t>(block.count),
                                          static_cast<hsize_t>(run.months)};
    h5::Dataspace file_space(check(H5Screate_simple(2, file_dims.data(), nullptr), "create a dataspace"));
    check(
        H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, offset.data(), nullptr, count.data(), nullptr),
        "select replications");
    h5::Dataspace memory_space(check(H5Screate_simple(2, count.data(), nullptr), "create a dataspace"));
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
      for (int m = 0; m < model::kMetricCount; ++m) {
        const std::span<const double> rows = block.metric_rows(static_cast<int>(s), m);
        check_finite(
            rows, static_cast<std::size_t>(run.months), static_cast<std::size_t>(block.first_replication),
            may_be_missing(m),
            fmt::format("{}/series/{}", scenario_path(s), model::kMetrics[static_cast<std::size_t>(m)].name));
        check(H5Dwrite(series[s * model::kMetricCount + static_cast<std::size_t>(m)].get(), H5T_NATIVE_DOUBLE,
                       memory_space.get(), file_space.get(), H5P_DEFAULT, rows.data()),
              fmt::format("write replications {} to {} of {}/series/{}", block.first_replication,
                          block.first_replication + block.count - 1, scenario_path(s),
                          model::kMetrics[static_cast<std::size_t>(m)].name));
      }
    }
    next_replication += block.count;
  }

  // ---- finishing ------------------------------------------------------------

  void finish() {
    if (next_replication != run.replications) {
      throw std::runtime_error(fmt::format("cannot finish run file '{}': {} of {} replications were written",
                                           final_path.string(), next_replication, run.replications));
    }
    for (std::size_t s = 0; s < scenarios.size(); ++s) summarize_scenario(s);
    series.clear();
    comparisons.reset();

    publish();
  }

  // Reads each series back one metric at a time: memory is one metric's
  // [replications, months] plus the [replications, years] annual tables.
  void summarize_scenario(std::size_t s) {
    const std::string path = scenario_path(s);
    const auto replications = static_cast<std::size_t>(run.replications);
    const auto months = static_cast<std::size_t>(run.months);
    const auto year_count = static_cast<std::size_t>(years);
    std::vector<double> values(replications * months);
    std::vector<double> summary(kSummaryRows * months);
    std::vector<double> scratch;
    scratch.reserve(replications);
    std::array<std::vector<double>, kAnnualTables.size()> annual;
    for (auto& table : annual) table.assign(replications * year_count, 0.0);
    std::vector<double> end_of_year_qsw(replications * year_count, 0.0);

    const h5::Group group(
        check(H5Gopen2(file.get(), path.c_str(), H5P_DEFAULT), fmt::format("open {}", path)));
    for (int m = 0; m < model::kMetricCount; ++m) {
      const std::string name(model::kMetrics[static_cast<std::size_t>(m)].name);
      check(H5Dread(series[s * model::kMetricCount + static_cast<std::size_t>(m)].get(), H5T_NATIVE_DOUBLE,
                    H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
            fmt::format("read back {}/series/{}", path, name));
      summarize_columns(values, run.replications, run.months, summary, scratch);
      write_existing(group.get(), "summary/" + name, summary, path);

      if (m != kLeaversMetric && m != kStartersMetric && m != kPermanentQswMetric) continue;
      for (std::size_t r = 0; r < replications; ++r) {
        for (std::size_t y = 0; y < year_count; ++y) {
          const double* year = values.data() + r * months + y * kMonthsPerYear;
          const std::size_t at = r * year_count + y;
          if (m == kPermanentQswMetric) {
            end_of_year_qsw[at] = year[kMonthsPerYear - 1];
          } else {
            double sum = 0.0;
            for (int month = 0; month < kMonthsPerYear; ++month) sum += year[month];
            annual[m == kLeaversMetric ? kLeavers : kStarters][at] = sum;
          }
        }
      }
    }
    for (std::size_t at = 0; at < replications * year_count; ++at) {
      annual[kNetLoss][at] = annual[kLeavers][at] - annual[kStarters][at];
      // Missing, not infinite, when no one is in post at the end of the year.
      annual[kTurnover][at] = end_of_year_qsw[at] > 0 ? annual[kLeavers][at] / end_of_year_qsw[at]
                                                      : std::numeric_limits<double>::quiet_NaN();
    }
    std::vector<double> annual_summary(kSummaryRows * year_count);
    for (std::size_t t = 0; t < kAnnualTables.size(); ++t) {
      const std::string name(kAnnualTables[t].name);
      write_existing(group.get(), "annual/" + name, annual[t], path);
      summarize_columns(annual[t], run.replications, years, annual_summary, scratch);
      write_existing(group.get(), "annual/summary/" + name, annual_summary, path);
    }
  }

  // ---- comparisons ----------------------------------------------------------

  void write_comparison(const run::Comparison& c, std::optional<double> independent_variance) {
    if (!comparisons) comparisons = create_group(file.get(), "comparisons", "/comparisons");
    const ScenarioInfo& option = scenarios.at(static_cast<std::size_t>(c.scenario));
    const std::string path = "/comparisons/" + option.name;
    const h5::Group group = create_group(comparisons->get(), option.name, path);
    write_string_attribute(group.get(), "reference",
                           scenarios.at(static_cast<std::size_t>(c.reference)).name);
    write_string_attribute(group.get(), "description",
                           "Paired by replication: option minus reference, for every outcome");
    write_double_attribute(group.get(), "cost_per_leaver_avoided", c.cost_per_leaver_avoided);
    write_double_attribute(group.get(), "net_loss_difference_variance", c.net_loss_difference_variance);
    if (independent_variance) {
      write_double_attribute(group.get(), "net_loss_difference_variance_independent", *independent_variance);
      write_double_attribute(group.get(), "variance_ratio_independent_over_paired",
                             c.net_loss_difference_variance > 0
                                 ? *independent_variance / c.net_loss_difference_variance
                                 : std::numeric_limits<double>::quiet_NaN());
    }
    const h5::Group summary_group = create_group(group.get(), "summary", path + "/summary");
    const auto replications = static_cast<std::size_t>(run.replications);
    for (int o = 0; o < run::kOutcomeCount; ++o) {
      const run::OutcomeInfo& outcome = run::kOutcomes[static_cast<std::size_t>(o)];
      const auto& columns = c.differences[static_cast<std::size_t>(o)];
      const std::string name(outcome.name);
      std::vector<double> table(replications * columns.size());
      for (std::size_t column = 0; column < columns.size(); ++column)
        for (std::size_t r = 0; r < replications; ++r)
          table[r * columns.size() + column] = columns[column][r];
      const h5::Dataset differences = create_table(group.get(), name.c_str(), replications, columns.size(), 0,
                                                   H5P_DEFAULT, path + "/" + name);
      describe(differences.get(), outcome.units,
               fmt::format("Option minus reference, per replication: {}", outcome.description));
      write_int_attribute(differences.get(), "lower_is_better", outcome.lower_is_better ? 1 : 0);
      if (!table.empty()) write_table(differences.get(), table, path + "/" + name);

      constexpr int kRows = kSummaryRows + 1;
      std::vector<double> summary(kRows * columns.size());
      for (std::size_t column = 0; column < columns.size(); ++column) {
        const auto& d = c.summaries[static_cast<std::size_t>(o)][column];
        const std::array<double, kRows> rows = {d.difference.mean,   d.difference.p10, d.difference.p25,
                                                d.difference.p50,    d.difference.p75, d.difference.p90,
                                                d.probability_better};
        for (int row = 0; row < kRows; ++row)
          summary[static_cast<std::size_t>(row) * columns.size() + column] =
              rows[static_cast<std::size_t>(row)];
      }
      const h5::Dataset summary_dataset =
          create_table(summary_group.get(), name.c_str(), kRows, columns.size(), 0, H5P_DEFAULT,
                       path + "/summary/" + name);
      write_string_attribute(summary_dataset.get(), "rows", "mean,p10,p25,p50,p75,p90,probability_better");
      write_string_attribute(summary_dataset.get(), "units", outcome.units);
      write_string_attribute(
          summary_dataset.get(), "description",
          fmt::format("Mean and quantiles of the paired difference, then the share of replications where the "
                      "option does better (ties count half): {}",
                      outcome.description));
      if (!summary.empty()) write_table(summary_dataset.get(), summary, path + "/summary/" + name);
    }
  }

  void write_existing(hid_t group, const std::string& relative, std::span<const double> values,
                      const std::string& group_path) const {
    const std::string where = group_path + "/" + relative;
    if (values.empty()) return;  // zero-sized tables (a horizon shorter than a year) hold nothing
    const h5::Dataset dataset(
        check(H5Dopen2(group, relative.c_str(), H5P_DEFAULT), fmt::format("open dataset {}", where)));
    write_table(dataset.get(), values, where);
  }
};

RunFileWriter::RunFileWriter(std::filesystem::path final_path, RunInfo run,
                             std::vector<ScenarioInfo> scenarios)
    : impl_(std::make_unique<Impl>(std::move(final_path), std::move(run), std::move(scenarios))) {}

RunFileWriter::~RunFileWriter() = default;

void RunFileWriter::write_block(const run::ResultBlock& block) {
  if (impl_->finished) throw std::logic_error("RunFileWriter::write_block after finish()");
  if (impl_->failed) {
    throw std::runtime_error(
        fmt::format("run file '{}': cannot write after an earlier failure", impl_->final_path.string()));
  }
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  try {
    impl_->write_block(block);
  } catch (...) {
    impl_->failed = true;
    throw;
  }
}

void RunFileWriter::write_comparison(const run::Comparison& comparison,
                                     std::optional<double> independent_variance) {
  if (impl_->finished) throw std::logic_error("RunFileWriter::write_comparison after finish()");
  if (impl_->next_replication != impl_->run.replications) {
    throw std::logic_error("RunFileWriter::write_comparison before every replication is written");
  }
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  try {
    impl_->write_comparison(comparison, independent_variance);
  } catch (...) {
    impl_->failed = true;
    throw;
  }
}

void RunFileWriter::finish() {
  if (impl_->finished) return;
  if (impl_->failed) {
    throw std::runtime_error(
        fmt::format("run file '{}': cannot finish after an earlier failure", impl_->final_path.string()));
  }
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  try {
    impl_->finish();
    impl_->finished = true;
  } catch (...) {
    impl_->failed = true;
    throw;
  }
}

const std::filesystem::path& RunFileWriter::final_path() const {
  return impl_->final_path;
}
const std::filesystem::path& RunFileWriter::temporary_path() const {
  return impl_->temporary.path();
}

double estimated_run_file_bytes(int scenarios, int replications, int months) {
  constexpr double kSeriesCompression = 0.35;
  const double rows = static_cast<double>(scenarios) * replications;
  const double years = months / kMonthsPerYear;
  const double series = rows * model::kMetricCount * months * sizeof(double) * kSeriesCompression;
  const double annual = rows * kAnnualTables.size() * years * sizeof(double);
  double outcome_columns = 0;
  for (const run::OutcomeInfo& outcome : run::kOutcomes) outcome_columns += outcome.per_year ? years : 1;
  const double comparisons = rows * outcome_columns * sizeof(double);
  return series + annual + comparisons;
}

}  // namespace wfsim::output
