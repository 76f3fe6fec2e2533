// `wfsim report` on run files damaged after they were written: bytes
// inverted in a checksummed chunk or in the file's own structures, a series
// deleted, attributes that disagree with the datasets, an infinity, a
// truncated file. Each exits with status 2, says what is wrong, and writes
// nothing.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "hdf5_read.hpp"
#include "source_path.hpp"
#include "suite_scratch_directory.hpp"

namespace {

namespace fs = std::filesystem;
namespace test_h5 = wfsim::test_h5;
using namespace wfsim::test;

class DamagedRunFile : public SuiteWithScratchDirectory<DamagedRunFile> {
 protected:
  static void SetUpTestSuite() {
    make_work_dir("wfsim_damaged");
    const std::string scenarios =
        fmt::format("{} {}", shell_quote(test_scenario_path("valid_full.yaml").string()),
                    shell_quote(test_scenario_path("valid_all_policies.yaml").string()));
    run_ = run_wfsim(
        fmt::format("run {} -n 20 --threads 1 -q -o {}", scenarios, shell_quote(pristine().string())),
        work_dir() / "run.stderr");
  }
  void SetUp() override {
    ASSERT_EQ(run_->exit_status, 0) << run_->stderr_text;
    damaged_ = work_dir() / "damaged.h5";
    fs::copy_file(pristine(), damaged_, fs::copy_options::overwrite_existing);
    out_ = work_dir() / "out";
    fs::remove_all(out_);
    fs::create_directories(out_);
  }

  static fs::path pristine() { return work_dir() / "pristine.h5"; }

  // The report of the damaged file: it must exit 2 and write nothing.
  std::string refusal() const {
    const CommandResult result =
        run_wfsim(fmt::format("report {} -o {} --csv {} --markdown {}", shell_quote(damaged_.string()),
                              shell_quote((out_ / "page.html").string()),
                              shell_quote((out_ / "csv").string()), shell_quote((out_ / "page.md").string())),
                  work_dir() / "report.stderr");
    EXPECT_EQ(result.exit_status, 2) << result.stderr_text;
    EXPECT_TRUE(fs::is_empty(out_)) << "a damaged file gives no output";
    return result.stderr_text;
  }

  void invert(std::uint64_t offset, std::uint64_t length) const {
    std::fstream file(damaged_, std::ios::in | std::ios::out | std::ios::binary);
    std::vector<char> bytes(length);
    file.seekg(static_cast<std::streamoff>(offset));
    file.read(bytes.data(), static_cast<std::streamsize>(length));
    for (char& byte : bytes) byte = static_cast<char>(~byte);
    file.seekp(static_cast<std::streamoff>(offset));
    file.write(bytes.data(), static_cast<std::streamsize>(length));
  }

