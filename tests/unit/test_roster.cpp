// The initial workforce from a roster CSV: dates become months before the
// start, the roster replaces counts across `extends`, the resolved YAML
// embeds it, broken rosters are located by row and column, and a run starts
// from exactly the roster's people.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "model/entry.hpp"
#include "model/metrics.hpp"
#include "model/simulation.hpp"
#include "model_fixture.hpp"
#include "scenario/roster.hpp"
#include "scenario/scenario.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using namespace wfsim::model;
using namespace wfsim::scenario;
using namespace wfsim::test;

// A directory of its own for each test, removed afterwards.
class RosterFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / fmt::format("wfsim_roster_{}_{}", ::getpid(), test->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  // A scenario extending tests/scenarios/valid_full.yaml (start 2015-11) with `workforce` lines.
  fs::path scenario_with(const std::string& workforce_lines) const {
    return write("scenario.yaml",
                 fmt::format("extends: {}\nworkforce:\n{}",
                             source_path("tests/scenarios/valid_full.yaml").string(), workforce_lines));
  }
  fs::path dir_;
};

int count_role(const std::vector<RosterRow>& roster, Role role) {
  return static_cast<int>(
      std::count_if(roster.begin(), roster.end(), [&](const RosterRow& row) { return row.role == role; }));
}

TEST(Roster, ShippedExampleHasTheBaselineCounts) {
  const Scenario roster = load_scenario(source_path("scenarios/lancashire-2015/baseline-roster.yaml"));
  const Scenario counts = load_scenario(source_path("scenarios/lancashire-2015/baseline.yaml"));
  const auto& w = roster.parameters.workforce;
  ASSERT_EQ(w.roster.size(), 666u);
  EXPECT_EQ(w.social_workers, counts.parameters.workforce.social_workers);
  EXPECT_EQ(w.advanced_practitioners, counts.parameters.workforce.advanced_practitioners);
  EXPECT_EQ(w.practice_managers, counts.parameters.workforce.practice_managers);
  EXPECT_EQ(w.trainees, counts.parameters.workforce.trainees);
  EXPECT_EQ(w.agency, counts.parameters.workforce.agency);
  EXPECT_EQ(count_role(w.roster, Role::agency), 60);
  EXPECT_EQ(initial_permanent_qsw(roster.parameters), initial_permanent_qsw(counts.parameters));
  // The roster replaced the inherited counts; everything else is inherited.
  EXPECT_TRUE(counts.parameters.workforce.roster.empty());
  EXPECT_EQ(roster.parameters.demand.initial_cases, counts.parameters.demand.initial_cases);
  for (const RosterRow& row : w.roster) {
    EXPECT_GE(row.pq_months, 0);
    EXPECT_GE(row.tenure_months, 0);
    EXPECT_TRUE(row.fte > 0 && row.fte <= 1);
  }
}

TEST_F(RosterFiles, DatesCountWholeCalendarMonthsBeforeTheStart) {
  write("staff.csv",
        "role,grade,qualified,start_date,fte\n"
        "social_worker,8,2015-11-30,2015-11-02,1\n"       // in the start month: 0
        "social_worker,Grade 8,2014-11,2015-10-31,0.5\n"  // a year; one month
        "advanced_practitioner,9,2005-12-01,2010-01-15,1\n"
        "practice_manager,,1995-11-01,2000-11-01,0.8\n"
        "trainee,,,2015-01-05,1\n"
        "agency,,2012-05-20,2015-08-01,1\n");
  const Scenario scenario = load_scenario(scenario_with("  roster: staff.csv\n"));
  const auto& roster = scenario.parameters.workforce.roster;
  ASSERT_EQ(roster.size(), 6u);
  const std::vector<std::vector<double>> expected{{0, 0, 0, 1},       {0, 12, 1, 0.5}, {1, 119, 70, 1},
                                                  {2, 240, 180, 0.8}, {3, 10, 10, 1},  {4, 42, 3, 1}};
  for (std::size_t i = 0; i < roster.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(static_cast<int>(roster[i].role), expected[i][0]);
    EXPECT_EQ(roster[i].pq_months, expected[i][1]);
    EXPECT_EQ(roster[i].tenure_months, expected[i][2]);
    EXPECT_EQ(roster[i].fte, expected[i][3]);
  }
  const auto& w = scenario.parameters.workforce;
  EXPECT_EQ(w.social_workers, (std::array<int, 3>{1, 1, 0}));
  EXPECT_EQ(w.advanced_practitioners, 1);
  EXPECT_EQ(w.practice_managers, 1);
  EXPECT_EQ(w.trainees, 1);
  EXPECT_EQ(w.agency, 1);
  EXPECT_EQ(initial_permanent_qsw(scenario.parameters), 4);
}

