// Internal to the scenario module (and the report, for the scenarios a run
// file holds): a YAML document as a located tree, read within limits that
// no hostile or broken file can push past, and the checked conversions from
// its scalars that every schema entry uses.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/parameters.hpp"

namespace wfsim::scenario::detail {

// Where a node was written. Line and column are 1-based.
struct Location {
  std::shared_ptr<const std::string> file;  // as shown to the user
  int line = 0;
  int column = 0;
  const std::string& file_name() const;
};

struct Entry;

// One YAML node with the file and position it came from. Mappings keep
// every entry in document order (duplicates are rejected when reading).
struct Node {
  enum class Type { null, scalar, sequence, mapping };
  Type type = Type::null;
  std::string text;     // scalar text as written
  bool quoted = false;  // the scalar was quoted or tagged: a string, never a number
  Location location;
  std::vector<Entry> entries;  // mapping
  std::vector<Node> items;     // sequence

  const Entry* find(std::string_view key) const;
  Entry* find(std::string_view key);
  // "a mapping", "a list", "nothing (null)", "the string \"x\"", "12", ...
  std::string describe() const;
};

struct Entry {
  std::string key;
  Location key_location;
  Node value;
};

// Throws ScenarioError located at `where`.
[[noreturn]] void fail(const Location& where, std::string key, std::string message);

// A scenario is about 10 KB, 500 values and 5 levels deep; these limits are
// far beyond any real input and keep a hostile one from exhausting the
// stack, memory or time (each refusal takes well under a second).
inline constexpr std::uintmax_t kMaxYamlFileBytes = 256 << 10;  // scenario, targets and ranges files
inline constexpr std::uintmax_t kMaxRosterFileBytes = 2 << 20;
inline constexpr std::size_t kMaxNestingDepth = 64;
inline constexpr std::size_t kMaxNodes = 200'000;        // values, after aliases are expanded
inline constexpr std::size_t kMaxAliasedNodes = 10'000;  // values copied by aliases, in all

// Parses one YAML document. `file` names it in errors. Rejects syntax errors,
// several documents, non-scalar keys, duplicate keys, values that are not
// UTF-8 or hold control characters, and anything beyond the limits above.
Node parse_document(const std::string& text, const std::shared_ptr<const std::string>& file);

// Reads a whole input file; `what` names its kind ("scenario", "roster").
// Refuses a path that is not a regular file or cannot be read, and a file
// larger than `max_bytes`, at `named_at` (the key that names the file, as
// `key`) if given, else at the file itself.
std::string read_input_file(const std::filesystem::path& path, std::string_view what,
                            std::uintmax_t max_bytes, const Location* named_at = nullptr,
                            const std::string& key = "");

// Whether the path ends in one of `extensions` (".yaml"), in any case.
bool has_extension(const std::filesystem::path& path, std::initializer_list<std::string_view> extensions);

// At most `max_bytes` of `text` for a message, control characters escaped
// and "..." where it was cut: messages never echo more of an input.
std::string excerpt(std::string_view text, std::size_t max_bytes = 40);

// "demand" + "shocks" -> "demand.shocks"; "" + "months" -> "months".
std::string join_path(std::string_view parent, std::string_view key);

// The closest candidate by (case-insensitive, transposition-aware) edit
// distance, if it is within max(2, length / 3) edits.
std::optional<std::string> nearest_key(std::string_view word, std::span<const std::string> candidates);

// Fails unless `node` is a mapping; `what` names what was expected.
void expect_mapping(const Node& node, const std::string& path, std::string_view what);
// Fails at the first key of `map` not among `allowed`, suggesting the nearest.
void reject_unknown_keys(const Node& map, const std::string& path, std::span<const std::string> allowed);
// The value of `key` in `map`; fails at the mapping when missing.
const Node& require_key(const Node& map, const std::string& path, std::string_view key);

// What a number must be: a noun for messages and an interval.
struct NumberRule {
  std::string_view noun = "a number";
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_inclusive = true;
  bool max_inclusive = true;
  bool integer = false;

  bool admits(double value) const;
  std::string range_text() const;  // "in [0, 1]", ">= 0", "in 1..600", "" when unbounded
  std::string describe() const;    // "a probability in [0, 1]"
};

// A finite number in YAML core-schema syntax, checked against `rule`.
double parse_number(const Node& node, const std::string& path, const NumberRule& rule);
// A `YYYY-MM` calendar month.
model::YearMonth parse_year_month(const Node& node, const std::string& path);
// Any scalar, as a string.
std::string parse_text(const Node& node, const std::string& path);

// A YAML number literal, or nullopt. Accepts the YAML 1.2 core float and int
// forms plus .inf/.nan (non-finite values are returned, not rejected).
std::optional<double> parse_yaml_number(std::string_view text);

// Formats for emitting YAML: shortest text that reads back bit-identical.
std::string format_number(double value);
std::string quote_string(std::string_view text);

// How flow_yaml writes a scalar that was quoted in the document.
enum class Quotes { kept, dropped };
// A node as one line of flow YAML ("[1, 2]", "{month: 2025-06, multiplier: 1.2}").
// With quotes kept it reads back to the same node; dropped, it is for people.
std::string flow_yaml(const Node& node, Quotes quotes = Quotes::kept);

}  // namespace wfsim::scenario::detail
