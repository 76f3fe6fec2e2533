// The option the what-if page edits, as a scenario file: keys set over the
// reference, exactly as a file that `extends` it would set them, so the page
// meets the same schema, the same messages and the same numbers as a file.
#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace wfsim::serve {

// Dotted key -> one line of YAML.
using KeyTexts = std::map<std::string, std::string, std::less<>>;

// What the page asks for: the keys whose values differ from the reference
// (a policy block's own key with "{}" switches it on), as one-line YAML text.
struct OptionRequest {
  std::string name;  // the option's file stem: letters, digits, '-' and '_'
  std::string description;
  KeyTexts values;
};

// A request no scenario file could express, or a malformed one; `key` names
// the control at fault, empty when it is the request as a whole.
class OptionError : public std::runtime_error {
 public:
  OptionError(std::string key, const std::string& message)
      : std::runtime_error(message), key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

struct BuiltOption {
  std::filesystem::path file;  // where Save writes it
  std::string yaml;            // the file: `extends` the reference and sets only what differs, canonically
  KeyTexts values;             // the keys it sets
  scenario::Scenario scenario;
};

// Limits on what a request may hold.
inline constexpr std::size_t kMaxValueLength = 4096;
inline constexpr std::size_t kMaxDescriptionLength = 500;
inline constexpr std::size_t kMaxNameLength = 64;

class OptionBuilder {
 public:
  // `save_directory`: where options are saved, and so where their `extends`
  // is resolved from.
  OptionBuilder(const scenario::Scenario& reference, std::filesystem::path save_directory);

  // The option as a file over the reference. Throws OptionError for a
  // request no file could express (an unknown key, a value of several lines,
  // a policy of the reference switched off, another horizon) and
  // scenario::ScenarioError, with the key, for values the schema rejects.
  BuiltOption build(const OptionRequest& request) const;

  const KeyTexts& reference_values() const { return reference_values_; }
  const scenario::Scenario& reference() const { return reference_; }

 private:
  const scenario::Scenario& reference_;
  std::filesystem::path save_directory_;
  std::string extends_;  // the reference, relative to the save directory
  KeyTexts reference_values_;
};

// The message of a scenario error without its file and position, which name
// a file the page's user never sees: "key: what is wrong".
std::string message_without_location(const scenario::ScenarioError& error);

}  // namespace wfsim::serve
