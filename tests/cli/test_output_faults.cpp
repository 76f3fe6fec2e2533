// The wfsim binary when the machine fails it or the user stops it: a full
// disk (a file size limit, or a small tmpfs where the tests may mount one),
// a read-only place, a run too large for the disk, SIGINT and SIGTERM. Each
// ends with its documented exit status and leaves no file behind, partial
// or final.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "cli_runner.hpp"
#include "scratch_directory.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using wfsim::test::CommandResult;
using wfsim::test::shell_quote;

constexpr int kExitInputError = 2;
constexpr int kExitOutputError = 3;

std::vector<std::string> entries(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory))
    names.push_back(entry.path().filename().string());
  return names;
}

class OutputFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(WFSIM_BINARY)) << WFSIM_BINARY << " is not built";
    fs::create_directories(directory_ / "out");
  }
  void TearDown() override {
    for (const fs::path& mount : mounts_) ::umount2(mount.c_str(), MNT_DETACH);
  }

  // `wfsim ARGUMENTS` under a file size limit of `limit_blocks` 512-byte
  // blocks (0: none), with SIGXFSZ ignored so a write past it fails with
  // EFBIG as on a full disk.
  CommandResult run(const std::string& arguments, int limit_blocks = 0) const {
    const std::string limit = limit_blocks > 0 ? fmt::format("ulimit -f {}; ", limit_blocks) : "";
    const std::string command = fmt::format(
        "sh -c {} >/dev/null 2>{}",
        shell_quote(fmt::format("trap '' XFSZ; {}exec {} {}", limit, shell_quote(WFSIM_BINARY), arguments)),
        shell_quote((directory_ / "stderr.txt").string()));
    const int status = std::system(command.c_str());
    CommandResult result;
    if (status != -1 && WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
    result.stderr_text = wfsim::test::read_text(directory_ / "stderr.txt");
    return result;
  }

  static std::string scenario() {
    return shell_quote(wfsim::test::test_scenario_path("valid_full.yaml").string());
  }

  // A tmpfs of `options` at a new directory, or an empty path where mounting is not permitted.
  fs::path mount_tmpfs(const std::string& name, const std::string& options) {
    const fs::path target = directory_ / name;
    fs::create_directories(target);
    if (::mount("tmpfs", target.c_str(), "tmpfs", 0, options.c_str()) != 0) return {};
    mounts_.push_back(target);
    return target;
  }

  wfsim::test::ScratchDirectory scratch_{"wfsim_output_faults"};
  const fs::path& directory_ = scratch_.path();
  std::vector<fs::path> mounts_;
};

TEST_F(OutputFaults, AFullDiskWhileWritingTheRunFileExitsWith3AndLeavesNothing) {
  const fs::path output = directory_ / "out" / "run.h5";
  const CommandResult result = run(fmt::format("run {} -n 200 --threads 1 -q --no-resource-check -o {}",
                                               scenario(), shell_quote(output.string())),
                                   200);
  EXPECT_EQ(result.exit_status, kExitOutputError) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find(fmt::format("cannot write run file '{}'", output.string())),
            std::string::npos)
      << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("File too large"), std::string::npos) << result.stderr_text;
  EXPECT_TRUE(entries(directory_ / "out").empty())
      << fmt::format("{}", fmt::join(entries(directory_ / "out"), ", "));
}

TEST_F(OutputFaults, AFullDiskWhileWritingTheReportExitsWith3AndLeavesNoPage) {
  const fs::path run_file = directory_ / "run.h5";
  ASSERT_EQ(run(fmt::format("run {} -n 4 -q -o {}", scenario(), shell_quote(run_file.string()))).exit_status,
            0);
  const fs::path page = directory_ / "out" / "report.html";
  const CommandResult result =
      run(fmt::format("report {} -o {}", shell_quote(run_file.string()), shell_quote(page.string())), 8);
  EXPECT_EQ(result.exit_status, kExitOutputError) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find(fmt::format("cannot write '{}': File too large", page.string())),
            std::string::npos)
      << result.stderr_text;
  EXPECT_TRUE(entries(directory_ / "out").empty())
      << fmt::format("{}", fmt::join(entries(directory_ / "out"), ", "));
}

