// The report as a reader meets it: the page opened in headless Chromium loads
// with no console message or error, the headline numbers in the rendered DOM
// are the run file's (read here straight from HDF5, not through the reader),
// and a screenshot of the first screen and an A4 print are left in the build
// tree (WFSIM_REPORT_ARTIFACTS) for people to look at. Chromium is required:
// without it the test fails.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "hdf5_read.hpp"
#include "report_page.hpp"
#include "run/statistics.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using namespace wfsim::test;
using namespace wfsim::test_h5;

const std::vector<std::string> kScenarios = {"baseline", "strategy", "retention_payment", "market_supplement",
                                             "caseload_cap"};

int exit_status(const std::string& command) {
  const int status = std::system(command.c_str());
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string chromium_command(const fs::path& profile, const std::string& action, const fs::path& page) {
  return fmt::format(
      "timeout 180 {} --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync --user-data-dir={} "
      "--enable-logging=stderr --v=0 --virtual-time-budget=5000 --hide-scrollbars {} {}",
      shell_quote(WFSIM_CHROMIUM), shell_quote(profile.string()), action,
      shell_quote("file://" + fs::absolute(page).string()));
}

// Chromium's exit status for `action` on `page`, its log discarded.
int run_chromium_quietly(const fs::path& profile, const std::string& action, const fs::path& page) {
  return exit_status(fmt::format("{} 2>/dev/null", chromium_command(profile, action, page)));
}

// "£74.2m" -> 74.2e6 with half a unit of its last digit as the rounding allowed;
// "49.9%" -> 0.499; "+£563k" -> 563e3; "£50,000" (rounded to thousands) -> 50000.
std::pair<double, double> parse_shown(std::string text) {
  double scale = 1;
  std::string digits;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if ((c >= '0' && c <= '9') || c == '.' || c == '-') digits += c;
    if (c == '%') scale = 0.01;
    if (c == 'm') scale = 1e6;
    if (c == 'k') scale = 1e3;
  }
  const std::size_t point = digits.find('.');
  const int decimals = point == std::string::npos ? 0 : static_cast<int>(digits.size() - point - 1);
  double half_unit = 0.5 * std::pow(10.0, -decimals) * scale;
  if (text.find(',') != std::string::npos && text.find("£") != std::string::npos && scale == 1)
    half_unit = 500;
  const double sign = text.find("saves") != std::string::npos ? -1 : 1;
  return {sign * std::strtod(digits.c_str(), nullptr) * scale, half_unit};
}

// Mean, p10 and p90 of a table's rows as the file stores them ("rows" names the order).
struct FileTable {
  std::vector<std::string> rows;
  std::vector<double> values;
  std::size_t columns = 0;
  double at(const std::string& row, std::size_t column) const {
    const auto found = std::find(rows.begin(), rows.end(), row);
    if (found == rows.end()) throw std::runtime_error("no row " + row);
    return values.at(static_cast<std::size_t>(found - rows.begin()) * columns + column);
  }
};

FileTable read_table(hid_t file, const std::string& path) {
  h5::Dataset dataset(must(H5Dopen2(file, path.c_str(), H5P_DEFAULT), "open " + path));
  FileTable table;
  std::stringstream names(read_string_attribute(dataset.get(), "rows"));
  for (std::string row; std::getline(names, row, ',');) table.rows.push_back(row);
  const auto dims = shape_of(dataset.get());  // [rows, columns], or [rows] for one value
  table.columns = dims.size() > 1 ? static_cast<std::size_t>(dims[1]) : 1;
  table.values = read_doubles(dataset.get());
  return table;
}

