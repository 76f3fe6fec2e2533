// What a report page shows, as tests read it back from its HTML.
#pragma once

#include <cstdlib>
#include <map>
#include <string>

namespace wfsim::test {

// A headline number as the page marks it: the exact value and the text shown.
struct ShownNumber {
  double value = 0;
  std::string text;
};

// data-key -> number for every headline number of a page, which the report
// writes (and a browser serialises) as data-key="K" data-value="V">TEXT<.
inline std::map<std::string, ShownNumber> shown_numbers(const std::string& html) {
  std::map<std::string, ShownNumber> shown;
  const std::string key_mark = "data-key=\"", value_mark = "\" data-value=\"";
  for (std::size_t at = html.find(key_mark); at != std::string::npos; at = html.find(key_mark, at + 1)) {
    const std::size_t key_from = at + key_mark.size();
    const std::size_t key_to = html.find(value_mark, key_from);
    if (key_to == std::string::npos) break;
    const std::size_t value_from = key_to + value_mark.size();
    const std::size_t value_to = html.find("\">", value_from);
    if (value_to == std::string::npos) break;
    const std::size_t text_to = html.find('<', value_to + 2);
    shown[html.substr(key_from, key_to - key_from)] = {
        std::strtod(html.substr(value_from, value_to - value_from).c_str(), nullptr),
        html.substr(value_to + 2, text_to - value_to - 2)};
  }
  return shown;
}

}  // namespace wfsim::test
