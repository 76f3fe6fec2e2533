#include "scenario/document.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdlib>

#include "scenario/scenario_error.hpp"

namespace wfsim::scenario::detail {

namespace {

constexpr std::array<std::string_view, 22> kYamlBooleans{
    "y",    "Y",    "yes",   "Yes",   "YES",   "n",  "N",  "no", "No",  "NO",  "true",
    "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"};

bool is_yaml_boolean(std::string_view text) {
  return std::find(kYamlBooleans.begin(), kYamlBooleans.end(), text) != kYamlBooleans.end();
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

Location located(const YAML::Mark& mark, const std::shared_ptr<const std::string>& file,
                 const Location& fallback) {
  if (mark.is_null() || mark.line < 0) return fallback;
  return Location{file, mark.line + 1, mark.column + 1};
}

Node convert(const YAML::Node& yaml, const std::shared_ptr<const std::string>& file, const Location& fallback,
             const std::string& path) {
  Node node;
  node.location = located(yaml.Mark(), file, fallback);
  switch (yaml.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      node.type = Node::Type::null;
      break;
    case YAML::NodeType::Scalar:
      node.type = Node::Type::scalar;
      node.text = yaml.Scalar();
      // Plain scalars carry the non-specific tag "?"; quoted ones "!".
      node.quoted = yaml.Tag() != "?";
      break;
    case YAML::NodeType::Sequence: {
      node.type = Node::Type::sequence;
      std::size_t index = 0;
      for (const YAML::Node& item : yaml) {
        node.items.push_back(convert(item, file, node.location, fmt::format("{}[{}]", path, index)));
        ++index;
      }
      break;
    }
    case YAML::NodeType::Map:
      node.type = Node::Type::mapping;
      for (auto it = yaml.begin(); it != yaml.end(); ++it) {
        const Location key_location = located(it->first.Mark(), file, node.location);
        if (!it->first.IsScalar()) {
          fail(key_location, path, "mapping keys must be plain names, not lists or mappings");
        }
        std::string key = it->first.Scalar();
        std::string key_path = join_path(path, key);
        if (const Entry* first = node.find(key)) {
          fail(key_location, key_path,
               fmt::format("duplicate key '{}' (first given at line {})", key, first->key_location.line));
        }
        Node value = convert(it->second, file, key_location, key_path);
        // An empty value has no position of its own; yaml-cpp marks the next token.
        if (value.type == Node::Type::null) value.location = key_location;
        node.entries.push_back(Entry{std::move(key), key_location, std::move(value)});
      }
      break;
  }
  return node;
}

int edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: insertions, deletions, substitutions and
  // adjacent transpositions each cost one.
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string join_names(std::span<const std::string> names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace

const std::string& Location::file_name() const {
  static const std::string unknown = "<input>";
  return file ? *file : unknown;
}

const Entry* Node::find(std::string_view key) const {
  for (const Entry& entry : entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

Entry* Node::find(std::string_view key) {
  for (Entry& entry : entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

std::string Node::describe() const {
  switch (type) {
    case Type::null:
      return "nothing (null)";
    case Type::sequence:
      return "a list";
    case Type::mapping:
      return "a mapping";
    case Type::scalar:
      break;
  }
  if (quoted) return fmt::format("the string \"{}\"", text);
  if (is_yaml_boolean(text)) return fmt::format("the boolean '{}'", text);
  return text;
}

void fail(const Location& where, std::string key, std::string message) {
  throw ScenarioError(where.file_name(), where.line, where.column, std::move(key), std::move(message));
}

Node parse_document(const std::string& text, const std::shared_ptr<const std::string>& file) {
  const Location start{file, 1, 1};
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& error) {
    Location where = located(error.mark, file, Location{file, 0, 0});
    fail(where, "", fmt::format("invalid YAML: {}", error.msg));
  }
  if (documents.empty()) {
    Node empty;
    empty.location = start;
    return empty;
  }
  if (documents.size() > 1) {
    fail(located(documents[1].Mark(), file, start), "",
         "expected one YAML document, found a second one (remove the '---' separator)");
  }
  return convert(documents.front(), file, start, "");
}

std::string join_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return fmt::format("{}.{}", parent, key);
}

std::optional<std::string> nearest_key(std::string_view word, std::span<const std::string> candidates) {
  const std::string lowered = lowercase(word);
  const int limit = std::max(2, static_cast<int>(word.size()) / 3);
  std::optional<std::string> best;
  int best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    const int distance = edit_distance(lowered, lowercase(candidate));
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

void expect_mapping(const Node& node, const std::string& path, std::string_view what) {
  if (node.type != Node::Type::mapping) {
    fail(node.location, path, fmt::format("expected {}, got {}", what, node.describe()));
  }
}

void reject_unknown_keys(const Node& map, const std::string& path, std::span<const std::string> allowed) {
  for (const Entry& entry : map.entries) {
    if (std::find(allowed.begin(), allowed.end(), entry.key) != allowed.end()) continue;
    const std::string key_path = join_path(path, entry.key);
    if (auto suggestion = nearest_key(entry.key, allowed)) {
      fail(entry.key_location, key_path, fmt::format("unknown key; did you mean '{}'?", *suggestion));
    }
    fail(entry.key_location, key_path, fmt::format("unknown key; expected one of: {}", join_names(allowed)));
  }
}

const Node& require_key(const Node& map, const std::string& path, std::string_view key) {
  if (const Entry* entry = map.find(key)) return entry->value;
  fail(map.location, join_path(path, key),
       path.empty() ? fmt::format("missing required key '{}' at the top level", key)
                    : fmt::format("missing required key '{}' in '{}'", key, path));
}

bool NumberRule::admits(double value) const {
  if (!std::isfinite(value)) return false;
  if (min_inclusive ? value < min : value <= min) return false;
  if (max_inclusive ? value > max : value >= max) return false;
  if (integer && std::floor(value) != value) return false;
  return true;
}

std::string NumberRule::range_text() const {
  const bool has_min = std::isfinite(min);
  const bool has_max = std::isfinite(max);
  if (has_min && has_max) {
    if (integer && min_inclusive && max_inclusive) return fmt::format("in {}..{}", min, max);
    return fmt::format("in {}{}, {}{}", min_inclusive ? '[' : '(', min, max, max_inclusive ? ']' : ')');
  }
  if (has_min) return fmt::format("{} {}", min_inclusive ? ">=" : ">", min);
  if (has_max) return fmt::format("{} {}", max_inclusive ? "<=" : "<", max);
  return "";
}

std::string NumberRule::describe() const {
  const std::string range = range_text();
  if (range.empty()) return std::string(noun);
  return fmt::format("{} {}", noun, range);
}

std::optional<double> parse_yaml_number(std::string_view text) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body.front() == '-' || body.front() == '+')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF") {
    const double inf = std::numeric_limits<double>::infinity();
    return negative ? -inf : inf;
  }
  if (text == ".nan" || text == ".NaN" || text == ".NAN") return std::numeric_limits<double>::quiet_NaN();

  // YAML 1.2 core schema: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
  std::size_t i = 0;
  std::size_t mantissa_digits = 0;
  while (i < body.size() && is_digit(body[i])) ++i, ++mantissa_digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && is_digit(body[i])) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return std::nullopt;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
    std::size_t exponent_digits = 0;
    while (i < body.size() && is_digit(body[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return std::nullopt;
  }
  if (i != body.size()) return std::nullopt;

  // from_chars does not take a leading '+'; the sign is already stripped.
  double value = 0.0;
  const auto [end, error] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (error == std::errc::result_out_of_range) {
    // Overflow becomes infinity (rejected later as non-finite), underflow zero or subnormal.
    const std::string copy(body);
    value = std::strtod(copy.c_str(), nullptr);
  } else if (error != std::errc() || end != body.data() + body.size()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

double parse_number(const Node& node, const std::string& path, const NumberRule& rule) {
  const std::string expected = rule.describe();
  if (node.type != Node::Type::scalar) {
    fail(node.location, path, fmt::format("expected {}, got {}", expected, node.describe()));
  }
  if (node.quoted) {
    fail(node.location, path,
         fmt::format("expected {}, got {} (write numbers without quotes)", expected, node.describe()));
  }
  const std::optional<double> value =
      is_yaml_boolean(node.text) ? std::nullopt : parse_yaml_number(node.text);
  if (!value) fail(node.location, path, fmt::format("expected {}, got {}", expected, node.describe()));
  if (!std::isfinite(*value)) {
    fail(node.location, path, fmt::format("expected {} (a finite number), got {}", expected, node.text));
  }
  if (!rule.admits(*value))
    fail(node.location, path, fmt::format("expected {}, got {}", expected, node.text));
  if (rule.integer && std::fabs(*value) > static_cast<double>(INT_MAX)) {
    fail(node.location, path, fmt::format("expected {}, got {} (too large)", expected, node.text));
  }
  return *value;
}

model::YearMonth parse_year_month(const Node& node, const std::string& path) {
  if (node.type == Node::Type::scalar) {
    if (const auto month = model::parse_year_month(node.text)) return *month;
  }
  fail(node.location, path,
       fmt::format("expected a month as YYYY-MM (for example 2015-11) with the month in 01..12, got {}",
                   node.describe()));
}

std::string parse_text(const Node& node, const std::string& path) {
  if (node.type != Node::Type::scalar) {
    fail(node.location, path, fmt::format("expected a string, got {}", node.describe()));
  }
  return node.text;
}

std::string format_number(double value) {
  return fmt::format("{}", value);
}

std::string quote_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          out += fmt::format("\\x{:02X}", static_cast<unsigned>(byte));
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace wfsim::scenario::detail
