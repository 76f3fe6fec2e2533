// The what-if page's engine without the web: the option as a file over the
// reference (only what differs, canonically, the same messages as a file),
// and the cached, extended, cancellable runs giving the same numbers as one
// run of both scenarios.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "run/comparison.hpp"
#include "run/monte_carlo.hpp"
#include "scenario/analysis_files.hpp"
#include "scenario/json_schema.hpp"
#include "scenario/schema_catalogue.hpp"
#include "serve/option.hpp"
#include "serve/server.hpp"
#include "serve/whatif.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using namespace wfsim::scenario;
using namespace wfsim::serve;
using wfsim::test::test_scenario_path;

constexpr std::string_view kPayment = "policies.retention_payment";

class WhatIfOption : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / fmt::format("wfsim_whatif_{}", ::getpid());
    fs::create_directories(directory_);
    reference_ = load_scenario(test_scenario_path("valid_full.yaml"));
    with_policies_ = load_scenario(test_scenario_path("valid_all_policies.yaml"));
  }
  void TearDown() override { fs::remove_all(directory_); }

  // The retention payment block as valid_all_policies.yaml gives it.
  OptionRequest payment_request() const {
    OptionRequest request{"payment", "a payment", {}};
    for (const auto& [key, text] : key_texts(with_policies_.resolved_yaml, "all")) {
      if (key.starts_with(kPayment)) request.values[key] = text;
    }
    return request;
  }

  fs::path directory_;
  Scenario reference_;
  Scenario with_policies_;
};

TEST_F(WhatIfOption, NothingChangedSetsNothing) {
  const OptionBuilder builder(reference_, directory_);
  const BuiltOption option = builder.build({"same", "", {}});
  EXPECT_TRUE(option.values.empty());
  EXPECT_EQ(option.yaml.find("policies"), std::string::npos) << option.yaml;
  EXPECT_EQ(key_texts(option.scenario.resolved_yaml, "option"), builder.reference_values());
}

TEST_F(WhatIfOption, SetsOnlyTheKeysThatDifferAsTheResolvedScenarioWritesThem) {
  const OptionBuilder builder(reference_, directory_);
  OptionRequest request = payment_request();
  const std::string amount = std::string(kPayment) + ".amount_gbp";
  request.values[amount] = "2.5e3";  // read as 2500
  const std::string months_key = "months";
  request.values[months_key] = builder.reference_values().at(months_key);  // the reference's own value
  const BuiltOption option = builder.build(request);

  EXPECT_EQ(option.values.at(amount), "2500");
  EXPECT_FALSE(option.values.contains(months_key));
  for (const auto& [key, text] : option.values) EXPECT_TRUE(key.starts_with(kPayment)) << key;
  // Neither `months` nor the block's own key, which the keys inside it imply.
  EXPECT_FALSE(option.values.contains(std::string(kPayment)));
  EXPECT_EQ(option.values.size(), request.values.size() - 2);

  // Save writes exactly what ran: the file loads to the same scenario.
  std::ofstream(option.file) << option.yaml;
  const Scenario saved = load_scenario(option.file);
  EXPECT_EQ(saved.resolved_yaml, option.scenario.resolved_yaml);
  EXPECT_EQ(saved.name, "payment");
}

TEST_F(WhatIfOption, ABadValueGetsTheMessageAFileGets) {
  const OptionBuilder builder(reference_, directory_);
  OptionRequest request = payment_request();
  const std::string amount = std::string(kPayment) + ".amount_gbp";
  request.values[amount] = "-5";

  std::string from_page;
  std::string key;
  try {
    builder.build(request);
    FAIL() << "a negative payment was accepted";
  } catch (const ScenarioError& error) {
    from_page = message_without_location(error);
    key = error.key();
  }
  const fs::path file = directory_ / "bad.yaml";
  std::ofstream(file) << overlay_yaml_text(
      fs::relative(test_scenario_path("valid_full.yaml"), directory_).string(), "",
      {request.values.begin(), request.values.end()});
  try {
    load_scenario(file);
    FAIL() << "the file was accepted";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(from_page, message_without_location(error));
    EXPECT_EQ(key, error.key());
  }
  EXPECT_EQ(key, amount);
  EXPECT_NE(from_page.find("-5"), std::string::npos) << from_page;
}

