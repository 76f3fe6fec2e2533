// Recipes in the docs, run by tests as written: fenced code blocks of a
// Markdown file.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace wfsim::test {

// The one fenced block of `language` in the Markdown text that contains
// `marker`; a test failure, and "", unless there is exactly one.
inline std::string code_block(const std::string& markdown, const std::string& language,
                              const std::string& marker) {
  const std::string fence = "```" + language + "\n";
  std::vector<std::string> found;
  for (std::size_t at = markdown.find(fence); at != std::string::npos; at = markdown.find(fence, at + 1)) {
    const std::size_t from = at + fence.size();
    const std::size_t to = markdown.find("```", from);
    if (to == std::string::npos) break;
    const std::string block = markdown.substr(from, to - from);
    if (block.find(marker) != std::string::npos) found.push_back(block);
  }
  if (found.size() != 1) {
    ADD_FAILURE() << "the Markdown has " << found.size() << " " << language << " blocks with '" << marker
                  << "', not one";
    return "";
  }
  return found.front();
}

inline std::string replace_all(std::string text, std::string_view from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

}  // namespace wfsim::test
