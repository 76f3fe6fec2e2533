#include "scenario/document.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <utility>

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

// Why `text` cannot be a value of a scenario file, or nullopt: it must be
// UTF-8 (the run file stores it as such) without control characters other
// than tab and line breaks (a NUL would cut a path short).
std::optional<std::string> text_problem(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      if ((byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7f) {
        return byte == 0 ? std::string("holds a NUL character (\\0), which no value may")
                         : fmt::format("holds the control character \\x{:02X}, which no value may", byte);
      }
      ++i;
      continue;
    }
    // The second byte's range and the number of continuation bytes (RFC 3629).
    unsigned char low = 0x80, high = 0xBF;
    std::size_t continuation = 0;
    if (byte >= 0xC2 && byte <= 0xDF) {
      continuation = 1;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      continuation = 2;
      if (byte == 0xE0) low = 0xA0;
      if (byte == 0xED) high = 0x9F;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      continuation = 3;
      if (byte == 0xF0) low = 0x90;
      if (byte == 0xF4) high = 0x8F;
    }
    bool valid = continuation > 0 && i + continuation < text.size();
    for (std::size_t k = 1; valid && k <= continuation; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = k == 1 ? next >= low && next <= high : next >= 0x80 && next <= 0xBF;
    }
    if (!valid) {
      return fmt::format("is not valid UTF-8 (byte \\x{:02X} at character {}); save the file as UTF-8", byte,
                         i + 1);
    }
    i += continuation + 1;
  }
  return std::nullopt;
}

// Builds the located tree from the parser's events, one node at a time,
// refusing what would exhaust the stack, memory or time: nesting deeper
// than kMaxNestingDepth, more than kMaxNodes nodes, aliases that expand to
// more than kMaxAliasedNodes, and an alias inside the node it refers to.
class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(std::shared_ptr<const std::string> file) : file_(std::move(file)) {}

  Node take_root() {
    if (root_) return std::move(*root_);
    Node empty;
    empty.location = Location{file_, 1, 1};
    return empty;
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      fail(located(mark), "", "expected one YAML document, found a second one (remove the '---' separator)");
    }
  }
  void OnDocumentEnd() override {}

  void OnAnchor(const YAML::Mark&, const std::string& name) override { anchor_name_ = name; }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node node;
    node.location = located(mark);
    count_nodes(1, node.location);
    add(std::move(node), anchor, 1);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Node node;
    node.location = located(mark);
    if (const auto problem = text_problem(value)) fail(node.location, child_path(), "the value " + *problem);
    count_nodes(1, node.location);
    node.type = Node::Type::scalar;
    node.text = value;
    // Plain scalars carry the non-specific tag "?"; quoted ones "!".
    node.quoted = tag != "?";
    add(std::move(node), anchor, 1);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const Location where = located(mark);
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end()) {
      // Defined but not finished: the alias is inside the node it names.
      fail(where, child_path(),
           fmt::format("the alias *{} refers to a node that contains it; a value cannot contain itself",
                       excerpt(anchor_names_[anchor])));
    }
    const auto& [node, size] = found->second;
    aliased_nodes_ += size;
    if (aliased_nodes_ > kMaxAliasedNodes) {
      fail(where, child_path(),
           fmt::format("aliases expand to more than {} values in all; write the values out instead",
                       kMaxAliasedNodes));
    }
    count_nodes(size, where);
    add(Node(node), 0, size);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor, Node::Type::sequence);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor, Node::Type::mapping);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    Node node;
    std::string path;
    YAML::anchor_t anchor = 0;
    std::size_t nodes_before = 0;
    // Mappings: the key read, waiting for its value, and the keys so far with their lines.
    std::optional<Entry> pending;
    std::unordered_map<std::string, int> key_lines;
  };

  Location located(const YAML::Mark& mark) const {
    return detail::located(mark, file_, Location{file_, 0, 0});
  }

  // The dotted path of the node about to be added, for messages.
  std::string child_path() const {
    if (stack_.empty()) return "";
    const Frame& parent = stack_.back();
    if (parent.node.type == Node::Type::sequence)
      return fmt::format("{}[{}]", parent.path, parent.node.items.size());
    return parent.pending ? join_path(parent.path, parent.pending->key) : parent.path;
  }

  void count_nodes(std::size_t count, const Location& where) {
    nodes_ += count;
    if (nodes_ > kMaxNodes) {
      fail(where, child_path(),
           fmt::format("the file holds more than {} values; a scenario holds a few hundred", kMaxNodes));
    }
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, Node::Type type) {
    const Location where = located(mark);
    if (stack_.size() >= kMaxNestingDepth) {
      fail(where, child_path(),
           fmt::format("values are nested more than {} levels deep; a scenario needs a handful",
                       kMaxNestingDepth));
    }
    reject_collection_key(where);
    count_nodes(1, where);
    remember_anchor_name(anchor);
    Frame frame;
    frame.path = child_path();
    frame.anchor = anchor;
    frame.nodes_before = nodes_ - 1;
    frame.node.type = type;
    frame.node.location = where;
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    add(std::move(frame.node), frame.anchor, nodes_ - frame.nodes_before);
  }

  void reject_collection_key(const Location& where) const {
    if (!stack_.empty() && stack_.back().node.type == Node::Type::mapping && !stack_.back().pending) {
      fail(where, stack_.back().path, "mapping keys must be plain names, not lists or mappings");
    }
  }

  void remember_anchor_name(YAML::anchor_t anchor) {
    if (anchor != 0) anchor_names_[anchor] = anchor_name_;
    anchor_name_.clear();
  }

  // A finished node goes to its parent: an item, a key, or a key's value.
  void add(Node node, YAML::anchor_t anchor, std::size_t size) {
    remember_anchor_name(anchor);
    if (anchor != 0) anchors_.insert_or_assign(anchor, std::pair<Node, std::size_t>(node, size));
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& parent = stack_.back();
    if (parent.node.type == Node::Type::sequence) {
      parent.node.items.push_back(std::move(node));
      return;
    }
    if (!parent.pending) {
      if (node.type != Node::Type::scalar) {
        fail(node.location, parent.path, "mapping keys must be plain names, not lists or mappings");
      }
      const std::string key_path = join_path(parent.path, node.text);
      const auto [first, inserted] = parent.key_lines.emplace(node.text, node.location.line);
      if (!inserted) {
        fail(node.location, key_path,
             fmt::format("duplicate key '{}' (first given at line {})", excerpt(node.text), first->second));
      }
      parent.pending = Entry{std::move(node.text), node.location, Node()};
      return;
    }
    Entry entry = std::move(*parent.pending);
    parent.pending.reset();
    // An empty value has no position of its own; the parser marks the next token.
    if (node.type == Node::Type::null) node.location = entry.key_location;
    entry.value = std::move(node);
    parent.node.entries.push_back(std::move(entry));
  }

  std::shared_ptr<const std::string> file_;
  int documents_ = 0;
  std::vector<Frame> stack_;
  std::optional<Node> root_;
  std::size_t nodes_ = 0;
  std::size_t aliased_nodes_ = 0;
  std::string anchor_name_;
  std::unordered_map<YAML::anchor_t, std::string> anchor_names_;
  std::unordered_map<YAML::anchor_t, std::pair<Node, std::size_t>> anchors_;  // finished nodes and sizes
};

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
  if (quoted) return fmt::format("the string \"{}\"", excerpt(text));
  if (is_yaml_boolean(text)) return fmt::format("the boolean '{}'", text);
  return excerpt(text);
}