TEST_F(OutputFaults, AFullTmpfsExitsWith3AndLeavesNothing) {
  const fs::path tiny = mount_tmpfs("tiny", "size=200k");
  if (tiny.empty())
    GTEST_SKIP() << "mounting a tmpfs is not permitted here; the file size limit test stands in";
  const fs::path output = tiny / "run.h5";
  const CommandResult full = run(fmt::format("run {} -n 200 --threads 1 -q --no-resource-check -o {}",
                                             scenario(), shell_quote(output.string())));
  EXPECT_EQ(full.exit_status, kExitOutputError) << full.stderr_text;
  EXPECT_NE(full.stderr_text.find("No space left on device"), std::string::npos) << full.stderr_text;
  EXPECT_TRUE(entries(tiny).empty()) << fmt::format("{}", fmt::join(entries(tiny), ", "));

  // Without --no-resource-check the estimate refuses the run before it starts.
  const CommandResult refused =
      run(fmt::format("run {} -n 200 -q -o {}", scenario(), shell_quote(output.string())));
  EXPECT_EQ(refused.exit_status, kExitOutputError) << refused.stderr_text;
  EXPECT_NE(refused.stderr_text.find("of disk, but"), std::string::npos) << refused.stderr_text;
  EXPECT_NE(refused.stderr_text.find("--no-resource-check"), std::string::npos) << refused.stderr_text;
  EXPECT_TRUE(entries(tiny).empty());
}

TEST_F(OutputFaults, AReadOnlyPlaceIsRefusedBeforeAnyWork) {
  fs::path place = mount_tmpfs("read-only", "size=1m,mode=0777");
  if (!place.empty()) {
    ASSERT_EQ(::mount("tmpfs", place.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr), 0);
  } else {
    place = directory_ / "read-only";
    fs::permissions(place, fs::perms::owner_read | fs::perms::owner_exec);
    if (::access(place.c_str(), W_OK) == 0) GTEST_SKIP() << "cannot make a place this user cannot write to";
  }
  const CommandResult result =
      run(fmt::format("run {} -n 2 -q -o {}", scenario(), shell_quote((place / "run.h5").string())));
  EXPECT_EQ(result.exit_status, kExitInputError) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("is not writable"), std::string::npos) << result.stderr_text;
  EXPECT_TRUE(entries(place).empty());
}

// Starts `wfsim run` writing into out/, waits for its partial file, sends
// `signal_number` and returns the wait status.
int interrupted_run(const fs::path& directory, int signal_number) {
  const fs::path output = directory / "out" / "run.h5";
  const std::string scenario_file = wfsim::test::test_scenario_path("valid_full.yaml").string();
  const std::string stderr_file = (directory / "stderr.txt").string();
  const pid_t child = ::fork();
  if (child == 0) {
    const int error_output = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(error_output, STDERR_FILENO);
    ::execl(WFSIM_BINARY, WFSIM_BINARY, "run", scenario_file.c_str(), "-n", "100000", "--threads", "1", "-q",
            "-o", output.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool partial = false;
  while (!partial && std::chrono::steady_clock::now() < deadline) {
    for (const auto& entry : fs::directory_iterator(directory / "out"))
      partial = partial || entry.path().filename().string().find(".partial-") != std::string::npos;
    if (!partial) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(partial) << "no partial file appeared";
  // Some blocks into the HDF5 writing, not at its start.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(child, signal_number);
  int status = 0;
  ::waitpid(child, &status, 0);
  return status;
}

// The run ends with `exit_status`, says so, and leaves nothing in out/.
void expect_clean_interruption(const fs::path& directory, int signal_number, int exit_status) {
  const int status = interrupted_run(directory, signal_number);
  ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  EXPECT_EQ(WEXITSTATUS(status), exit_status);
  EXPECT_NE(wfsim::test::read_text(directory / "stderr.txt").find("interrupted; unfinished output removed"),
            std::string::npos);
  EXPECT_TRUE(entries(directory / "out").empty())
      << fmt::format("{}", fmt::join(entries(directory / "out"), ", "));
}

TEST_F(OutputFaults, SigintRemovesThePartialFileAndExitsWith130) {
  expect_clean_interruption(directory_, SIGINT, 130);
}

TEST_F(OutputFaults, SigtermRemovesThePartialFileAndExitsWith143) {
  expect_clean_interruption(directory_, SIGTERM, 143);
}

TEST_F(OutputFaults, AReportRefusesAPartialFileEvenIfItSaysComplete) {
  const fs::path run_file = directory_ / "run.h5";
  ASSERT_EQ(run(fmt::format("run {} -n 4 -q -o {}", scenario(), shell_quote(run_file.string()))).exit_status,
            0);
  // What a process killed between `complete = 1` and the rename leaves.
  const fs::path partial = directory_ / "out" / "run.h5.partial-4242";
  fs::copy_file(run_file, partial);
  const CommandResult result = run(fmt::format("report {} -o {}", shell_quote(partial.string()),
                                               shell_quote((directory_ / "out" / "r.html").string())));
  EXPECT_EQ(result.exit_status, kExitInputError) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("is the unfinished file of a `wfsim run` that was interrupted"),
            std::string::npos)
      << result.stderr_text;
  EXPECT_EQ(entries(directory_ / "out"), std::vector<std::string>{partial.filename().string()});
}

}  // namespace
