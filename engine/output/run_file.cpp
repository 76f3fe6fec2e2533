#include "output/run_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <numeric>
#include <set>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "model/calendar.hpp"
#include "model/metrics.hpp"
#include "output/chunk_codec.hpp"
#include "output/file_kinds.hpp"
#include "output/hdf5_file_writer.hpp"
#include "output/hdf5_handle.hpp"
#include "output/output_files.hpp"
#include "output/summary.hpp"
#include "run/parallel_for.hpp"

namespace wfsim::output {
namespace {

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

// The dimensions of the file's tables. Every group of tables holds a dimension
// scale for each dimension its tables use, named as here: netCDF tools and
// xarray read one group at a time and find there both the dimension names
// and their coordinates.
enum class Dimension { replication, month, year, statistic };
struct DimensionInfo {
  std::string_view name;
  std::string_view long_name;
  std::string_view description;
};
constexpr std::array kDimensions = {
    DimensionInfo{"replication", "Replication",
                  "Replication (simulated future), from 0; replication r of every scenario meets the same "
                  "random numbers unless the root attribute independent_streams is 1"},
    DimensionInfo{"month", "Month", "Calendar month of the horizon, YYYY-MM"},
    DimensionInfo{"year", "Year", "Whole year of the horizon, from its first to its last month"},
    DimensionInfo{"statistic", "Statistic",
                  "Over replications: the mean, then the 10th, 25th, 50th, 75th and 90th percentiles"},
};
const DimensionInfo& info_of(Dimension dimension) {
  return kDimensions[static_cast<std::size_t>(dimension)];
}

// A table named like a dimension would collide with its group's dimension scale.
constexpr bool names_a_dimension(std::string_view name) {
  return std::any_of(kDimensions.begin(), kDimensions.end(),
                     [&](const DimensionInfo& dimension) { return dimension.name == name; });
}
constexpr bool some_table_names_a_dimension() {
  return std::any_of(model::kMetrics.begin(), model::kMetrics.end(),
                     [](const auto& metric) { return names_a_dimension(metric.name); }) ||
         std::any_of(kAnnualTables.begin(), kAnnualTables.end(),
                     [](const auto& table) { return names_a_dimension(table.name); }) ||
         std::any_of(run::kOutcomes.begin(), run::kOutcomes.end(),
                     [](const auto& outcome) { return names_a_dimension(outcome.name); });
}
static_assert(!some_table_names_a_dimension(), "a metric, annual table or outcome is named like a dimension");

// A short label for plots, from a table's name ("vacancy_rate" -> "Vacancy
// rate", "permanent_qsw_end" -> "Permanent QSW end"), so every new metric or
// outcome has one; its `description` says the rest.
std::string long_name_of(std::string_view name) {
  constexpr std::array<std::string_view, 6> kAcronyms = {"qsw", "nqsw", "fte", "asye", "ap", "pm"};
  std::string label;
  std::size_t from = 0;
  while (from <= name.size()) {
    const std::size_t to = std::min(name.find('_', from), name.size());
    std::string word(name.substr(from, to - from));
    if (std::find(kAcronyms.begin(), kAcronyms.end(), word) != kAcronyms.end()) {
      for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (label.empty() && !word.empty()) {
      word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
    }
    label += (label.empty() ? "" : " ") + word;
    from = to + 1;
  }
  return label;
}

// A group of tables with the dimension scales they are attached to.
struct TableGroup {
  h5::Group group;
  std::string path;
  std::vector<std::pair<Dimension, h5::Dataset>> scales;

  hid_t get() const { return group.get(); }
  hid_t scale(Dimension dimension) const {
    for (const auto& [held, scale] : scales)
      if (held == dimension) return scale.get();
    throw std::logic_error(
        fmt::format("run file group {} has no dimension {}", path, info_of(dimension).name));
  }
};

constexpr int kLeaversMetric = model::index_of(model::Metric::leavers);
constexpr int kStartersMetric = model::index_of(model::Metric::starters);
constexpr int kPermanentQswMetric = model::index_of(model::Metric::permanent_qsw);

using model::YearMonth;

std::string month_label(YearMonth start, int offset) {
  return model::format_year_month(start.plus_months(offset));
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

  const auto start = model::parse_year_month(run.start_month);
  if (!start) fail(fmt::format("start month '{}' is not a month of the form YYYY-MM", run.start_month));
  return *start;
}

// The rows of `block` from replication `first`, `rows` of them, of one
// series, as the chunk that holds them: rows past them left NaN, the fill.
void fill_chunk(const run::ResultBlock& block, std::size_t scenario, int metric, int first, int rows,
                std::span<double> chunk) {
  const auto months = static_cast<std::size_t>(block.months);
  const auto values = block.metric_rows(static_cast<int>(scenario), metric)
                          .subspan(static_cast<std::size_t>(first - block.first_replication) * months,
                                   static_cast<std::size_t>(rows) * months);
  std::fill(std::copy(values.begin(), values.end(), chunk.begin()), chunk.end(), h5::kTableFill);
}

// encode_series_chunks' frame: each chunk's size, then its bytes.
using FrameSize = std::uint64_t;

}  // namespace

int series_chunk_rows(int replications, int months) {
  const std::size_t row_bytes = static_cast<std::size_t>(months) * sizeof(double);
  const auto fitting =
      static_cast<int>(std::clamp<std::size_t>(kTargetChunkBytes / row_bytes, 1, kMaxChunkRows));
  return std::min(replications, fitting);
}

std::vector<unsigned char> encode_series_chunks(const run::ResultBlock& block, int replications) {
  const int chunk_rows = series_chunk_rows(replications, block.months);
  const int end = block.first_replication + block.count;
  if (block.count <= 0 || block.first_replication % chunk_rows != 0 ||
      (block.count % chunk_rows != 0 && end != replications))
    return {};
  std::vector<unsigned char> frames;
  std::vector<double> chunk(static_cast<std::size_t>(chunk_rows) * static_cast<std::size_t>(block.months));
  for (int first = block.first_replication; first < end; first += chunk_rows) {
    for (std::size_t s = 0; s < static_cast<std::size_t>(block.scenarios); ++s) {
      for (int m = 0; m < model::kMetricCount; ++m) {
        fill_chunk(block, s, m, first, std::min(chunk_rows, end - first), chunk);
        const std::vector<unsigned char> bytes = h5::encode_chunk(chunk);
        const FrameSize size = bytes.size();
        const auto* size_bytes = reinterpret_cast<const unsigned char*>(&size);
        frames.insert(frames.end(), size_bytes, size_bytes + sizeof size);
        frames.insert(frames.end(), bytes.begin(), bytes.end());
      }
    }
  }
  return frames;
}

struct RunFileWriter::Impl : h5::FileWriter {
  RunInfo run;
  std::vector<ScenarioInfo> scenarios;
  YearMonth start;  // validated before any file is created
  int years = 0;
  int chunk_rows = 0;
  std::vector<std::string> month_labels;
  std::vector<std::string> year_labels;
  std::vector<int> replication_numbers;  // 0 .. replications - 1
  int next_replication = 0;
  bool finished = false;
  bool failed = false;
  int threads = 1;
  // The chunk of rows the blocks are filling, per series, from replication
  // chunk_first; rows past the run's last replication stay NaN, the fill.
  int chunk_first = 0;
  std::vector<std::vector<double>> pending;  // [scenario * kMetricCount + metric][chunk_rows * months]
  // Destroyed before the base: datasets, then the file, then the temporary file's removal.
  std::vector<h5::Dataset> series;       // [scenario * kMetricCount + metric]
  std::optional<h5::Group> comparisons;  // created with the first comparison

