// Input written to hurt: aliases that contain themselves or multiply, deep
// nesting, huge files and values, bytes that are not text, and files that
// are not scenarios at all. Each is refused with a located message that
// quotes at most a short excerpt, in well under a second.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "scenario/document.hpp"
#include "scenario/roster.hpp"
#include "scenario/scenario.hpp"
#include "scratch_directory.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using wfsim::scenario::ScenarioError;

// Sanitizers make everything several times slower; the limit is for release builds.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kRefusalSeconds = 10.0;
#else
constexpr double kRefusalSeconds = 1.0;
#endif

class HostileInput : public ::testing::Test {
 protected:
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path path = scratch_.path() / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // A scenario extending the shipped baseline with `text` after it.
  fs::path overlay(const std::string& text) const {
    return write(
        "overlay.yaml",
        fmt::format("extends: {}\n{}",
                    wfsim::test::source_path("scenarios/lancashire-2015/baseline.yaml").string(), text));
  }

  // Loads `file`, which must be refused; returns the message and checks the time taken.
  static std::string refusal(const fs::path& file) {
    const auto start = std::chrono::steady_clock::now();
    std::string message;
    try {
      wfsim::scenario::load_scenario(file);
      ADD_FAILURE() << file << " loaded";
    } catch (const ScenarioError& error) {
      message = error.what();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, kRefusalSeconds) << message;
    EXPECT_LT(message.size(), 600u) << message.substr(0, 600);
    return message;
  }

  wfsim::test::ScratchDirectory scratch_{"wfsim_hostile"};
};

TEST_F(HostileInput, AnAliasInsideTheNodeItNamesIsRefusedWhereItIs) {
  const std::string message = refusal(overlay("policies: &p {x: *p}\n"));
  EXPECT_NE(message.find("overlay.yaml:2:"), std::string::npos) << message;
  EXPECT_NE(message.find("*p refers to a node that contains it"), std::string::npos) << message;
  EXPECT_NE(refusal(overlay("demand: &d {initial_cases: *d}\n")).find("contains it"), std::string::npos);
}

TEST_F(HostileInput, AliasesThatMultiplyAreRefusedBeforeTheyExpand) {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level < 10; ++level) {
    std::string items;
    for (int k = 0; k < 9; ++k) items += fmt::format("{}*a{}", k ? ", " : "", level - 1);
    text += fmt::format("a{}: &a{} [{}]\n", level, level, items);
  }
  const std::string message = refusal(overlay(text));
  EXPECT_NE(message.find(fmt::format("aliases expand to more than {} values",
                                     wfsim::scenario::detail::kMaxAliasedNodes)),
            std::string::npos)
      << message;
}

