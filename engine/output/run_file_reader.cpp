#include "output/run_file_reader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <system_error>
#include <utility>

#include "model/metrics.hpp"
#include "output/file_kinds.hpp"
#include "output/hdf5_file_reader.hpp"
#include "output/hdf5_handle.hpp"
#include "output/run_file.hpp"
#include "output/summary.hpp"
#include "run/comparison.hpp"

namespace wfsim::output {
namespace {

using Object = h5::Handle<H5Oclose>;

constexpr std::array<std::string_view, 4> kAnnualOrder = {"net_loss", "leavers", "starters", "turnover"};

// Position of a name in a preferred order; names not in it sort after, alphabetically.
template <typename Names>
void sort_by_order(std::vector<std::string>& names, const Names& order) {
  const auto rank = [&](const std::string& name) {
    std::size_t k = 0;
    for (const auto& known : order) {
      if (known == name) return k;
      ++k;
    }
    return k;
  };
  std::stable_sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    const std::size_t ra = rank(a), rb = rank(b);
    return ra != rb ? ra < rb : (ra == order.size() && a < b);
  });
}

std::vector<std::string_view> metric_order() {
  std::vector<std::string_view> order;
  for (const auto& metric : model::kMetrics) order.push_back(metric.name);
  return order;
}

std::vector<std::string_view> outcome_order() {
  std::vector<std::string_view> order;
  for (const auto& outcome : run::kOutcomes) order.push_back(outcome.name);
  return order;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t from = 0;
  while (from <= text.size()) {
    const std::size_t comma = text.find(',', from);
    const std::size_t to = comma == std::string_view::npos ? text.size() : comma;
    parts.emplace_back(text.substr(from, to - from));
    if (comma == std::string_view::npos) break;
    from = comma + 1;
  }
  return parts;
}

}  // namespace

// ---- record accessors -------------------------------------------------------

bool NamedRowTable::has_row(std::string_view wanted) const {
  return std::find(rows.begin(), rows.end(), wanted) != rows.end();
}

std::span<const double> NamedRowTable::row(std::string_view wanted) const {
  const auto found = std::find(rows.begin(), rows.end(), wanted);
  if (found == rows.end()) throw std::out_of_range(fmt::format("table {} has no row '{}'", name, wanted));
  const auto index = static_cast<std::size_t>(found - rows.begin());
  return std::span<const double>(values).subspan(index * columns, columns);
}

namespace {
template <typename Table>
const Table& find_named(const std::vector<Table>& tables, std::string_view name, std::string_view where) {
  for (const Table& table : tables)
    if (table.name == name) return table;
  throw std::out_of_range(fmt::format("{} has no table '{}'", where, name));
}
}  // namespace

const NamedRowTable& ScenarioRecord::summary(std::string_view metric) const {
  return find_named(summaries, metric, "scenario " + this->name + " summary");
}
const NamedRowTable& ScenarioRecord::annual_summary(std::string_view table) const {
  return find_named(annual_summaries, table, "scenario " + this->name + " annual summary");
}
const ReplicationTable& ScenarioRecord::annual_table(std::string_view table) const {
  return find_named(annual, table, "scenario " + this->name + " annual");
}
const NamedRowTable& ComparisonRecord::summary(std::string_view outcome) const {
  return find_named(summaries, outcome, "comparison " + option + " summary");
}

const ScenarioRecord& RunRecord::scenario(std::string_view name) const {
  for (const ScenarioRecord& s : scenarios)
    if (s.name == name) return s;
  throw std::out_of_range(fmt::format("run file {} has no scenario '{}'", path.string(), name));
}

const ScenarioRecord& RunRecord::reference() const {
  for (const ScenarioRecord& s : scenarios)
    if (s.reference) return s;
  return scenarios.at(0);
}

const ComparisonRecord* RunRecord::comparison(std::string_view option) const {
  for (const ComparisonRecord& c : comparisons)
    if (c.option == option) return &c;
  return nullptr;
}

