// Calendar months as wfsim reads and writes them: "YYYY-MM".
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace wfsim::model {

// A calendar month; month is 1..12.
struct YearMonth {
  int year = 2015;
  int month = 11;
  constexpr int months_since_epoch() const { return year * 12 + (month - 1); }
  static constexpr YearMonth from_months_since_epoch(int m) { return {m / 12, m % 12 + 1}; }
  constexpr YearMonth plus_months(int n) const { return from_months_since_epoch(months_since_epoch() + n); }
  constexpr bool operator==(const YearMonth&) const = default;
};

// "2015-11".
inline std::string format_year_month(YearMonth month) {
  char text[32];  // room for any int year and month
  std::snprintf(text, sizeof text, "%04d-%02d", month.year, month.month);
  return text;
}

// "YYYY-MM" with four and two digits and the month in 01..12; nothing else.
inline std::optional<YearMonth> parse_year_month(std::string_view text) {
  auto digits = [&](std::size_t from, std::size_t count) {
    for (std::size_t i = from; i < from + count; ++i)
      if (text[i] < '0' || text[i] > '9') return false;
    return true;
  };
  if (text.size() != 7 || text[4] != '-' || !digits(0, 4) || !digits(5, 2)) return std::nullopt;
  const YearMonth month{
      (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0'),
      (text[5] - '0') * 10 + (text[6] - '0')};
  if (month.month < 1 || month.month > 12) return std::nullopt;
  return month;
}

}  // namespace wfsim::model
