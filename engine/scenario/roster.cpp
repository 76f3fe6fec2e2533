#include "scenario/roster.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string_view>

#include "scenario/document.hpp"
#include "scenario/scenario_error.hpp"

namespace wfsim::scenario::detail {

namespace {

// The longest pq or tenure a row may state: a 50-year career.
constexpr int kMaxMonths = 600;
constexpr auto kMaxRows = static_cast<std::size_t>(kMaxPeople);

enum Column : int { role, qualified, pq_months, start_date, tenure_months, fte, grade, kColumnCount };

const std::array<std::string, kColumnCount> kColumnNames{
    "role", "qualified", "pq_months", "start_date", "tenure_months", "fte", "grade"};

struct Field {
  std::string text;
  int column = 0;  // 1-based field number
};

struct Row {
  int line = 0;
  std::vector<Field> fields;
};

std::string trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

// Lower case, with spaces and hyphens as underscores: "Start Date" is start_date.
std::string normalise(std::string_view text) {
  std::string out = trim(text);
  for (char& c : out) {
    c = (c == ' ' || c == '-') ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

[[noreturn]] void fail_at(const std::string& display, int line, int column, std::string key,
                          std::string message) {
  throw ScenarioError(display, line, column, std::move(key), std::move(message));
}

// One line of RFC 4180 CSV: fields separated by commas, optionally quoted
// with "" for a quote inside. A quoted field may not span lines.
std::vector<Field> split_line(std::string_view line, const std::string& display, int line_number) {
  std::vector<Field> fields;
  std::size_t i = 0;
  for (;;) {
    Field field;
    field.column = static_cast<int>(fields.size()) + 1;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] == '"') {
      ++i;
      for (;;) {
        if (i >= line.size()) {
          fail_at(display, line_number, field.column, "", "a quoted field has no closing quote");
        }
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.text += line[i++];
      }
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i < line.size() && line[i] != ',') {
        fail_at(display, line_number, field.column, "",
                "unexpected text after a quoted field; expected a comma");
      }
    } else {
      const std::size_t end = std::min(line.find(',', i), line.size());
      field.text = trim(line.substr(i, end - i));
      i = end;
    }
    fields.push_back(std::move(field));
    if (i >= line.size()) break;
    ++i;  // the comma
  }
  return fields;
}

std::vector<Row> split_rows(const std::string& text, const std::string& display) {
  std::string_view rest = text;
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);  // a UTF-8 byte order mark
  std::vector<Row> rows;
  int line_number = 0;
  while (!rest.empty()) {
    const std::size_t end = std::min(rest.find('\n'), rest.size());
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(std::min(end + 1, rest.size()));
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    Row row{line_number, split_line(line, display, line_number)};
    // Blank lines, and rows of empty fields that spreadsheets leave at the end, are skipped.
    const bool empty = std::all_of(row.fields.begin(), row.fields.end(),
                                   [](const Field& field) { return field.text.empty(); });
    if (!empty) rows.push_back(std::move(row));
  }
  return rows;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

bool leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// YYYY-MM-DD or YYYY-MM, as the calendar month; nullopt if malformed.
std::optional<model::YearMonth> parse_date(std::string_view text) {
  if (text.size() != 7 && text.size() != 10) return std::nullopt;
  const auto month = model::parse_year_month(text.substr(0, 7));
  if (!month) return std::nullopt;
  if (text.size() == 10) {
    if (text[7] != '-' || !all_digits(text.substr(8, 2))) return std::nullopt;
    constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int day = std::stoi(std::string(text.substr(8, 2)));
    const int days =
        kDays[static_cast<std::size_t>(month->month - 1)] + (month->month == 2 && leap_year(month->year));
    if (day < 1 || day > days) return std::nullopt;
  }
  return month;
}

class RowReader {
 public:
  RowReader(const std::string& display, model::YearMonth start, const std::array<int, kColumnCount>& where,
            const Row& row)
      : display_(display), start_(start), where_(where), row_(row) {}

  bool has(Column column) const { return where_[column] >= 0; }
  const Field& field(Column column) const { return row_.fields[static_cast<std::size_t>(where_[column])]; }
  bool empty(Column column) const { return !has(column) || field(column).text.empty(); }

  [[noreturn]] void fail(Column column, const std::string& message) const {
    const int at = has(column) ? field(column).column : 1;
    fail_at(display_, row_.line, at, kColumnNames[column], message);
  }

