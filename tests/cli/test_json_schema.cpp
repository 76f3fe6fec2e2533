// `wfsim schema` checked with a real validator, Debian's python3-jsonschema:
// the schema is valid 2020-12, every shipped file passes it exactly when
// `wfsim validate` accepts it, and every broken scenario of the corpus fails
// it unless its fault is one a schema of one file cannot see (listed below
// with why, and held to passing so the list stays exact).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bad_scenario_cases.hpp"
#include "cli_runner.hpp"
#include "source_path.hpp"
#include "suite_scratch_directory.hpp"

namespace {

namespace fs = std::filesystem;
using namespace wfsim::test;

// Faults beyond a JSON Schema of one file, by broken scenario.
const std::map<std::string, std::string>& beyond_the_schema() {
  static const std::map<std::string, std::string> reasons = [] {
    std::map<std::string, std::string> out;
    const auto add = [&](const std::string& reason, std::initializer_list<const char*> names) {
      for (const char* name : names) out[name] = reason;
    };
    add("across files: extends", {"cycle_a.yaml", "cycle_b.yaml", "cycle_self.yaml", "extends_missing.yaml",
                                  "inherited_error_child.yaml"});
    add("a required key missing from a file that extends another, whose base may give it",
        {"policy_missing_required_field.yaml", "policy_missing_supplement_role.yaml",
         "roster_counts_incomplete.yaml"});
    add("across keys: a rule joining several values",
        {"destinations_not_summing.yaml", "policy_caseload_cap_no_band.yaml",
         "policy_hiring_mix_neither.yaml", "policy_shares_sum_to_one.yaml",
         "uncertain_shares_can_reach_one.yaml", "policy_milestones_not_increasing.yaml",
         "policy_phases_out_of_order.yaml"});
    add("months within the horizon, which start and months set",
        {"policy_start_after_horizon.yaml", "policy_start_before_run.yaml",
         "policy_start_outside_shortened_horizon.yaml", "shock_after_horizon.yaml", "shock_before_start.yaml",
         "shock_outside_shortened_horizon.yaml"});
    add("a distribution against its parameter's range",
        {"uncertain_beta_sd_too_large.yaml", "uncertain_bulk_outside_range.yaml",
         "uncertain_mean_outside_range.yaml", "uncertain_min_above_max.yaml"});
    add("the roster CSV a scenario names",
        {"roster_bad_date.yaml", "roster_date_after_start.yaml", "roster_file_missing.yaml",
         "roster_fte_above_one.yaml", "roster_fte_zero.yaml", "roster_grade_disagrees.yaml",
         "roster_missing_column.yaml", "roster_no_header.yaml", "roster_pq_months_not_whole.yaml",
         "roster_qualified_and_pq_months.yaml", "roster_qualified_empty.yaml",
         "roster_trainee_qualified.yaml", "roster_unknown_column.yaml", "roster_unknown_role.yaml",
         "roster_wrong_field_count.yaml"});
    // An infinite value is caught where its key has a maximum (infinite_number.yaml's has one).
    add("YAML that JSON cannot hold: duplicate keys and .nan",
        {"duplicate_key.yaml", "duplicate_top_level_key.yaml", "nan_number.yaml"});
    return out;
  }();
  return reasons;
}

class JsonSchema : public SuiteWithScratchDirectory<JsonSchema> {
 protected:
  static void SetUpTestSuite() {
    make_work_dir("wfsim_json_schema");
    const auto printed =
        run_program(WFSIM_BINARY, "schema", work_dir() / "schema.err", work_dir() / "schema.json");
    ASSERT_EQ(printed.exit_status, 0) << printed.stderr_text;
  }

  // file -> "valid", "invalid at KEY: ...", or "unreadable: ...", from python3-jsonschema.
  static std::map<std::string, std::string> validate(const std::vector<fs::path>& files) {
    std::string arguments =
        fmt::format("{} {}", shell_quote(source_path("tests/support/validate_json_schema.py")),
                    shell_quote((work_dir() / "schema.json").string()));
    for (const fs::path& file : files) arguments += fmt::format(" {}", shell_quote(file.string()));
    const auto result =
        run_program(WFSIM_PYTHON, arguments, work_dir() / "validate.err", work_dir() / "validate.out");
    EXPECT_EQ(result.exit_status, 0) << result.stderr_text;
    std::map<std::string, std::string> verdicts;
    std::istringstream lines(result.stdout_text);
    for (std::string line; std::getline(lines, line);) {
      for (const fs::path& file : files) {
        const std::string prefix = fmt::format("{}: ", file.string());
        if (line.rfind(prefix, 0) == 0) verdicts[file.string()] = line.substr(prefix.size());
      }
    }
    EXPECT_EQ(verdicts.size(), files.size()) << result.stdout_text;
    return verdicts;
  }
};

std::vector<fs::path> yaml_files(const fs::path& directory) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST_F(JsonSchema, ShippedFilesPassItExactlyWhenWfsimAcceptsThem) {
  std::vector<fs::path> files = yaml_files(source_path("scenarios/lancashire-2015"));
  const auto tests = yaml_files(source_path("tests/scenarios"));
  files.insert(files.end(), tests.begin(), tests.end());
  const auto verdicts = validate(files);
  int scenarios = 0, others = 0;
  for (const fs::path& file : files) {
    const bool accepted =
        run_wfsim(fmt::format("validate {}", shell_quote(file.string())), work_dir() / "wfsim.err")
            .exit_status == 0;
    const std::string& verdict = verdicts.at(file.string());
    EXPECT_EQ(verdict == "valid", accepted) << file << ": " << verdict;
    (accepted ? scenarios : others) += 1;
  }
  EXPECT_GE(scenarios, 20);
  std::cout << fmt::format(
      "JSON Schema: {} shipped scenarios valid; {} other files (targets, ranges) invalid\n", scenarios,
      others);
}

TEST_F(JsonSchema, BrokenScenariosFailItUnlessTheirFaultIsBeyondASchema) {
  std::vector<fs::path> files;
  for (const std::string& name : bad_scenario_names()) files.push_back(bad_scenario_dir() / name);
  const auto verdicts = validate(files);
  int rejected = 0;
  std::map<std::string, int> beyond;
  for (const fs::path& file : files) {
    const std::string name = file.filename().string();
    const std::string& verdict = verdicts.at(file.string());
    const auto reason = beyond_the_schema().find(name);
    if (reason == beyond_the_schema().end()) {
      EXPECT_NE(verdict, "valid") << name << " passes the schema";
      ++rejected;
    } else {
      EXPECT_EQ(verdict, "valid") << name << " is listed as beyond the schema (" << reason->second
                                  << ") but fails it: " << verdict;
      ++beyond[reason->second];
    }
  }
  for (const auto& [name, reason] : beyond_the_schema()) {
    EXPECT_TRUE(fs::exists(bad_scenario_dir() / name)) << name << " is listed but not in the corpus";
  }
  std::cout << fmt::format("JSON Schema: {} of {} broken scenarios fail it; beyond a schema of one file:\n",
                           rejected, files.size());
  for (const auto& [reason, count] : beyond) std::cout << fmt::format("  {:>2} {}\n", count, reason);
}

}  // namespace