// ---- reading ------------------------------------------------------------------

struct RunFileReader::Impl : h5::FileReader {
  RunRecord run;

  explicit Impl(const std::filesystem::path& path) : h5::FileReader(kRunFile, path) {
    run.path = path;
    if (const std::string why = open(); !why.empty())
      throw RunFileInputError(fmt::format("run file '{}' {}", path.string(), why));
    run.file_format_version = kRunFile.file_format_version;
    read_root();
    for (const std::string& name : run.scenario_names) run.scenarios.push_back(read_scenario(name));
    read_comparisons();
  }

  // The tables of a group: its datasets, not its subgroups (such as
  // annual/summary) nor its dimension scales (replication, month, ...).
  std::vector<std::string> dataset_members(hid_t group, const std::string& where) const {
    std::vector<std::string> datasets;
    for (const std::string& name : members(group, where)) {
      const Object object(
          check(H5Oopen(group, name.c_str(), H5P_DEFAULT), fmt::format("open {}/{}", where, name)));
      if (H5Iget_type(object.get()) != H5I_DATASET) continue;
      const htri_t scale = H5DSis_scale(object.get());
      check(static_cast<herr_t>(scale), fmt::format("check whether {}/{} is a dimension scale", where, name));
      if (scale == 0) datasets.push_back(name);
    }
    return datasets;
  }

  // A [rows, columns] table, or a [rows] vector read as one column.
  NamedRowTable read_named_rows(hid_t group, const std::string& name, const std::string& where) const {
    const h5::Dataset dataset = open_dataset(group, name, where);
    auto dims = shape_of(dataset.get(), where);
    if (dims.size() == 1) dims.push_back(1);
    if (dims.size() != 2) fail(fmt::format("{} is neither a vector nor a two-dimensional table", where));
    NamedRowTable table;
    table.name = name;
    table.units = optional_string_attribute(dataset.get(), "units");
    table.description = optional_string_attribute(dataset.get(), "description");
    if (!has_attribute(dataset.get(), "rows")) fail(fmt::format("{} has no attribute rows", where));
    table.rows = split_commas(read_string_attribute(dataset.get(), "rows"));
    if (table.rows.size() != dims[0]) {
      fail(fmt::format("{} has {} rows but its attribute rows names {}", where, dims[0], table.rows.size()));
    }
    table.columns = static_cast<std::size_t>(dims[1]);
    table.values = read_doubles(dataset.get(), table.rows.size() * table.columns, where);
    return table;
  }

  ReplicationTable read_replications(hid_t group, const std::string& name, const std::string& where) const {
    const h5::Dataset dataset = open_dataset(group, name, where);
    const auto dims = shape_of(dataset.get(), where);
    if (dims.size() != 2) fail(fmt::format("{} is not a two-dimensional table", where));
    ReplicationTable table;
    table.name = name;
    table.units = optional_string_attribute(dataset.get(), "units");
    table.description = optional_string_attribute(dataset.get(), "description");
    table.replications = static_cast<std::size_t>(dims[0]);
    table.columns = static_cast<std::size_t>(dims[1]);
    table.values = read_doubles(dataset.get(), table.replications * table.columns, where);
    return table;
  }

  // ---- the run ------------------------------------------------------------------

