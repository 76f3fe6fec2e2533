// Where the tests find the project's own files, wherever the build tree is.
#pragma once

#include <filesystem>
#include <string>

namespace wfsim::test {

// A file of the source tree, from its path relative to the top.
inline std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(WFSIM_SOURCE_DIR) / relative;
}

// A shipped scenario of scenarios/lancashire-2015 by name, without ".yaml".
inline std::filesystem::path lancashire_scenario_path(const std::string& name) {
  return source_path("scenarios/lancashire-2015/" + name + ".yaml");
}

// A scenario of tests/scenarios by file name.
inline std::filesystem::path test_scenario_path(const std::string& name) {
  return source_path("tests/scenarios") / name;
}

}  // namespace wfsim::test
