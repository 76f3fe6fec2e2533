// wfsim report --sensitivity as a user runs it: the real binary over a real
// run of the baseline and the strategy and a real tornado (and Morris) design
// of the strategy's difference; the "Which assumptions matter" section of the
// page and the Markdown, and refusal of sensitivity files that are not
// finished.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "hdf5_read.hpp"
#include "output/sensitivity_file.hpp"
#include "report/report.hpp"
#include "source_path.hpp"
#include "suite_scratch_directory.hpp"

namespace {

namespace fs = std::filesystem;
using namespace wfsim;
using namespace wfsim::test;

std::string scenario(const std::string& name) {
  return shell_quote(source_path("scenarios/lancashire-2015/" + name).string());
}

// The text between `from` and the next `to`, or "" if `from` is absent.
std::string between(const std::string& text, const std::string& from, const std::string& to,
                    std::size_t start = 0) {
  const std::size_t at = text.find(from, start);
  if (at == std::string::npos) return "";
  const std::size_t end = text.find(to, at + from.size());
  return text.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

// The value of attribute `name` in the tag that starts at `tag`.
std::string attribute(const std::string& tag, const std::string& name) {
  const std::string mark = " " + name + "=\"";
  const std::size_t at = tag.find(mark);
  if (at == std::string::npos) return "";
  const std::size_t from = at + mark.size();
  return tag.substr(from, tag.find('"', from) - from);
}

// Every <g class="tornado-bar" ...> start tag in a page section, in order.
std::vector<std::string> bar_tags(const std::string& section) {
  std::vector<std::string> tags;
  const std::string mark = "<g class=\"tornado-bar\"";
  for (std::size_t at = section.find(mark); at != std::string::npos; at = section.find(mark, at + 1))
    tags.push_back(section.substr(at, section.find('>', at) - at));
  return tags;
}

class ReportSensitivity : public SuiteWithScratchDirectory<ReportSensitivity> {
 protected:
  static void SetUpTestSuite() {
    make_work_dir("wfsim_report_sensitivity");
    const std::string scenarios = scenario("baseline.yaml") + " " + scenario("strategy.yaml");
    setup_.clear();  // from an earlier --gtest_repeat
    setup_.push_back(run_wfsim(
        fmt::format("run {} -n 20 --threads 2 -q -o {}", scenarios, shell_quote(run_file().string())),
        work_dir() / "run.stderr"));
    setup_.push_back(
        run_wfsim(fmt::format("sensitivity {} --ranges {} --design tornado -n 10 --threads 2 -q -o {}",
                              scenarios, scenario("ranges.yaml"), shell_quote(tornado_file())),
                  work_dir() / "tornado.stderr"));
    setup_.push_back(run_wfsim(
        fmt::format("sensitivity {} --ranges {} --design morris -n 5 --trajectories 2 --threads 2 -q -o {}",
                    scenarios, scenario("ranges.yaml"), shell_quote(morris_file())),
        work_dir() / "morris.stderr"));
    setup_.push_back(run_wfsim(
        fmt::format("report {} --sensitivity {} --sensitivity {} -o {} --markdown {}",
                    shell_quote(run_file()), shell_quote(tornado_file()), shell_quote(morris_file()),
                    shell_quote(html_file()), shell_quote(markdown_file())),
        work_dir() / "report.stderr"));
  }
  void SetUp() override {
    for (const CommandResult& result : setup_) ASSERT_EQ(result.exit_status, 0) << result.stderr_text;
  }

  static fs::path run_file() { return work_dir() / "run.h5"; }
  static fs::path tornado_file() { return work_dir() / "tornado.h5"; }
  static fs::path morris_file() { return work_dir() / "morris.h5"; }
  static fs::path html_file() { return work_dir() / "page.html"; }
  static fs::path markdown_file() { return work_dir() / "page.md"; }

  // One tornado bar per range the design read.
  static std::size_t ranges_in_file() {
    return YAML::LoadFile(source_path("scenarios/lancashire-2015/ranges.yaml").string())["parameters"].size();
  }

  static std::string section() {
    return between(read_text(html_file()), "<section id=\"sensitivity\">", "</section>");
  }
  static std::string tornado_part() { return between(section(), "id=\"sensitivity-1\"", "</div>"); }

  static inline std::vector<CommandResult> setup_;
};

TEST_F(ReportSensitivity, PageHasATornadoWithOneBarPerParameter) {
  const std::string html = section();
  ASSERT_FALSE(html.empty()) << "no sensitivity section";
  EXPECT_NE(html.find("<h2>Which assumptions matter</h2>"), std::string::npos);
  const output::SensitivityRecord tornado = output::read_sensitivity_file(tornado_file());
  ASSERT_EQ(tornado.info.design, "tornado");
  ASSERT_EQ(tornado.columns.parameters.size(), ranges_in_file());
  const std::string part = tornado_part();
  EXPECT_NE(part.find("<svg class=\"tornado\""), std::string::npos);
  EXPECT_EQ(count_of(part, "data-parameter=\""), tornado.columns.parameters.size());
  EXPECT_EQ(bar_tags(part).size(), tornado.columns.parameters.size());
  // The axis names the output and that it is the policy's difference from the reference.
  EXPECT_NE(part.find("net loss over the whole years of the horizon (headcount), strategy minus baseline"),
            std::string::npos);
  // Every parameter is named, with its range, on the chart.
  for (std::size_t k = 0; k < tornado.columns.parameters.size(); ++k)
    EXPECT_NE(part.find(fmt::format("{}</tspan>: {} to {}", tornado.columns.parameters[k],
                                    tornado.columns.low[k], tornado.columns.high[k])),
              std::string::npos)
        << tornado.columns.parameters[k];
  // Colour-blind safe and print friendly: the high side is hatched, not only another colour.
  EXPECT_NE(part.find("<pattern id=\"tornado-1-high\""), std::string::npos);
}

TEST_F(ReportSensitivity, BarValuesAreTheFilesValuesSortedBySwing) {
  // The file's numbers, read here without the report's reader.
  test_h5::h5::File file(test_h5::must(H5Fopen(tornado_file().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open"));
  const auto column = [&](const char* name) {
    test_h5::h5::Dataset dataset(
        test_h5::must(H5Dopen2(file.get(), fmt::format("/sensitivity/{}", name).c_str(), H5P_DEFAULT), name));
    return test_h5::read_doubles(dataset.get());
  };
  const std::vector<double> low = column("low"), high = column("high");
  const std::vector<double> output_low = column("output_low"), output_high = column("output_high");
  const output::SensitivityRecord tornado = output::read_sensitivity_file(tornado_file());
  const auto& names = tornado.columns.parameters;
  EXPECT_EQ(tornado.columns.output_low, output_low);
  EXPECT_EQ(tornado.columns.output_high, output_high);

  const auto tags = bar_tags(tornado_part());
  ASSERT_EQ(tags.size(), names.size());
  double previous_swing = INFINITY;
  std::vector<std::string> seen;
  for (const std::string& tag : tags) {
    const std::string name = attribute(tag, "data-parameter");
    const auto found = std::find(names.begin(), names.end(), name);
    ASSERT_NE(found, names.end()) << tag;
    const auto k = static_cast<std::size_t>(found - names.begin());
    EXPECT_EQ(std::strtod(attribute(tag, "data-output-low").c_str(), nullptr), output_low[k]) << name;
    EXPECT_EQ(std::strtod(attribute(tag, "data-output-high").c_str(), nullptr), output_high[k]) << name;
    EXPECT_EQ(std::strtod(attribute(tag, "data-low").c_str(), nullptr), low[k]) << name;
    EXPECT_EQ(std::strtod(attribute(tag, "data-high").c_str(), nullptr), high[k]) << name;
    const double swing = std::fabs(output_high[k] - output_low[k]);
    EXPECT_LE(swing, previous_swing) << name << ": bars sorted by swing, largest first";
    previous_swing = swing;
    seen.push_back(name);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end()) << "each parameter once";
}

TEST_F(ReportSensitivity, SentenceNamesTheLargestSwingFirst) {
  const output::SensitivityRecord tornado = output::read_sensitivity_file(tornado_file());
  const auto& c = tornado.columns;
  std::size_t top = 0;
  for (std::size_t k = 1; k < c.parameters.size(); ++k)
    if (std::fabs(c.output_high[k] - c.output_low[k]) > std::fabs(c.output_high[top] - c.output_low[top]))
      top = k;
  const std::string sentence = between(tornado_part(), "<p class=\"sensitivity-sentence\">", "</p>");
  ASSERT_FALSE(sentence.empty());
  const std::size_t most = sentence.find(" most are ");
  ASSERT_NE(most, std::string::npos) << sentence;
  EXPECT_EQ(sentence.find(c.parameters[top] + " ("), most + 10) << sentence;
  EXPECT_EQ(report::sensitivity_order(tornado).front(), top);
  // Three named, then what can flip the ranking, in words.
  const auto order = report::sensitivity_order(tornado);
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_NE(sentence.find(c.parameters[order[i]]), std::string::npos) << c.parameters[order[i]];
  EXPECT_NE(sentence.find("flip whether strategy or baseline does better"), std::string::npos) << sentence;
}

TEST_F(ReportSensitivity, MorrisTableIsSortedByMuStar) {
  const output::SensitivityRecord morris = output::read_sensitivity_file(morris_file());
  ASSERT_EQ(morris.info.design, "morris");
  const std::string part = between(section(), "id=\"sensitivity-2\"", "</div>");
  ASSERT_NE(part.find("<table class=\"morris\""), std::string::npos);
  EXPECT_EQ(count_of(part, "data-parameter=\""), morris.columns.parameters.size());
  double previous = INFINITY;
  const std::string mark = "<tr data-parameter=";
  for (std::size_t at = part.find(mark); at != std::string::npos; at = part.find(mark, at + 1)) {
    const std::string tag = part.substr(at, part.find('>', at) - at);
    const auto found = std::find(morris.columns.parameters.begin(), morris.columns.parameters.end(),
                                 attribute(tag, "data-parameter"));
    ASSERT_NE(found, morris.columns.parameters.end()) << tag;
    const auto k = static_cast<std::size_t>(found - morris.columns.parameters.begin());
    const double mu_star = std::strtod(attribute(tag, "data-mu-star").c_str(), nullptr);
    EXPECT_EQ(mu_star, morris.columns.mu_star[k]);
    EXPECT_EQ(std::strtod(attribute(tag, "data-mu").c_str(), nullptr), morris.columns.mu[k]);
    EXPECT_EQ(std::strtod(attribute(tag, "data-sigma").c_str(), nullptr), morris.columns.sigma[k]);
    EXPECT_LE(mu_star, previous);
    previous = mu_star;
  }
}

TEST_F(ReportSensitivity, MarkdownHasATornadoRowPerParameter) {
  const std::string markdown = read_text(markdown_file());
  const std::string part = between(markdown, "## Which assumptions matter", "morris design");
  ASSERT_FALSE(part.empty());
  const output::SensitivityRecord tornado = output::read_sensitivity_file(tornado_file());
  EXPECT_NE(
      part.find("| Parameter | Low | High | Output at low | Output at high | Swing | Can flip ranking |"),
      std::string::npos);
  EXPECT_EQ(count_of(part, "\n| `"), tornado.columns.parameters.size());
  const std::size_t top = report::sensitivity_order(tornado).front();
  EXPECT_NE(part.find(fmt::format("\n| `{}` |", tornado.columns.parameters[top])), std::string::npos);
}

TEST_F(ReportSensitivity, OptionCanComeBeforeTheRunFile) {
  const fs::path page = work_dir() / "before.html";
  const CommandResult result =
      run_wfsim(fmt::format("report --sensitivity {} {} -o {}", shell_quote(tornado_file()),
                            shell_quote(run_file()), shell_quote(page)),
                work_dir() / "before.stderr");
  ASSERT_EQ(result.exit_status, 0) << result.stderr_text;
  EXPECT_EQ(count_of(read_text(page), "<g class=\"tornado-bar\""), ranges_in_file());
}

TEST_F(ReportSensitivity, UnfinishedMissingOrForeignSensitivityFileExitsWith2AndWritesNothing) {
  const fs::path incomplete = work_dir() / "incomplete.h5";
  fs::copy_file(tornado_file(), incomplete, fs::copy_options::overwrite_existing);
  {
    test_h5::h5::File file(test_h5::must(H5Fopen(incomplete.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "open"));
    test_h5::must(H5Adelete(file.get(), "complete"), "delete the attribute complete");
  }
  EXPECT_THROW(output::read_sensitivity_file(incomplete), output::SensitivityFileInputError);

  const fs::path out = work_dir() / "refused";
  fs::create_directories(out);
  const auto report = [&](const fs::path& sensitivity, const char* name) {
    return run_wfsim(
        fmt::format("report {} --sensitivity {} -o {} --markdown {}", shell_quote(run_file()),
                    shell_quote(sensitivity), shell_quote(out / "page.html"), shell_quote(out / "page.md")),
        work_dir() / fmt::format("{}.stderr", name));
  };
  CommandResult result = report(incomplete, "incomplete");
  EXPECT_EQ(result.exit_status, 2) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("sensitivity file"), std::string::npos) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("incomplete"), std::string::npos) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("complete = 1"), std::string::npos) << result.stderr_text;

  result = report(work_dir() / "missing.h5", "missing");
  EXPECT_EQ(result.exit_status, 2) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("does not exist"), std::string::npos) << result.stderr_text;

  result = report(run_file(), "foreign");
  EXPECT_EQ(result.exit_status, 2) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("is not a wfsim sensitivity file"), std::string::npos)
      << result.stderr_text;

  EXPECT_TRUE(fs::is_empty(out)) << "no page and no Markdown for a refused sensitivity file";
}

}  // namespace