TEST_F(WhatIfOption, RequestsNoFileCouldHoldAreRefusedWithTheirKey) {
  const OptionBuilder builder(reference_, directory_);
  const auto refused_at = [&](OptionRequest request) -> std::string {
    try {
      builder.build(request);
    } catch (const OptionError& error) {
      return error.key();
    }
    return "accepted";
  };
  EXPECT_EQ(refused_at({"a b", "", {}}), "name");
  EXPECT_EQ(refused_at({"../up", "", {}}), "name");
  EXPECT_EQ(refused_at({reference_.name, "", {}}), "name");
  EXPECT_EQ(refused_at({"ok", "two\nlines", {}}), "description");
  EXPECT_EQ(refused_at({"ok", "", {{"policies.no_such_lever", "{}"}}}), "policies.no_such_lever");
  EXPECT_EQ(refused_at({"ok", "", {{"name", "other"}}}), "name");
  const std::string amount = std::string(kPayment) + ".amount_gbp";
  EXPECT_EQ(refused_at({"ok", "", {{amount, "1\nattrition: {}"}}}), amount);
  EXPECT_EQ(refused_at({"ok", "", {{amount, std::string(5000, '1')}}}), amount);
  EXPECT_EQ(refused_at({"ok", "", {{"months", "24"}}}), "months");
}