TEST(Roster, MonthColumnsHeadersInAnyOrderQuotesAndSpreadsheetHabits) {
  // A byte order mark, CRLF line ends, spaced and capitalised headers, quoted
  // fields, grades as roles, no fte column, a blank line and a trailing empty row.
  const std::string text =
      "\xEF\xBB\xBF"
      "Tenure Months, PQ-Months ,Role\r\n"
      "10,14,\"grade 8\"\r\n"
      "\r\n"
      "30,\"60\",Grade 9\r\n"
      "5,,Trainee\r\n"
      ",,\r\n";
  const auto roster = wfsim::scenario::detail::parse_roster_csv(text, "staff.csv", {2015, 11});
  ASSERT_EQ(roster.size(), 3u);
  EXPECT_EQ(roster[0].role, Role::social_worker);
  EXPECT_EQ(roster[0].pq_months, 14);
  EXPECT_EQ(roster[0].tenure_months, 10);
  EXPECT_EQ(roster[0].fte, 1.0);
  EXPECT_EQ(roster[1].role, Role::advanced_practitioner);
  EXPECT_EQ(roster[1].pq_months, 60);
  EXPECT_EQ(roster[2].role, Role::trainee);
  EXPECT_EQ(roster[2].pq_months, 5);  // a trainee's months of training done
}

struct BadRoster {
  const char* file;
  int line;
  int column;
  const char* key;
  const char* message;
};

// Every file in tests/bad_rosters, where its error is and what it says.
const BadRoster kBadRosters[] = {
    {"unknown_column.csv", 1, 3, "qualifed", "unknown column 'qualifed'; did you mean 'qualified'?"},
    {"bad_date.csv", 4, 3, "qualified", "expected a date as YYYY-MM-DD or YYYY-MM"},
    {"date_after_start.csv", 5, 4, "start_date", "is after the start of the run (2015-11)"},
    {"fte_zero.csv", 3, 5, "fte", "expected an FTE in [0.01, 1], got \"0\""},
    {"fte_above_one.csv", 6, 5, "fte", "expected an FTE in [0.01, 1], got \"1.5\""},
    {"missing_column.csv", 1, 1, "start_date", "missing column: the roster needs start_date"},
    {"unknown_role.csv", 4, 1, "role", "unknown role 'socail_worker'; did you mean 'social_worker'?"},
    {"wrong_field_count.csv", 5, 5, "fte", "expected 5 fields as in the header, got 4"},
    {"grade_disagrees.csv", 3, 2, "grade", "disagrees with the role advanced_practitioner"},
    {"trainee_qualified.csv", 3, 3, "qualified", "a step-up trainee has not qualified yet"},
    {"pq_months_not_whole.csv", 3, 2, "pq_months", "expected a whole number of months in 0..600"},
    {"no_header.csv", 1, 1, "", "the first row names none of the roster's columns"},
    {"qualified_and_pq_months.csv", 1, 3, "pq_months", "give qualified or pq_months, not both"},
    {"qualified_empty.csv", 4, 3, "qualified", "expected the date of qualifying"},
};

TEST(BadRosters, EachNamesFileRowColumnAndKey) {
  const fs::path dir = source_path("tests/bad_rosters");
  std::vector<std::string> listed;
  for (const BadRoster& bad : kBadRosters) {
    SCOPED_TRACE(bad.file);
    listed.emplace_back(bad.file);
    try {
      wfsim::scenario::detail::read_roster_csv(dir / bad.file, {2015, 11});
      ADD_FAILURE() << "read without error";
    } catch (const ScenarioError& error) {
      const std::string what = error.what();
      SCOPED_TRACE(what);
      EXPECT_EQ(fs::path(error.file()).filename(), bad.file);
      EXPECT_EQ(error.line(), bad.line);
      EXPECT_EQ(error.column(), bad.column);
      EXPECT_EQ(error.key(), bad.key);
      EXPECT_NE(what.find(fmt::format("{}:{}:{}: error: ", bad.file, bad.line, bad.column)),
                std::string::npos);
      EXPECT_NE(what.find(bad.message), std::string::npos);
    }
  }
  // Every broken roster is listed here, and has a scenario in tests/bad_scenarios
  // that runs it through the loader and the command line.
  std::vector<std::string> on_disk;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    on_disk.push_back(name);
    EXPECT_TRUE(
        fs::exists(source_path("tests/bad_scenarios") / ("roster_" + entry.path().stem().string() + ".yaml")))
        << name;
  }
  std::sort(listed.begin(), listed.end());
  std::sort(on_disk.begin(), on_disk.end());
  EXPECT_EQ(listed, on_disk);
  EXPECT_GE(on_disk.size(), 8u);
}

