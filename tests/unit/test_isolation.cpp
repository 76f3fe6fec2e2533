// A first pass in a child process turns a crash or an endless loop of the
// HDF5 library (on some damaged files it does both) into a refusal.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "output/isolation.hpp"

namespace {

using wfsim::output::failure_in_child;

TEST(FailureInChild, WorkThatReturnsIsNoFailure) {
  EXPECT_EQ(failure_in_child([] {}, 10, "run file 'x.h5'"), std::nullopt);
}

TEST(FailureInChild, AnExceptionBringsItsMessage) {
  const auto failure = failure_in_child([] { throw std::runtime_error("cannot read run file 'x.h5': why"); },
                                        10, "run file 'x.h5'");
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(*failure, "cannot read run file 'x.h5': why");
}

TEST(FailureInChild, ACrashIsADamagedFile) {
  const auto failure = failure_in_child([] { ::raise(SIGSEGV); }, 10, "run file 'x.h5'");
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->rfind("run file 'x.h5' is damaged: reading it crashed the HDF5 library", 0), 0u)
      << *failure;
}

TEST(FailureInChild, WorkThatNeverEndsIsStoppedAtTheLimit) {
  const auto start = std::chrono::steady_clock::now();
  const auto failure =
      failure_in_child([] { std::this_thread::sleep_for(std::chrono::hours(1)); }, 1, "run file 'x.h5'");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(*failure, "run file 'x.h5' is damaged: reading it did not finish within 1 s");
  EXPECT_LT(seconds, 5.0);
}

}  // namespace
