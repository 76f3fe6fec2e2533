// The run file writer: layout, exact values, summaries, annual tables,
// comparisons, dimension scales and the complete-or-absent guarantee, read
// back with the HDF5 C API.
#include <gtest/gtest.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "dataset_checksums.hpp"
#include "hdf5_read.hpp"
#include "model/metrics.hpp"
#include "output/hdf5_handle.hpp"
#include "output/run_file.hpp"
#include "output/run_file_reader.hpp"
#include "output/summary.hpp"
#include "run/comparison.hpp"
#include "run/results.hpp"
#include "run/statistics.hpp"

namespace wfsim::output {
namespace {

namespace fs = std::filesystem;
using namespace wfsim::test_h5;
using ValueFunction = std::function<double(int scenario, int metric, int replication, int month)>;

constexpr int kLeavers = model::index_of(model::Metric::leavers);
constexpr int kStarters = model::index_of(model::Metric::starters);
constexpr int kPermanentQsw = model::index_of(model::Metric::permanent_qsw);

h5::Dataset open_dataset(hid_t file, const std::string& path) {
  return h5::Dataset(must(H5Dopen2(file, path.c_str(), H5P_DEFAULT), "open dataset " + path));
}

h5::File open_file(const fs::path& path) {
  return h5::File(must(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open file " + path.string()));
}

// ---- writing helpers ---------------------------------------------------------

RunInfo make_run(int replications, int months) {
  RunInfo run;
  run.wfsim_version = "0.1.0-test";
  run.created_utc = "2026-11-26T21:31:40Z";
  run.seed = 0xFEDCBA9876543210ULL;  // beyond int64: checks the unsigned type
  run.replications = replications;
  run.months = months;
  run.start_month = "2015-11";
  run.input_files = {"scenarios/baseline.yaml", "scenarios/bonus.yaml"};
  run.command_line = "wfsim run scenarios/baseline.yaml scenarios/bonus.yaml";
  run.independent_streams = false;
  return run;
}

std::vector<ScenarioInfo> make_scenarios(int count) {
  std::vector<ScenarioInfo> scenarios;
  for (int s = 0; s < count; ++s) {
    ScenarioInfo info;
    info.name = s == 0 ? "baseline" : "option_" + std::to_string(s);
    info.description = "Scenario number " + std::to_string(s);
    info.config_yaml = "name: " + info.name + "\nmonths: 36\n";
    info.reference = s == 0;
    info.initial_permanent_qsw = 150.0 + s;
    scenarios.push_back(info);
  }
  return scenarios;
}

// Every block also goes to `tally`, if given, for comparisons, and through
// `prepare`, if given, before it is written.
void write_blocks(RunFileWriter& writer, int scenarios, int months, const std::vector<int>& block_sizes,
                  const ValueFunction& value, run::OutcomeTally* tally = nullptr,
                  const std::function<void(run::ResultBlock&)>& prepare = {}) {
  run::ResultBlock block;
  int first = 0;
  for (const int size : block_sizes) {
    block.reset(first, size, scenarios, months);
    for (int s = 0; s < scenarios; ++s) {
      for (int m = 0; m < model::kMetricCount; ++m) {
        for (int r = 0; r < size; ++r) {
          for (int t = 0; t < months; ++t) block.at(s, m, r, t) = value(s, m, first + r, t);
        }
      }
    }
    if (prepare) prepare(block);
    writer.write_block(block);
    if (tally != nullptr) tally->add(block);
    first += size;
  }
}

// The shape of a test's run file; its replications arrive in blocks of `blocks` sizes.
struct RunShape {
  int replications = 0;
  int months = 0;
  int scenarios = 0;
  std::vector<int> blocks;
};

// A finished run file at `path` of `shape` holding `value`.
void write_run_file(const fs::path& path, const RunShape& shape, const ValueFunction& value) {
  RunFileWriter writer(path, make_run(shape.replications, shape.months), make_scenarios(shape.scenarios));
  write_blocks(writer, shape.scenarios, shape.months, shape.blocks, value);
  writer.finish();
}

// Distinct for every (scenario, metric, replication, month) and exact in binary.
double distinct_value(int scenario, int metric, int replication, int month) {
  return 100000.0 * scenario + 1000.0 * metric + 0.25 * month + replication;
}

std::vector<fs::path> directory_entries(const fs::path& directory) {
  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(directory)) entries.push_back(entry.path());
  return entries;
}

class RunFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        fs::temp_directory_path() / ("wfsim_test_run_file_" + std::to_string(::getpid()) + "_" +
                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  fs::path directory_;
};

// ---- statistics --------------------------------------------------------------

TEST(RunFileSummary, QuantilesInterpolateLinearlyLikeNumpy) {
  // One column, ten replications holding 0..9 out of order.
  const std::vector<double> values = {3, 7, 0, 9, 4, 1, 8, 2, 6, 5};
  std::vector<double> summary(kSummaryRows);
  std::vector<double> scratch;
  summarize_columns(values, 10, 1, summary, scratch);
  const std::vector<double> expected = {4.5, 0.9, 2.25, 4.5, 6.75, 8.1};  // numpy.quantile(range(10), ...)
  for (int row = 0; row < kSummaryRows; ++row) EXPECT_DOUBLE_EQ(summary[row], expected[row]) << "row " << row;
  summarize_columns(std::vector<double>{7.0}, 1, 1, summary, scratch);
  for (int row = 0; row < kSummaryRows; ++row) EXPECT_DOUBLE_EQ(summary[row], 7.0) << "row " << row;
}

// Selection in place of a sort must give the sort's quantiles exactly, ties
// and all, for any length and any ascending set of probabilities.
TEST(RunFileSummary, SelectedQuantilesAreTheSortedOnesExactly) {
  std::mt19937_64 random(17);
  const std::vector<std::vector<double>> probability_sets = {
      {0.10, 0.25, 0.50, 0.75, 0.90}, {0.0, 1.0}, {0.5}, {0.0, 0.01, 0.99, 1.0}};
  for (int size = 1; size <= 60; ++size) {
    for (const auto& probabilities : probability_sets) {
      std::vector<double> values(static_cast<std::size_t>(size));
      for (double& v : values) v = static_cast<double>(random() % 7) + (random() % 2 ? 0.5 : 0.0);
      std::vector<double> sorted = values;
      std::sort(sorted.begin(), sorted.end());
      run::select_for_quantiles(values, probabilities);
      for (const double p : probabilities)
        EXPECT_EQ(run::quantile_sorted(values, p), run::quantile_sorted(sorted, p)) << size << " at " << p;
    }
  }
}

TEST(RunFileSummary, MissingValuesAreLeftOut) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Two columns, four replications: column 0 has one NaN, column 1 is all NaN.
  const std::vector<double> values = {1, nan, nan, nan, 3, nan, 5, nan};
  std::vector<double> summary(kSummaryRows * 2);
  std::vector<double> scratch;
  summarize_columns(values, 4, 2, summary, scratch);
  EXPECT_DOUBLE_EQ(summary[0 * 2], 3.0);  // mean of 1, 3, 5
  EXPECT_DOUBLE_EQ(summary[3 * 2], 3.0);  // p50
  EXPECT_DOUBLE_EQ(summary[1 * 2], 1.4);  // p10
  for (int row = 0; row < kSummaryRows; ++row) EXPECT_TRUE(std::isnan(summary[row * 2 + 1]));
}

// ---- the file ----------------------------------------------------------------

TEST_F(RunFileTest, EveryMetricIsStoredExactlyWithUnitsAndDescription) {
  const int replications = 300;  // more than one chunk of rows
  const int months = 30;
  const int scenario_count = 2;
  const fs::path final_path = directory_ / "run.h5";
  write_run_file(final_path,
                 {.replications = replications,
                  .months = months,
                  .scenarios = scenario_count,
                  .blocks = {1, 100, 157, 42}},
                 distinct_value);
  const h5::File file = open_file(final_path);
  const auto scenarios = make_scenarios(scenario_count);
  for (int s = 0; s < scenario_count; ++s) {
    for (int m = 0; m < model::kMetricCount; ++m) {
      const auto& metric = model::kMetrics[static_cast<std::size_t>(m)];
      const std::string path = "/scenarios/" + scenarios[s].name + "/series/" + std::string(metric.name);
      SCOPED_TRACE(path);
      const h5::Dataset dataset = open_dataset(file.get(), path);
      EXPECT_EQ(shape_of(dataset.get()), (std::vector<hsize_t>{replications, months}));
      EXPECT_EQ(read_string_attribute(dataset.get(), "units"), metric.units);
      EXPECT_EQ(read_string_attribute(dataset.get(), "description"), metric.description);
      const std::vector<double> values = read_doubles(dataset.get());
      int mismatches = 0;
      for (int r = 0; r < replications; ++r) {
        for (int t = 0; t < months; ++t) {
          const double expected = distinct_value(s, m, r, t);
          if (values[static_cast<std::size_t>(r * months + t)] != expected && mismatches++ == 0) {
            ADD_FAILURE() << "replication " << r << " month " << t << ": "
                          << values[static_cast<std::size_t>(r * months + t)] << " != " << expected;
          }
        }
      }
      EXPECT_EQ(mismatches, 0);
    }
  }
  // Stored chunked with shuffle and deflate, then a checksum.
  const h5::Dataset sample = open_dataset(file.get(), "/scenarios/baseline/series/leavers");
  h5::PropertyList creation(H5Dget_create_plist(sample.get()));
  EXPECT_EQ(H5Pget_layout(creation.get()), H5D_CHUNKED);
  ASSERT_EQ(H5Pget_nfilters(creation.get()), 3);
  unsigned flags = 0;
  std::size_t element_count = 1;
  unsigned level = 0;
  EXPECT_EQ(H5Pget_filter2(creation.get(), 0, &flags, &element_count, &level, 0, nullptr, nullptr),
            H5Z_FILTER_SHUFFLE);
  element_count = 1;
  EXPECT_EQ(H5Pget_filter2(creation.get(), 1, &flags, &element_count, &level, 0, nullptr, nullptr),
            H5Z_FILTER_DEFLATE);
  element_count = 0;
  EXPECT_EQ(H5Pget_filter2(creation.get(), 2, &flags, &element_count, nullptr, 0, nullptr, nullptr),
            H5Z_FILTER_FLETCHER32);
  EXPECT_EQ(level, 4u);  // as outputs/README.md states
}

TEST_F(RunFileTest, RootAndScenarioAttributesDescribeTheRun) {
  const fs::path final_path = directory_ / "run.h5";
  write_run_file(final_path, {.replications = 4, .months = 14, .scenarios = 2, .blocks = {3, 1}},
                 distinct_value);
  const h5::File file = open_file(final_path);
  const hid_t root = file.get();
  EXPECT_EQ(read_int_attribute(root, "complete"), 1);
  EXPECT_EQ(read_string_attribute(root, "filetype"), "wfsim-run");
  EXPECT_EQ(read_int_attribute(root, "file_format_version"), kRunFileFormatVersion);
  EXPECT_EQ(read_string_attribute(root, "wfsim_version"), "0.1.0-test");
  EXPECT_EQ(read_string_attribute(root, "created_utc"), "2026-11-26T21:31:40Z");
  EXPECT_EQ(read_scalar_attribute<std::uint64_t>(root, "seed", H5T_NATIVE_UINT64), 0xFEDCBA9876543210ULL);
  {
    h5::Attribute seed(H5Aopen(root, "seed", H5P_DEFAULT));
    h5::Datatype stored(H5Aget_type(seed.get()));
    EXPECT_EQ(H5Tget_sign(stored.get()), H5T_SGN_NONE);
    EXPECT_EQ(H5Tget_size(stored.get()), 8u);
  }
  EXPECT_EQ(read_int_attribute(root, "replications"), 4);
  EXPECT_EQ(read_int_attribute(root, "months"), 14);
  EXPECT_EQ(read_string_attribute(root, "start_month"), "2015-11");
  EXPECT_EQ(read_string_array_attribute(root, "scenario_names"),
            (std::vector<std::string>{"baseline", "option_1"}));
  EXPECT_EQ(read_string_array_attribute(root, "input_files"),
            (std::vector<std::string>{"scenarios/baseline.yaml", "scenarios/bonus.yaml"}));
  EXPECT_EQ(read_string_attribute(root, "command_line"),
            "wfsim run scenarios/baseline.yaml scenarios/bonus.yaml");
  EXPECT_EQ(read_int_attribute(root, "independent_streams"), 0);

  const h5::Dataset months = open_dataset(root, "/months");
  const std::vector<std::string> month_labels = read_string_dataset(months.get());
  ASSERT_EQ(month_labels.size(), 14u);
  EXPECT_EQ(month_labels[0], "2015-11");
  EXPECT_EQ(month_labels[1], "2015-12");
  EXPECT_EQ(month_labels[2], "2016-01");
  EXPECT_EQ(month_labels[13], "2016-12");
  const h5::Dataset years = open_dataset(root, "/years");
  EXPECT_EQ(read_string_dataset(years.get()), (std::vector<std::string>{"2015-11 to 2016-10"}));

  const auto scenarios = make_scenarios(2);
  for (const ScenarioInfo& info : scenarios) {
    SCOPED_TRACE(info.name);
    const h5::Group group(
        must(H5Gopen2(root, ("/scenarios/" + info.name).c_str(), H5P_DEFAULT), "open group"));
    EXPECT_EQ(read_string_attribute(group.get(), "description"), info.description);
    EXPECT_EQ(read_string_attribute(group.get(), "config_yaml"), info.config_yaml);
    EXPECT_EQ(read_int_attribute(group.get(), "reference"), info.reference ? 1 : 0);
    const h5::Dataset qsw = open_dataset(group.get(), "series/permanent_qsw");
    EXPECT_EQ(read_scalar_attribute<double>(qsw.get(), "initial", H5T_NATIVE_DOUBLE),
              info.initial_permanent_qsw);
    const h5::Dataset leavers = open_dataset(group.get(), "series/leavers");
    EXPECT_FALSE(has_attribute(leavers.get(), "initial"));
  }
}

TEST_F(RunFileTest, SummaryRowsAreMeanAndQuantilesOverReplications) {
  const int replications = 10;
  const int months = 13;
  const fs::path final_path = directory_ / "run.h5";
  // Replications hold base + 0..9 in shuffled order, so every column's
  // mean is base + 4.5, p10 base + 0.9, p25 base + 2.25, p75 base + 6.75, p90 base + 8.1.
  const auto base = [](int s, int m, int t) { return 1000.0 * s + 10.0 * m + 0.5 * t; };
  const ValueFunction value = [&](int s, int m, int r, int t) { return base(s, m, t) + (r * 7) % 10; };
  write_run_file(final_path,
                 {.replications = replications, .months = months, .scenarios = 2, .blocks = {3, 1, 4, 2}},
                 value);
  const h5::File file = open_file(final_path);
  const std::vector<double> offsets = {4.5, 0.9, 2.25, 4.5, 6.75, 8.1};
  const auto scenarios = make_scenarios(2);
  for (int s = 0; s < 2; ++s) {
    for (int m = 0; m < model::kMetricCount; ++m) {
      const auto& metric = model::kMetrics[static_cast<std::size_t>(m)];
      const std::string path = "/scenarios/" + scenarios[s].name + "/summary/" + std::string(metric.name);
      SCOPED_TRACE(path);
      const h5::Dataset dataset = open_dataset(file.get(), path);
      EXPECT_EQ(shape_of(dataset.get()), (std::vector<hsize_t>{6, months}));
      EXPECT_EQ(read_string_attribute(dataset.get(), "rows"), "mean,p10,p25,p50,p75,p90");
      EXPECT_EQ(read_string_attribute(dataset.get(), "units"), metric.units);
      const std::vector<double> summary = read_doubles(dataset.get());
      for (int row = 0; row < 6; ++row) {
        for (int t = 0; t < months; ++t) {
          EXPECT_NEAR(summary[static_cast<std::size_t>(row * months + t)], base(s, m, t) + offsets[row], 1e-9)
              << "row " << row << " month " << t;
        }
      }
    }
  }
}

TEST_F(RunFileTest, AnnualTablesSumEachFullYear) {
  const int replications = 2;
  const int months = 30;  // two full years; the last 6 months are in no year
  const fs::path final_path = directory_ / "run.h5";
  const ValueFunction value = [](int, int m, int r, int t) {
    if (m == kLeavers) return static_cast<double>(t + r);
    if (m == kStarters) return 1.0;
    if (m == kPermanentQsw) return t == 11 ? 200.0 : (t == 23 ? 50.0 : 999.0);
    return 0.0;
  };
  write_run_file(final_path,
                 {.replications = replications, .months = months, .scenarios = 1, .blocks = {1, 1}}, value);
  const h5::File file = open_file(final_path);
  const auto read_annual = [&](const std::string& name) {
    const h5::Dataset dataset = open_dataset(file.get(), "/scenarios/baseline/annual/" + name);
    EXPECT_EQ(shape_of(dataset.get()), (std::vector<hsize_t>{2, 2})) << name;
    EXPECT_TRUE(has_attribute(dataset.get(), "units")) << name;
    EXPECT_TRUE(has_attribute(dataset.get(), "description")) << name;
    return read_doubles(dataset.get());
  };
  // Replication 0 leaves 0..11 in year 1 (66) and 12..23 in year 2 (210);
  // replication 1 one more each month (78 and 222). Starters: 12 a year.
  EXPECT_EQ(read_annual("leavers"), (std::vector<double>{66, 210, 78, 222}));
  EXPECT_EQ(read_annual("starters"), (std::vector<double>{12, 12, 12, 12}));
  EXPECT_EQ(read_annual("net_loss"), (std::vector<double>{54, 198, 66, 210}));
  const std::vector<double> turnover = read_annual("turnover");
  ASSERT_EQ(turnover.size(), 4u);
  EXPECT_DOUBLE_EQ(turnover[0], 66.0 / 200.0);
  EXPECT_DOUBLE_EQ(turnover[1], 210.0 / 50.0);
  EXPECT_DOUBLE_EQ(turnover[2], 78.0 / 200.0);
  EXPECT_DOUBLE_EQ(turnover[3], 222.0 / 50.0);

  const h5::Dataset net_loss_summary =
      open_dataset(file.get(), "/scenarios/baseline/annual/summary/net_loss");
  EXPECT_EQ(shape_of(net_loss_summary.get()), (std::vector<hsize_t>{6, 2}));
  EXPECT_EQ(read_string_attribute(net_loss_summary.get(), "rows"), "mean,p10,p25,p50,p75,p90");
  const std::vector<double> summary = read_doubles(net_loss_summary.get());
  // Year 1 over replications {54, 66}: mean 60, p10 55.2, p25 57, p50 60, p75 63, p90 64.8.
  const std::vector<double> year_one = {60, 55.2, 57, 60, 63, 64.8};
  for (int row = 0; row < 6; ++row) {
    EXPECT_NEAR(summary[static_cast<std::size_t>(row * 2)], year_one[row], 1e-9) << "row " << row;
    EXPECT_NEAR(summary[static_cast<std::size_t>(row * 2 + 1)], year_one[row] + 144, 1e-9) << "row " << row;
  }
}

TEST_F(RunFileTest, HorizonShorterThanAYearGivesEmptyAnnualTables) {
  const fs::path final_path = directory_ / "run.h5";
  write_run_file(final_path, {.replications = 3, .months = 5, .scenarios = 1, .blocks = {2, 1}},
                 distinct_value);
  const h5::File file = open_file(final_path);
  EXPECT_EQ(read_int_attribute(file.get(), "complete"), 1);
  const h5::Dataset years = open_dataset(file.get(), "/years");
  EXPECT_TRUE(read_string_dataset(years.get()).empty());
  for (const char* name : {"net_loss", "leavers", "starters", "turnover"}) {
    SCOPED_TRACE(name);
    const h5::Dataset annual = open_dataset(file.get(), std::string("/scenarios/baseline/annual/") + name);
    EXPECT_EQ(shape_of(annual.get()), (std::vector<hsize_t>{3, 0}));
    const h5::Dataset summary =
        open_dataset(file.get(), std::string("/scenarios/baseline/annual/summary/") + name);
    EXPECT_EQ(shape_of(summary.get()), (std::vector<hsize_t>{6, 0}));
  }
  const h5::Dataset leavers = open_dataset(file.get(), "/scenarios/baseline/series/leavers");
  EXPECT_EQ(shape_of(leavers.get()), (std::vector<hsize_t>{3, 5}));
}

// ---- comparisons and dimensions ------------------------------------------------

// Whole numbers that vary by scenario, metric, replication and month, so paired
// differences and their quantiles differ from one replication to the next.
double varied_value(int scenario, int metric, int replication, int month) {
  return static_cast<double>((scenario * 7 + metric * 13 + replication * replication * 31 + month * 17) % 23);
}

// A run of three scenarios over 26 months (two whole years) with both options
// compared against the reference; returns the comparisons written.
std::vector<run::Comparison> write_compared_run(const fs::path& path, int replications) {
  constexpr int kScenarios = 3;
  constexpr int kMonths = 26;
  RunFileWriter writer(path, make_run(replications, kMonths), make_scenarios(kScenarios));
  run::OutcomeTally tally(kScenarios, kMonths);
  write_blocks(writer, kScenarios, kMonths, {replications / 2, replications - replications / 2}, varied_value,
               &tally);
  std::vector<run::Comparison> comparisons;
  for (int option = 1; option < kScenarios; ++option) {
    comparisons.push_back(run::compare(tally, option, 0));
    writer.write_comparison(comparisons.back());
  }
  writer.finish();
  return comparisons;
}

TEST_F(RunFileTest, ComparisonsHoldPairedDifferencesWithOneUnitPerDataset) {
  const int replications = 9;
  const fs::path final_path = directory_ / "run.h5";
  const std::vector<run::Comparison> comparisons = write_compared_run(final_path, replications);
  const h5::File file = open_file(final_path);
  const auto reference_net_loss = read_doubles(file.get(), "/scenarios/baseline/annual/net_loss");
  const auto option_net_loss = read_doubles(file.get(), "/scenarios/option_1/annual/net_loss");
  const std::string group = "/comparisons/option_1";
  {
    const h5::Group comparison(must(H5Gopen2(file.get(), group.c_str(), H5P_DEFAULT), "open comparison"));
    EXPECT_EQ(read_string_attribute(comparison.get(), "reference_scenario"), "baseline");
    EXPECT_FALSE(has_attribute(comparison.get(), "reference"));  // `reference` is the scenarios' flag
  }

  // Per year: [replication, year], the difference of the scenarios' own annual tables.
  const h5::Dataset net_loss = open_dataset(file.get(), group + "/net_loss");
  EXPECT_EQ(shape_of(net_loss.get()), (std::vector<hsize_t>{9, 2}));
  const std::vector<double> differences = read_doubles(net_loss.get());
  ASSERT_EQ(differences.size(), reference_net_loss.size());
  for (std::size_t at = 0; at < differences.size(); ++at)
    EXPECT_EQ(differences[at], option_net_loss[at] - reference_net_loss[at]) << "element " << at;

  // One value per replication: [replication], the sum over the whole years.
  const h5::Dataset total = open_dataset(file.get(), group + "/net_loss_total");
  EXPECT_EQ(shape_of(total.get()), (std::vector<hsize_t>{9}));
  const std::vector<double> totals = read_doubles(total.get());
  for (std::size_t r = 0; r < totals.size(); ++r)
    EXPECT_EQ(totals[r], differences[r * 2] + differences[r * 2 + 1]) << "replication " << r;

  // Summaries: mean and quantiles only, in the outcome's units; the
  // probability of doing better apart, as a fraction.
  const int total_index = run::outcome_index("net_loss_total");
  const run::DifferenceSummary& expected = comparisons[0].summaries[static_cast<std::size_t>(total_index)][0];
  const h5::Dataset summary = open_dataset(file.get(), group + "/summary/net_loss_total");
  EXPECT_EQ(shape_of(summary.get()), (std::vector<hsize_t>{6}));
  EXPECT_EQ(read_string_attribute(summary.get(), "units"), "headcount");
  EXPECT_EQ(read_doubles(summary.get()),
            (std::vector<double>{expected.difference.mean, expected.difference.p10, expected.difference.p25,
                                 expected.difference.p50, expected.difference.p75, expected.difference.p90}));
  const h5::Dataset per_year_summary = open_dataset(file.get(), group + "/summary/net_loss");
  EXPECT_EQ(shape_of(per_year_summary.get()), (std::vector<hsize_t>{6, 2}));
  const h5::Dataset better = open_dataset(file.get(), group + "/probability_better/net_loss_total");
  EXPECT_TRUE(shape_of(better.get()).empty());  // a scalar
  EXPECT_EQ(read_string_attribute(better.get(), "units"), "fraction");
  EXPECT_EQ(read_doubles(better.get()), (std::vector<double>{expected.probability_better}));
  const h5::Dataset better_per_year = open_dataset(file.get(), group + "/probability_better/net_loss");
  EXPECT_EQ(shape_of(better_per_year.get()), (std::vector<hsize_t>{2}));

  // The reader gives the probability back as the summary's last row.
  const RunFileReader reader(final_path);
  const ComparisonRecord* record = reader.run().comparison("option_1");
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->reference, "baseline");
  const NamedRowTable& read_back = record->summary("net_loss_total");
  EXPECT_EQ(read_back.columns, 1u);
  EXPECT_EQ(read_back.at("p90", 0), expected.difference.p90);
  EXPECT_EQ(read_back.at("probability_better", 0), expected.probability_better);
  EXPECT_EQ(record->summary("net_loss").columns, 2u);
}

// Every table, with the dimension names its axes must carry, keyed by path.
std::map<std::string, std::vector<std::string>> expected_tables(const std::vector<ScenarioInfo>& scenarios) {
  std::map<std::string, std::vector<std::string>> tables;
  for (const ScenarioInfo& s : scenarios) {
    const std::string group = "/scenarios/" + s.name;
    for (const auto& metric : model::kMetrics) {
      tables[group + "/series/" + std::string(metric.name)] = {"replication", "month"};
      tables[group + "/summary/" + std::string(metric.name)] = {"statistic", "month"};
    }
    for (const char* table : {"net_loss", "leavers", "starters", "turnover"}) {
      tables[group + "/annual/" + table] = {"replication", "year"};
      tables[group + "/annual/summary/" + table] = {"statistic", "year"};
    }
    if (s.reference) continue;
    const std::string comparison = "/comparisons/" + s.name;
    for (const auto& outcome : run::kOutcomes) {
      const std::string name(outcome.name);
      const auto with_year = [&](std::vector<std::string> leading) {
        if (outcome.per_year()) leading.emplace_back("year");
        return leading;
      };
      tables[comparison + "/" + name] = with_year({"replication"});
      tables[comparison + "/summary/" + name] = with_year({"statistic"});
      tables[comparison + "/probability_better/" + name] = with_year({});
    }
  }
  return tables;
}

struct FileContents {
  std::map<std::string, std::vector<std::string>> tables;  // path -> names of the attached scales
  std::vector<std::string> scales;
  std::vector<std::string> groups;
  std::vector<std::string> problems;
};

std::string parent_of(const std::string& path) {
  return path.substr(0, path.rfind('/'));
}

TEST_F(RunFileTest, EveryTableHasNamedDimensionsWithCoordinatesInItsGroupAndLongNameAndUnits) {
  const int replications = 5;
  const fs::path final_path = directory_ / "run.h5";
  write_compared_run(final_path, replications);
  const h5::File file = open_file(final_path);
  const auto month_labels = read_string_dataset(open_dataset(file.get(), "/months").get());
  const auto year_labels = read_string_dataset(open_dataset(file.get(), "/years").get());
  ASSERT_EQ(year_labels.size(), 2u);

  FileContents contents;
  H5Lvisit(
      file.get(), H5_INDEX_NAME, H5_ITER_INC,
      [](hid_t root, const char* name, const H5L_info_t*, void* data) -> herr_t {
        auto& found = *static_cast<FileContents*>(data);
        const std::string path = std::string("/") + name;
        const h5::Handle<H5Oclose> object(H5Oopen(root, name, H5P_DEFAULT));
        if (H5Iget_type(object.get()) == H5I_GROUP) {
          found.groups.push_back(path);
          if (!has_attribute(object.get(), "description"))
            found.problems.push_back(path + " has no description");
          return 0;
        }
        const hid_t dataset = object.get();
        if (!has_attribute(dataset, "long_name")) found.problems.push_back(path + " has no long_name");
        if (!has_attribute(dataset, "description")) found.problems.push_back(path + " has no description");
        if (H5DSis_scale(dataset) > 0) {
          found.scales.push_back(path);
          return 0;
        }
        if (!has_attribute(dataset, "units")) found.problems.push_back(path + " has no units");
        std::vector<std::string> names;
        const auto dims = shape_of(dataset);
        for (unsigned axis = 0; axis < dims.size(); ++axis) {
          if (H5DSget_num_scales(dataset, axis) != 1) {
            found.problems.push_back(path + " axis " + std::to_string(axis) + " has not exactly one scale");
            continue;
          }
          struct Attached {
            std::string path;
            hsize_t length = 0;
          } attached;
          int index = 0;
          H5DSiterate_scales(
              dataset, axis, &index,
              [](hid_t, unsigned, hid_t scale, void* out) -> herr_t {
                auto& a = *static_cast<Attached*>(out);
                std::vector<char> buffer(static_cast<std::size_t>(H5Iget_name(scale, nullptr, 0)) + 1);
                H5Iget_name(scale, buffer.data(), buffer.size());
                a.path = buffer.data();
                a.length = shape_of(scale).at(0);
                return 0;
              },
              &attached);
          // The scale lives in the table's own group and spans the axis.
          if (parent_of(attached.path) != parent_of(path) || attached.length != dims[axis]) {
            found.problems.push_back(path + " axis " + std::to_string(axis) + " is attached to " +
                                     attached.path);
          }
          names.push_back(attached.path.substr(attached.path.rfind('/') + 1));
        }
        found.tables[path] = names;
        return 0;
      },
      &contents);

  EXPECT_EQ(contents.problems, std::vector<std::string>{});
  EXPECT_EQ(contents.tables, expected_tables(make_scenarios(3)));
  // /scenarios and /comparisons; per scenario its group, series, summary,
  // annual, annual/summary; per comparison its group, summary, probability_better.
  EXPECT_EQ(contents.groups.size(), 2u + 3 * 5 + 2 * 3);

  // The coordinates: the same in every group that holds them.
  for (const std::string& path : contents.scales) {
    SCOPED_TRACE(path);
    const std::string name = path.substr(path.rfind('/') + 1);
    const h5::Dataset scale = open_dataset(file.get(), path);
    if (name == "replication") {
      EXPECT_EQ(read_doubles(scale.get()), (std::vector<double>{0, 1, 2, 3, 4}));
    } else if (name == "month" || name == "months") {
      EXPECT_EQ(read_string_dataset(scale.get()), month_labels);
    } else if (name == "year" || name == "years") {
      EXPECT_EQ(read_string_dataset(scale.get()), year_labels);
    } else {
      EXPECT_EQ(name, "statistic");
      EXPECT_EQ(read_string_dataset(scale.get()),
                (std::vector<std::string>{"mean", "p10", "p25", "p50", "p75", "p90"}));
    }
  }
  // Scales: /months, /years and per scenario 8, per comparison 5.
  EXPECT_EQ(contents.scales.size(), 2u + 3 * 8 + 2 * 5);

  const h5::Dataset vacancy = open_dataset(file.get(), "/scenarios/baseline/series/vacancy_rate");
  EXPECT_EQ(read_string_attribute(vacancy.get(), "long_name"), "Vacancy rate");
  const h5::Dataset qsw = open_dataset(file.get(), "/scenarios/option_1/summary/permanent_qsw");
  EXPECT_EQ(read_string_attribute(qsw.get(), "long_name"), "Permanent QSW");

  // Readers listing tables leave the scales out.
  const RunFileReader reader(final_path);
  for (const ScenarioRecord& s : reader.run().scenarios) {
    EXPECT_EQ(s.series_metrics.size(), static_cast<std::size_t>(model::kMetricCount)) << s.name;
    EXPECT_EQ(s.summaries.size(), static_cast<std::size_t>(model::kMetricCount)) << s.name;
    EXPECT_EQ(s.annual.size(), 4u) << s.name;
    EXPECT_EQ(s.annual_summaries.size(), 4u) << s.name;
  }
  EXPECT_EQ(reader.run().comparison("option_2")->summaries.size(), run::kOutcomes.size());
}

// The ranks of an MPI job other than 0 encode their blocks' chunks where
// they simulated them; rank 0 stores those bytes, and the file must be the
// one it would have written itself, chunks and fill included.
TEST_F(RunFileTest, ChunksEncodedWhereTheBlockWasSimulatedStoreTheSameBits) {
  const RunShape shape{600, 12, 1, {256, 256, 88}};
  ASSERT_EQ(series_chunk_rows(shape.replications, shape.months), 256);
  write_run_file(directory_ / "here.h5", shape, distinct_value);
  {
    RunFileWriter writer(directory_ / "there.h5", make_run(shape.replications, shape.months),
                         make_scenarios(shape.scenarios));
    write_blocks(writer, shape.scenarios, shape.months, shape.blocks, distinct_value, nullptr,
                 [&](run::ResultBlock& block) {
                   block.prepared = encode_series_chunks(block, shape.replications);
                   ASSERT_FALSE(block.prepared.empty()) << block.first_replication;
                 });
    writer.finish();
  }
  EXPECT_EQ(test::dataset_checksums(directory_ / "there.h5", true),
            test::dataset_checksums(directory_ / "here.h5", true));
}

TEST_F(RunFileTest, OnlyBlocksOfWholeChunksAreEncodedWhereSimulated) {
  run::ResultBlock block;
  block.reset(10, 256, 1, 36);  // starts inside a chunk
  EXPECT_TRUE(encode_series_chunks(block, 600).empty());
  block.reset(256, 100, 1, 36);  // ends inside one, before the run's end
  EXPECT_TRUE(encode_series_chunks(block, 600).empty());
  block.reset(512, 88, 1, 36);  // the run's last, partial chunk
  EXPECT_FALSE(encode_series_chunks(block, 600).empty());

  // Encoded chunks that do not start where the writer's next chunk does are refused.
  RunFileWriter writer(directory_ / "run.h5", make_run(600, 36), make_scenarios(1));
  write_blocks(writer, 1, 36, {10}, distinct_value);
  block.reset(10, 246, 1, 36);
  block.prepared = {1, 2, 3};
  EXPECT_THROW(writer.write_block(block), std::runtime_error);
}

TEST_F(RunFileTest, FinalFileAppearsOnlyOnFinish) {
  const fs::path final_path = directory_ / "run.h5";
  RunFileWriter writer(final_path, make_run(5, 12), make_scenarios(1));
  EXPECT_EQ(writer.final_path(), final_path);
  EXPECT_EQ(writer.temporary_path().parent_path(), directory_);
  EXPECT_TRUE(fs::exists(writer.temporary_path()));
  EXPECT_FALSE(fs::exists(final_path));
  write_blocks(writer, 1, 12, {2, 3}, distinct_value);
  EXPECT_FALSE(fs::exists(final_path));
  writer.finish();
  EXPECT_TRUE(fs::exists(final_path));
  EXPECT_FALSE(fs::exists(writer.temporary_path()));
  EXPECT_EQ(directory_entries(directory_), (std::vector<fs::path>{final_path}));
}

TEST_F(RunFileTest, AbandonedRunLeavesNoFile) {
  const fs::path final_path = directory_ / "run.h5";
  fs::path temporary;
  try {
    RunFileWriter writer(final_path, make_run(6, 12), make_scenarios(2));
    temporary = writer.temporary_path();
    write_blocks(writer, 2, 12, {4}, distinct_value);
    throw std::runtime_error("simulated failure mid-run");
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "simulated failure mid-run");
  }
  EXPECT_FALSE(temporary.empty());
  EXPECT_FALSE(fs::exists(temporary));
  EXPECT_FALSE(fs::exists(final_path));
  EXPECT_TRUE(directory_entries(directory_).empty());
}

