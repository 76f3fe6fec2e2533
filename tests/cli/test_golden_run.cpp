// The golden run: the README's first command (its five shipped scenarios) at
// a small replication count, every dataset of the run file reduced to a
// checksum and compared with tests/golden/readme-run.tsv. Any change of
// results fails it. When a change of the model moves the results on purpose,
// regenerate the file with
//   WFSIM_UPDATE_GOLDEN=1 build/release/tests/wfsim_cli_tests --gtest_filter='GoldenRun.*'
// and say why in the commit.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "hdf5_read.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using wfsim::test::shell_quote;
using wfsim::test::source_path;
namespace th = wfsim::test_h5;

constexpr const char* kScenarios[] = {"baseline", "strategy", "retention_payment", "market_supplement",
                                      "workload_relief"};

// FNV-1a over bytes: stable across platforms and builds, enough to tell any
// change of a value.
std::uint64_t fnv1a(const void* data, std::size_t size, std::uint64_t hash = 0xcbf29ce484222325ull) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 0x100000001b3ull;
  return hash;
}

std::string checksum_of(hid_t dataset) {
  const wfsim::output::h5::Datatype type(H5Dget_type(dataset));
  std::uint64_t hash = 0xcbf29ce484222325ull;
  if (H5Tget_class(type.get()) == H5T_STRING) {
    for (const std::string& text : th::read_string_dataset(dataset))
      hash = fnv1a(text.c_str(), text.size() + 1, hash);
  } else {
    const std::vector<double> values = th::read_doubles(dataset);
    hash = fnv1a(values.data(), values.size() * sizeof(double), hash);
  }
  return fmt::format("{}\t{:016x}", fmt::join(th::shape_of(dataset), "x"), hash);
}

herr_t add_checksum(hid_t root, const char* name, const H5O_info_t* info, void* checksums) {
  if (info->type != H5O_TYPE_DATASET) return 0;
  const wfsim::output::h5::Dataset dataset(H5Dopen2(root, name, H5P_DEFAULT));
  (*static_cast<std::map<std::string, std::string>*>(checksums))[name] = checksum_of(dataset.get());
  return 0;
}

// Every dataset of the file by path, with its shape and checksum.
std::map<std::string, std::string> checksums(const fs::path& file) {
  const wfsim::output::h5::File h5(
      th::must(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + file.string()));
  std::map<std::string, std::string> out;
  th::must(H5Ovisit2(h5.get(), H5_INDEX_NAME, H5_ITER_INC, add_checksum, &out, H5O_INFO_BASIC),
           "visit datasets");
  return out;
}

TEST(GoldenRun, ReadmeScenariosGiveThePinnedResults) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("wfsim_golden_{}", ::getpid());
  fs::create_directories(dir);
  const fs::path run_file = dir / "golden.h5";
  std::string arguments = "run";
  for (const char* name : kScenarios)
    arguments += fmt::format(
        " {}", shell_quote(source_path(fmt::format("scenarios/lancashire-2015/{}.yaml", name)).string()));
  arguments += fmt::format(" -n 40 --seed 20151101 --threads 2 -q -o {}", shell_quote(run_file.string()));
  const auto result = wfsim::test::run_wfsim(arguments, dir / "stderr.txt");
  ASSERT_EQ(result.exit_status, 0) << result.stderr_text;

  const auto actual = checksums(run_file);
  std::ostringstream table;
  for (const auto& [path, checksum] : actual) table << path << '\t' << checksum << '\n';
  const fs::path golden = source_path("tests/golden/readme-run.tsv");
  if (const char* update = std::getenv("WFSIM_UPDATE_GOLDEN"); update && std::strcmp(update, "1") == 0) {
    std::ofstream(golden) << table.str();
    GTEST_SKIP() << "wrote " << golden;
  }

  std::map<std::string, std::string> expected;
  std::ifstream in(golden);
  ASSERT_TRUE(in) << "missing " << golden;
  for (std::string line; std::getline(in, line);) {
    const auto tab = line.find('\t');
    expected[line.substr(0, tab)] = line.substr(tab + 1);
  }
  for (const auto& [path, checksum] : expected) {
    const auto found = actual.find(path);
    if (found == actual.end()) {
      ADD_FAILURE() << path << " is in the golden file but not in the run file";
    } else {
      EXPECT_EQ(found->second, checksum) << path << " changed";
    }
  }
  for (const auto& [path, checksum] : actual)
    EXPECT_TRUE(expected.count(path)) << path << " is new: not in the golden file";
  fs::remove_all(dir);
}

}  // namespace