  Impl(std::filesystem::path final, RunInfo run_info, std::vector<ScenarioInfo> scenario_infos,
       int thread_count)
      : h5::FileWriter("run file", std::move(final)),
        run(std::move(run_info)),
        scenarios(std::move(scenario_infos)),
        start(validate(final_path, run, scenarios)),
        years(run.months / kMonthsPerYear),
        chunk_rows(series_chunk_rows(run.replications, run.months)),
        threads(std::max(1, thread_count)) {
    for (int month = 0; month < run.months; ++month) month_labels.push_back(month_label(start, month));
    for (int year = 0; year < years; ++year) {
      year_labels.push_back(fmt::format("{} to {}", month_label(start, year * kMonthsPerYear),
                                        month_label(start, year * kMonthsPerYear + kMonthsPerYear - 1)));
    }
    replication_numbers.resize(static_cast<std::size_t>(run.replications));
    std::iota(replication_numbers.begin(), replication_numbers.end(), 0);
    create_run_file();
    pending.assign(series.size(), std::vector<double>(chunk_size(), h5::kTableFill));
  }

  // ---- small HDF5 helpers ---------------------------------------------------

  // `long_name`, `units` and `description`: what netCDF tools and xarray label a table with.
  void describe_table(hid_t dataset, std::string_view long_name, std::string_view units,
                      std::string_view description) const {
    write_string_attribute(dataset, "long_name", long_name);
    describe(dataset, units, description);
  }

