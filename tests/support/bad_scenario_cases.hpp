// The broken scenarios under tests/bad_scenarios and what each must report,
// read from the comments at the top of each file:
//   # expect: <line> <key>          line 1-based; key "-" for none (YAML syntax)
//   # expect-file: <name>           the error lives in another file of the chain
//   # expect-suggestion: <key>      an unknown key must suggest this one
//   # expect-message: <text>        the message must contain this text
#pragma once

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "source_path.hpp"

namespace wfsim::test {

struct BadScenarioCase {
  std::filesystem::path file;
  int line = 0;
  std::string key;
  std::string error_file;  // file name the error must name
  std::optional<std::string> suggestion;
  std::optional<std::string> message;
};

inline std::filesystem::path bad_scenario_dir() {
  return source_path("tests/bad_scenarios");
}

inline BadScenarioCase read_bad_scenario_case(const std::filesystem::path& file) {
  BadScenarioCase result;
  result.file = file;
  result.error_file = file.filename().string();
  std::ifstream in(file);
  std::string text;
  const auto value_of = [&](std::string_view prefix) -> std::optional<std::string> {
    if (text.rfind(prefix, 0) != 0) return std::nullopt;
    return text.substr(prefix.size());
  };
  while (std::getline(in, text) && text.rfind("#", 0) == 0) {
    if (auto expect = value_of("# expect: ")) {
      const std::size_t space = expect->find(' ');
      result.line = std::stoi(expect->substr(0, space));
      result.key = space == std::string::npos ? "-" : expect->substr(space + 1);
      if (result.key == "-") result.key.clear();
    } else if (auto other = value_of("# expect-file: ")) {
      result.error_file = *other;
    } else if (auto suggestion = value_of("# expect-suggestion: ")) {
      result.suggestion = *suggestion;
    } else if (auto message = value_of("# expect-message: ")) {
      result.message = *message;
    }
  }
  return result;
}

// Every .yaml file in tests/bad_scenarios, sorted by name.
inline std::vector<std::string> bad_scenario_names() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(bad_scenario_dir())) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A GoogleTest parameter name from a file name: letters, digits and '_'.
inline std::string test_name_of(const std::string& file_name) {
  std::string name = std::filesystem::path(file_name).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace wfsim::test
