// The what-if page as a person uses it, in Debian's chromium driven by
// puppeteer-core (tests/browser/whatif_page.mjs): the figures load from the
// page's own server and nowhere else; moving a policy's slider updates them
// (each change timed from the key press to the repainted figures); every
// figure says how many replications stand behind it; Save writes a file
// that `wfsim run` turns into the page's figures bit for bit; a bad value
// gets the message a file gets, beside its control. The screenshot and the
// timings are left in the build tree (WFSIM_WHATIF_ARTIFACTS).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "hdf5_read.hpp"
#include "run/comparison.hpp"
#include "run/statistics.hpp"
#include "scenario/analysis_files.hpp"
#include "scenario/scenario.hpp"
#include "scenario/schema_catalogue.hpp"
#include "serve/option.hpp"
#include "serve/whatif.hpp"
#include "serve_process.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using namespace wfsim::test;
using namespace wfsim::test_h5;

// Fewer under the sanitizers, where every replication costs many times more.
constexpr int kReplications = WFSIM_SANITIZED ? 20 : 200;
constexpr int kChanges = WFSIM_SANITIZED ? 3 : 20;
constexpr std::array<std::string_view, 6> kStatistics = {"mean", "p10", "p25", "p50", "p75", "p90"};

std::string baseline() {
  return lancashire_scenario_path("baseline").string();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return wfsim::run::quantile_sorted(values, 0.5);
}

fs::path artifacts() {
  const fs::path directory = WFSIM_WHATIF_ARTIFACTS;
  fs::create_directories(directory);
  return directory;
}

// Serves baseline and the shipped retention payment on `threads` threads and
// drives the page in `mode`; what the page saw.
Json drive_page(const std::string& mode, int threads) {
  if (!fs::exists(source_path("tests/browser/node_modules/puppeteer-core"))) {
    ADD_FAILURE() << "puppeteer-core is not installed: run scripts/install-deps.sh";
    return {};
  }
  const fs::path directory = artifacts() / fmt::format("{}-{}-threads", mode, threads);
  fs::remove_all(directory);
  fs::create_directories(directory);
  ServeProcess server({baseline(), lancashire_scenario_path("retention_payment").string(), "--threads",
                       std::to_string(threads), "-n", std::to_string(kReplications), "--idle-replications",
                       std::to_string(2 * kReplications), "--save-dir", (directory / "saved").string()},
                      directory);
  const auto driven =
      run_program("timeout",
                  fmt::format("600 {} {} {} {} {} {}", shell_quote(WFSIM_NODE),
                              shell_quote(source_path("tests/browser/whatif_page.mjs").string()),
                              shell_quote(server.url()), shell_quote(directory.string()), mode, kChanges),
                  directory / "node.err", directory / "node.out");
  EXPECT_EQ(driven.exit_status, 0) << driven.stderr_text;
  EXPECT_EQ(server.stop(), 0) << server.stderr_text();
  const fs::path seen = directory / fmt::format("whatif-{}.json", mode);
  if (!fs::exists(seen)) return {};
  Json page = Json::parse(read_text(seen));
  page["directory"] = directory.string();

  const std::vector<double> timings = page["timings"].get<std::vector<double>>();
  EXPECT_EQ(timings.size(), static_cast<std::size_t>(kChanges));
  const std::string report = fmt::format(
      "What-if page, {} thread(s), {} replications: control change to updated figures over {} changes: "
      "median "
      "{:.0f} ms, min {:.0f} ms, max {:.0f} ms; first figures after loading the page (the reference run "
      "too): "
      "{:.0f} ms\n",
      threads, kReplications, timings.size(), median(timings),
      *std::min_element(timings.begin(), timings.end()), *std::max_element(timings.begin(), timings.end()),
      page["firstFigures"].get<double>());
  std::cout << report;
  std::ofstream(artifacts() / fmt::format("timings-{}-threads.txt", threads)) << report;

  const Json& browser = page["seen"];
  EXPECT_TRUE(browser["pageErrors"].empty()) << browser["pageErrors"];
  EXPECT_TRUE(browser["foreignRequests"].empty()) << browser["foreignRequests"];
  EXPECT_TRUE(browser["failedRequests"].empty()) << browser["failedRequests"];
  EXPECT_TRUE(page["consoleBeforeBadValue"].empty()) << page["consoleBeforeBadValue"];
  return page;
}

