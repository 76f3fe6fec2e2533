#include "output/run_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <limits>
#include <set>
#include <span>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

#include "model/metrics.hpp"
#include "output/hdf5_handle.hpp"
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
constexpr unsigned kDeflateLevel = 4;

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

struct YearMonth {
  int year = 0;
  int month = 1;  // 1..12
};

std::string month_label(YearMonth start, int offset) {
  const int index = start.year * 12 + (start.month - 1) + offset;
  return fmt::format("{:04d}-{:02d}", index / 12, index % 12 + 1);
}

// The HDF5 error stack as "outermost: innermost" (the API call and its cause), then cleared.
std::string hdf5_error_detail() {
  std::vector<std::string> messages;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned, const H5E_error2_t* error, void* data) -> herr_t {
        if (error->desc != nullptr && *error->desc != '\0') {
          static_cast<std::vector<std::string>*>(data)->emplace_back(error->desc);
        }
        return 0;
      },
      &messages);
  H5Eclear2(H5E_DEFAULT);
  if (messages.empty()) return "no detail from the HDF5 library";
  if (messages.size() == 1) return messages.front();
  return messages.front() + ": " + messages.back();
}

// Removes the temporary file on destruction once created, unless released.
// Declared before the HDF5 handles in Impl so that it runs after they are closed.
class TemporaryFile {
 public:
  explicit TemporaryFile(std::filesystem::path path) : path_(std::move(path)) {}
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (owned_) {
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);
    }
  }
  void created() { owned_ = true; }  // from now on the file is ours to delete
  void release() { owned_ = false; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool owned_ = false;
};

std::filesystem::path temporary_path_for(const std::filesystem::path& final_path) {
  std::filesystem::path temporary = final_path;
  temporary += fmt::format(".partial-{}", static_cast<long>(::getpid()));
  return temporary;
}

