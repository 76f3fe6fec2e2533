// wfsim report as a user runs it: the real binary over a real run of the
// baseline, the strategy and three single levers; the page, the CSV and the
// Markdown it writes; and refusal of files that are not finished runs.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "hdf5_read.hpp"
#include "model/metrics.hpp"
#include "output/run_file_reader.hpp"
#include "report/report.hpp"
#include "report/svg_chart.hpp"
#include "report_page.hpp"
#include "run/comparison.hpp"
#include "source_path.hpp"
#include "suite_scratch_directory.hpp"

namespace {

namespace fs = std::filesystem;
using namespace wfsim;
using namespace wfsim::test;

const std::vector<std::string> kScenarios = {"baseline", "strategy", "retention_payment", "market_supplement",
                                             "caseload_cap"};
constexpr int kReplications = 40;
constexpr int kCharts = 9;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

// data-key -> data-value of every headline number on the page.
std::map<std::string, double> headline_values(const std::string& html) {
  std::map<std::string, double> values;
  for (const auto& [key, shown] : shown_numbers(html)) values[key] = shown.value;
  return values;
}

// One real run and one report, shared by the tests of this suite (per process).
class ReportCommand : public SuiteWithScratchDirectory<ReportCommand> {
 protected:
  static void SetUpTestSuite() {
    make_work_dir("wfsim_report");
    run_ = run_lancashire(kScenarios, kReplications, run_file(), work_dir() / "run.stderr");
    report_ =
        run_wfsim(fmt::format("report {} --csv {} --per-replication --markdown {}", shell_quote(run_file()),
                              shell_quote(csv_dir()), shell_quote(markdown_file())),
                  work_dir() / "report.stderr");
  }
  void SetUp() override {
    ASSERT_EQ(run_->exit_status, 0) << run_->stderr_text;
    ASSERT_EQ(report_->exit_status, 0) << report_->stderr_text;
  }

  static fs::path run_file() { return work_dir() / "run.h5"; }
  static fs::path html_file() { return work_dir() / "run.html"; }  // the default: the run file with .html
  static fs::path csv_dir() { return work_dir() / "csv"; }
  static fs::path markdown_file() { return work_dir() / "report.md"; }