  model::Role role() const {
    const std::string& text = field(Column::role).text;
    if (text.empty()) {
      fail(Column::role,
           "expected a role (social_worker, advanced_practitioner, practice_manager, trainee "
           "or agency), got nothing");
    }
    const std::string name = normalise(text);
    if (name == "grade_8") return model::Role::social_worker;
    if (name == "grade_9") return model::Role::advanced_practitioner;
    const auto& names = roster_role_names();
    const auto found = std::find(names.begin(), names.end(), name);
    if (found != names.end()) return static_cast<model::Role>(found - names.begin());
    std::vector<std::string> accepted(names.begin(), names.end());
    accepted.emplace_back("grade 8");
    accepted.emplace_back("grade 9");
    if (auto suggestion = nearest_key(name, accepted)) {
      fail(Column::role, fmt::format("unknown role '{}'; did you mean '{}'?", excerpt(text), *suggestion));
    }
    fail(Column::role,
         fmt::format("unknown role '{}'; expected one of: {}", excerpt(text), fmt::join(accepted, ", ")));
  }

  // Months from a date (or a count of months) to the run's start.
  int months(Column date_column, Column count_column, std::string_view what) const {
    if (has(date_column)) {
      const std::string& text = field(date_column).text;
      const auto date = parse_date(text);
      if (!date) {
        fail(date_column,
             fmt::format("expected a date as YYYY-MM-DD or YYYY-MM (for example 2012-09-01), got \"{}\"",
                         excerpt(text)));
      }
      const int months = start_.months_since_epoch() - date->months_since_epoch();
      if (months < 0) {
        fail(date_column, fmt::format("{} {} is after the start of the run ({}); the roster is the workforce "
                                      "at the start",
                                      what, text, format_year_month(start_)));
      }
      if (months > kMaxMonths) {
        fail(date_column, fmt::format("{} {} is more than {} months before the start of the run", what,
                                      excerpt(text), kMaxMonths));
      }
      return months;
    }
    const std::string& text = field(count_column).text;
    int value = -1;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0 || value > kMaxMonths) {
      fail(count_column,
           fmt::format("expected a whole number of months in 0..{}, got \"{}\"", kMaxMonths, excerpt(text)));
    }
    return value;
  }

  double fte() const {
    if (!has(Column::fte)) return 1.0;
    const std::string& text = field(Column::fte).text;
    const std::optional<double> value = parse_yaml_number(text);
    // Capacity is FTE times a caseload: a vanishing FTE would make every overload infinite.
    if (!value || !(*value >= kMinFte && *value <= 1.0)) {
      fail(Column::fte, fmt::format("expected an FTE in [{}, 1], got \"{}\"", kMinFte, excerpt(text)));
    }
    return *value;
  }

  // Grade 8 is a social worker's grade and grade 9 an advanced
  // practitioner's; other grades (of managers, trainees) are not checked.
  void check_grade(model::Role role) const {
    if (empty(Column::grade)) return;
    std::string grade = normalise(field(Column::grade).text);
    if (grade.rfind("grade", 0) == 0) grade = trim(std::string_view(grade).substr(5));
    if (!grade.empty() && grade.front() == '_') grade.erase(0, 1);
    const bool eight = grade == "8";
    const bool nine = grade == "9";
    const auto& names = roster_role_names();
    const std::string& role_name = names[static_cast<std::size_t>(role)];
    if (role == model::Role::social_worker && !eight) {
      fail(Column::grade, fmt::format("grade \"{}\" disagrees with the role social_worker (grade 8)",
                                      excerpt(field(Column::grade).text)));
    }
    if (role == model::Role::advanced_practitioner && !nine) {
      fail(Column::grade, fmt::format("grade \"{}\" disagrees with the role advanced_practitioner (grade 9)",
                                      excerpt(field(Column::grade).text)));
    }
    if ((eight || nine) && role != model::Role::social_worker && role != model::Role::advanced_practitioner) {
      fail(Column::grade, fmt::format("grade {} is the grade of {}, but the role is {}", grade,
                                      eight ? "a social worker" : "an advanced practitioner", role_name));
    }
  }

 private:
  const std::string& display_;
  model::YearMonth start_;
  const std::array<int, kColumnCount>& where_;
  const Row& row_;
};

}  // namespace

const std::array<std::string, model::kRoleCount>& roster_role_names() {
  static const std::array<std::string, model::kRoleCount> names{"social_worker", "advanced_practitioner",
                                                                "practice_manager", "trainee", "agency"};
  return names;
}

