#include "report/formatting.hpp"

#include <fmt/format.h>

#include <cmath>

#include "report/svg_chart.hpp"

namespace wfsim::report {

std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return std::isnan(value) ? "n/a" : (value > 0 ? "inf" : "-inf");
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find_first_not_of("-0.") == std::string::npos && text.front() == '-') text.erase(0, 1);
  return group_thousands(text);
}

std::string headcount(double value) {
  return fixed(value, 0);
}

std::string percent(double fraction) {
  return fixed(100 * fraction, 1) + "%";
}

std::string money_short(double gbp, bool sign) {
  if (!std::isfinite(gbp)) return "n/a";
  const std::string prefix = gbp < 0 ? "-£" : (sign ? "+£" : "£");
  const double a = std::fabs(gbp);
  if (a >= 1e6) return prefix + fixed(a / 1e6, 1) + "m";
  if (a >= 1e3) return prefix + fixed(a / 1e3, 0) + "k";
  return prefix + fixed(a, 0);
}

std::string money_words(double gbp) {
  const double a = std::fabs(gbp);
  if (a >= 1e6) return "£" + fixed(a / 1e6, a >= 1e8 ? 0 : 1) + " million";
  if (a >= 1e3) return "£" + fixed(std::round(a / 1e3) * 1e3, 0);
  return "£" + fixed(a, 0);
}

}  // namespace wfsim::report