void fail(const Location& where, std::string key, std::string message) {
  throw ScenarioError(where.file_name(), where.line, where.column, std::move(key), std::move(message));
}

Node parse_document(const std::string& text, const std::shared_ptr<const std::string>& file) {
  TreeBuilder builder(file);
  try {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::Exception& error) {
    fail(located(error.mark, file, Location{file, 0, 0}), "", fmt::format("invalid YAML: {}", error.msg));
  }
  return builder.take_root();
}

std::string excerpt(std::string_view text, std::size_t max_bytes) {
  std::size_t cut = std::min(text.size(), max_bytes);
  // Never cut a UTF-8 character in two.
  while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string out;
  for (const char c : text.substr(0, cut)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02X}", static_cast<unsigned>(byte));
    } else {
      out += c;
    }
  }
  if (cut < text.size()) out += "...";
  return out;
}

bool has_extension(const std::filesystem::path& path, std::initializer_list<std::string_view> extensions) {
  const std::string extension = lowercase(path.extension().string());
  return std::find(extensions.begin(), extensions.end(), extension) != extensions.end();
}

std::string read_input_file(const std::filesystem::path& path, std::string_view what,
                            std::uintmax_t max_bytes, const Location* named_at, const std::string& key) {
  const auto refuse = [&](const std::string& message) {
    if (named_at) fail(*named_at, key, fmt::format("the {} file '{}' {}", what, path.string(), message));
    throw ScenarioError(path.string(), 0, 0, "", fmt::format("the {} file {}", what, message));
  };
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) refuse("cannot be read: it is not a file");
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (!error && size > max_bytes) {
    refuse(fmt::format("is {} bytes; wfsim reads {} files of at most {} bytes", size, what, max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) refuse("cannot be read");
  // Read one byte more than allowed, in case the file grew since its size was taken.
  std::string text(static_cast<std::size_t>(max_bytes) + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) refuse("cannot be read");
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > max_bytes) refuse(fmt::format("is larger than the {} bytes wfsim reads", max_bytes));
  return text;
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
    // The distance is at least the difference in length: skip what cannot be near, cheaply.
    const auto length_difference = static_cast<long>(word.size()) - static_cast<long>(candidate.size());
    if (std::labs(length_difference) >= best_distance) continue;
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
    fail(node.location, path,
         fmt::format("expected {} (a finite number), got {}", expected, excerpt(node.text)));
  }
  if (!rule.admits(*value))
    fail(node.location, path, fmt::format("expected {}, got {}", expected, excerpt(node.text)));
  if (rule.integer && std::fabs(*value) > static_cast<double>(INT_MAX)) {
    fail(node.location, path, fmt::format("expected {}, got {} (too large)", expected, excerpt(node.text)));
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

std::string flow_yaml(const Node& node, Quotes quotes) {
  switch (node.type) {
    case Node::Type::null:
      return "null";
    case Node::Type::scalar:
      return node.quoted && quotes == Quotes::kept ? quote_string(node.text) : node.text;
    case Node::Type::sequence: {
      std::string out = "[";
      for (std::size_t i = 0; i < node.items.size(); ++i) {
        out += (i ? ", " : "") + flow_yaml(node.items[i], quotes);
      }
      return out + "]";
    }
    case Node::Type::mapping: {
      std::string out = "{";
      for (std::size_t i = 0; i < node.entries.size(); ++i) {
        out += fmt::format("{}{}: {}", i ? ", " : "", node.entries[i].key,
                           flow_yaml(node.entries[i].value, quotes));
      }
      return out + "}";
    }
  }
  return "null";
}

}  // namespace wfsim::scenario::detail