// What the headline must show, computed from the file with the HDF5 C API.
std::map<std::string, double> expected_from_file(const fs::path& run_file) {
  h5::File file(must(H5Fopen(run_file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + run_file.string()));
  const int months = read_int_attribute(file.get(), "months");
  const int years = months / 12;
  std::map<std::string, double> expected;
  const auto add3 = [&](const std::string& measure, const std::string& s, int column, double mean, double p10,
                        double p90) {
    expected[fmt::format("{}|{}|{}|mean", measure, s, column)] = mean;
    expected[fmt::format("{}|{}|{}|p10", measure, s, column)] = p10;
    expected[fmt::format("{}|{}|{}|p90", measure, s, column)] = p90;
  };
  for (const std::string& s : kScenarios) {
    const std::string group = "/scenarios/" + s;
    const FileTable net_loss = read_table(file.get(), group + "/annual/summary/net_loss");
    for (int y = 0; y < years; ++y) {
      const auto c = static_cast<std::size_t>(y);
      add3("net_loss", s, y, net_loss.at("mean", c), net_loss.at("p10", c), net_loss.at("p90", c));
    }
    const auto last = static_cast<std::size_t>(months - 1);
    for (const auto& [measure, metric] :
         std::vector<std::pair<std::string, std::string>>{{"vacancy_rate_end", "vacancy_rate"},
                                                          {"agency_rate_end", "agency_rate"},
                                                          {"nqsw_share_end", "nqsw_share"}}) {
      const FileTable t = read_table(file.get(), group + "/summary/" + metric);
      add3(measure, s, 0, t.at("mean", last), t.at("p10", last), t.at("p90", last));
    }
    // Cost against the establishment over the whole years, per simulated future, from the series.
    const std::vector<double> cost = read_doubles(file.get(), group + "/series/cost_against_establishment");
    const std::size_t replications = cost.size() / static_cast<std::size_t>(months);
    std::vector<double> totals(replications, 0.0);
    for (std::size_t r = 0; r < replications; ++r)
      for (int t = 0; t < 12 * years; ++t)
        totals[r] += cost[r * static_cast<std::size_t>(months) + static_cast<std::size_t>(t)];
    double sum = 0;
    for (const double v : totals) sum += v;
    std::sort(totals.begin(), totals.end());
    add3("cost_against_establishment", s, 0, sum / static_cast<double>(replications),
         wfsim::run::quantile_sorted(totals, 0.1), wfsim::run::quantile_sorted(totals, 0.9));

    if (s == kScenarios.front()) continue;
    const FileTable extra =
        read_table(file.get(), "/comparisons/" + s + "/summary/cost_against_establishment_total");
    add3("extra_cost", s, 0, extra.at("mean", 0), extra.at("p10", 0), extra.at("p90", 0));
    h5::Group comparison(
        must(H5Gopen2(file.get(), ("/comparisons/" + s).c_str(), H5P_DEFAULT), "open comparison"));
    const double per_leaver =
        read_scalar_attribute<double>(comparison.get(), "cost_per_leaver_avoided", H5T_NATIVE_DOUBLE);
    if (std::isfinite(per_leaver))
      expected[fmt::format("cost_per_leaver_avoided|{}|0|value", s)] = per_leaver;
  }
  return expected;
}

TEST(ReportBrowser, PageLoadsCleanlyAndShowsTheRunFilesNumbers) {
  ASSERT_TRUE(fs::exists(WFSIM_CHROMIUM))
      << WFSIM_CHROMIUM << " is not installed: scripts/install-deps.sh installs Debian's chromium";
  const fs::path dir = WFSIM_REPORT_ARTIFACTS;
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path run_file = dir / "run.h5", page = dir / "report.html";

  const CommandResult run = run_lancashire(kScenarios, 40, run_file, dir / "run.stderr");
  ASSERT_EQ(run.exit_status, 0) << run.stderr_text;
  const CommandResult report =
      run_wfsim(fmt::format("report {} -o {}", shell_quote(run_file.string()), shell_quote(page.string())),
                dir / "report.stderr");
  ASSERT_EQ(report.exit_status, 0) << report.stderr_text;

  // Load the page and dump the DOM as the browser built it.
  const fs::path dom_file = dir / "dom.html", log_file = dir / "chromium.log";
  ASSERT_EQ(exit_status(fmt::format("{} >{} 2>{}", chromium_command(dir / "profile-dom", "--dump-dom", page),
                                    shell_quote(dom_file.string()), shell_quote(log_file.string()))),
            0)
      << read_text(log_file);
  const std::string dom = read_text(dom_file);
  const std::string log = read_text(log_file);
  ASSERT_NE(dom.find("</html>"), std::string::npos) << "no DOM from chromium:\n" << log;
  ASSERT_NE(dom.find("id=\"headline-table\""), std::string::npos);

  // Chromium logs each page console message as a CONSOLE line; the page has no script, so none may appear.
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(line.find("CONSOLE"), std::string::npos) << line;
    EXPECT_EQ(line.find("Uncaught"), std::string::npos) << line;
    EXPECT_EQ(line.find("Content Security Policy"), std::string::npos) << line;
  }

  // The headline numbers in the DOM are the file's, and the text shown rounds them.
  const std::map<std::string, double> expected = expected_from_file(run_file);
  const std::map<std::string, ShownNumber> shown = shown_numbers(dom);
  EXPECT_EQ(shown.size(), expected.size());
  for (const auto& [key, value] : expected) {
    const auto found = shown.find(key);
    if (found == shown.end()) {
      ADD_FAILURE() << "the page does not show " << key;
      continue;
    }
    EXPECT_NEAR(found->second.value, value, 1e-9 * std::max(1.0, std::fabs(value))) << key;
    const auto [as_read, half_unit] = parse_shown(found->second.text);
    EXPECT_NEAR(as_read, value, half_unit * 1.000001 + 1e-9)
        << key << " shows '" << found->second.text << "'";
  }

  // What a reader sees first, and the page as printed on A4.
  const fs::path screenshot = dir / "report-first-screen.png", pdf = dir / "report-a4.pdf";
  ASSERT_EQ(
      run_chromium_quietly(
          dir / "profile-shot",
          fmt::format("--screenshot={} --window-size=1240,1754", shell_quote(screenshot.string())), page),
      0);
  EXPECT_GT(fs::file_size(screenshot), 20'000u) << screenshot;
  ASSERT_EQ(run_chromium_quietly(
                dir / "profile-pdf",
                fmt::format("--no-pdf-header-footer --print-to-pdf={}", shell_quote(pdf.string())), page),
            0);
  EXPECT_EQ(read_text(pdf).substr(0, 5), "%PDF-");
  std::error_code ignored;
  for (const char* profile : {"profile-dom", "profile-shot", "profile-pdf"})
    fs::remove_all(dir / profile, ignored);
  std::cout << "screenshot: " << screenshot.string() << "\nA4 print: " << pdf.string() << '\n';
}

}  // namespace