  void describe_summary(hid_t dataset, std::string_view long_name, std::string_view units,
                        std::string_view description) const {
    write_string_attribute(dataset, "rows", fmt::format("{}", fmt::join(kSummaryStatistics, ",")));
    describe_table(
        dataset, long_name, units,
        fmt::format(
            "Mean and quantiles over replications (linear interpolation, missing values left out) of: {}",
            description));
  }

  // ---- dimensions -----------------------------------------------------------

  hsize_t extent(Dimension dimension) const {
    switch (dimension) {
      case Dimension::replication:
        return static_cast<hsize_t>(run.replications);
      case Dimension::month:
        return static_cast<hsize_t>(run.months);
      case Dimension::year:
        return static_cast<hsize_t>(years);
      case Dimension::statistic:
        return kSummaryStatistics.size();
    }
    throw std::logic_error("unknown run file dimension");
  }

  // A 1-D dataset of variable-length UTF-8 strings, returned open.
  h5::Dataset write_labels(hid_t parent, const char* name, const std::vector<std::string>& labels,
                           std::string_view where) const {
    std::vector<const char*> pointers;
    for (const std::string& label : labels) pointers.push_back(label.c_str());
    const h5::Datatype type = string_type();
    return write_vector(parent, name, type.get(), pointers.data(), pointers.size(), where);
  }

  void make_scale(hid_t dataset, std::string_view name, std::string_view long_name,
                  std::string_view description, std::string_view where) const {
    check(H5DSset_scale(dataset, std::string(name).c_str()), fmt::format("make {} a dimension scale", where));
    write_string_attribute(dataset, "long_name", long_name);
    write_string_attribute(dataset, "description", description);
  }

  h5::Dataset create_dimension_scale(hid_t group, Dimension dimension, const std::string& group_path) const {
    const DimensionInfo& info = info_of(dimension);
    const std::string name(info.name);
    const std::string where = group_path + "/" + name;
    h5::Dataset scale;
    switch (dimension) {
      case Dimension::replication:
        scale = write_int_dataset(group, name.c_str(), replication_numbers, where);
        break;
      case Dimension::month:
        scale = write_labels(group, name.c_str(), month_labels, where);
        break;
      case Dimension::year:
        scale = write_labels(group, name.c_str(), year_labels, where);
        break;
      case Dimension::statistic: {
        const std::vector<std::string> statistics(kSummaryStatistics.begin(), kSummaryStatistics.end());
        scale = write_labels(group, name.c_str(), statistics, where);
        break;
      }
    }
    make_scale(scale.get(), name, info.long_name, info.description, where);
    return scale;
  }

  TableGroup create_table_group(hid_t parent, const std::string& name, std::string path,
                                std::string_view description,
                                const std::vector<Dimension>& dimensions) const {
    TableGroup group{create_group(parent, name, path), std::move(path), {}};
    write_string_attribute(group.get(), "description", description);
    for (const Dimension dimension : dimensions)
      group.scales.emplace_back(dimension, create_dimension_scale(group.get(), dimension, group.path));
    return group;
  }

  // Attaches the group's dimension scales to the dataset's axes, in order.
  void attach(const TableGroup& group, hid_t dataset, const std::vector<Dimension>& axes,
              std::string_view where) const {
    for (std::size_t axis = 0; axis < axes.size(); ++axis) {
      check(H5DSattach_scale(dataset, group.scale(axes[axis]), static_cast<unsigned>(axis)),
            fmt::format("attach dimension {} to {}", info_of(axes[axis]).name, where));
    }
  }