  void read_root() {
    const hid_t root = file.get();
    run.filetype = read_string_attribute(root, "filetype");
    run.wfsim_version = optional_string_attribute(root, "wfsim_version");
    run.created_utc = optional_string_attribute(root, "created_utc");
    run.seed = read_scalar_attribute<std::uint64_t>(root, "seed", H5T_NATIVE_UINT64);
    run.replications = read_int_attribute(root, "replications");
    run.month_count = read_int_attribute(root, "months");
    run.start_month = optional_string_attribute(root, "start_month");
    run.scenario_names = read_string_array_attribute(root, "scenario_names");
    if (has_attribute(root, "input_files"))
      run.input_files = read_string_array_attribute(root, "input_files");
    run.command_line = optional_string_attribute(root, "command_line");
    run.independent_streams = optional_flag_attribute(root, "independent_streams", false);
    run.months = read_string_dataset(root, "months", "/months");
    run.years = read_string_dataset(root, "years", "/years");
    if (run.months.size() != static_cast<std::size_t>(run.month_count)) {
      fail(fmt::format("/months holds {} labels but the attribute months is {}", run.months.size(),
                       run.month_count));
    }
    if (run.scenario_names.empty()) fail("the attribute scenario_names lists no scenario");
  }

  ScenarioRecord read_scenario(const std::string& name) const {
    const std::string path = "/scenarios/" + name;
    const h5::Group group = open_group(file.get(), path, path);
    ScenarioRecord s;
    s.name = name;
    s.description = optional_string_attribute(group.get(), "description");
    s.config_yaml = optional_string_attribute(group.get(), "config_yaml");
    s.reference = optional_flag_attribute(group.get(), "reference", false);

    static const auto metrics = metric_order();
    if (has_link(group.get(), "series")) {
      const h5::Group series = open_group(group.get(), "series", path + "/series");
      s.series_metrics = dataset_members(series.get(), path + "/series");
      sort_by_order(s.series_metrics, metrics);
      if (has_link(series.get(), "permanent_qsw")) {
        const h5::Dataset qsw = open_dataset(series.get(), "permanent_qsw", path + "/series/permanent_qsw");
        if (has_attribute(qsw.get(), "initial"))
          s.initial_permanent_qsw = read_double_attribute(qsw.get(), "initial");
      }
    }

    if (has_link(group.get(), "assumptions")) {
      const h5::Group drawn = open_group(group.get(), "assumptions", path + "/assumptions");
      s.uncertain_parameters = static_cast<int>(dataset_members(drawn.get(), path + "/assumptions").size());
    }
    if (has_link(group.get(), "uncertainty")) {
      const h5::Group uncertainty = open_group(group.get(), "uncertainty", path + "/uncertainty");
      const std::string shares_path = path + "/uncertainty/share_from_assumptions";
      const bool has_shares = has_link(uncertainty.get(), "share_from_assumptions");
      const h5::Group shares =
          has_shares ? open_group(uncertainty.get(), "share_from_assumptions", shares_path) : h5::Group();
      if (has_shares && has_link(shares.get(), "net_loss_total")) {
        const std::string where = shares_path + "/net_loss_total";
        const h5::Dataset dataset = open_dataset(shares.get(), "net_loss_total", where);
        const auto dims = shape_of(dataset.get(), where);
        if (!(dims.empty() || (dims.size() == 1 && dims[0] == 1)))
          fail(fmt::format("{} should hold one value", where));
        s.net_loss_total_share_from_assumptions = read_doubles(dataset.get(), 1, where).front();
      }
    }

    const h5::Group summary = open_group(group.get(), "summary", path + "/summary");
    std::vector<std::string> names = dataset_members(summary.get(), path + "/summary");
    sort_by_order(names, metrics);
    for (const std::string& metric : names)
      s.summaries.push_back(read_named_rows(summary.get(), metric, path + "/summary/" + metric));

    const h5::Group annual = open_group(group.get(), "annual", path + "/annual");
    names = dataset_members(annual.get(), path + "/annual");
    sort_by_order(names, kAnnualOrder);
    for (const std::string& table : names)
      s.annual.push_back(read_replications(annual.get(), table, path + "/annual/" + table));
    const h5::Group annual_summary = open_group(annual.get(), "summary", path + "/annual/summary");
    names = dataset_members(annual_summary.get(), path + "/annual/summary");
    sort_by_order(names, kAnnualOrder);
    for (const std::string& table : names) {
      s.annual_summaries.push_back(
          read_named_rows(annual_summary.get(), table, path + "/annual/summary/" + table));
    }
    return s;
  }