TEST_F(RunFileTest, MissingOutputDirectoryIsRefusedByName) {
  const fs::path final_path = directory_ / "no_such_directory" / "run.h5";
  try {
    RunFileWriter writer(final_path, make_run(2, 12), make_scenarios(1));
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(final_path.parent_path().string()), std::string::npos)
        << error.what();
  }
  EXPECT_FALSE(fs::exists(final_path.parent_path()));
  EXPECT_TRUE(directory_entries(directory_).empty());
}

TEST_F(RunFileTest, Hdf5FailureNamesTheFileQuietlyAndTouchesNothingElse) {
  const fs::path final_path = directory_ / "run.h5";
  // A directory squatting on the temporary name makes the HDF5 create fail.
  const fs::path squatter = fs::path(final_path.string() + ".partial-" + std::to_string(::getpid()));
  fs::create_directory(squatter);
  ::testing::internal::CaptureStderr();
  try {
    RunFileWriter writer(final_path, make_run(2, 12), make_scenarios(1));
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(squatter.string()), std::string::npos) << error.what();
  }
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");  // HDF5's error stack is not printed
  EXPECT_TRUE(fs::is_directory(squatter));
  EXPECT_FALSE(fs::exists(final_path));
}

TEST_F(RunFileTest, OutOfOrderBlockIsRefusedAndNothingIsKept) {
  const fs::path final_path = directory_ / "run.h5";
  {
    RunFileWriter writer(final_path, make_run(6, 12), make_scenarios(1));
    write_blocks(writer, 1, 12, {2}, distinct_value);
    run::ResultBlock skipping;
    skipping.reset(3, 2, 1, 12);  // replication 2 is missing
    EXPECT_THROW(writer.write_block(skipping), std::runtime_error);
    EXPECT_THROW(writer.finish(), std::runtime_error);
  }
  EXPECT_TRUE(directory_entries(directory_).empty());
}