double number(const Json& figures, const std::string& key) {
  if (!figures.contains(key)) {
    ADD_FAILURE() << "the page shows no " << key;
    return 0;
  }
  // The page writes each value with JavaScript's String(), the shortest text that reads back the same
  // double, and a missing one (NaN in the file) as null.
  const std::string text = figures[key];
  return text == "null" ? std::nan("") : std::strtod(text.c_str(), nullptr);
}

// Equal as doubles, or both missing (NaN in the file, "null" on the page).
void expect_same(double shown, double expected, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(shown)) << what;
  } else {
    EXPECT_EQ(shown, expected) << what;
  }
}

TEST(WhatIfPage, AMovedControlSavedAndRunByWfsimGivesThePagesFiguresBitForBit) {
  const Json page = drive_page("full", 2);
  ASSERT_TRUE(page.contains("figures"));
  const int replications = page["replications"];
  EXPECT_EQ(replications, 2 * kReplications) << "refined while idle";
  for (const auto& figure : page["replicationsShown"])
    EXPECT_EQ(figure["replications"], replications) << figure;
  EXPECT_EQ(page["charts"].size(), 3u);
  EXPECT_NE(page["status"].get<std::string>().find(fmt::format("{} simulated futures", replications)),
            std::string::npos);
  const fs::path directory = page["directory"].get<std::string>();
  EXPECT_GT(fs::file_size(directory / "whatif.png"), 20'000u);

  // The slider moved the payment away from the shipped scenario's.
  const std::string amount = page["slider"]["path"];
  const std::string option = page["option"];
  EXPECT_NE(page["optionYaml"].get<std::string>().find(
                fmt::format("amount_gbp: {}", page["sliderValue"].get<std::string>())),
            std::string::npos)
      << page["optionYaml"];

  // Save, then `wfsim run` as the page says.
  const fs::path saved = page["saved"]["file"].get<std::string>();
  ASSERT_TRUE(fs::exists(saved));
  const std::string command = page["saved"]["command"];
  EXPECT_NE(command.find(fmt::format("-n {} --seed {}", replications, page["seed"].get<std::string>())),
            std::string::npos)
      << command;
  const fs::path run_file = directory / "check.h5";
  const auto ran = run_wfsim(
      fmt::format("run {} {} -n {} --seed {} -q -o {}", shell_quote(baseline()), shell_quote(saved.string()),
                  replications, page["seed"].get<std::string>(), shell_quote(run_file.string())),
      directory / "run.err");
  ASSERT_EQ(ran.exit_status, 0) << ran.stderr_text;

  const Json& figures = page["figures"];
  h5::File file(must(H5Fopen(run_file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open the run file"));
  // Each scenario's outcomes, tallied from the file's series as `wfsim run` tallies them.
  const int months =
      static_cast<int>(read_doubles(file.get(), "/scenarios/baseline/series/leavers").size()) / replications;
  wfsim::run::OutcomeTally tally(2, months);
  wfsim::run::ResultBlock block;
  block.reset(0, replications, 2, months);
  const std::array<std::string, 2> scenarios = {"baseline", option};
  for (int s = 0; s < 2; ++s) {
    for (const auto metric : wfsim::serve::kept_metrics()) {
      const auto rows = read_doubles(
          file.get(), fmt::format("/scenarios/{}/series/{}", scenarios[static_cast<std::size_t>(s)],
                                  wfsim::model::kMetrics[wfsim::model::index_of(metric)].name));
      std::copy(rows.begin(), rows.end(), block.metric_rows(s, wfsim::model::index_of(metric)).begin());
    }
  }
  tally.add(block);

  int compared = 0;
  int in_headline = 0;
  int in_difference_table = 0;
  // The money the headline and the paired difference show: the policy's own
  // spending and spending against the establishment, as `wfsim run` prints.
  for (const std::string name : {"policy_spend_total", "cost_against_establishment_total"}) {
    EXPECT_TRUE(figures.contains(fmt::format("option/{}/0/mean", name))) << name << " not in the headline";
    EXPECT_TRUE(figures.contains(fmt::format("difference/{}/0/mean", name)))
        << name << " not in the paired difference";
  }
  for (int o = 0; o < wfsim::run::kOutcomeCount; ++o) {
    const std::string name(wfsim::run::kOutcomes[static_cast<std::size_t>(o)].name);
    const auto summary = read_doubles(file.get(), fmt::format("/comparisons/{}/summary/{}", option, name));
    const auto better =
        read_doubles(file.get(), fmt::format("/comparisons/{}/probability_better/{}", option, name));
    const int columns = tally.columns(o);
    ASSERT_EQ(summary.size(), kStatistics.size() * static_cast<std::size_t>(columns)) << name;
    for (int c = 0; c < columns; ++c) {
      // Every outcome in "Every outcome"; those of the headline and difference tables there too.
      for (const std::string table : {"all/", ""}) {
        if (table.empty() && !figures.contains(fmt::format("difference/{}/{}/mean", name, c))) continue;
        for (std::size_t k = 0; k < kStatistics.size(); ++k) {
          const std::string key = fmt::format("{}difference/{}/{}/{}", table, name, c, kStatistics[k]);
          expect_same(number(figures, key),
                      summary[k * static_cast<std::size_t>(columns) + static_cast<std::size_t>(c)], key);
        }
        expect_same(number(figures, fmt::format("{}better/{}/{}", table, name, c)),
                    better[static_cast<std::size_t>(c)], table + name + " better");
        if (table.empty()) ++in_difference_table;
      }
      for (int s = 0; s < 2; ++s) {
        const wfsim::run::Summary expected = wfsim::run::summarise(tally.values(s, o, c));
        const std::string side = s == 0 ? "reference" : "option";
        for (const std::string table : {"all/", ""}) {
          if (table.empty() && !figures.contains(fmt::format("{}/{}/{}/mean", side, name, c))) continue;
          for (const auto& [statistic, value] :
               {std::pair{"mean", expected.mean}, {"p10", expected.p10}, {"p90", expected.p90}}) {
            const std::string key = fmt::format("{}{}/{}/{}/{}", table, side, name, c, statistic);
            expect_same(number(figures, key), value, key);
          }
          if (table.empty()) ++in_headline;
        }
      }
      ++compared;
    }
  }
  h5::Group comparison(must(H5Gopen2(file.get(), fmt::format("/comparisons/{}", option).c_str(), H5P_DEFAULT),
                            "open the comparison"));
  const double per_leaver =
      read_scalar_attribute<double>(comparison.get(), "cost_per_leaver_avoided", H5T_NATIVE_DOUBLE);
  if (figures.contains("cost_per_leaver_avoided")) {
    expect_same(number(figures, "cost_per_leaver_avoided"), per_leaver, "cost per leaver avoided");
  } else {
    EXPECT_TRUE(std::isnan(per_leaver));
  }
  EXPECT_GT(in_headline, 0);
  EXPECT_GT(in_difference_table, 0);
  std::cout << fmt::format(
      "Save + wfsim run: {} outcome columns of {} replications ({} in the headline, {} in the paired "
      "difference), every figure equal bit for bit\n",
      compared, replications, in_headline, in_difference_table);

  // A bad value: the message a file gets, beside its control; the figures stay.
  const Json& bad = page["bad"];
  EXPECT_EQ(bad["problem"], amount);
  std::vector<std::pair<std::string, std::string>> values;
  for (const auto& [key, text] : wfsim::scenario::key_texts(read_text(saved), "saved")) {
    if (key.starts_with("policies.")) values.emplace_back(key, key == amount ? "-5" : text);
  }
  const fs::path bad_file = directory / "bad.yaml";
  std::ofstream(bad_file) << wfsim::scenario::overlay_yaml_text(fs::relative(baseline(), directory).string(),
                                                                "", values);
  try {
    wfsim::scenario::load_scenario(bad_file);
    ADD_FAILURE() << "a negative payment loaded from a file";
  } catch (const wfsim::scenario::ScenarioError& error) {
    EXPECT_EQ(bad["beside"], wfsim::serve::message_without_location(error));
  }
  EXPECT_GT(bad["figuresKept"].get<int>(), 0);
}

TEST(WhatIfPage, UpdatesOnOneThreadToo) {
  const Json page = drive_page("timing", 1);
  EXPECT_TRUE(page.contains("timings"));
}

}  // namespace