  void read_comparisons() {
    if (!has_link(file.get(), "comparisons")) return;
    const h5::Group all = open_group(file.get(), "comparisons", "/comparisons");
    std::vector<std::string> options = members(all.get(), "/comparisons");
    sort_by_order(options, run.scenario_names);
    static const auto outcomes = outcome_order();
    for (const std::string& option : options) {
      const std::string path = "/comparisons/" + option;
      const h5::Group group = open_group(all.get(), option, path);
      ComparisonRecord c;
      c.option = option;
      c.reference = optional_string_attribute(group.get(), "reference_scenario");
      c.description = optional_string_attribute(group.get(), "description");
      constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
      c.cost_per_leaver_avoided = optional_double_attribute(group.get(), "cost_per_leaver_avoided", kMissing);
      c.net_loss_difference_variance =
          optional_double_attribute(group.get(), "net_loss_difference_variance", kMissing);
      if (has_attribute(group.get(), "net_loss_difference_variance_independent")) {
        c.net_loss_difference_variance_independent =
            read_double_attribute(group.get(), "net_loss_difference_variance_independent");
      }
      const h5::Group summary = open_group(group.get(), "summary", path + "/summary");
      const h5::Group better = open_group(group.get(), "probability_better", path + "/probability_better");
      std::vector<std::string> names = dataset_members(summary.get(), path + "/summary");
      sort_by_order(names, outcomes);
      for (const std::string& outcome : names) {
        c.summaries.push_back(read_named_rows(summary.get(), outcome, path + "/summary/" + outcome));
        append_probability_better(better.get(), path + "/probability_better/" + outcome, c.summaries.back());
        bool lower = true;
        if (has_link(group.get(), outcome)) {
          const h5::Dataset differences = open_dataset(group.get(), outcome, path + "/" + outcome);
          lower = optional_flag_attribute(differences.get(), "lower_is_better", true);
        }
        c.lower_is_better.push_back(lower);
      }
      run.comparisons.push_back(std::move(c));
    }
  }

  // probability_better/<outcome> (one value, or one per column) as the summary's last row.
  void append_probability_better(hid_t group, const std::string& where, NamedRowTable& summary) const {
    if (!has_link(group, summary.name)) return;
    const h5::Dataset dataset = open_dataset(group, summary.name, where);
    const auto dims = shape_of(dataset.get(), where);
    const std::size_t count = dims.empty() ? 1 : static_cast<std::size_t>(dims[0]);
    if (dims.size() > 1 || count != summary.columns) {
      fail(
          fmt::format("{} holds {} values for the {} columns of its summary", where, count, summary.columns));
    }
    const std::vector<double> values = read_doubles(dataset.get(), count, where);
    summary.rows.emplace_back("probability_better");
    summary.values.insert(summary.values.end(), values.begin(), values.end());
  }

  std::vector<double> read_series(std::string_view scenario, std::string_view metric) const {
    const std::string where = fmt::format("/scenarios/{}/series/{}", scenario, metric);
    if (H5Lexists(file.get(), fmt::format("/scenarios/{}", scenario).c_str(), H5P_DEFAULT) <= 0 ||
        H5Lexists(file.get(), fmt::format("/scenarios/{}/series", scenario).c_str(), H5P_DEFAULT) <= 0 ||
        H5Lexists(file.get(), where.c_str(), H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      throw std::out_of_range(fmt::format("run file '{}' has no dataset {}", run.path.string(), where));
    }
    const h5::Dataset dataset = open_dataset(file.get(), where, where);
    const auto dims = shape_of(dataset.get(), where);
    if (dims.size() != 2) fail(fmt::format("{} is not a two-dimensional table", where));
    return read_doubles(dataset.get(), static_cast<std::size_t>(dims[0] * dims[1]), where);
  }
};

RunFileReader::RunFileReader(const std::filesystem::path& path) : impl_(std::make_unique<Impl>(path)) {}
RunFileReader::~RunFileReader() = default;

const RunRecord& RunFileReader::run() const {
  return impl_->run;
}

std::vector<double> RunFileReader::read_series(std::string_view scenario, std::string_view metric) const {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  return impl_->read_series(scenario, metric);
}

namespace {

// The first disagreement between a run file's parts, or empty.
class RunFileCheck {
 public:
  explicit RunFileCheck(const RunRecord& run)
      : run_(run), years_(static_cast<std::size_t>(run.month_count / 12)) {}

