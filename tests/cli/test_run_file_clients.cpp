// The run file as other clients read it: the recipes of outputs/README.md
// (h5py, xarray, pandas, R's hdf5r) run as written against a fresh run file
// and must print the file's own numbers; xarray opens every group with both
// netCDF engines with named dimensions, and ncdump shows them.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "markdown_blocks.hpp"
#include "output/run_file_reader.hpp"
#include "source_path.hpp"
#include "suite_scratch_directory.hpp"

namespace {

namespace fs = std::filesystem;
using namespace wfsim::test;

const std::vector<std::string> kScenarios = {"baseline", "strategy"};
constexpr int kReplications = 20;
// The path the recipes name; the tests put the fresh run file in its place.
constexpr std::string_view kRecipePath = "outputs/run.h5";

class RunFileClients : public SuiteWithScratchDirectory<RunFileClients> {
 protected:
  static void SetUpTestSuite() {
    make_work_dir("wfsim_clients");
    run_ = run_lancashire(kScenarios, kReplications, run_file(), work_dir() / "run.stderr");
  }
  void SetUp() override { ASSERT_EQ(run_->exit_status, 0) << run_->stderr_text; }

  static fs::path run_file() { return work_dir() / "run.h5"; }

  // Writes the README's block with the fresh file's path and runs it.
  static CommandResult run_recipe(const std::string& interpreter, const std::string& language,
                                  const std::string& marker, const std::string& file_name) {
    const std::string readme = read_text(source_path("outputs/README.md"));
    const std::string code =
        replace_all(code_block(readme, language, marker), kRecipePath, run_file().string());
    const fs::path script = work_dir() / file_name;
    std::ofstream(script) << code;
    if (!fs::exists(interpreter)) {
      ADD_FAILURE() << interpreter << " is not installed: scripts/install-deps.sh installs it";
      return {};
    }
    return run_program(interpreter, shell_quote(script.string()), work_dir() / (file_name + ".stderr"),
                       work_dir() / (file_name + ".stdout"));
  }

  // The numbers of every printed line that starts with a scenario's name (a
  // pandas index row reads the same), by scenario, in order.
  static std::map<std::string, std::vector<std::vector<double>>> scenario_rows(const std::string& text) {
    std::map<std::string, std::vector<std::vector<double>>> rows;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream words(line);
      std::string first;
      words >> first;
      if (std::find(kScenarios.begin(), kScenarios.end(), first) == kScenarios.end()) continue;
      std::vector<double> numbers;
      for (std::string word; words >> word;) numbers.push_back(std::strtod(word.c_str(), nullptr));
      rows[first].push_back(numbers);
    }
    return rows;
  }

  // Every recipe first prints, for each scenario, a line "<scenario> <mean net
  // loss in each year, to one decimal>": it must be the file's own
  // annual/net_loss averaged over replications.
  static void expect_mean_net_loss_rows(const CommandResult& result) {
    ASSERT_EQ(result.exit_status, 0) << result.stderr_text << result.stdout_text;
    const wfsim::output::RunFileReader reader(run_file());
    auto rows = scenario_rows(result.stdout_text);
    ASSERT_EQ(rows.size(), kScenarios.size()) << result.stdout_text;
    std::map<std::string, std::vector<double>> printed;
    for (const auto& [scenario, lines] : rows) printed[scenario] = lines.front();
    for (const std::string& scenario : kScenarios) {
      const auto& table = reader.run().scenario(scenario).annual_table("net_loss");
      ASSERT_EQ(printed[scenario].size(), table.columns) << scenario << "\n" << result.stdout_text;
      for (std::size_t y = 0; y < table.columns; ++y) {
        double sum = 0;
        for (std::size_t r = 0; r < table.replications; ++r) sum += table.values[r * table.columns + y];
        const double mean = sum / static_cast<double>(table.replications);
        EXPECT_NEAR(printed[scenario][y], mean, 0.05 + 1e-9) << scenario << " year " << y;
      }
    }
  }

  static inline std::optional<CommandResult> run_;
};

TEST_F(RunFileClients, H5pyRecipePrintsTheFilesNumbers) {
  const CommandResult result = run_recipe(WFSIM_PYTHON, "python", "import numpy as np", "h5py_recipe.py");
  expect_mean_net_loss_rows(result);
  EXPECT_NE(result.stdout_text.find("strategy minus baseline"), std::string::npos) << result.stdout_text;
}

TEST_F(RunFileClients, XarrayRecipePrintsTheFilesNumbers) {
  const CommandResult result = run_recipe(WFSIM_PYTHON, "python", "import xarray", "xarray_recipe.py");
  expect_mean_net_loss_rows(result);
  // Then, paired by replication, the share of futures in which each scenario
  // does better than the reference in the last year: the file's own probability_better.
  const wfsim::output::RunFileReader reader(run_file());
  const auto rows = scenario_rows(result.stdout_text);
  for (const std::string& option : std::vector<std::string>(kScenarios.begin() + 1, kScenarios.end())) {
    ASSERT_EQ(rows.at(option).size(), 2u) << result.stdout_text;
    ASSERT_EQ(rows.at(option)[1].size(), 1u) << result.stdout_text;
    const auto& summary = reader.run().comparison(option)->summary("net_loss");
    EXPECT_NEAR(rows.at(option)[1][0], summary.at("probability_better", summary.columns - 1), 0.0005 + 1e-9)
        << option;
  }
  // The last line: the reference's median vacancy rate in the last month, by coordinate labels.
  const double median = reader.run().scenario("baseline").summary("vacancy_rate").row("p50").back();
  EXPECT_NE(result.stdout_text.find(fmt::format("Vacancy rate fraction {}", median)), std::string::npos)
      << result.stdout_text;
}

