// wfsim expect: the analytic cross-check, the back-of-the-envelope view of a
// scenario: the expected-value Markov projection with feedback held fixed.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/markov_projection.hpp"
#include "cli/command_registry.hpp"
#include "cli/common.hpp"
#include "output/output_files.hpp"

namespace wfsim::cli {
namespace {

struct ExpectOptions {
  std::string scenario_file;
  std::string csv;
  std::optional<double> nqsw_starters;
  std::optional<double> experienced_starters;
};

void print_assumptions(const scenario::Scenario& s, const analysis::Projection& projection,
                       const ExpectOptions& options) {
  const auto& h = projection.held;
  std::cout << fmt::format("wfsim expect: {} ({})\n", s.name, s.file.string());
  std::cout << fmt::format(
      "Expected-value Markov projection: {} states (role x pq months 0-{}+ x tenure months 0-{}+ x step-up "
      "bond, trainees by months of training and tenure, exits); no random numbers.\n\n",
      projection.states, projection.pq_cap_months, projection.tenure_cap_months);
  if (!s.uncertain.empty()) {
    std::vector<std::string> paths;
    for (const auto& u : s.uncertain) paths.push_back(u.path);
    std::cout << fmt::format("{} uncertain parameter{} taken at {} mean: {}\n\n", paths.size(),
                             paths.size() == 1 ? "" : "s", paths.size() == 1 ? "its" : "their",
                             fmt::join(paths, ", "));
  }
  std::cout << "Held fixed at their month-0 values (the microsimulation lets them move):\n";
  std::cout << fmt::format(
      "  burnout of a worker of average resilience: newly qualified {:.3f}, 1-3 years {:.3f}, 3 years+ "
      "{:.3f}, practice managers {:.3f}\n"
      "    (leaving hazard x{:.2f}, x{:.2f}, x{:.2f}, x{:.2f}); entrants take it at once\n",
      h.burnout_by_band[0], h.burnout_by_band[1], h.burnout_by_band[2], h.practice_manager_burnout,
      h.burnout_hazard_multiplier_by_band[0], h.burnout_hazard_multiplier_by_band[1],
      h.burnout_hazard_multiplier_by_band[2], h.practice_manager_burnout_hazard_multiplier);
  std::cout << fmt::format(
      "  demand and caseloads: load ratio {:.2f}; supervision overstretch {:.2f} (grade 9 pass "
      "probability x{:.2f})\n",
      h.load_ratio, h.overstretch, h.ap_probability_factor);
  std::cout << fmt::format("  reputation {:.3f} (applicants x{:.2f})\n", h.reputation,
                           h.reputation_attraction_multiplier);
  std::cout << "  so policies that act through demand, caseloads or strain change nothing after month 0\n";
  std::cout << "Recruitment as inflow, offers up to the open posts (mean field), no hiring-mix limit:\n";
  auto stream = [](const std::optional<double>& chosen, const char* kind) {
    return chosen ? fmt::format("  {}: {:g} starters a month, chosen (--starters-{})\n", kind, *chosen, kind)
                  : fmt::format(
                        "  {}: offers accepted before the start, then expected applicants x acceptance, "
                        "starting after the notice\n",
                        kind);
  };
  std::cout << stream(options.nqsw_starters, "nqsw") << stream(options.experienced_starters, "experienced");
  std::cout << "  practice managers: expected applicants x acceptance; internal moves (mobility) as they "
               "arrive\n";
  std::cout
      << "Left out: agency workers and their conversion to permanent posts; the management response "
         "(caseload ceilings, recruitment drive). Mean field (not exact): the grade 9 post limit, internal "
         "promotion to practice manager and offers up to the open posts.\n\n";
}

// The series `wfsim expect` shows, in its table and its CSV file (which
// names them as the run file does).
struct Column {
  model::Metric metric;
  std::string_view heading;
  int width;
  int decimals;
};
constexpr std::array kColumns = {
    Column{model::Metric::permanent_qsw, "permanent_qsw", 14, 1},
    Column{model::Metric::nqsw, "nqsw", 9, 1},
    Column{model::Metric::early, "early", 9, 1},
    Column{model::Metric::experienced, "experienced", 12, 1},
    Column{model::Metric::advanced_practitioners, "APs", 8, 1},
    Column{model::Metric::practice_managers, "PMs", 8, 1},
    Column{model::Metric::trainees, "trainees", 10, 1},
    Column{model::Metric::leavers, "leavers", 9, 2},
    Column{model::Metric::starters, "starters", 10, 2},
};

std::string month_label(const analysis::Projection& projection, std::size_t t) {
  return model::format_year_month(projection.start.plus_months(static_cast<int>(t)));
}

void print_table(const analysis::Projection& projection) {
  std::cout << fmt::format("{:<9}", "month");
  for (const Column& column : kColumns) std::cout << fmt::format("{:>{}}", column.heading, column.width);
  std::cout << '\n';
  for (std::size_t t = 0; t < projection.months.size(); ++t) {
    std::cout << fmt::format("{:<9}", month_label(projection, t));
    for (const Column& column : kColumns)
      std::cout << fmt::format("{:>{}.{}f}", projection.months[t][column.metric], column.width,
                               column.decimals);
    std::cout << '\n';
  }
  const auto net_loss = projection.annual_net_loss();
  std::cout << "\nExpected net loss of permanent qualified social workers (leavers - starters):\n";
  for (std::size_t y = 0; y < net_loss.size(); ++y) {
    const int first = static_cast<int>(12 * y);
    std::cout << fmt::format("  {} to {}{:>10.1f}\n",
                             model::format_year_month(projection.start.plus_months(first)),
                             model::format_year_month(projection.start.plus_months(first + 11)), net_loss[y]);
  }
  if (net_loss.empty()) std::cout << "  (the horizon is shorter than a year)\n";
}

std::string projection_csv(const analysis::Projection& projection) {
  std::string out = "month";
  for (const Column& column : kColumns)
    out += "," + std::string(model::kMetrics[static_cast<std::size_t>(index_of(column.metric))].name);
  out += '\n';
  for (std::size_t t = 0; t < projection.months.size(); ++t) {
    out += month_label(projection, t);
    for (const Column& column : kColumns) out += fmt::format(",{:.9g}", projection.months[t][column.metric]);
    out += '\n';
  }
  return out;
}

int expect(const ExpectOptions& options) {
  std::vector<scenario::Scenario> scenarios;
  if (!load_all({options.scenario_file}, scenarios)) return kExitInputError;
  if (!options.csv.empty()) {
    if (const std::string problem = output::output_directory_problem(options.csv); !problem.empty()) {
      std::cerr << fmt::format("wfsim: error: --csv {}: {}\n", options.csv, problem);
      return kExitInputError;
    }
  }
  const auto& s = scenarios.front();
  analysis::ProjectionOptions projection_options;
  projection_options.nqsw_starters_per_month = options.nqsw_starters;
  projection_options.experienced_starters_per_month = options.experienced_starters;
  const analysis::Projection projection = analysis::project(s.parameters, projection_options);

  print_assumptions(s, projection, options);
  print_table(projection);
  if (!options.csv.empty()) {
    output::write_file_whole(options.csv, projection_csv(projection));
    std::cerr << fmt::format("wrote {}\n", options.csv);
  }
  return 0;
}

const bool registered = register_command(40, [](CLI::App& app, const CommandLine&) -> Action {
  auto options = std::make_shared<ExpectOptions>();
  auto* sub = app.add_subcommand(
      "expect",
      "Expected-value Markov projection of a scenario with feedback held fixed (no random numbers)");
  add_input_files(*sub, "scenario", options->scenario_file, "Scenario YAML file");
  sub->add_option("--csv", options->csv, "Also write the monthly table to this CSV file");
  sub->add_option("--starters-nqsw", options->nqsw_starters,
                  "Expected newly qualified starters a month, replacing the applicant-derived inflow")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--starters-experienced", options->experienced_starters,
                  "Expected experienced starters a month, replacing the applicant-derived inflow")
      ->check(CLI::NonNegativeNumber);
  return [options] { return expect(*options); };
});

}  // namespace
}  // namespace wfsim::cli