TEST_F(RosterFiles, ErrorsNameTheCsvPathRelativeToTheScenario) {
  write("staff.csv", "role,pq_months,tenure_months,fte\nsocial_worker,3,2,0\n");
  try {
    load_scenario(scenario_with("  roster: staff.csv\n"));
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(fs::path(error.file()), (dir_ / "staff.csv").lexically_normal());
    EXPECT_EQ(error.line(), 2);
    EXPECT_EQ(error.column(), 4);
    EXPECT_EQ(error.key(), "fte");
  }
}

TEST_F(RosterFiles, ResolvedYamlEmbedsTheRowsAndReloadsIdentical) {
  write("staff.csv",
        "role,pq_months,tenure_months,fte\n"
        "social_worker,3,2,0.6\n"
        "advanced_practitioner,61,40,1\n"
        "trainee,,4,1\n");
  const Scenario scenario = load_scenario(scenario_with("  roster: staff.csv\n"));
  const std::string& yaml = scenario.resolved_yaml;
  const std::size_t workforce = yaml.find("\nworkforce:\n");
  const std::size_t demand = yaml.find("\ndemand:\n");
  ASSERT_LT(workforce, demand);
  const std::string section = yaml.substr(workforce, demand - workforce);
  for (const char* key : {"roster:", "social_workers:", "advanced_practitioners:", "practice_managers:",
                          "trainees:", "agency:"}) {
    EXPECT_EQ(section.find(key), std::string::npos) << key << " in\n" << section;
  }
  EXPECT_NE(yaml.find("workforce:\n  roster_rows:\n    - [social_worker, 3, 2, 0.6]\n"
                      "    - [advanced_practitioner, 61, 40, 1]\n    - [trainee, 4, 4, 1]\n"),
            std::string::npos)
      << yaml;

  // Without the CSV: the run file's copy is enough.
  fs::remove(dir_ / "staff.csv");
  const Scenario reloaded = load_scenario_text(yaml, "stored.yaml");
  EXPECT_EQ(reloaded.resolved_yaml, yaml);
  const auto& a = scenario.parameters.workforce;
  const auto& b = reloaded.parameters.workforce;
  ASSERT_EQ(a.roster.size(), b.roster.size());
  for (std::size_t i = 0; i < a.roster.size(); ++i) {
    EXPECT_EQ(a.roster[i].role, b.roster[i].role);
    EXPECT_EQ(a.roster[i].pq_months, b.roster[i].pq_months);
    EXPECT_EQ(a.roster[i].tenure_months, b.roster[i].tenure_months);
    EXPECT_EQ(a.roster[i].fte, b.roster[i].fte);
  }
  EXPECT_EQ(a.social_workers, b.social_workers);
  EXPECT_EQ(a.trainees, b.trainees);
}

TEST(Roster, ShippedRosterScenarioRoundTripsThroughItsResolvedYaml) {
  const Scenario scenario = load_scenario(source_path("scenarios/lancashire-2015/baseline-roster.yaml"));
  const Scenario reloaded = load_scenario_text(scenario.resolved_yaml, "stored.yaml");
  EXPECT_EQ(reloaded.resolved_yaml, scenario.resolved_yaml);
  EXPECT_EQ(reloaded.parameters.workforce.roster.size(), 666u);
}

TEST_F(RosterFiles, CountsInAChildReplaceAnInheritedRoster) {
  const fs::path roster_yaml = source_path("scenarios/lancashire-2015/baseline-roster.yaml");
  const fs::path child =
      write("counts.yaml", fmt::format("extends: {}\nworkforce:\n"
                                       "  social_workers: {{nqsw: 10, early: 20, experienced: 30}}\n"
                                       "  advanced_practitioners: 4\n  practice_managers: 5\n"
                                       "  trainees: 0\n  agency: 6\n",
                                       roster_yaml.string()));
  const Scenario scenario = load_scenario(child);
  EXPECT_TRUE(scenario.parameters.workforce.roster.empty());
  EXPECT_EQ(scenario.parameters.workforce.social_workers, (std::array<int, 3>{10, 20, 30}));
  EXPECT_EQ(initial_permanent_qsw(scenario.parameters), 69);
  EXPECT_EQ(scenario.resolved_yaml.find("roster"), std::string::npos);
}