  std::string problem() {
    if (run_.replications < 1) return fmt::format("its attribute replications is {}", run_.replications);
    if (run_.month_count < 1) return fmt::format("its attribute months is {}", run_.month_count);
    if (run_.years.size() != years_) {
      return fmt::format("/years holds {} labels, but {} months make {} whole years", run_.years.size(),
                         run_.month_count, years_);
    }
    if (run_.scenarios.size() != run_.scenario_names.size())
      return "its scenarios do not match the attribute scenario_names";
    const auto references = std::count_if(run_.scenarios.begin(), run_.scenarios.end(),
                                          [](const ScenarioRecord& s) { return s.reference; });
    if (references != 1) return fmt::format("{} scenarios are marked reference = 1, not one", references);
    for (const ScenarioRecord& scenario : run_.scenarios) {
      if (std::string why = scenario_problem(scenario); !why.empty()) return why;
    }
    if (run_.comparisons.size() + 1 != run_.scenarios.size()) {
      return fmt::format("it holds {} comparisons for {} options against the reference",
                         run_.comparisons.size(), run_.scenarios.size() - 1);
    }
    for (const ComparisonRecord& comparison : run_.comparisons) {
      if (std::string why = comparison_problem(comparison); !why.empty()) return why;
    }
    return "";
  }

 private:
  template <typename Tables>
  static std::vector<std::string> names_of(const Tables& tables) {
    std::vector<std::string> names;
    for (const auto& table : tables) names.push_back(table.name);
    return names;
  }

  template <typename Expected>
  static std::string missing(const std::vector<std::string>& names, const Expected& expected,
                             std::string_view where) {
    for (const auto& name : expected) {
      if (std::find(names.begin(), names.end(), name) == names.end())
        return fmt::format("{} has no {}", where, name);
    }
    return "";
  }

  static std::string infinite_in(std::span<const double> values, std::string_view where) {
    const auto found = std::find_if(values.begin(), values.end(), [](double v) { return std::isinf(v); });
    if (found == values.end()) return "";
    return fmt::format("{} holds an infinity, which wfsim never writes", where);
  }

  std::string rows_problem(const NamedRowTable& table, std::string_view rows, std::size_t columns,
                           const std::string& where) const {
    if (fmt::format("{}", fmt::join(table.rows, ",")) != rows)
      return fmt::format("{} names its rows \"{}\", not \"{}\"", where, fmt::join(table.rows, ","), rows);
    if (table.columns != columns)
      return fmt::format("{} has {} columns, not {}", where, table.columns, columns);
    return infinite_in(table.values, where);
  }

