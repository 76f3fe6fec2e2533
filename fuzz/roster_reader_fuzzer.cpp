// Fuzzes the roster CSV reader: every input must parse or throw
// ScenarioError; nothing else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario/roster.hpp"
#include "scenario/scenario_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    wfsim::scenario::detail::parse_roster_csv(text, "fuzz.csv", {2015, 11});
  } catch (const wfsim::scenario::ScenarioError&) {
    // A located refusal is the right answer to a bad roster.
  }
  return 0;
}
