#include "serve/option.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "scenario/analysis_files.hpp"
#include "scenario/schema_catalogue.hpp"

namespace wfsim::serve {

namespace {

namespace fs = std::filesystem;
using scenario::SchemaEntry;

bool valid_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxNameLength && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// One printable line: no control characters, so it stays one YAML value.
bool one_line(std::string_view text) {
  return std::none_of(text.begin(), text.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

void check_request(const OptionRequest& request, const scenario::Scenario& reference) {
  if (!valid_name(request.name)) {
    throw OptionError("name",
                      fmt::format("the option's name becomes its file name: use 1 to {} letters, digits, "
                                  "'-' or '_', got \"{}\"",
                                  kMaxNameLength, request.name.substr(0, kMaxNameLength)));
  }
  if (request.name == reference.name) {
    throw OptionError(
        "name", fmt::format("the option needs a name of its own; '{}' is the reference's", reference.name));
  }
  if (request.description.size() > kMaxDescriptionLength || !one_line(request.description)) {
    throw OptionError("description",
                      fmt::format("expected one line of at most {} characters", kMaxDescriptionLength));
  }
  for (const auto& [key, text] : request.values) {
    const SchemaEntry* entry = scenario::find_schema_entry(key);
    if (!entry || entry->type == SchemaEntry::Type::text) {
      throw OptionError(key, "not a key of a scenario the page can set");
    }
    if (text.size() > kMaxValueLength || !one_line(text)) {
      throw OptionError(key, fmt::format("expected one line of at most {} characters", kMaxValueLength));
    }
    if (text.empty()) throw OptionError(key, "expected a value, got nothing");
  }
}

}  // namespace

std::string message_without_location(const scenario::ScenarioError& error) {
  const std::string what = error.what();
  constexpr std::string_view kMark = ": error: ";
  const std::size_t at = what.find(kMark);
  return at == std::string::npos ? what : what.substr(at + kMark.size());
}

OptionBuilder::OptionBuilder(const scenario::Scenario& reference, fs::path save_directory)
    : reference_(reference),
      save_directory_(std::move(save_directory)),
      extends_(fs::relative(fs::absolute(reference.file), fs::absolute(save_directory_)).generic_string()),
      reference_values_(scenario::key_texts(reference.resolved_yaml, reference.name)) {}

BuiltOption OptionBuilder::build(const OptionRequest& request) const {
  check_request(request, reference_);
  BuiltOption option;
  option.file = save_directory_ / (request.name + ".yaml");

  // As the page gave it, then only what differs, written as the resolved
  // scenario writes it: the file Save writes and the scenario the page runs.
  const std::vector<std::pair<std::string, std::string>> given(request.values.begin(), request.values.end());
  scenario::Scenario as_given;
  try {
    as_given = scenario::load_scenario_as(scenario::overlay_yaml_text(extends_, request.description, given),
                                          option.file);
  } catch (const std::invalid_argument& error) {
    throw OptionError("", error.what());
  }
  const auto& time = reference_.parameters.time;
  if (as_given.parameters.time.start.months_since_epoch() != time.start.months_since_epoch() ||
      as_given.parameters.time.months != time.months) {
    throw OptionError(
        as_given.parameters.time.months != time.months ? "months" : "start",
        "the option must cover the reference's months, so that the two are compared month by month");
  }

  const KeyTexts option_values = scenario::key_texts(as_given.resolved_yaml, request.name);
  for (const auto& [key, text] : reference_values_) {
    if (!option_values.contains(key)) {
      throw OptionError(key,
                        "the reference sets this and a file that extends it cannot remove it; set its "
                        "numbers to those of doing nothing instead");
    }
  }
  // Of the keys the page gave, those whose value differs, as the resolved
  // scenario writes them; an optional key the page left out keeps the
  // meaning of leaving it out.
  for (const auto& [key, given_text] : request.values) {
    const auto text = option_values.find(key);
    if (text == option_values.end()) continue;
    const auto in_reference = reference_values_.find(key);
    if (in_reference == reference_values_.end() || in_reference->second != text->second) {
      option.values[key] = text->second;
    }
  }
  // A block's own key is needed only when nothing inside it is set.
  std::erase_if(option.values, [&](const auto& value) {
    const SchemaEntry* entry = scenario::find_schema_entry(value.first);
    if (entry->type != SchemaEntry::Type::block) return false;
    const auto inside = option.values.lower_bound(value.first + ".");
    return inside != option.values.end() && inside->first.starts_with(value.first + ".");
  });

  const std::vector<std::pair<std::string, std::string>> changed(option.values.begin(), option.values.end());
  option.yaml = scenario::overlay_yaml_text(extends_, request.description, changed);
  option.scenario = scenario::load_scenario_as(option.yaml, option.file);
  // What runs is what Save writes; both must be the scenario the page gave.
  if (option.scenario.resolved_yaml != as_given.resolved_yaml) {
    throw OptionError("",
                      "the option cannot be written as a file over the reference with only the keys that "
                      "differ; give every key of a policy you switch on");
  }
  return option;
}

}  // namespace wfsim::serve