std::vector<model::RosterRow> parse_roster_csv(const std::string& text, const std::string& display,
                                               model::YearMonth start) {
  const std::vector<Row> rows = split_rows(text, display);
  if (rows.empty()) {
    fail_at(display, 1, 1, "", "the roster is empty; expected a header row and one row a person");
  }

  // The header: every column known, each at most once.
  const Row& header = rows.front();
  std::array<int, kColumnCount> where;
  where.fill(-1);
  const bool any_known = std::any_of(header.fields.begin(), header.fields.end(), [](const Field& field) {
    return std::find(kColumnNames.begin(), kColumnNames.end(), normalise(field.text)) != kColumnNames.end();
  });
  if (!any_known) {
    // Not a roster: say so without quoting a file that may be anything.
    fail_at(display, header.line, 1, "",
            fmt::format("the first row names none of the roster's columns ({}); is this a roster file?",
                        fmt::join(kColumnNames, ", ")));
  }
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    const Field& field = header.fields[k];
    const std::string name = normalise(field.text);
    if (name.empty()) fail_at(display, header.line, field.column, "", "a column has no name");
    const auto found = std::find(kColumnNames.begin(), kColumnNames.end(), name);
    if (found == kColumnNames.end()) {
      if (auto suggestion = nearest_key(name, kColumnNames)) {
        fail_at(display, header.line, field.column, field.text,
                fmt::format("unknown column '{}'; did you mean '{}'?", excerpt(field.text), *suggestion));
      }
      fail_at(display, header.line, field.column, field.text,
              fmt::format("unknown column '{}'; expected one of: {}", excerpt(field.text),
                          fmt::join(kColumnNames, ", ")));
    }
    int& slot = where[static_cast<std::size_t>(found - kColumnNames.begin())];
    if (slot >= 0) {
      fail_at(display, header.line, field.column, name,
              fmt::format("column '{}' is given twice (first as column {})", name, slot + 1));
    }
    slot = static_cast<int>(k);
  }
  const auto require_one_of = [&](Column first, Column second, std::string_view what) {
    if (where[first] >= 0 && where[second] >= 0) {
      fail_at(display, header.line, where[second] + 1, kColumnNames[second],
              fmt::format("give {} or {}, not both", kColumnNames[first], kColumnNames[second]));
    }
    if (where[first] < 0 && where[second] < 0) {
      fail_at(display, header.line, 1, kColumnNames[first],
              fmt::format("missing column: the roster needs {} ({}) or {}", kColumnNames[first], what,
                          kColumnNames[second]));
    }
  };
  if (where[Column::role] < 0) {
    fail_at(display, header.line, 1, "role", "missing column: the roster needs a role column");
  }
  require_one_of(Column::qualified, Column::pq_months, "the date of qualifying");
  require_one_of(Column::start_date, Column::tenure_months, "the date of starting here");

  if (rows.size() - 1 > kMaxRows) {
    fail_at(display, rows[kMaxRows + 1].line, 1, "",
            fmt::format("a roster holds at most {} people", kMaxRows));
  }
  std::vector<model::RosterRow> roster;
  roster.reserve(rows.size() - 1);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const Row& row = rows[r];
    const std::size_t expected = header.fields.size();
    if (row.fields.size() != expected) {
      const bool short_row = row.fields.size() < expected;
      const std::size_t at = short_row ? row.fields.size() : expected;
      fail_at(display, row.line, static_cast<int>(at) + 1, short_row ? normalise(header.fields[at].text) : "",
              fmt::format("expected {} fields as in the header, got {}", expected, row.fields.size()));
    }
    const RowReader reader(display, start, where, row);
    model::RosterRow person;
    person.role = reader.role();
    const Column pq_column = reader.has(Column::qualified) ? Column::qualified : Column::pq_months;
    const Column tenure_column = reader.has(Column::start_date) ? Column::start_date : Column::tenure_months;
    if (reader.empty(tenure_column)) {
      reader.fail(tenure_column, fmt::format("expected {}, got nothing", tenure_column == Column::start_date
                                                                             ? "the date of starting here"
                                                                             : "the months employed here"));
    }
    person.tenure_months = reader.months(Column::start_date, Column::tenure_months, "start_date");
    if (person.role == model::Role::trainee) {
      // Not yet qualified: the months of training done are the months here.
      if (!reader.empty(pq_column)) {
        reader.fail(pq_column, fmt::format("a step-up trainee has not qualified yet; leave {} empty",
                                           kColumnNames[pq_column]));
      }
      person.pq_months = person.tenure_months;
    } else {
      if (reader.empty(pq_column)) {
        reader.fail(pq_column, fmt::format("expected {} for a qualified {}, got nothing",
                                           pq_column == Column::qualified ? "the date of qualifying"
                                                                          : "the months since qualifying",
                                           roster_role_names()[static_cast<std::size_t>(person.role)]));
      }
      person.pq_months = reader.months(Column::qualified, Column::pq_months, "qualified");
    }
    person.fte = reader.fte();
    reader.check_grade(person.role);
    roster.push_back(person);
  }
  if (roster.empty()) {
    fail_at(display, header.line, 1, "", "the roster has a header but no rows; expected one row a person");
  }
  return roster;
}

std::vector<model::RosterRow> read_roster_csv(const std::filesystem::path& file, model::YearMonth start) {
  return parse_roster_csv(read_input_file(file, "roster", kMaxRosterFileBytes), file.string(), start);
}

void set_roster_totals(model::WorkforceParameters& workforce) {
  workforce.social_workers = {0, 0, 0};
  workforce.advanced_practitioners = 0;
  workforce.practice_managers = 0;
  workforce.trainees = 0;
  workforce.agency = 0;
  for (const model::RosterRow& row : workforce.roster) ++workforce.headcount_of(row.role, row.pq_months);
}

}  // namespace wfsim::scenario::detail