TEST(Roster, ChildOfARosterScenarioKeepsTheRoster) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("wfsim_roster_child_{}", ::getpid());
  fs::create_directories(dir);
  const fs::path child = dir / "child.yaml";
  std::ofstream(child) << fmt::format("extends: {}\nattrition:\n  burnout_coefficient: 1.0\n",
                                      source_path("scenarios/lancashire-2015/baseline-roster.yaml").string());
  const Scenario scenario = load_scenario(child);
  fs::remove_all(dir);
  EXPECT_EQ(scenario.parameters.workforce.roster.size(), 666u);
  EXPECT_EQ(scenario.parameters.attrition.burnout_coefficient, 1.0);
}

// A small roster with no flows in month 0 other than ageing: the month's
// stocks are the roster's people, one for one.
TEST(RosterRun, StartsFromExactlyTheRosterPeople) {
  Parameters p = baseline_parameters();
  p.workforce.roster = {{Role::social_worker, 0, 0, 1.0},
                        {Role::social_worker, 20, 10, 0.5},
                        {Role::social_worker, 50, 40, 1.0},
                        {Role::advanced_practitioner, 60, 30, 1.0},
                        {Role::practice_manager, 70, 70, 0.8},
                        {Role::trainee, 3, 3, 1.0},
                        {Role::agency, 30, 2, 1.0}};
  p.attrition.annual_rate_by_band = {0, 0, 0};
  p.attrition.practice_manager_annual_rate = 0;
  p.attrition.trainee_annual_rate = 0;
  p.progression.ap_monthly_probability = 0;
  p.progression.pm_internal_probability = 0;
  p.workforce.accepted_offers_nqsw = 0;
  p.workforce.accepted_offers_experienced = 0;
  p.recruitment.nqsw_applicants_per_month = 0;
  p.recruitment.experienced_applicants_per_month = 0;
  p.recruitment.practice_manager_applicants_per_month = 0;
  p.agency.new_workers_per_month = 0;
  p.agency.monthly_end_probability = 0;
  EXPECT_EQ(initial_permanent_qsw(p), 5);
  const auto series = run_series(p, 8, 42);
  for (int r = 0; r < series.replications; ++r) {
    SCOPED_TRACE(r);
    EXPECT_EQ(series.at(0, Metric::permanent_qsw, r, 0), 5);
    EXPECT_NEAR(series.at(0, Metric::permanent_qsw_fte, r, 0), 4.3, 1e-6);  // FTE is stored as float
    EXPECT_EQ(series.at(0, Metric::nqsw, r, 0), 1);
    EXPECT_EQ(series.at(0, Metric::early, r, 0), 1);
    EXPECT_EQ(series.at(0, Metric::experienced, r, 0), 2);
    EXPECT_EQ(series.at(0, Metric::advanced_practitioners, r, 0), 1);
    EXPECT_EQ(series.at(0, Metric::practice_managers, r, 0), 1);
    EXPECT_EQ(series.at(0, Metric::trainees, r, 0), 1);
    EXPECT_EQ(series.at(0, Metric::agency, r, 0), 1);
  }
}

// The run file's `initial` is the roster's permanent headcount, so the
// stock-flow identity holds from the first month.
TEST(RosterRun, StockFlowIdentityStartsFromTheRosterHeadcount) {
  const Scenario scenario = load_scenario(source_path("scenarios/lancashire-2015/baseline-roster.yaml"));
  const auto& roster = scenario.parameters.workforce.roster;
  const int permanent = count_role(roster, Role::social_worker) +
                        count_role(roster, Role::advanced_practitioner) +
                        count_role(roster, Role::practice_manager);
  EXPECT_EQ(permanent, 600);
  EXPECT_EQ(initial_permanent_qsw(scenario.parameters), permanent);
  const auto series = run_series(scenario.parameters, 20, 7);
  for (int r = 0; r < series.replications; ++r) {
    double previous = permanent;
    for (int t = 0; t < series.months; ++t) {
      const double now = series.at(0, Metric::permanent_qsw, r, t);
      EXPECT_EQ(now - previous, series.at(0, Metric::starters, r, t) - series.at(0, Metric::leavers, r, t))
          << "replication " << r << ", month " << t;
      previous = now;
    }
  }
}

}  // namespace