TEST_F(HostileInput, DeepNestingIsRefused) {
  const std::string message =
      refusal(overlay("demand: " + std::string(100'000, '[') + std::string(100'000, ']') + "\n"));
  EXPECT_NE(message.find("overlay.yaml:2:"), std::string::npos) << message;
}

TEST_F(HostileInput, AFileOverTheLimitIsRefusedUnread) {
  const std::string message = refusal(
      overlay("description: \"" + std::string(wfsim::scenario::detail::kMaxYamlFileBytes, 'x') + "\"\n"));
  EXPECT_NE(message.find("wfsim reads scenario files of at most"), std::string::npos) << message;
}

TEST_F(HostileInput, ManyKeysJustUnderTheLimitAreRefusedInLinearTime) {
  std::string keys = "demand:\n";
  for (int k = 0; keys.size() < wfsim::scenario::detail::kMaxYamlFileBytes - 100; ++k)
    keys += fmt::format("  unknown_key_{}: 1\n", k);
  const std::string message = refusal(overlay(keys));
  EXPECT_NE(message.find("demand.unknown_key_0: unknown key"), std::string::npos) << message;
}

TEST_F(HostileInput, AHugeValueIsQuotedOnlyInPart) {
  const std::string message =
      refusal(overlay("demand:\n  initial_cases: \"" + std::string(200'000, '9') + "\"\n"));
  EXPECT_NE(message.find("demand.initial_cases"), std::string::npos) << message;
  EXPECT_NE(message.find("..."), std::string::npos) << message;
}

TEST_F(HostileInput, ANulCharacterCannotCutAPathShort) {
  const std::string message = refusal(write("nul.yaml", "extends: \"overlay.yaml\\0junk\"\n"));
  EXPECT_NE(message.find("nul.yaml:1:10: error: extends: the value holds a NUL character"), std::string::npos)
      << message;
}

TEST_F(HostileInput, TextThatIsNotUtf8OrHoldsControlCharactersIsRefused) {
  EXPECT_NE(refusal(overlay("description: \"caf\xe9\"\n")).find("description: the value is not valid UTF-8"),
            std::string::npos);
  EXPECT_NE(refusal(overlay("description: \"bell \\a\"\n")).find("control character \\x07"),
            std::string::npos);
  // A lone surrogate written as an escape is not a character either.
  EXPECT_NE(refusal(overlay("description: \"\\ud800\"\n")).find("overlay.yaml:2:"), std::string::npos);
}

TEST_F(HostileInput, OnlyYamlFilesAreReadAsScenarios) {
  const std::string message = refusal(write("other.yaml", "extends: /etc/passwd\n"));
  EXPECT_NE(message.find("extends: expected a scenario file (.yaml or .yml), got '/etc/passwd'"),
            std::string::npos)
      << message;
  EXPECT_NE(refusal(write("notes.txt", "months: 12\n")).find("is not a scenario file"), std::string::npos);
}

TEST_F(HostileInput, AFileWithoutScenarioKeysIsNamedNeverQuoted) {
  write("secrets.yaml", "password_of_the_admin: hunter2\nsecond_line: more secrets\n");
  const std::string message = refusal(write("child.yaml", "extends: secrets.yaml\n"));
  EXPECT_NE(message.find("secrets.yaml:1:1: error: the file holds no scenario"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  EXPECT_EQ(message.find("password"), std::string::npos) << message;
  EXPECT_EQ(refusal(write("plain.yaml", "just one secret line\n")).find("secret"), std::string::npos);
}

TEST_F(HostileInput, OnlyCsvFilesAreReadAsRosters) {
  write("staff.txt", "role,pq_months,tenure_months\nsocial_worker,1,1\n");
  const std::string message = refusal(overlay("workforce: {roster: staff.txt}\n"));
  EXPECT_NE(message.find("workforce.roster: expected a roster CSV file (.csv), got 'staff.txt'"),
            std::string::npos)
      << message;
}

TEST_F(HostileInput, ARosterThatIsNotARosterIsNamedNeverQuoted) {
  write("staff.csv", "root:x:0:0:secret:/root:/bin/bash\n");
  const std::string message = refusal(overlay("workforce: {roster: staff.csv}\n"));
  EXPECT_NE(message.find("names none of the roster's columns"), std::string::npos) << message;
  EXPECT_EQ(message.find("secret"), std::string::npos) << message;
}

TEST_F(HostileInput, AHugeRosterFieldIsQuotedOnlyInPart) {
  write("staff.csv", "role,pq_months,tenure_months\n" + std::string(1'500'000, 'x') + ",1,1\n");
  const std::string message = refusal(overlay("workforce: {roster: staff.csv}\n"));
  EXPECT_NE(message.find("staff.csv:2:1: error: role: unknown role 'xxxx"), std::string::npos) << message;
}

TEST_F(HostileInput, ARosterOverTheLimitIsRefusedUnread) {
  write("staff.csv",
        "role,pq_months,tenure_months\n" + std::string(wfsim::scenario::detail::kMaxRosterFileBytes, 'x'));
  const std::string message = refusal(overlay("workforce: {roster: staff.csv}\n"));
  EXPECT_NE(message.find("wfsim reads roster files of at most"), std::string::npos) << message;
}

TEST_F(HostileInput, ARosterOfMorePeopleThanTheLimitIsRefused) {
  std::string rows = "role,pq_months,tenure_months\n";
  for (int k = 0; k <= wfsim::scenario::detail::kMaxPeople; ++k) rows += "social_worker,40,20\n";
  write("staff.csv", rows);
  const std::string message = refusal(overlay("workforce: {roster: staff.csv}\n"));
  EXPECT_NE(
      message.find(fmt::format("a roster holds at most {} people", wfsim::scenario::detail::kMaxPeople)),
      std::string::npos)
      << message;
}

}  // namespace