  // The refusal of the copy after `damage` has changed it through HDF5; the
  // file is closed again before the report reads it.
  std::string refusal_after(const std::function<void(hid_t file)>& damage) const {
    {
      const test_h5::h5::File file(
          test_h5::must(H5Fopen(damaged_.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "open"));
      damage(file.get());
    }
    return refusal();
  }

  static inline std::optional<CommandResult> run_;
  fs::path damaged_;
  fs::path out_;
};

TEST_F(DamagedRunFile, TheUndamagedFileIsAccepted) {
  const CommandResult result = run_wfsim(fmt::format("report {} -o {}", shell_quote(damaged_.string()),
                                                     shell_quote((out_ / "page.html").string())),
                                         work_dir() / "report.stderr");
  EXPECT_EQ(result.exit_status, 0) << result.stderr_text;
}

TEST_F(DamagedRunFile, BytesInvertedInASeriesChunkFailItsChecksum) {
  haddr_t address = 0;
  hsize_t size = 0;
  {
    const test_h5::h5::File file(
        test_h5::must(H5Fopen(damaged_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open"));
    const test_h5::h5::Dataset series(test_h5::must(
        H5Dopen2(file.get(), "/scenarios/valid_full/series/leavers", H5P_DEFAULT), "open series"));
    const test_h5::h5::Dataspace space(test_h5::must(H5Dget_space(series.get()), "get the series' space"));
    std::array<hsize_t, 2> offset{};
    unsigned filter_mask = 0;
    test_h5::must(
        H5Dget_chunk_info(series.get(), space.get(), 0, offset.data(), &filter_mask, &address, &size),
        "locate the first chunk");
  }
  invert(address + size / 2, 8);
  const std::string message = refusal();
  EXPECT_NE(message.find("is damaged"), std::string::npos) << message;
  EXPECT_NE(message.find("/scenarios/valid_full/series/leavers"), std::string::npos) << message;
}

TEST_F(DamagedRunFile, BytesInvertedInTheFilesOwnStructuresAreCaught) {
  invert(0, 4096);  // the superblock and the root group's header
  EXPECT_NE(refusal().find("damaged.h5"), std::string::npos);
}

TEST_F(DamagedRunFile, ADeletedSeriesIsNamed) {
  const std::string message = refusal_after([](hid_t file) {
    test_h5::must(H5Ldelete(file, "/scenarios/valid_all_policies/series/leavers", H5P_DEFAULT), "delete");
  });
  EXPECT_NE(message.find("/scenarios/valid_all_policies/series has no leavers"), std::string::npos)
      << message;
}

TEST_F(DamagedRunFile, ADeletedComparisonIsNoticed) {
  const std::string message = refusal_after([](hid_t file) {
    test_h5::must(H5Ldelete(file, "/comparisons/valid_all_policies", H5P_DEFAULT), "delete");
  });
  EXPECT_NE(message.find("it holds 0 comparisons for 1 options"), std::string::npos) << message;
}

TEST_F(DamagedRunFile, AReplicationsAttributeThatDisagreesWithTheTablesIsNamed) {
  const std::string message = refusal_after([](hid_t file) {
    const test_h5::h5::Attribute attribute(test_h5::must(H5Aopen(file, "replications", H5P_DEFAULT), "open"));
    const int replications = 21;
    test_h5::must(H5Awrite(attribute.get(), H5T_NATIVE_INT, &replications), "write");
  });
  EXPECT_NE(message.find("but the run has 21 replications"), std::string::npos) << message;
}

TEST_F(DamagedRunFile, CompleteWrittenAsAStringDoesNotCount) {
  const std::string message = refusal_after([](hid_t file) {
    test_h5::must(H5Adelete(file, "complete"), "delete the attribute complete");
    const test_h5::h5::Datatype type = test_h5::vlen_string();
    const test_h5::h5::Dataspace space(test_h5::must(H5Screate(H5S_SCALAR), "create a dataspace"));
    const test_h5::h5::Attribute attribute(test_h5::must(
        H5Acreate2(file, "complete", type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), "create"));
    const char* one = "1";
    test_h5::must(H5Awrite(attribute.get(), type.get(), &one), "write");
  });
  EXPECT_NE(message.find("has no attribute complete = 1"), std::string::npos) << message;
}

TEST_F(DamagedRunFile, AnInfinityIsNeverTakenForAResult) {
  const std::string message = refusal_after([](hid_t file) {
    const test_h5::h5::Dataset summary(
        test_h5::must(H5Dopen2(file, "/scenarios/valid_full/summary/leavers", H5P_DEFAULT), "open"));
    const test_h5::h5::Dataspace space(test_h5::must(H5Dget_space(summary.get()), "space"));
    std::array<hsize_t, 2> dims{};
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    std::vector<double> values(dims[0] * dims[1], std::numeric_limits<double>::infinity());
    test_h5::must(H5Dwrite(summary.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                  "write");
  });
  EXPECT_NE(message.find("/scenarios/valid_full/summary/leavers holds an infinity"), std::string::npos)
      << message;
}

TEST_F(DamagedRunFile, ATruncatedFileIsRefused) {
  fs::resize_file(damaged_, fs::file_size(damaged_) / 2);
  EXPECT_NE(refusal().find("damaged.h5"), std::string::npos);
}

}  // namespace
