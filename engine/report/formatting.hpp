// Internal to engine/report: numbers and money as the report's pages and
// sentences write them.
#pragma once

#include <string>

namespace wfsim::report {

// Rounded to `decimals`, with thousands separators and never "-0".
std::string fixed(double value, int decimals);
std::string headcount(double value);
std::string percent(double fraction);
// Short money for table cells: "£52.3m", "£870k", "£900".
std::string money_short(double gbp, bool sign = false);
// Money in words for sentences: "£2.6 million", "£50,000".
std::string money_words(double gbp);

}  // namespace wfsim::report