  static inline std::optional<CommandResult> run_;
  static inline std::optional<CommandResult> report_;
};

TEST_F(ReportCommand, WritesThePageTheCsvAndTheMarkdown) {
  EXPECT_TRUE(fs::is_regular_file(html_file()));
  EXPECT_TRUE(fs::is_regular_file(markdown_file()));
  for (const char* name : {"summary.csv", "annual.csv", "differences.csv", "replications.csv"})
    EXPECT_TRUE(fs::is_regular_file(csv_dir() / name)) << name;
  for (const auto& entry : fs::directory_iterator(work_dir()))
    EXPECT_EQ(entry.path().string().find(".partial-"), std::string::npos) << "left behind: " << entry.path();
}

TEST_F(ReportCommand, PageLoadsNothingFromAnywhere) {
  const std::string html = read_text(html_file());
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@font-face"), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
}

TEST_F(ReportCommand, PageCarriesAnSvgFanChartPerChart) {
  const std::string html = read_text(html_file());
  EXPECT_EQ(count_of(html, "<svg class=\"fan\""), static_cast<std::size_t>(kCharts));
  for (const char* metric : {"permanent_qsw", "vacancies", "agency", "nqsw_share", "caseload_nqsw",
                             "caseload_early", "caseload_experienced", "burnout_mean", "cost_total"}) {
    EXPECT_NE(html.find(fmt::format("id=\"chart-{}\"", metric)), std::string::npos) << metric;
  }
  // Every option appears in every chart's legend and has a median line.
  for (const std::string& name : kScenarios)
    EXPECT_EQ(count_of(html, fmt::format("<title>{}: median</title>", name)),
              static_cast<std::size_t>(kCharts))
        << name;
  // Print: A4, charts kept whole.
  EXPECT_NE(html.find("size: A4"), std::string::npos);
  EXPECT_NE(html.find("break-inside: avoid"), std::string::npos);
}

// The points of every <path> in `group` of `svg`, each with its <title>.
struct DrawnPath {
  std::string title;
  std::vector<std::pair<double, double>> points;
};
std::vector<DrawnPath> drawn_paths(const std::string& svg, const std::string& group) {
  const std::size_t from = svg.find("<g class=\"" + group + "\">");
  const std::size_t to = svg.find("</g>", from);
  const std::string part = svg.substr(from, to - from);
  static const std::regex path(R"re(<path d="([^"]*)"[^>]*><title>([^<]*)</title>)re");
  static const std::regex point(R"([ML](-?[\d.]+) (-?[\d.]+))");
  std::vector<DrawnPath> paths;
  for (std::sregex_iterator it(part.begin(), part.end(), path), end; it != end; ++it) {
    DrawnPath drawn{(*it)[2], {}};
    const std::string d = (*it)[1];
    for (std::sregex_iterator p(d.begin(), d.end(), point); p != end; ++p)
      drawn.points.emplace_back(std::stod((*p)[1]), std::stod((*p)[2]));
    paths.push_back(std::move(drawn));
  }
  return paths;
}

TEST_F(ReportCommand, FanChartsDrawTheRunFilesQuantilesInScenarioOrder) {
  const std::string html = read_text(html_file());
  const output::RunFileReader reader(run_file());
  const std::vector<std::pair<std::string, double>> charts = {
      {"permanent_qsw", 1}, {"vacancies", 1},      {"agency", 1},       {"nqsw_share", 100},
      {"caseload_nqsw", 1}, {"caseload_early", 1}, {"burnout_mean", 1}, {"cost_total", 1e-3}};
  for (const auto& [metric, scale] : charts) {
    SCOPED_TRACE(metric);
    const std::size_t start = html.find(fmt::format("id=\"chart-{}\"", metric));
    ASSERT_NE(start, std::string::npos);
    const std::string svg = html.substr(start, html.find("</svg>", start) - start);

    // The y axis: gridlines at pixel heights, each labelled with its value.
    static const std::regex tick(
        R"re(y1="(-?[\d.]+)" x2="[\d.]+" y2="-?[\d.]+" stroke="#d0d0d0"[^>]*/><text[^>]*>([^<]+)</text>)re");
    std::vector<std::pair<double, double>> ticks;  // (pixel, value)
    for (std::sregex_iterator it(svg.begin(), svg.end(), tick), end; it != end; ++it) {
      std::string label = (*it)[2];
      label.erase(std::remove(label.begin(), label.end(), ','), label.end());
      ticks.emplace_back(std::stod((*it)[1]), std::stod(label));
    }
    ASSERT_GE(ticks.size(), 2u);
    const auto [y0, v0] = ticks.front();
    const auto [y1, v1] = ticks.back();
    const double per_pixel = (v1 - v0) / (y1 - y0);
    const auto value_at = [&](double y) { return v0 + (y - y0) * per_pixel; };
    // Pixel positions are written to 0.1: the drawn point and both ticks may each be 0.05 off.
    const double tolerance = 0.15 * std::abs(per_pixel) + 1e-9;

    const auto medians = drawn_paths(svg, "medians");
    const auto bands = drawn_paths(svg, "bands80");
    ASSERT_EQ(medians.size(), kScenarios.size());
    ASSERT_EQ(bands.size(), kScenarios.size());
    for (std::size_t k = 0; k < kScenarios.size(); ++k) {
      SCOPED_TRACE(kScenarios[k]);
      EXPECT_EQ(medians[k].title, kScenarios[k] + ": median");
      const auto& summary = reader.run().scenarios[k].summary(metric);
      ASSERT_EQ(reader.run().scenarios[k].name, kScenarios[k]);
      const auto p10 = summary.row("p10");
      const auto p50 = summary.row("p50");
      const auto p90 = summary.row("p90");
      const std::size_t months = p50.size();
      ASSERT_EQ(medians[k].points.size(), months);
      for (std::size_t t = 0; t < months; ++t)
        EXPECT_NEAR(value_at(medians[k].points[t].second), scale * p50[t], tolerance) << "month " << t;
      // The 80% band: p90 left to right, then p10 right to left.
      ASSERT_EQ(bands[k].points.size(), 2 * months);
      for (std::size_t t = 0; t < months; ++t) {
        EXPECT_NEAR(value_at(bands[k].points[t].second), scale * p90[t], tolerance) << "month " << t;
        EXPECT_NEAR(value_at(bands[k].points[2 * months - 1 - t].second), scale * p10[t], tolerance)
            << "month " << t;
      }
    }
  }
}

TEST_F(ReportCommand, SummaryCsvHasEveryMetricOfEveryScenarioForEveryMonth) {
  const output::RunFileReader reader(run_file());
  const auto lines = lines_of(read_text(csv_dir() / "summary.csv"));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front(), "scenario,metric,month,mean,p10,p25,p50,p75,p90");
  const std::size_t months = reader.run().months.size();
  EXPECT_EQ(months, 36u);
  EXPECT_EQ(lines.size() - 1, kScenarios.size() * model::kMetricCount * months);
  // Spot check: the first data row is the reference's first metric in the first month.
  EXPECT_EQ(lines.at(1).rfind("baseline,permanent_qsw,2015-11,", 0), 0u) << lines.at(1);
  EXPECT_EQ(read_text(csv_dir() / "summary.csv").find("\r\n"), lines.front().size()) << "RFC 4180: CRLF";
}

TEST_F(ReportCommand, AnnualAndDifferencesCsvHaveARowPerYearAndColumn) {
  const output::RunFileReader reader(run_file());
  const std::size_t years = reader.run().years.size();
  const auto annual = lines_of(read_text(csv_dir() / "annual.csv"));
  EXPECT_EQ(annual.front(), "scenario,table,year,mean,p10,p25,p50,p75,p90");
  EXPECT_EQ(annual.size() - 1, kScenarios.size() * 4 * years);

  std::size_t columns = 0;
  for (const auto& outcome : run::kOutcomes) columns += outcome.per_year() ? years : 1;
  const auto differences = lines_of(read_text(csv_dir() / "differences.csv"));
  EXPECT_EQ(differences.front(),
            "option,reference,outcome,column,mean,p10,p25,p50,p75,p90,probability_better");
  EXPECT_EQ(differences.size() - 1, (kScenarios.size() - 1) * columns);
  EXPECT_EQ(differences.at(1).rfind("strategy,baseline,net_loss,2015-11 to 2016-10,", 0), 0u)
      << differences.at(1);
}

TEST_F(ReportCommand, ReplicationsCsvHoldsEveryAnnualTableOfTheFileValueByValue) {
  const auto lines = lines_of(read_text(csv_dir() / "replications.csv"));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front(), "scenario,replication,year,outcome,value,units");
  const std::vector<std::string> tables = {"net_loss", "leavers", "starters", "turnover"};
  constexpr std::size_t kYears = 3;
  ASSERT_EQ(lines.size() - 1, kScenarios.size() * tables.size() * kReplications * kYears);

  // Read here without the reader: scenario|outcome -> values [replication, year] and units.
  test_h5::h5::File file(test_h5::must(H5Fopen(run_file().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open"));
  std::map<std::string, std::pair<std::vector<double>, std::string>> annual;
  for (const std::string& s : kScenarios) {
    for (const std::string& t : tables) {
      const std::string path = "/scenarios/" + s + "/annual/" + t;
      test_h5::h5::Dataset dataset(test_h5::must(H5Dopen2(file.get(), path.c_str(), H5P_DEFAULT), path));
      annual[s + "|" + t] = {test_h5::read_doubles(dataset.get()),
                             test_h5::read_string_attribute(dataset.get(), "units")};
    }
  }
  const std::vector<std::string> years = {"2015-11 to 2016-10", "2016-11 to 2017-10", "2017-11 to 2018-10"};
  std::map<std::string, int> rows_per_table;
  int mismatches = 0;
  for (std::size_t k = 1; k < lines.size(); ++k) {
    std::vector<std::string> fields;
    std::istringstream line(lines[k]);
    for (std::string field; std::getline(line, field, ',');) fields.push_back(field);
    ASSERT_EQ(fields.size(), 6u) << lines[k];
    const auto& [values, units] = annual.at(fields[0] + "|" + fields[3]);
    const auto year =
        static_cast<std::size_t>(std::find(years.begin(), years.end(), fields[2]) - years.begin());
    ASSERT_LT(year, kYears) << lines[k];
    const double expected = values.at(std::stoul(fields[1]) * kYears + year);
    const double value = fields[4].empty() ? std::nan("") : std::strtod(fields[4].c_str(), nullptr);
    const bool same = value == expected || (std::isnan(value) && std::isnan(expected));
    if ((!same || fields[5] != units) && mismatches++ < 5)
      ADD_FAILURE() << lines[k] << ": the file holds " << expected << " " << units;
    ++rows_per_table[fields[0] + "|" + fields[3]];
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(rows_per_table.size(), annual.size());
  for (const auto& [table, rows] : rows_per_table) EXPECT_EQ(rows, kReplications * 3) << table;
}

TEST_F(ReportCommand, PerReplicationNeedsCsv) {
  const CommandResult result =
      run_wfsim(fmt::format("report {} -o {} --per-replication", shell_quote(run_file()),
                            shell_quote(work_dir() / "alone.html")),
                work_dir() / "alone.stderr");
  EXPECT_NE(result.exit_status, 0);
  EXPECT_NE(result.stderr_text.find("--csv"), std::string::npos) << result.stderr_text;
  EXPECT_FALSE(fs::exists(work_dir() / "alone.html"));
}

TEST_F(ReportCommand, MarkdownTableHasOneRowPerScenario) {
  const auto lines = lines_of(read_text(markdown_file()));
  std::vector<std::string> rows;
  for (const std::string& line : lines)
    if (line.rfind("| ", 0) == 0) rows.push_back(line);
  ASSERT_EQ(rows.size(), kScenarios.size() + 1) << "header and one row per scenario";
  for (std::size_t k = 0; k < kScenarios.size(); ++k)
    EXPECT_EQ(rows[k + 1].rfind("| " + kScenarios[k], 0), 0u) << rows[k + 1];
  std::size_t options = 0, gaps = 0;
  for (const std::string& line : lines) {
    if (line.rfind("- With ", 0) != 0) continue;
    ++(line.find(" at the end, about ") != std::string::npos ? gaps : options);
  }
  EXPECT_EQ(options, kScenarios.size() - 1) << "a sentence per option";
  EXPECT_EQ(gaps, kScenarios.size()) << "the service gap of every scenario";
}

TEST_F(ReportCommand, WhatDiffersNamesEachLeversParameters) {
  const std::string html = read_text(html_file());
  const auto section_of = [&](const std::string& name) {
    const std::size_t from = html.find(fmt::format("id=\"differs-{}\"", name));
    if (from == std::string::npos) return std::string();
    const std::size_t to = html.find("</div>", from);
    return html.substr(from, to - from);
  };
  const std::string retention = section_of("retention_payment");
  EXPECT_NE(retention.find("policies.retention_payment.amount_gbp"), std::string::npos);
  EXPECT_NE(retention.find("Policies added: <code>retention_payment</code>"), std::string::npos);
  EXPECT_EQ(retention.find("market_supplement"), std::string::npos);
  EXPECT_NE(section_of("caseload_cap").find("policies.caseload_cap.cases.nqsw"), std::string::npos);
  EXPECT_NE(section_of("market_supplement").find("policies.market_supplement.gbp_per_year.social_worker"),
            std::string::npos);
  const std::string strategy = section_of("strategy");
  for (const char* key : {"policies.retention_payment.amount_gbp", "policies.extra_posts.social_work_posts",
                          "policies.work_life.extra_leave_days", "policies.mobility.moves_in_per_month"})
    EXPECT_NE(strategy.find(key), std::string::npos) << key;
  EXPECT_EQ(section_of("baseline"), "") << "the reference is not compared with itself";
}

TEST_F(ReportCommand, HeadlineNumbersAreTheRunFilesNumbers) {
  const output::RunFileReader reader(run_file());
  const report::Headline headline = report::compute_headline(reader);
  std::map<std::string, double> expected;
  const auto add = [&](std::string measure, const std::string& scenario, std::size_t column,
                       const report::Interval& v) {
    expected[fmt::format("{}|{}|{}|mean", measure, scenario, column)] = v.mean;
    expected[fmt::format("{}|{}|{}|p10", measure, scenario, column)] = v.p10;
    expected[fmt::format("{}|{}|{}|p90", measure, scenario, column)] = v.p90;
  };
  ASSERT_EQ(headline.rows.size(), kScenarios.size());
  for (const report::HeadlineRow& row : headline.rows) {
    for (std::size_t y = 0; y < row.net_loss.size(); ++y) add("net_loss", row.scenario, y, row.net_loss[y]);
    add("vacancy_rate_end", row.scenario, 0, row.vacancy_rate_end);
    add("agency_rate_end", row.scenario, 0, row.agency_rate_end);
    add("nqsw_share_end", row.scenario, 0, row.nqsw_share_end);
    add("cost_against_establishment", row.scenario, 0, row.cost);
    if (row.extra_cost) add("extra_cost", row.scenario, 0, *row.extra_cost);
    if (row.cost_per_leaver_avoided)
      expected[fmt::format("cost_per_leaver_avoided|{}|0|value", row.scenario)] =
          *row.cost_per_leaver_avoided;
  }
  EXPECT_EQ(headline_values(read_text(html_file())), expected);

  // And those are the file's own numbers, read here without the reader.
  test_h5::h5::File file(test_h5::must(H5Fopen(run_file().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open"));
  const std::vector<double> net_loss =
      test_h5::read_doubles(file.get(), "/scenarios/retention_payment/annual/summary/net_loss");
  ASSERT_EQ(net_loss.size(), 6u * 3);
  EXPECT_EQ(expected.at("net_loss|retention_payment|2|mean"), net_loss[0 * 3 + 2]);
  EXPECT_EQ(expected.at("net_loss|retention_payment|2|p10"), net_loss[1 * 3 + 2]);
  EXPECT_EQ(expected.at("net_loss|retention_payment|2|p90"), net_loss[5 * 3 + 2]);
  const std::vector<double> vacancy =
      test_h5::read_doubles(file.get(), "/scenarios/strategy/summary/vacancy_rate");
  EXPECT_EQ(expected.at("vacancy_rate_end|strategy|0|mean"), vacancy[35]);
  const std::vector<double> extra =
      test_h5::read_doubles(file.get(), "/comparisons/strategy/summary/cost_against_establishment_total");
  EXPECT_EQ(expected.at("extra_cost|strategy|0|mean"), extra[0]);
}

TEST_F(ReportCommand, SentencesReadTheNumbersOfTheLastYear) {
  const output::RunFileReader reader(run_file());
  const report::Headline headline = report::compute_headline(reader);
  const auto sentences = report::plain_sentences(headline);
  // One per option, one per scenario for the service gap at the end, and one
  // for how much of the reference's range is the assumptions rather than
  // chance (the shipped scenarios draw them).
  ASSERT_EQ(sentences.size(), 2 * kScenarios.size());
  test_h5::h5::File file(test_h5::must(H5Fopen(run_file().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open"));
  // The gap sentence reads the file's last month and the first year's cohort.
  const std::string& gap = sentences.at(kScenarios.size() - 1);
  const std::vector<double> uncovered =
      test_h5::read_doubles(file.get(), "/scenarios/baseline/summary/uncovered_vacancies");
  const std::vector<double> unallocated =
      test_h5::read_doubles(file.get(), "/scenarios/baseline/summary/unallocated_cases");
  EXPECT_EQ(gap.rfind(fmt::format("With baseline at the end, about {} posts have nobody in them",
                                  std::lround(uncovered[35])),
                      0),
            0u)
      << gap;
  std::string cases = std::to_string(std::lround(unallocated[35]));
  for (std::size_t k = cases.size(); k > 3; k -= 3) cases.insert(k - 3, ",");
  EXPECT_NE(gap.find(fmt::format("about {} cases wait", cases)), std::string::npos) << gap;
  const std::vector<double> stayed =
      test_h5::read_doubles(file.get(), "/scenarios/baseline/series/cohort_nqsw_in_post_24");
  const std::vector<double> hired =
      test_h5::read_doubles(file.get(), "/scenarios/baseline/series/starters_nqsw");
  double share_sum = 0;
  int futures = 0;
  for (std::size_t r = 0; r * 36 < hired.size(); ++r) {
    double in_post = 0, starters = 0;
    for (std::size_t t = 0; t < 12; ++t) {
      in_post += stayed[r * 36 + t];
      starters += hired[r * 36 + t];
    }
    if (starters > 0) {
      share_sum += in_post / starters;
      ++futures;
    }
  }
  EXPECT_NE(
      gap.find(fmt::format("; {} in 10 of the newly qualified staff", std::lround(10 * share_sum / futures))),
      std::string::npos)
      << gap;
  const double share = test_h5::read_doubles(
      file.get(), "/scenarios/baseline/uncertainty/share_from_assumptions/net_loss_total")[0];
  EXPECT_NE(sentences.back().find(fmt::format("about {} in 10 comes from", std::lround(10 * share))),
            std::string::npos)
      << sentences.back();
  EXPECT_EQ(sentences.back().rfind("Of the 80% range of baseline's net loss over 3 years", 0), 0u)
      << sentences.back();
  const report::HeadlineRow& retention = headline.rows.at(2);
  ASSERT_EQ(retention.scenario, "retention_payment");
  const std::string& sentence = sentences.at(1);
  EXPECT_EQ(sentence.rfind("With retention_payment, the service is projected to ", 0), 0u) << sentence;
  EXPECT_NE(sentence.find("in the year to October 2018"), std::string::npos) << sentence;
  EXPECT_NE(sentence.find(fmt::format("{}", std::lround(std::fabs(retention.net_loss[2].mean)))),
            std::string::npos)
      << sentence;
  EXPECT_NE(sentence.find(fmt::format("does better in {} of 10 simulated futures",
                                      std::lround(10 * retention.net_loss_probability_better[2]))),
            std::string::npos)
      << sentence;
  EXPECT_NE(read_text(html_file()).find(report::html_escape(sentence)), std::string::npos);
  EXPECT_NE(read_text(markdown_file()).find(sentence), std::string::npos);
}

TEST_F(ReportCommand, ReaderReadsWhatTheRunWrote) {
  const output::RunFileReader reader(run_file());
  const output::RunRecord& run = reader.run();
  EXPECT_EQ(run.scenario_names, kScenarios);
  EXPECT_EQ(run.replications, kReplications);
  EXPECT_EQ(run.reference().name, "baseline");
  EXPECT_EQ(run.years.front(), "2015-11 to 2016-10");
  ASSERT_EQ(run.comparisons.size(), kScenarios.size() - 1);
  EXPECT_EQ(run.comparisons.front().option, "strategy");
  EXPECT_EQ(run.comparisons.front().summaries.size(), run::kOutcomes.size());
  for (const output::ScenarioRecord& s : run.scenarios) {
    EXPECT_EQ(s.summaries.size(), static_cast<std::size_t>(model::kMetricCount)) << s.name;
    EXPECT_EQ(s.summaries.front().name, "permanent_qsw");
    EXPECT_EQ(s.annual.size(), 4u);
    EXPECT_EQ(s.annual_summaries.front().name, "net_loss");
    EXPECT_NE(s.config_yaml.find(fmt::format("name: \"{}\"", s.name)), std::string::npos)
        << s.config_yaml.substr(0, 200);
  }
  EXPECT_EQ(reader.read_series("baseline", "leavers").size(), static_cast<std::size_t>(kReplications) * 36);
  EXPECT_THROW(reader.read_series("baseline", "no_such_metric"), std::out_of_range);
}

// ---- refusing what is not a finished run ------------------------------------

TEST_F(ReportCommand, IncompleteFileExitsWith2AndWritesNothing) {
  const fs::path incomplete = work_dir() / "incomplete.h5";
  fs::copy_file(run_file(), incomplete, fs::copy_options::overwrite_existing);
  {
    test_h5::h5::File file(test_h5::must(H5Fopen(incomplete.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "open"));
    test_h5::must(H5Adelete(file.get(), "complete"), "delete the attribute complete");
  }
  EXPECT_THROW(output::RunFileReader{incomplete}, output::RunFileInputError);
  const fs::path out = work_dir() / "incomplete_out";
  fs::create_directories(out);
  const CommandResult result = run_wfsim(
      fmt::format("report {} -o {} --csv {} --markdown {}", shell_quote(incomplete),
                  shell_quote(out / "page.html"), shell_quote(out / "csv"), shell_quote(out / "page.md")),
      out / "../incomplete.stderr");
  EXPECT_EQ(result.exit_status, 2) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("incomplete"), std::string::npos) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("complete = 1"), std::string::npos) << result.stderr_text;
  EXPECT_TRUE(fs::is_empty(out)) << "no output for an incomplete run";
  EXPECT_FALSE(fs::exists(work_dir() / "incomplete.html"));
}

TEST_F(ReportCommand, MissingOrForeignFileExitsWith2) {
  const fs::path missing = work_dir() / "missing.h5";
  CommandResult result =
      run_wfsim(fmt::format("report {}", shell_quote(missing)), work_dir() / "missing.stderr");
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_NE(result.stderr_text.find("does not exist"), std::string::npos) << result.stderr_text;
  EXPECT_FALSE(fs::exists(work_dir() / "missing.html"));

  const fs::path text = work_dir() / "not_hdf5.h5";
  std::ofstream(text) << "not a run file\n";
  result = run_wfsim(fmt::format("report {}", shell_quote(text)), work_dir() / "text.stderr");
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_NE(result.stderr_text.find("not an HDF5 file"), std::string::npos) << result.stderr_text;
  EXPECT_FALSE(fs::exists(work_dir() / "not_hdf5.html"));
}

TEST_F(ReportCommand, UnwritableDestinationExitsWith2) {
  const fs::path nowhere = work_dir() / "no_such_directory";
  CommandResult result =
      run_wfsim(fmt::format("report {} -o {}", shell_quote(run_file()), shell_quote(nowhere / "page.html")),
                work_dir() / "nowhere.stderr");
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_NE(result.stderr_text.find("does not exist"), std::string::npos) << result.stderr_text;

  // --csv below a regular file, and --markdown into a missing directory: nothing written at all.
  const fs::path page = work_dir() / "should_not_exist.html";
  result = run_wfsim(fmt::format("report {} -o {} --csv {}", shell_quote(run_file()), shell_quote(page),
                                 shell_quote(run_file() / "csv")),
                     work_dir() / "csv.stderr");
  EXPECT_EQ(result.exit_status, 2) << result.stderr_text;
  result = run_wfsim(fmt::format("report {} -o {} --markdown {}", shell_quote(run_file()), shell_quote(page),
                                 shell_quote(nowhere / "page.md")),
                     work_dir() / "md.stderr");
  EXPECT_EQ(result.exit_status, 2) << result.stderr_text;
  EXPECT_FALSE(fs::exists(page));
  EXPECT_FALSE(fs::exists(nowhere));
}

// ---- the pieces -----------------------------------------------------------------

TEST(ReportPieces, CsvFieldsFollowRfc4180) {
  EXPECT_EQ(report::csv_field("plain"), "plain");
  EXPECT_EQ(report::csv_field("2015-11 to 2016-10"), "2015-11 to 2016-10");
  EXPECT_EQ(report::csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(report::csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(report::csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(report::csv_field(""), "");
}

TEST(ReportPieces, HtmlTextIsEscaped) {
  EXPECT_EQ(report::html_escape("<b>Tom & \"Jerry's\"</b>"),
            "&lt;b&gt;Tom &amp; &quot;Jerry&#39;s&quot;&lt;/b&gt;");
}

TEST(ReportPieces, YearLabelsReadAsPlainEnglish) {
  EXPECT_EQ(report::year_phrase("2015-11 to 2016-10"), "the year to October 2016");
  EXPECT_EQ(report::year_phrase("2017-04 to 2018-03"), "the year to March 2018");
  EXPECT_EQ(report::year_heading("2015-11 to 2016-10"), "Year to Oct 2016");
  EXPECT_EQ(report::year_heading("odd"), "odd");
}

TEST(ReportPieces, ConfigDifferencesListEveryDottedKey) {
  const std::string reference =
      "name: baseline\ndescription: none\ndemand:\n  annual_growth: 0.05\n  shock: 1\n"
      "policies: {}\n";
  const std::string option =
      "name: bonus\ndescription: a bonus\ndemand:\n  annual_growth: 0.08\n  shock: 1\npolicies:\n"
      "  retention_payment:\n    amount_gbp: 2000\n    tenure_milestones_months: [24, 48]\n"
      "  extra_posts:\n    phases:\n      - {month: 2016-04, social_work_posts: 10}\n";
  const auto differences = report::config_differences(reference, option);
  std::map<std::string, std::pair<std::string, std::string>> by_key;
  for (const auto& d : differences) by_key[d.key] = {d.reference.value_or("-"), d.option.value_or("-")};
  EXPECT_EQ(by_key.count("name"), 0u);
  EXPECT_EQ(by_key.count("description"), 0u);
  EXPECT_EQ(by_key.count("demand.shock"), 0u);
  EXPECT_EQ(by_key.at("demand.annual_growth"), std::make_pair(std::string("0.05"), std::string("0.08")));
  EXPECT_EQ(by_key.at("policies.retention_payment.amount_gbp").second, "2000");
  EXPECT_EQ(by_key.at("policies.retention_payment.tenure_milestones_months").second, "[24, 48]");
  EXPECT_EQ(by_key.at("policies.extra_posts.phases[0].social_work_posts").second, "10");
  EXPECT_EQ(by_key.count("policies"), 0u) << "an empty mapping differs only through its keys";
  EXPECT_EQ(report::added_policies(differences),
            (std::vector<std::string>{"retention_payment", "extra_posts"}));
  EXPECT_TRUE(report::removed_policies(differences).empty());
  EXPECT_TRUE(report::config_differences(option, option).empty());
  EXPECT_THROW(report::config_differences("a: [", option), std::runtime_error);
}

}  // namespace