// Checks everything that can be checked before touching the disk; returns the parsed start month.
YearMonth validate(const std::filesystem::path& final_path, const RunInfo& run,
                   const std::vector<ScenarioInfo>& scenarios) {
  const auto fail = [&](const std::string& message) {
    throw std::runtime_error(fmt::format("cannot write run file '{}': {}", final_path.string(), message));
  };
  if (final_path.filename().empty()) fail("the path names no file");
  const std::filesystem::path directory = final_path.has_parent_path() ? final_path.parent_path() : ".";
  std::error_code ignored;
  if (!std::filesystem::is_directory(directory, ignored)) {
    fail(fmt::format("output directory '{}' does not exist", directory.string()));
  }
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

struct RunFileWriter::Impl {
  std::filesystem::path final_path;
  RunInfo run;
  std::vector<ScenarioInfo> scenarios;
  YearMonth start;  // validated before any file is created
  int years = 0;
  int chunk_rows = 0;
  int next_replication = 0;
  bool finished = false;
  bool failed = false;
  // Destroyed in reverse order: datasets, then the file, then the temporary file's removal.
  TemporaryFile temporary;
  h5::File file;
  std::vector<h5::Dataset> series;       // [scenario * kMetricCount + metric]
  std::optional<h5::Group> comparisons;  // created with the first comparison

  Impl(std::filesystem::path final, RunInfo run_info, std::vector<ScenarioInfo> scenario_infos)
      : final_path(std::move(final)),
        run(std::move(run_info)),
        scenarios(std::move(scenario_infos)),
        start(validate(final_path, run, scenarios)),
        years(run.months / kMonthsPerYear),
        chunk_rows(series_chunk_rows(run.replications, run.months)),
        temporary(temporary_path_for(final_path)) {
    create_file();
  }

  // ---- error handling -------------------------------------------------------

  [[noreturn]] void fail(std::string_view what) const {
    throw std::runtime_error(fmt::format("cannot write run file '{}' (temporary '{}'): could not {}: {}",
                                         final_path.string(), temporary.path().string(), what,
                                         hdf5_error_detail()));
  }
  hid_t check(hid_t id, std::string_view what) const {
    if (id < 0) fail(what);
    return id;
  }
  void check(herr_t status, std::string_view what) const {
    if (status < 0) fail(what);
  }

  // ---- small HDF5 helpers ---------------------------------------------------

  h5::Datatype string_type() const {
    h5::Datatype type(check(H5Tcopy(H5T_C_S1), "copy the string type"));
    check(H5Tset_size(type.get(), H5T_VARIABLE), "make the string type variable-length");
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "set the string type to UTF-8");
    return type;
  }

  h5::Group create_group(hid_t parent, const std::string& name, std::string_view where) const {
    return h5::Group(check(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                           fmt::format("create group {}", where)));
  }

  template <typename T>
  void write_scalar_attribute(hid_t object, const char* name, hid_t type, const T& value) const {
    h5::Dataspace space(check(H5Screate(H5S_SCALAR), "create a scalar dataspace"));
    h5::Attribute attribute(check(H5Acreate2(object, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                                  fmt::format("create attribute {}", name)));
    check(H5Awrite(attribute.get(), type, &value), fmt::format("write attribute {}", name));
  }
  void write_int_attribute(hid_t object, const char* name, int value) const {
    write_scalar_attribute(object, name, H5T_NATIVE_INT, value);
  }
  void write_double_attribute(hid_t object, const char* name, double value) const {
    write_scalar_attribute(object, name, H5T_NATIVE_DOUBLE, value);
  }
  void write_string_attribute(hid_t object, const char* name, std::string_view value) const {
    const std::string text(value);
    const char* pointer = text.c_str();
    const h5::Datatype type = string_type();
    write_scalar_attribute(object, name, type.get(), pointer);
  }
  void write_string_array_attribute(hid_t object, const char* name,
                                    const std::vector<std::string>& values) const {
    std::vector<const char*> pointers;
    for (const std::string& value : values) pointers.push_back(value.c_str());
    const hsize_t size = pointers.size();
    const h5::Datatype type = string_type();
    h5::Dataspace space(check(H5Screate_simple(1, &size, nullptr), "create a dataspace"));
    h5::Attribute attribute(check(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                                  fmt::format("create attribute {}", name)));
    if (!pointers.empty()) {
      check(H5Awrite(attribute.get(), type.get(), pointers.data()), fmt::format("write attribute {}", name));
    }
  }

  void write_string_dataset(hid_t parent, const char* name, const std::vector<std::string>& values) const {
    std::vector<const char*> pointers;
    for (const std::string& value : values) pointers.push_back(value.c_str());
    const hsize_t size = pointers.size();
    const h5::Datatype type = string_type();
    h5::Dataspace space(check(H5Screate_simple(1, &size, nullptr), "create a dataspace"));
    h5::Dataset dataset(
        check(H5Dcreate2(parent, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
              fmt::format("create dataset /{}", name)));
    if (!pointers.empty()) {
      check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
            fmt::format("write dataset /{}", name));
    }
  }

  // float64 [rows, columns]; chunked and compressed when chunk_rows > 0 and the table is not empty.
  h5::Dataset create_table(hid_t parent, const char* name, hsize_t rows, hsize_t columns,
                           int table_chunk_rows, hid_t access, std::string_view where) const {
    const std::array<hsize_t, 2> dims = {rows, columns};
    h5::Dataspace space(check(H5Screate_simple(2, dims.data(), nullptr), "create a dataspace"));
    h5::PropertyList creation(check(H5Pcreate(H5P_DATASET_CREATE), "create dataset properties"));
    if (table_chunk_rows > 0 && rows > 0 && columns > 0) {
      const std::array<hsize_t, 2> chunk = {static_cast<hsize_t>(table_chunk_rows), columns};
      check(H5Pset_chunk(creation.get(), 2, chunk.data()), fmt::format("set chunking of {}", where));
      check(H5Pset_shuffle(creation.get()), fmt::format("set the shuffle filter of {}", where));
      check(H5Pset_deflate(creation.get(), kDeflateLevel), fmt::format("set compression of {}", where));
    }
    // Rows never written read as NaN, not as a plausible zero.
    const double fill = std::numeric_limits<double>::quiet_NaN();
    check(H5Pset_fill_value(creation.get(), H5T_NATIVE_DOUBLE, &fill),
          fmt::format("set the fill of {}", where));
    return h5::Dataset(
        check(H5Dcreate2(parent, name, H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, creation.get(), access),
              fmt::format("create dataset {}", where)));
  }

  void write_table(hid_t dataset, std::span<const double> values, std::string_view where) const {
    check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          fmt::format("write dataset {}", where));
  }

  void describe(hid_t dataset, std::string_view units, std::string_view description) const {
    write_string_attribute(dataset, "units", units);
    write_string_attribute(dataset, "description", description);
  }
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

  void create_file() {
    // Failures are reported by exceptions with the error stack's text, not printed.
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    h5::PropertyList access(check(H5Pcreate(H5P_FILE_ACCESS), "create file access properties"));
    // Closing must fail, not silently defer, if an object were still open:
    // the rename that follows relies on the file being flushed and closed.
    check(H5Pset_fclose_degree(access.get(), H5F_CLOSE_SEMI), "set the file close degree");
#if H5_VERSION_GE(1, 10, 7)
    // Work on filesystems without locking (some network mounts) instead of failing.
    check(H5Pset_file_locking(access.get(), true, true), "set file locking");
#endif
    file = h5::File(check(H5Fcreate(temporary.path().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()),
                          "create the temporary file"));
    temporary.created();
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

    write_int_attribute(file.get(), "complete", 1);
    check(file.close(), "close the temporary file");
    sync_to_disk(temporary.path());
    std::error_code error;
    std::filesystem::rename(temporary.path(), final_path, error);
    if (error) {
      throw std::runtime_error(fmt::format("cannot rename '{}' to run file '{}': {}",
                                           temporary.path().string(), final_path.string(), error.message()));
    }
    temporary.release();
  }

  // Makes the data durable before the rename publishes it.
  void sync_to_disk(const std::filesystem::path& path) const {
    const int descriptor = ::open(path.c_str(), O_RDONLY);
    if (descriptor < 0 || ::fsync(descriptor) != 0) {
      const std::error_code error(errno, std::generic_category());
      if (descriptor >= 0) ::close(descriptor);
      throw std::runtime_error(fmt::format("cannot flush run file '{}' (temporary '{}') to disk: {}",
                                           final_path.string(), path.string(), error.message()));
    }
    ::close(descriptor);
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
      annual[kTurnover][at] = annual[kLeavers][at] / end_of_year_qsw[at];
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
                             *independent_variance / c.net_loss_difference_variance);
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

}  // namespace wfsim::output
