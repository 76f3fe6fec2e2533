// Where a modeller's file came from: the root attributes shared by
// sensitivity and policy search files (outputs/README.md).
#pragma once

#include <string>
#include <vector>

namespace wfsim::output {

struct Provenance {
  std::string wfsim_version;
  std::string created_utc;  // ISO 8601 UTC
  std::string command_line;
  std::vector<std::string> input_files;  // the scenarios and other inputs the command read
};

}  // namespace wfsim::output
