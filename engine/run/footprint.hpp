// What a run will need of the machine, estimated before it starts, so a run
// that cannot finish is refused at once instead of after hours.
#pragma once

#include <cstdint>
#include <vector>

#include "model/parameters.hpp"

namespace wfsim::run {

struct RunShape {
  std::vector<const model::Parameters*> scenarios;
  int replications = 0;
  int threads = 0;     // 0: all cores
  int block_size = 0;  // 0: chosen from the thread count
  bool pairing_check = false;
  bool chance_only_pass = false;  // uncertain assumptions measured against chance alone
};

// Bytes of memory at the peak: a block of series, the outcomes of every
// replication (once more for each of the pairing check and the chance-only
// pass), one comparison, the writer's
// summaries of one scenario, and every thread's people.
double estimated_memory_bytes(const RunShape& shape);

// An upper bound on the people one replication of `parameters` holds at
// once: the initial workforce, every funded post filled twice over (leavers
// replaced, agency cover) and the trainees in training.
double peak_people(const model::Parameters& parameters);

// Memory the process can still take, in bytes: the kernel's MemAvailable,
// lowered to a cgroup's limit where one applies; -1 if it cannot be told.
double available_memory_bytes();

}  // namespace wfsim::run
