// The wfsim subcommands.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wfsim::cli {

inline constexpr int kExitRuntimeError = 1;
inline constexpr int kExitInputError = 2;

struct RunOptions {
  std::vector<std::string> scenario_files;
  std::string output;
  int replications = 1000;
  std::uint64_t seed = 20151101;
  int threads = 0;
  int block_size = 0;
  bool independent_streams = false;
  bool pairing_check = false;
  bool quiet = false;
};

int run_command(const RunOptions& options, int argc, char** argv);
int validate_command(const std::vector<std::string>& files);
int parameters_command();

}  // namespace wfsim::cli
