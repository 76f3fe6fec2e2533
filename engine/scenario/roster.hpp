// Internal to the scenario module: the initial workforce as a roster CSV, one
// row a person, as a council's HR system exports it (docs/model.md, "Roster").
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "model/parameters.hpp"

namespace wfsim::scenario::detail {

// The most people a roster, or any one headcount or number of posts, may
// give: a council's workforce is a few hundred to a few thousand. It bounds
// a run's memory and the resolved YAML that embeds a roster.
inline constexpr int kMaxPeople = 20'000;
// The smallest FTE of a person.
inline constexpr double kMinFte = 0.01;

// Role names as the roster and the resolved YAML write them, in model::Role order.
const std::array<std::string, model::kRoleCount>& roster_role_names();

// Parses roster CSV text. `display` names the file in errors; `start` is the
// run's first month, which dates are counted back from. Throws ScenarioError
// located at the row (line in the file) and column (field number, 1-based),
// with the column's name as the key.
std::vector<model::RosterRow> parse_roster_csv(const std::string& text, const std::string& display,
                                               model::YearMonth start);

// Reads and parses the roster at `file`.
std::vector<model::RosterRow> read_roster_csv(const std::filesystem::path& file, model::YearMonth start);

// Sets the headcounts of `workforce` to the totals of its roster.
void set_roster_totals(model::WorkforceParameters& workforce);

}  // namespace wfsim::scenario::detail
