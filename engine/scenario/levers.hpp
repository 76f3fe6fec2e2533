// The levers file of `wfsim optimise` (docs/optimise.md): which policy
// blocks a package may switch on, which of their numbers may vary and over
// what range, the objective and the budget rule; and the packages it
// describes, written as scenario files that extend the reference. Read with
// the scenario module's located errors: every problem throws ScenarioError
// with file, line, column and key.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/parameters.hpp"
#include "scenario/scenario.hpp"

namespace wfsim::scenario {

// What a variable of a lever is.
enum class LeverVariableKind {
  amount,  // a number of the registry: pounds, a multiplier, a count of people
  month,   // a calendar month within the run, held as months after the start
  posts,   // a whole number of posts in a phase of extra_posts
};

// One number a lever may vary; several keys may share it (one supplement for
// two roles).
struct LeverVariable {
  std::vector<std::string> paths;  // full dotted paths, "policies.extra_posts.phases[0].social_work_posts"
  std::string label;               // for sentences: "payment"
  LeverVariableKind kind = LeverVariableKind::amount;
  std::string units;  // "GBP", "GBP per year", "posts", "month"
  bool integer = false;
  double min = 0;  // months: months after the start
  double max = 0;
  double start = 0;  // where the search starts: `start:`, else the cheaper end (min; a month: max)
  int line = 0;
};

// A policy block of the measures scenario a package may switch on.
struct Lever {
  std::string policy;    // "retention_payment"
  std::string label;     // for sentences: "retention payments"
  bool optional = true;  // false: switched on in every package; only its numbers vary
  std::vector<LeverVariable> variables;
  int line = 0;
};

// An outcome of the objective: the score is the sum over terms of weight x
// outcome, each outcome signed so that lower is better.
struct ObjectiveTerm {
  std::string outcome;  // a run::kOutcomes name
  double weight = 1;
};

enum class BudgetRule {
  mean,         // mean policy spend within the budget
  probability,  // the chance of spending more than the budget at most max_probability
};

struct Levers {
  std::filesystem::path file;
  std::string description;
  std::filesystem::path measures_file;  // as the levers file names it, resolved against the levers file
  std::string measures_yaml;            // the measures scenario, resolved
  model::TimeParameters time;           // the reference's horizon, for months
  std::vector<ObjectiveTerm> objective;
  BudgetRule budget_rule = BudgetRule::mean;
  double max_probability = 0;  // BudgetRule::probability
  std::vector<Lever> levers;

  std::size_t variable_count() const;
};

// What the loader needs of the outcomes the analysis layer defines.
struct ObjectiveOutcome {
  std::string_view name;
  bool allowed = true;       // false: e.g. undefined in some futures
  std::string_view why_not;  // when not allowed
};

// The most on/off levers one file may hold: 2^12 sets to enumerate.
inline constexpr int kMaxOptionalLevers = 12;

// Reads a levers file against the reference scenario the packages extend.
Levers load_levers(const std::filesystem::path& file, const Scenario& reference,
                   std::span<const ObjectiveOutcome> outcomes);
// The same from text; `directory` resolves `measures:`.
Levers load_levers_text(const std::string& yaml_text, const std::string& display_name,
                        const std::filesystem::path& directory, const Scenario& reference,
                        std::span<const ObjectiveOutcome> outcomes);

// One package: which levers are on and the value of each variable of every
// lever (ignored for levers off; months as months after the start).
struct Package {
  std::vector<bool> on;                     // per lever
  std::vector<std::vector<double>> values;  // per lever, per variable
};

// The text of a scenario file that `extends` the reference (the path given)
// and switches on the package's levers as the measures set them, with the
// package's values. `header` lines become comments at the top. Loading it
// with load_scenario_over(reference, ...) or from a file beside `extends`
// gives the package.
std::string package_yaml(const Levers& levers, const Package& package, const std::string& extends,
                         const std::string& description, const std::vector<std::string>& header = {});

// A variable's value as a scenario file writes it: "2,000" is "2000", a
// month "2016-04".
std::string format_lever_value(const Levers& levers, const LeverVariable& variable, double value);

}  // namespace wfsim::scenario
