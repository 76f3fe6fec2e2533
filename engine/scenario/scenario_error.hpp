// The error every input reader throws: a problem located by file, line,
// column and key.
#pragma once

#include <stdexcept>
#include <string>

namespace wfsim::scenario {

// A problem in an input file, located precisely enough for a user to fix it.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, int line, int column, std::string key, std::string message);
  const std::string& file() const { return file_; }
  int line() const { return line_; }                       // 1-based; 0 when unknown
  int column() const { return column_; }                   // 1-based; 0 when unknown
  const std::string& key() const { return key_; }          // dotted path, e.g. attrition.annual_rate.nqsw
  const std::string& message() const { return message_; }  // what is wrong, without the location

 private:
  std::string file_;
  int line_;
  int column_;
  std::string key_;
  std::string message_;
};

}  // namespace wfsim::scenario