  // A float64 dataset over `axes` (none: a scalar), written whole, its dimension scales attached.
  h5::Dataset write_array(const TableGroup& group, const std::string& name,
                          const std::vector<Dimension>& axes, std::span<const double> values) const {
    const std::string where = group.path + "/" + name;
    std::vector<hsize_t> dims;
    for (const Dimension dimension : axes) dims.push_back(extent(dimension));
    const hsize_t total = std::accumulate(dims.begin(), dims.end(), hsize_t{1}, std::multiplies<>());
    if (values.size() != total) {
      throw std::logic_error(fmt::format("{} needs {} values, not {}", where, total, values.size()));
    }
    h5::Dataspace space(check(dims.empty()
                                  ? H5Screate(H5S_SCALAR)
                                  : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                              "create a dataspace"));
    h5::Dataset dataset(check(H5Dcreate2(group.get(), name.c_str(), H5T_NATIVE_DOUBLE, space.get(),
                                         H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                              fmt::format("create dataset {}", where)));
    if (total > 0) write_table(dataset.get(), values, where);
    attach(group, dataset.get(), axes, where);
    return dataset;
  }

  std::string scenario_path(std::size_t scenario) const { return "/scenarios/" + scenarios[scenario].name; }

  // ---- creation -------------------------------------------------------------

  void create_run_file() {
    create_file();
    write_root_attributes();

    // Dimension scales of their own, so that netCDF tools and xarray open the root group too.
    const h5::Dataset months = write_labels(file.get(), "months", month_labels, "/months");
    make_scale(months.get(), "months", "Month",
               "Calendar month of each column of the series and monthly summaries, YYYY-MM", "/months");
    const h5::Dataset year_list = write_labels(file.get(), "years", year_labels, "/years");
    make_scale(
        year_list.get(), "years", "Year",
        "Whole year of the horizon of each column of the annual tables, from its first to its last month",
        "/years");

    const h5::Group all_scenarios = create_group(file.get(), "scenarios", "/scenarios");
    write_string_attribute(
        all_scenarios.get(), "description",
        "One group per scenario of the run, named as in the root attribute scenario_names");
    series.reserve(scenarios.size() * model::kMetricCount);
    for (std::size_t s = 0; s < scenarios.size(); ++s) create_scenario(all_scenarios.get(), s);
  }

  void write_root_attributes() const {
    const hid_t root = file.get();
    write_string_attribute(root, "filetype", run.region ? kRegionRunFile.filetype : kRunFile.filetype);
    write_int_attribute(root, "file_format_version", kRunFileFormatVersion);
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

    const TableGroup series_group =
        create_table_group(group.get(), "series", path + "/series",
                           "Every metric per replication and month: [replication, month]",
                           {Dimension::replication, Dimension::month});
    const TableGroup summary_group =
        create_table_group(group.get(), "summary", path + "/summary",
                           "Every metric's mean and quantiles over replications by month: [statistic, month]",
                           {Dimension::statistic, Dimension::month});
    for (int m = 0; m < model::kMetricCount; ++m) {
      const model::MetricInfo& metric = model::kMetrics[static_cast<std::size_t>(m)];
      const std::string name(metric.name);
      const std::string where = series_group.path + "/" + name;
      // Written chunk by chunk, encoded by wfsim (chunk_codec.hpp): the library caches nothing.
      h5::Dataset dataset =
          create_table(series_group.get(), name.c_str(), rows, months, chunk_rows, H5P_DEFAULT, where);
      attach(series_group, dataset.get(), {Dimension::replication, Dimension::month}, where);
      describe_table(dataset.get(), long_name_of(metric.name), metric.units, metric.description);
      if (m == kPermanentQswMetric)
        write_double_attribute(dataset.get(), "initial", info.initial_permanent_qsw);
      series.push_back(std::move(dataset));

      const std::string summary_where = summary_group.path + "/" + name;
      const h5::Dataset summary = create_table(summary_group.get(), name.c_str(), kSummaryRows, months, 0,
                                               H5P_DEFAULT, summary_where);
      attach(summary_group, summary.get(), {Dimension::statistic, Dimension::month}, summary_where);
      describe_summary(summary.get(), long_name_of(metric.name), metric.units, metric.description);
    }

    const TableGroup annual_group =
        create_table_group(group.get(), "annual", path + "/annual",
                           "Per replication and whole year of the horizon: [replication, year]",
                           {Dimension::replication, Dimension::year});
    const TableGroup annual_summary_group = create_table_group(
        annual_group.get(), "summary", path + "/annual/summary",
        "Each annual table's mean and quantiles over replications by year: [statistic, year]",
        {Dimension::statistic, Dimension::year});
    for (const AnnualTable& table : kAnnualTables) {
      const std::string name(table.name);
      const std::string where = annual_group.path + "/" + name;
      const h5::Dataset annual = create_table(annual_group.get(), name.c_str(), rows, year_count,
                                              std::min(run.replications, 4096), H5P_DEFAULT, where);
      attach(annual_group, annual.get(), {Dimension::replication, Dimension::year}, where);
      describe_table(annual.get(), long_name_of(table.name), table.units, table.description);
      const std::string summary_where = annual_summary_group.path + "/" + name;
      const h5::Dataset summary = create_table(annual_summary_group.get(), name.c_str(), kSummaryRows,
                                               year_count, 0, H5P_DEFAULT, summary_where);
      attach(annual_summary_group, summary.get(), {Dimension::statistic, Dimension::year}, summary_where);
      describe_summary(summary.get(), long_name_of(table.name), table.units, table.description);
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

    for (std::size_t s = 0; s < scenarios.size(); ++s) {
      for (int m = 0; m < model::kMetricCount; ++m) {
        check_finite(block.metric_rows(static_cast<int>(s), m), static_cast<std::size_t>(run.months),
                     static_cast<std::size_t>(block.first_replication),
                     model::may_be_missing(static_cast<model::Metric>(m)), series_path(s, m));
      }
    }
    if (!block.prepared.empty()) {
      if (block.first_replication != chunk_first) problem("a block of encoded chunks does not start a chunk");
      store_prepared_chunks(block);
      next_replication += block.count;
      return;
    }
    // Rows go into the pending chunks; each chunk is stored once full, or
    // at the run's last replication.
    const auto months = static_cast<std::size_t>(run.months);
    for (int row = 0; row < block.count;) {
      const int in_chunk = block.first_replication + row - chunk_first;
      const int take = std::min(block.count - row, chunk_rows - in_chunk);
      for (std::size_t s = 0; s < scenarios.size(); ++s) {
        for (int m = 0; m < model::kMetricCount; ++m) {
          const auto rows =
              block.metric_rows(static_cast<int>(s), m)
                  .subspan(static_cast<std::size_t>(row) * months, static_cast<std::size_t>(take) * months);
          std::copy(rows.begin(), rows.end(),
                    pending[series_index(s, m)].begin() + static_cast<std::ptrdiff_t>(in_chunk * run.months));
        }
      }
      row += take;
      if (in_chunk + take == chunk_rows || block.first_replication + row == run.replications) store_chunks();
    }
    next_replication += block.count;
  }

  std::size_t chunk_size() const {
    return static_cast<std::size_t>(chunk_rows) * static_cast<std::size_t>(run.months);
  }
  static std::size_t series_index(std::size_t scenario, int metric) {
    return scenario * model::kMetricCount + static_cast<std::size_t>(metric);
  }
  std::string series_path(std::size_t scenario, int metric) const {
    return fmt::format("{}/series/{}", scenario_path(scenario),
                       model::kMetrics[static_cast<std::size_t>(metric)].name);
  }

  // Encodes the pending chunk of every series on the threads, stores them
  // in order, and starts the next chunk.
  void store_chunks() {
    std::vector<std::vector<unsigned char>> encoded(pending.size());
    run::parallel_for(static_cast<int>(pending.size()), threads, [&](int k, int) {
      encoded[static_cast<std::size_t>(k)] = h5::encode_chunk(pending[static_cast<std::size_t>(k)]);
    });
    for (std::size_t s = 0; s < scenarios.size(); ++s)
      for (int m = 0; m < model::kMetricCount; ++m) store_chunk(s, m, encoded[series_index(s, m)]);
    for (auto& chunk : pending) std::fill(chunk.begin(), chunk.end(), h5::kTableFill);
    chunk_first += chunk_rows;
  }

  // One series' chunk from replication chunk_first, encoded.
  void store_chunk(std::size_t scenario, int metric, std::span<const unsigned char> bytes) {
    const std::array<hsize_t, 2> offset = {static_cast<hsize_t>(chunk_first), 0};
    check(
        H5Dwrite_chunk(series[series_index(scenario, metric)].get(), H5P_DEFAULT, 0, offset.data(),
                       bytes.size(), bytes.data()),
        fmt::format("write replications {} to {} of {}", chunk_first,
                    std::min(chunk_first + chunk_rows, run.replications) - 1, series_path(scenario, metric)));
  }

  // Chunks encode_series_chunks encoded where the block was simulated,
  // stored as they are.
  void store_prepared_chunks(const run::ResultBlock& block) {
    std::span<const unsigned char> rest = block.prepared;
    const auto next_frame = [&]() {
      FrameSize size = 0;
      if (rest.size() < sizeof size) throw std::runtime_error("a block's encoded chunks end early");
      std::copy_n(rest.begin(), sizeof size, reinterpret_cast<unsigned char*>(&size));
      rest = rest.subspan(sizeof size);
      if (rest.size() < size) throw std::runtime_error("a block's encoded chunks end early");
      const auto frame = rest.first(static_cast<std::size_t>(size));
      rest = rest.subspan(static_cast<std::size_t>(size));
      return frame;
    };
    const int end = block.first_replication + block.count;
    for (; chunk_first < end; chunk_first += chunk_rows)
      for (std::size_t s = 0; s < scenarios.size(); ++s)
        for (int m = 0; m < model::kMetricCount; ++m) store_chunk(s, m, next_frame());
    if (!rest.empty()) throw std::runtime_error("a block's encoded chunks run past its replications");
  }

  // One series read back whole: its chunks fetched under `library` (HDF5 is
  // serial) and decoded on the calling thread.
  void read_series(std::size_t scenario, int metric, std::vector<double>& values, std::vector<double>& chunk,
                   std::mutex& library) const {
    const std::string where = series_path(scenario, metric);
    const hid_t dataset = series[series_index(scenario, metric)].get();
    const auto months = static_cast<std::size_t>(run.months);
    chunk.resize(chunk_size());
    std::vector<unsigned char> bytes;
    for (int first = 0; first < run.replications; first += chunk_rows) {
      const std::array<hsize_t, 2> offset = {static_cast<hsize_t>(first), 0};
      {
        const std::lock_guard lock(library);
        hsize_t size = 0;
        check(H5Dget_chunk_storage_size(dataset, offset.data(), &size), fmt::format("read back {}", where));
        bytes.resize(size);
        std::uint32_t filters = 0;
        check(H5Dread_chunk(dataset, H5P_DEFAULT, offset.data(), &filters, bytes.data()),
              fmt::format("read back {}", where));
      }
      h5::decode_chunk(bytes, chunk, where);
      const auto rows = static_cast<std::size_t>(std::min(chunk_rows, run.replications - first));
      std::copy_n(chunk.begin(), rows * months,
                  values.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(first) * months));
    }
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

  // Reads each series back on the threads, one metric a thread at a time:
  // memory is a thread's [replications, months] plus the [replications,
  // years] annual tables.
  void summarize_scenario(std::size_t s) {
    const std::string path = scenario_path(s);
    const auto replications = static_cast<std::size_t>(run.replications);
    const auto months = static_cast<std::size_t>(run.months);
    const auto year_count = static_cast<std::size_t>(years);
    struct Scratch {
      std::vector<double> values, chunk, summary, sorted;
    };
    std::vector<Scratch> scratch(static_cast<std::size_t>(threads));
    std::array<std::vector<double>, kAnnualTables.size()> annual;
    for (auto& table : annual) table.assign(replications * year_count, 0.0);
    std::vector<double> end_of_year_qsw(replications * year_count, 0.0);

    const h5::Group group(
        check(H5Gopen2(file.get(), path.c_str(), H5P_DEFAULT), fmt::format("open {}", path)));
    std::mutex library;
    run::parallel_for(model::kMetricCount, threads, [&](int m, int worker) {
      Scratch& own = scratch[static_cast<std::size_t>(worker)];
      std::vector<double>& values = own.values;
      values.resize(replications * months);
      own.summary.resize(kSummaryRows * months);
      read_series(s, m, values, own.chunk, library);
      summarize_columns(values, run.replications, run.months, own.summary, own.sorted);
      {
        const std::lock_guard lock(library);
        write_existing(group.get(),
                       "summary/" + std::string(model::kMetrics[static_cast<std::size_t>(m)].name),
                       own.summary, path);
      }

      if (m != kLeaversMetric && m != kStartersMetric && m != kPermanentQswMetric) return;
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
    });
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
      summarize_columns(annual[t], run.replications, years, annual_summary, scratch.front().sorted);
      write_existing(group.get(), "annual/summary/" + name, annual_summary, path);
    }
  }

  // ---- comparisons ----------------------------------------------------------

  void write_comparison(const run::Comparison& c, std::optional<double> independent_variance) {
    if (!comparisons) {
      comparisons = create_group(file.get(), "comparisons", "/comparisons");
      write_string_attribute(comparisons->get(), "description",
                             "One group per option: its paired differences from the reference scenario");
    }
    const ScenarioInfo& option = scenarios.at(static_cast<std::size_t>(c.scenario));
    const std::string path = "/comparisons/" + option.name;
    const TableGroup group = create_table_group(
        comparisons->get(), option.name, path,
        "Paired by replication: option minus reference, for every outcome; one value per replication "
        "[replication], or per replication and whole year [replication, year]",
        {Dimension::replication, Dimension::year});
    write_string_attribute(group.get(), "reference_scenario",
                           scenarios.at(static_cast<std::size_t>(c.reference)).name);
    write_double_attribute(group.get(), "cost_per_leaver_avoided", c.cost_per_leaver_avoided);
    write_double_attribute(group.get(), "net_loss_difference_variance", c.net_loss_difference_variance);
    if (independent_variance) {
      write_double_attribute(group.get(), "net_loss_difference_variance_independent", *independent_variance);
      write_double_attribute(group.get(), "variance_ratio_independent_over_paired",
                             c.net_loss_difference_variance > 0
                                 ? *independent_variance / c.net_loss_difference_variance
                                 : std::numeric_limits<double>::quiet_NaN());
    }
    const TableGroup summary_group = create_table_group(
        group.get(), "summary", path + "/summary",
        "Each paired difference's mean and quantiles over replications: [statistic] or [statistic, year]",
        {Dimension::statistic, Dimension::year});
    const TableGroup better_group = create_table_group(
        group.get(), "probability_better", path + "/probability_better",
        "Share of replications in which the option does better than the reference, ties counting half: "
        "one value, or one per year [year]",
        {Dimension::year});

    const auto replications = static_cast<std::size_t>(run.replications);
    for (int o = 0; o < run::kOutcomeCount; ++o) {
      const run::OutcomeInfo& outcome = run::kOutcomes[static_cast<std::size_t>(o)];
      const auto& columns = c.differences[static_cast<std::size_t>(o)];
      const auto& summaries = c.summaries[static_cast<std::size_t>(o)];
      const std::size_t column_count = outcome.per_year() ? static_cast<std::size_t>(years) : 1;
      if (columns.size() != column_count || summaries.size() != column_count) {
        throw std::logic_error(fmt::format("comparison of {}: outcome {} has {} columns, the file expects {}",
                                           option.name, outcome.name, columns.size(), column_count));
      }
      // One value per replication is a vector, one per year a [.., year] table.
      const auto axes = [&](std::vector<Dimension> leading) {
        if (outcome.per_year()) leading.push_back(Dimension::year);
        return leading;
      };
      const std::string name(outcome.name);
      const std::string label = long_name_of(outcome.name);

      std::vector<double> differences(replications * column_count);
      for (std::size_t column = 0; column < column_count; ++column)
        for (std::size_t r = 0; r < replications; ++r)
          differences[r * column_count + column] = columns[column][r];
      const h5::Dataset difference_dataset =
          write_array(group, name, axes({Dimension::replication}), differences);
      describe_table(difference_dataset.get(), label + ", option minus reference", outcome.units,
                     fmt::format("Option minus reference, per replication: {}", outcome.description));
      write_int_attribute(difference_dataset.get(), "lower_is_better", outcome.lower_is_better ? 1 : 0);

      std::vector<double> summary(kSummaryStatistics.size() * column_count);
      std::vector<double> better(column_count);
      for (std::size_t column = 0; column < column_count; ++column) {
        const run::DifferenceSummary& d = summaries[column];
        const std::array<double, kSummaryRows> rows = {d.difference.mean, d.difference.p10, d.difference.p25,
                                                       d.difference.p50,  d.difference.p75, d.difference.p90};
        for (std::size_t row = 0; row < rows.size(); ++row) summary[row * column_count + column] = rows[row];
        better[column] = d.probability_better;
      }
      const h5::Dataset summary_dataset =
          write_array(summary_group, name, axes({Dimension::statistic}), summary);
      describe_summary(summary_dataset.get(), label + ", option minus reference", outcome.units,
                       fmt::format("the option minus the reference: {}", outcome.description));
      const h5::Dataset better_dataset = write_array(better_group, name, axes({}), better);
      describe_table(better_dataset.get(), label + ": probability the option does better", "fraction",
                     fmt::format("Share of replications in which the option does better than the reference "
                                 "(ties count half): {}",
                                 outcome.description));
    }
  }

  // ---- assumptions and their share of the ranges ------------------------------

  void write_assumptions(std::size_t s, const std::vector<ParameterDraws>& draws) {
    const std::string path = scenario_path(s);
    const h5::Group group(
        check(H5Gopen2(file.get(), path.c_str(), H5P_DEFAULT), fmt::format("open {}", path)));
    const TableGroup assumptions =
        create_table_group(group.get(), "assumptions", path + "/assumptions",
                           "The value each uncertain parameter took in each replication: drawn once per "
                           "replication, shared by every scenario that declares the same distribution",
                           {Dimension::replication});
    for (const ParameterDraws& draw : draws) {
      const h5::Dataset dataset = write_array(assumptions, draw.path, {Dimension::replication}, draw.values);
      describe_table(dataset.get(), draw.path, draw.units,
                     fmt::format("Drawn once per replication from {}", draw.distribution));
    }
  }

  void write_uncertainty(std::size_t s, const run::OutcomeTally& with_draws,
                         const run::OutcomeTally& chance) {
    const std::string path = scenario_path(s);
    const h5::Group group(
        check(H5Gopen2(file.get(), path.c_str(), H5P_DEFAULT), fmt::format("open {}", path)));
    const std::string base = path + "/uncertainty";
    const h5::Group uncertainty = create_group(group.get(), "uncertainty", base);
    write_string_attribute(
        uncertainty.get(), "description",
        "How much of each outcome's 80% range (p90 - p10 over replications) comes from the "
        "uncertain assumptions: the width with their draws, the width with chance alone "
        "(every uncertain parameter at its mean, the same random numbers) and "
        "1 - chance alone / with draws");
    const TableGroup all = create_table_group(uncertainty.get(), "width", base + "/width",
                                              "80% width with the assumptions drawn", {Dimension::year});
    const TableGroup alone =
        create_table_group(uncertainty.get(), "width_chance_only", base + "/width_chance_only",
                           "80% width from chance alone", {Dimension::year});
    const TableGroup share = create_table_group(
        uncertainty.get(), "share_from_assumptions", base + "/share_from_assumptions",
        "1 - width_chance_only / width: the share of the 80% width that comes from the assumptions",
        {Dimension::year});
    const int scenario = static_cast<int>(s);
    for (int o = 0; o < run::kOutcomeCount; ++o) {
      const run::OutcomeInfo& outcome = run::kOutcomes[static_cast<std::size_t>(o)];
      const std::vector<Dimension> axes =
          outcome.per_year() ? std::vector<Dimension>{Dimension::year} : std::vector<Dimension>{};
      std::vector<double> width, width_alone, shares;
      for (int column = 0; column < with_draws.columns(o); ++column) {
        const run::Summary a = run::summarise(with_draws.values(scenario, o, column));
        const run::Summary c = run::summarise(chance.values(scenario, o, column));
        width.push_back(a.p90 - a.p10);
        width_alone.push_back(c.p90 - c.p10);
        shares.push_back(run::share_of_width_from_assumptions(width.back(), width_alone.back()));
      }
      const std::string name(outcome.name);
      const std::string label = long_name_of(outcome.name);
      describe_table(write_array(all, name, axes, width).get(), label + ", 80% width", outcome.units,
                     outcome.description);
      describe_table(write_array(alone, name, axes, width_alone).get(), label + ", 80% width from chance",
                     outcome.units, outcome.description);
      describe_table(write_array(share, name, axes, shares).get(),
                     label + ", share of width from assumptions", "fraction", outcome.description);
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
                             std::vector<ScenarioInfo> scenarios, int threads)
    : impl_(std::make_unique<Impl>(std::move(final_path), std::move(run), std::move(scenarios), threads)) {}

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

void RunFileWriter::write_assumptions(int scenario, const std::vector<ParameterDraws>& draws) {
  if (impl_->finished || impl_->failed)
    throw std::logic_error("RunFileWriter::write_assumptions after finish or a failure");
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  try {
    impl_->write_assumptions(static_cast<std::size_t>(scenario), draws);
  } catch (...) {
    impl_->failed = true;
    throw;
  }
}

void RunFileWriter::write_uncertainty(int scenario, const run::OutcomeTally& with_draws,
                                      const run::OutcomeTally& chance_only) {
  if (impl_->finished || impl_->failed)
    throw std::logic_error("RunFileWriter::write_uncertainty after finish or a failure");
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  try {
    impl_->write_uncertainty(static_cast<std::size_t>(scenario), with_draws, chance_only);
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
  for (const run::OutcomeInfo& outcome : run::kOutcomes) outcome_columns += outcome.per_year() ? years : 1;
  const double comparisons = rows * outcome_columns * sizeof(double);
  return series + annual + comparisons;
}

}  // namespace wfsim::output