  std::string scenario_problem(const ScenarioRecord& s) const {
    const std::string path = "/scenarios/" + s.name;
    static const std::vector<std::string_view> metrics = [] {
      std::vector<std::string_view> names;
      for (const auto& metric : model::kMetrics) names.push_back(metric.name);
      return names;
    }();
    if (std::string why = missing(s.series_metrics, metrics, path + "/series"); !why.empty()) return why;
    if (std::string why = missing(names_of(s.summaries), metrics, path + "/summary"); !why.empty())
      return why;
    if (std::string why = missing(names_of(s.annual), kAnnualOrder, path + "/annual"); !why.empty())
      return why;
    if (std::string why = missing(names_of(s.annual_summaries), kAnnualOrder, path + "/annual/summary");
        !why.empty())
      return why;
    if (!s.initial_permanent_qsw)
      return fmt::format("{}/series/permanent_qsw has no attribute initial", path);
    const auto months = static_cast<std::size_t>(run_.month_count);
    for (const NamedRowTable& table : s.summaries) {
      if (std::string why = rows_problem(table, summary_rows_, months, path + "/summary/" + table.name);
          !why.empty())
        return why;
    }
    for (const ReplicationTable& table : s.annual) {
      const std::string where = path + "/annual/" + table.name;
      if (table.replications != static_cast<std::size_t>(run_.replications) || table.columns != years_) {
        return fmt::format("{} is [{}, {}], but the run has {} replications and {} years", where,
                           table.replications, table.columns, run_.replications, years_);
      }
      if (std::string why = infinite_in(table.values, where); !why.empty()) return why;
    }
    for (const NamedRowTable& table : s.annual_summaries) {
      const std::string where = path + "/annual/summary/" + table.name;
      if (std::string why = rows_problem(table, summary_rows_, years_, where); !why.empty()) return why;
    }
    return "";
  }

  std::string comparison_problem(const ComparisonRecord& c) const {
    const std::string path = "/comparisons/" + c.option;
    const ScenarioRecord& reference = run_.reference();
    if (std::find(run_.scenario_names.begin(), run_.scenario_names.end(), c.option) ==
            run_.scenario_names.end() ||
        c.option == reference.name) {
      return fmt::format("{} compares no option of the run", path);
    }
    if (c.reference != reference.name)
      return fmt::format("{} is against '{}', not the reference '{}'", path, c.reference, reference.name);
    static const auto outcomes = outcome_order();
    if (std::string why = missing(names_of(c.summaries), outcomes, path + "/summary"); !why.empty())
      return why;
    const std::string rows = summary_rows_ + ",probability_better";
    for (const NamedRowTable& table : c.summaries) {
      const auto outcome = std::find_if(run::kOutcomes.begin(), run::kOutcomes.end(),
                                        [&](const run::OutcomeInfo& o) { return o.name == table.name; });
      if (outcome == run::kOutcomes.end()) continue;
      const std::size_t columns = outcome->per_year() ? years_ : 1;
      if (std::string why = rows_problem(table, rows, columns, path + "/summary/" + table.name); !why.empty())
        return why;
    }
    return "";
  }

  const RunRecord& run_;
  std::size_t years_;
  const std::string summary_rows_ = fmt::format("{}", fmt::join(kSummaryStatistics, ","));
};

}  // namespace

void RunFileReader::verify() const {
  const RunRecord& run = impl_->run;
  const auto refuse = [&](const std::string& why) {
    throw RunFileInputError(fmt::format("run file '{}' is damaged or inconsistent: {}; {}", run.path.string(),
                                        why, kRunFile.redo));
  };
  if (const std::string why = RunFileCheck(run).problem(); !why.empty()) refuse(why);
  const std::size_t values =
      static_cast<std::size_t>(run.replications) * static_cast<std::size_t>(run.month_count);
  for (const ScenarioRecord& scenario : run.scenarios) {
    for (const auto& metric : model::kMetrics) {
      const std::string where = fmt::format("/scenarios/{}/series/{}", scenario.name, metric.name);
      std::vector<double> series;
      try {
        series = read_series(scenario.name, metric.name);
      } catch (const std::runtime_error& error) {
        refuse(error.what());
      }
      if (series.size() != values) {
        refuse(fmt::format("{} holds {} values, but the run has {} replications x {} months", where,
                           series.size(), run.replications, run.month_count));
      }
      if (std::any_of(series.begin(), series.end(), [](double v) { return std::isinf(v); }))
        refuse(fmt::format("{} holds an infinity, which wfsim never writes", where));
    }
  }
}

}  // namespace wfsim::output