TEST_F(RunFileTest, FinishBeforeEveryReplicationIsRefused) {
  const fs::path final_path = directory_ / "run.h5";
  {
    RunFileWriter writer(final_path, make_run(6, 12), make_scenarios(1));
    write_blocks(writer, 1, 12, {2, 3}, distinct_value);
    try {
      writer.finish();
      FAIL() << "expected an exception";
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string(error.what()).find("5 of 6 replications"), std::string::npos) << error.what();
    }
  }
  EXPECT_TRUE(directory_entries(directory_).empty());
}

TEST_F(RunFileTest, InvalidRunDescriptionsAreRefused) {
  const fs::path final_path = directory_ / "run.h5";
  EXPECT_THROW(RunFileWriter(final_path, make_run(0, 12), make_scenarios(1)), std::runtime_error);
  RunInfo bad_month = make_run(2, 12);
  bad_month.start_month = "2015-13";
  EXPECT_THROW(RunFileWriter(final_path, bad_month, make_scenarios(1)), std::runtime_error);
  auto duplicated = make_scenarios(2);
  duplicated[1].name = duplicated[0].name;
  EXPECT_THROW(RunFileWriter(final_path, make_run(2, 12), duplicated), std::runtime_error);
  auto slashed = make_scenarios(1);
  slashed[0].name = "a/b";
  EXPECT_THROW(RunFileWriter(final_path, make_run(2, 12), slashed), std::runtime_error);
  EXPECT_TRUE(directory_entries(directory_).empty());
}