TEST_F(RunFileClients, PandasRecipePrintsTheFilesNumbers) {
  expect_mean_net_loss_rows(run_recipe(WFSIM_PYTHON, "python", "frames = []", "pandas_recipe.py"));
}

TEST_F(RunFileClients, RRecipeTransposesAndPrintsTheFilesNumbers) {
  expect_mean_net_loss_rows(run_recipe(WFSIM_RSCRIPT, "r", "library(hdf5r)", "r_recipe.R"));
}

// Beyond the recipes: every group, not only the ones they open.
TEST_F(RunFileClients, XarrayOpensEveryGroupWithBothNetcdfEnginesWithNamedDimensions) {
  const fs::path script = work_dir() / "every_group.py";
  std::ofstream(script) << R"(import sys
import h5py
import xarray as xr

path = sys.argv[1]
groups = [None]
with h5py.File(path, "r") as f:
    f.visititems(lambda name, obj: groups.append(name) if isinstance(obj, h5py.Group) else None)
for engine in ("h5netcdf", "netcdf4"):
    for group in groups:
        ds = xr.open_dataset(path, engine=engine, group=group)
        unlabelled = [v for v in ds.data_vars if not {"long_name", "units"} <= set(ds[v].attrs)]
        print(engine, group or "/", ",".join(f"{d}={n}" for d, n in ds.sizes.items()),
              "uncoordinated:" + ",".join(d for d in ds.dims if d not in ds.coords),
              "unlabelled:" + ",".join(unlabelled))
)";
  const CommandResult result =
      run_program(WFSIM_PYTHON, shell_quote(script.string()) + " " + shell_quote(run_file().string()),
                  work_dir() / "every_group.stderr", work_dir() / "every_group.stdout");
  ASSERT_EQ(result.exit_status, 0) << result.stderr_text;
  std::map<std::string, std::string> dimensions;  // "engine group" -> dimensions
  std::istringstream lines(result.stdout_text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string engine, group, sizes, without, unlabelled;
    words >> engine >> group >> sizes >> without >> unlabelled;
    if (sizes.rfind("uncoordinated:", 0) == 0) {  // a group with no dimensions
      unlabelled = without;
      without = sizes;
      sizes.clear();
    }
    EXPECT_EQ(without, "uncoordinated:") << line;
    EXPECT_EQ(unlabelled, "unlabelled:") << line;
    EXPECT_EQ(sizes.find("phony"), std::string::npos) << line;
    dimensions[engine + " " + group] = sizes;
  }
  // Root, /scenarios and /comparisons; per scenario 5 groups of results and, because the shipped
  // scenarios draw their assumptions, assumptions/ and uncertainty/ with its 3 tables; 3 per option;
  // twice.
  EXPECT_EQ(dimensions.size(), 2 * (3 + 10 * kScenarios.size() + 3 * (kScenarios.size() - 1)));
  const std::string replications = std::to_string(kReplications);
  EXPECT_EQ(dimensions["h5netcdf /"], "months=36,years=3");
  for (const std::string engine : {"h5netcdf", "netcdf4"}) {
    EXPECT_EQ(dimensions[engine + " scenarios/strategy/series"], "replication=" + replications + ",month=36");
    EXPECT_EQ(dimensions[engine + " scenarios/strategy/annual/summary"], "statistic=6,year=3");
    EXPECT_EQ(dimensions[engine + " comparisons/strategy"], "replication=" + replications + ",year=3");
    EXPECT_EQ(dimensions[engine + " comparisons/strategy/probability_better"], "year=3");
    EXPECT_EQ(dimensions[engine + " scenarios/strategy/assumptions"], "replication=" + replications);
    EXPECT_EQ(dimensions[engine + " scenarios/strategy/uncertainty/share_from_assumptions"], "year=3");
  }
}

TEST_F(RunFileClients, NcdumpShowsNamedDimensions) {
  ASSERT_TRUE(fs::exists(WFSIM_NCDUMP))
      << WFSIM_NCDUMP << " is not installed: scripts/install-deps.sh installs it";
  const CommandResult result = run_program(WFSIM_NCDUMP, "-h " + shell_quote(run_file().string()),
                                           work_dir() / "ncdump.stderr", work_dir() / "ncdump.txt");
  ASSERT_EQ(result.exit_status, 0) << result.stderr_text;
  const std::string& header = result.stdout_text;
  EXPECT_EQ(header.find("phony_dim"), std::string::npos);
  for (const char* expected :
       {"double vacancy_rate(replication, month) ;", "double vacancy_rate(statistic, month) ;",
        "double net_loss(replication, year) ;", "double net_loss_total(replication) ;",
        "double net_loss_total(statistic) ;", "double net_loss_total ;", "string month(month) ;",
        "int replication(replication) ;"}) {
    EXPECT_NE(header.find(expected), std::string::npos) << expected;
  }
}

}  // namespace
