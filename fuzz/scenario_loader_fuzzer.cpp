// Fuzzes the scenario loader with `extends`: the input is a scenario file
// beside copies of tests/bad_scenarios, tests/scenarios, tests/bad_rosters
// and the shipped Lancashire scenarios, so it can extend or name any of
// them. Every input must load or throw ScenarioError; nothing else.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "scenario/scenario.hpp"

namespace {

std::filesystem::path prepare() {
  const std::filesystem::path& root = wfsim::fuzz::working_directory();
  const std::filesystem::path bad = root / "tests/bad_scenarios";
  wfsim::fuzz::copy_source_folder("tests/bad_scenarios", bad);
  wfsim::fuzz::copy_source_folder("tests/scenarios", root / "tests/scenarios");
  wfsim::fuzz::copy_source_folder("tests/bad_rosters", root / "tests/bad_rosters");
  wfsim::fuzz::copy_source_folder("scenarios/lancashire-2015", root / "scenarios/lancashire-2015");
  // The shipped files extend each other by bare name: beside the input too.
  wfsim::fuzz::copy_source_folder("scenarios/lancashire-2015", bad);
  return bad / "fuzz_input.yaml";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path input = prepare();
  wfsim::fuzz::write_input(input, data, size);
  try {
    wfsim::scenario::load_scenario(input);
  } catch (const wfsim::scenario::ScenarioError&) {
    // A located refusal is the right answer to a bad file.
  }
  return 0;
}