// ---- values a run file never holds ---------------------------------------------

TEST_F(RunFileTest, AnInfinityIsRefusedWhereItIsAndNothingIsKept) {
  const fs::path final_path = directory_ / "run.h5";
  const int leavers = model::index_of(model::Metric::leavers);
  {
    RunFileWriter writer(final_path, make_run(4, 12), make_scenarios(2));
    try {
      write_blocks(writer, 2, 12, {2, 2}, [&](int s, int m, int r, int t) {
        return s == 1 && m == leavers && r == 3 && t == 5 ? std::numeric_limits<double>::infinity()
                                                          : distinct_value(s, m, r, t);
      });
      FAIL() << "expected an exception";
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string(error.what()).find("/scenarios/option_1/series/leavers would hold inf at [3, 5]"),
                std::string::npos)
          << error.what();
    }
  }
  EXPECT_TRUE(directory_entries(directory_).empty());
}

TEST_F(RunFileTest, NanIsAMissingAverageButNeverAMissingCount) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const int caseload = model::index_of(model::Metric::caseload_nqsw);
  const int starters = model::index_of(model::Metric::starters);
  write_run_file(
      directory_ / "averages.h5", {.replications = 2, .months = 12, .scenarios = 1, .blocks = {2}},
      [&](int s, int m, int r, int t) { return m == caseload ? nan : distinct_value(s, m, r, t); });
  EXPECT_TRUE(fs::exists(directory_ / "averages.h5"));
  {
    RunFileWriter writer(directory_ / "counts.h5", make_run(2, 12), make_scenarios(1));
    EXPECT_THROW(write_blocks(writer, 1, 12, {2},
                              [&](int s, int m, int r, int t) {
                                return m == starters && t == 0 ? nan : distinct_value(s, m, r, t);
                              }),
                 std::runtime_error);
  }
  EXPECT_FALSE(fs::exists(directory_ / "counts.h5"));
  EXPECT_EQ(directory_entries(directory_).size(), 1u);
}

TEST_F(RunFileTest, TurnoverWithNoOneInPostIsMissingNotInfinite) {
  const fs::path final_path = directory_ / "run.h5";
  const int in_post = model::index_of(model::Metric::permanent_qsw);
  const int leavers = model::index_of(model::Metric::leavers);
  write_run_file(final_path, {.replications = 2, .months = 12, .scenarios = 1, .blocks = {2}},
                 [&](int s, int m, int r, int t) {
                   if (m == in_post) return 0.0;  // everyone has gone
                   if (m == leavers) return 1.0;
                   return distinct_value(s, m, r, t);
                 });
  const h5::File file(H5Fopen(final_path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  const h5::Dataset turnover(H5Dopen2(file.get(), "/scenarios/baseline/annual/turnover", H5P_DEFAULT));
  std::array<double, 2> values{};
  ASSERT_GE(H5Dread(turnover.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
  EXPECT_TRUE(std::isnan(values[0]) && std::isnan(values[1]));
}

}  // namespace
}  // namespace wfsim::output
