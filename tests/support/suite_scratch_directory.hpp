// A test suite whose tests share one scratch directory, and in it the output
// of one slow setup (a run, a report) that every test of the suite reads.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "scratch_directory.hpp"

namespace wfsim::test {

// `Suite` is the deriving class: every suite gets its own directory. The
// suite's SetUpTestSuite calls make_work_dir first; gtest calls this
// TearDownTestSuite after the suite's last test, which removes the directory.
template <class Suite>
class SuiteWithScratchDirectory : public ::testing::Test {
 public:
  static void TearDownTestSuite() { scratch_.reset(); }

 protected:
  // `<temp>/<prefix>_<pid>`, fresh.
  static void make_work_dir(const std::string& prefix) { scratch_.emplace(prefix); }
  static const std::filesystem::path& work_dir() { return scratch_->path(); }

 private:
  static inline std::optional<ScratchDirectory> scratch_;
};

}  // namespace wfsim::test
