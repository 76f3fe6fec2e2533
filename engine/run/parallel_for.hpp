// Independent pieces of work spread over threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace wfsim::run {

// Calls work(i, worker) for every i in [0, count) on up to `threads`
// threads, this one (worker 0) among them, each taking the next index, so
// that a worker's own scratch can be indexed by `worker`. Once all have
// stopped, rethrows the first exception any call threw (the rest is skipped).
template <typename Work>
void parallel_for(int count, int threads, const Work& work) {
  std::atomic<int> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto drain = [&](int worker) {
    try {
      for (int i = next++; i < count; i = next++) work(i, worker);
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = count;
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (int worker = 1; worker < std::min(threads, count); ++worker) helpers.emplace_back(drain, worker);
    drain(0);
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace wfsim::run
