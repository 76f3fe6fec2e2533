// Every numeric parameter at each end of its range, the others as in
// tests/scenarios/valid_all_policies.yaml (every lever on): the run file
// writer, which refuses infinities and NaN outside averages, takes every
// value the model gives. So each range keeps the outputs finite.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "output/run_file.hpp"
#include "run/monte_carlo.hpp"
#include "scenario/parameter_registry.hpp"
#include "scenario/scenario.hpp"
#include "scratch_directory.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using wfsim::scenario::NumericParameter;

// `a.b.c: value` as nested YAML under an `extends` of the base.
std::string overlay_yaml(const fs::path& base, const std::string& path, double value) {
  std::string text = fmt::format("extends: {}\n", base.string());
  std::string indent;
  std::size_t from = 0;
  for (std::size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', from)) {
    text += fmt::format("{}{}:\n", indent, path.substr(from, dot - from));
    indent += "  ";
    from = dot + 1;
  }
  return text + fmt::format("{}{}: {}\n", indent, path.substr(from), value);
}

double low_end(const NumericParameter& p) {
  if (p.min_inclusive) return p.min;
  return p.integer ? p.min + 1 : std::nextafter(p.min, p.max);
}

double high_end(const NumericParameter& p) {
  if (p.max_inclusive) return p.max;
  return p.integer ? p.max - 1 : std::nextafter(p.max, p.min);
}

// One replication of the scenario into a run file; throws what the writer throws.
void run_into_file(const wfsim::scenario::Scenario& scenario, const fs::path& file) {
  wfsim::output::RunInfo info;
  info.wfsim_version = "test";
  info.created_utc = "2026-01-01T00:00:00Z";
  info.seed = 7;
  info.replications = 1;
  info.months = scenario.parameters.time.months;
  info.start_month =
      fmt::format("{:04d}-{:02d}", scenario.parameters.time.start.year, scenario.parameters.time.start.month);
  wfsim::output::RunFileWriter writer(
      file, info, {{scenario.name, scenario.description, scenario.resolved_yaml, true, 0.0}});
  wfsim::run::MonteCarloSettings settings;
  settings.seed = 7;
  settings.replications = 1;
  settings.threads = 1;
  wfsim::run::run_monte_carlo({&scenario.parameters}, settings,
                              [&](const wfsim::run::ResultBlock& block) { writer.write_block(block); });
  writer.finish();
}

TEST(ParameterExtremes, EveryRangeEndGivesFiniteOutputs) {
  const fs::path base = wfsim::test::test_scenario_path("valid_all_policies.yaml");
  const wfsim::test::ScratchDirectory scratch("wfsim_extremes");
  const fs::path& directory = scratch.path();
  int tested = 0;
  std::vector<std::string> refused;  // ends a cross-field rule forbids with the base's other values
  for (const NumericParameter& parameter : wfsim::scenario::numeric_parameters()) {
    ASSERT_TRUE(std::isfinite(parameter.min) && std::isfinite(parameter.max))
        << parameter.path << " has no finite range";
    for (const double value : {low_end(parameter), high_end(parameter)}) {
      const fs::path overlay = directory / "overlay.yaml";
      std::ofstream(overlay) << overlay_yaml(base, parameter.path, value);
      wfsim::scenario::Scenario scenario;
      try {
        scenario = wfsim::scenario::load_scenario(overlay);
      } catch (const wfsim::scenario::ScenarioError& error) {
        refused.push_back(fmt::format("{} = {}: {}", parameter.path, value, error.what()));
        continue;
      }
      SCOPED_TRACE(fmt::format("{} = {}", parameter.path, value));
      EXPECT_NO_THROW(run_into_file(scenario, directory / "run.h5"));
      ++tested;
    }
  }
  // Only the few ends that break a rule about several fields at once go
  // untested (destination shares, demand shares, a one-month run, and the
  // extra posts' simple form, which the base gives by phases).
  EXPECT_GE(tested, 2 * static_cast<int>(wfsim::scenario::numeric_parameters().size()) - 16)
      << fmt::format("refused:\n{}", fmt::join(refused, "\n"));
}

}  // namespace