TEST(JsonDepth, CountsNestingOutsideStrings) {
  EXPECT_TRUE(json_depth_within(R"({"a": [1, {"b": 2}]})", 3));
  EXPECT_FALSE(json_depth_within(R"({"a": [1, {"b": 2}]})", 2));
  EXPECT_TRUE(json_depth_within(R"({"a": "[[[[[[\"[[["})", 1));
  EXPECT_FALSE(json_depth_within(std::string(100000, '['), 8));
}

// ---- the runs ------------------------------------------------------------------

constexpr int kReplications = 24;
constexpr std::uint64_t kSeed = 7;

// Every runner here: the seed of the direct runs, two threads, at most 1000 replications, two options cached.
constexpr WhatIfSettings kRunnerSettings{kSeed, 2, 1000, 2};

// The figures as one run of both scenarios gives them: what `wfsim run` tallies and compares.
struct DirectRun {
  wfsim::run::OutcomeTally tally;
  wfsim::run::Comparison comparison;
};

DirectRun run_directly(const Scenario& reference, const Scenario& option) {
  DirectRun direct{wfsim::run::OutcomeTally(2, reference.parameters.time.months), {}};
  wfsim::run::MonteCarloSettings settings;
  settings.seed = kSeed;
  settings.replications = kReplications;
  settings.threads = 2;
  const std::vector<const wfsim::model::Parameters*> both{&reference.parameters, &option.parameters};
  wfsim::run::run_monte_carlo(both, settings,
                              [&](const wfsim::run::ResultBlock& block) { direct.tally.add(block); });
  direct.comparison = wfsim::run::compare(direct.tally, 1, 0);
  return direct;
}

void expect_same_figures(const nlohmann::json& figures, const DirectRun& direct) {
  ASSERT_EQ(figures["outcomes"].size(), static_cast<std::size_t>(wfsim::run::kOutcomeCount));
  for (int o = 0; o < wfsim::run::kOutcomeCount; ++o) {
    const auto& outcome = figures["outcomes"][static_cast<std::size_t>(o)];
    for (int c = 0; c < direct.tally.columns(o); ++c) {
      const auto& column = outcome["columns"][static_cast<std::size_t>(c)];
      const auto& d = direct.comparison.summaries[static_cast<std::size_t>(o)][static_cast<std::size_t>(c)];
      const auto same = [&](const nlohmann::json& shown, double expected, const char* what) {
        if (std::isnan(expected)) {
          EXPECT_TRUE(shown.is_null()) << outcome["name"] << " " << what;
        } else {
          EXPECT_EQ(shown.get<double>(), expected) << outcome["name"] << " " << c << " " << what;
        }
      };
      same(column["difference"]["mean"], d.difference.mean, "difference mean");
      same(column["difference"]["p10"], d.difference.p10, "difference p10");
      same(column["difference"]["p90"], d.difference.p90, "difference p90");
      same(column["probability_better"], d.probability_better, "probability better");
      const auto option = wfsim::run::summarise(direct.tally.values(1, o, c));
      same(column["option"]["mean"], option.mean, "option mean");
      same(column["option"]["p50"], option.p50, "option median");
      const auto reference = wfsim::run::summarise(direct.tally.values(0, o, c));
      same(column["reference"]["p90"], reference.p90, "reference p90");
    }
  }
}

TEST_F(WhatIfOption, RunsGiveTheNumbersOfOneRunOfBothWhateverWasCachedOrCancelled) {
  const OptionBuilder builder(reference_, directory_);
  const BuiltOption option = builder.build(payment_request());
  const DirectRun direct = run_directly(reference_, option.scenario);

  WhatIfRunner runner(reference_, kRunnerSettings);
  // Cancelled part way: what ran is kept, and the next run goes on from it.
  int looks = 0;
  EXPECT_THROW(runner.run(option, kReplications, [&] { return ++looks > 2; }), Cancelled);
  const auto half = runner.run(option, kReplications / 2, [] { return false; });
  EXPECT_EQ(half["replications"], kReplications / 2);
  const auto figures = runner.run(option, kReplications, [] { return false; });
  EXPECT_EQ(figures["replications"], kReplications);
  expect_same_figures(figures, direct);
  EXPECT_EQ(figures["charts"].size(), 3u);
  for (const auto& chart : figures["charts"]) {
    EXPECT_EQ(chart["replications"], kReplications);
    EXPECT_EQ(chart["svg"].get<std::string>().rfind("<svg", 0), 0u);
  }

  // Another option pushes nothing out of the reference's series.
  OptionRequest other = payment_request();
  other.values[std::string(kPayment) + ".amount_gbp"] = "4000";
  const BuiltOption second = builder.build(other);
  const DirectRun second_direct = run_directly(reference_, second.scenario);
  expect_same_figures(runner.run(second, kReplications, [] { return false; }), second_direct);
  EXPECT_THROW(runner.run(second, 1001, [] { return false; }), std::invalid_argument);
}

TEST_F(WhatIfOption, TheReferenceRunAheadOfTheFirstRequestChangesNoFigure) {
  const OptionBuilder builder(reference_, directory_);
  const BuiltOption option = builder.build(payment_request());
  const DirectRun direct = run_directly(reference_, option.scenario);

  // Run whole ahead of the request.
  WhatIfRunner ahead(reference_, kRunnerSettings);
  ahead.warm_up(kReplications, [] { return false; });
  expect_same_figures(ahead.run(option, kReplications, [] { return false; }), direct);

  // Stopped part way by a request: that request goes on from what was run.
  WhatIfRunner stopped(reference_, kRunnerSettings);
  int looks = 0;
  EXPECT_NO_THROW(stopped.warm_up(kReplications, [&] { return ++looks > 2; }));
  EXPECT_GT(looks, 2) << "the warm-up asked whether to stop";
  expect_same_figures(stopped.run(option, kReplications, [] { return false; }), direct);
}

// ---- the JSON Schema -----------------------------------------------------------

TEST(ScenarioJsonSchema, CarriesEveryKeyOfTheTableWithItsMeaningAndRange) {
  const auto schema = nlohmann::json::parse(scenario_json_schema());
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  for (const auto& entry : schema_entries()) {
    const nlohmann::json* node = &schema;
    std::string_view rest = entry.path;
    for (;;) {
      const std::size_t dot = rest.find('.');
      node = &(*node)["properties"][std::string(rest.substr(0, dot))];
      if (dot == std::string_view::npos) break;
      rest.remove_prefix(dot + 1);
    }
    ASSERT_TRUE(node->contains("description")) << entry.path;
    EXPECT_EQ((*node)["description"].get<std::string>().rfind(entry.description, 0), 0u) << entry.path;
    if (entry.type != SchemaEntry::Type::number) continue;
    const nlohmann::json& number = entry.certain_reason.empty() ? (*node)["anyOf"][0] : *node;
    EXPECT_EQ(number["type"], entry.number->integer ? "integer" : "number") << entry.path;
    if (std::isfinite(entry.number->min)) {
      EXPECT_EQ(number[entry.number->min_inclusive ? "minimum" : "exclusiveMinimum"], entry.number->min)
          << entry.path;
    }
    if (std::isfinite(entry.number->max)) {
      EXPECT_EQ(number[entry.number->max_inclusive ? "maximum" : "exclusiveMaximum"], entry.number->max)
          << entry.path;
    }
    if (entry.certain_reason.empty()) {
      EXPECT_EQ((*node)["anyOf"][1]["$ref"], "#/$defs/distribution");
    }
  }
}

TEST(KeyTexts, GiveEveryKeyOfAResolvedScenarioOnOneLine) {
  const Scenario scenario = load_scenario(test_scenario_path("valid_all_policies.yaml"));
  const auto texts = key_texts(scenario.resolved_yaml, "all");
  EXPECT_EQ(texts.at("policies.retention_payment"), "{}");
  EXPECT_EQ(texts.at("policies.retention_payment.tenure_milestones_months"), "[24, 48, 72]");
  EXPECT_EQ(texts.at("policies.retention_payment.roles"), "[advanced_practitioner, practice_manager]");
  for (const auto& [key, text] : texts) {
    EXPECT_EQ(text.find('\n'), std::string::npos) << key;
    EXPECT_NE(find_schema_entry(key), nullptr) << key;
  }
  // Written back as an overlay over nothing but themselves, they give the same scenario.
  const fs::path file = fs::temp_directory_path() / fmt::format("wfsim_key_texts_{}.yaml", ::getpid());
  std::ofstream(file) << overlay_yaml_text(
      fs::relative(test_scenario_path("valid_full.yaml"), file.parent_path()).string(), scenario.description,
      {texts.begin(), texts.end()});
  EXPECT_EQ(key_texts(load_scenario(file).resolved_yaml, "again"), texts);
  fs::remove(file);
}

}  // namespace
