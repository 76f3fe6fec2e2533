// wfsim across the ranks of an MPI job, started by mpirun as users start it:
// every file is the same bits as the threaded run of the same seed, whatever
// the ranks and their threads; a rank that dies leaves no file behind; a
// problem only rank 0 sees stops every rank.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "cli_runner.hpp"
#include "dataset_checksums.hpp"
#include "scratch_directory.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using namespace wfsim::test;

// The settings `env` gives mpirun: allowed as root (CI runs as root). Under
// the sanitizers, LeakSanitizer is off in the ranks, whose MPI library leaves
// its own allocations (in plugins it has unloaded) at exit; AddressSanitizer's
// other checks and UBSan stay on.
std::string mpirun_settings() {
  return std::string("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1") +
         (WFSIM_SANITIZED ? " ASAN_OPTIONS=detect_leaks=0:abort_on_error=1" : "");
}

// `mpirun -np RANKS wfsim ARGUMENTS`, on more ranks than cores if need be.
CommandResult run_ranks(int ranks, const std::string& arguments, const fs::path& stderr_file,
                        const fs::path& stdout_file = {}) {
  return run_program("env",
                     fmt::format("{} {} -np {} --oversubscribe {} {}", mpirun_settings(), WFSIM_MPIEXEC,
                                 ranks, shell_quote(WFSIM_BINARY), arguments),
                     stderr_file, stdout_file);
}

// Lines of a text file that are not comments (the overlay's header names its time and command).
std::string without_comments(const fs::path& file) {
  std::istringstream in(read_text(file));
  std::string kept;
  for (std::string line; std::getline(in, line);)
    if (line.rfind('#', 0) != 0) kept += line + '\n';
  return kept;
}

class Ranks : public ::testing::Test {
 protected:
  const ScratchDirectory scratch_{"wfsim_mpi"};
  const fs::path& dir_ = scratch_.path();
};

// The baseline draws uncertain parameters (so the chance-only pass runs
// too), the strategy is compared with it, and --pairing-check adds the
// independent-streams pass: every pass of `wfsim run` is spread.
TEST_F(Ranks, RunFileIsTheSameBitsAsTheThreadedRunWhateverTheRanksAndThreads) {
  const std::string run = "run" + lancashire_scenarios({"baseline", "strategy"}) +
                          " -n 100 --block-size 16 --pairing-check --seed 7 -q";
  const auto threaded = run_wfsim(
      fmt::format("{} --threads 2 -o {}", run, shell_quote((dir_ / "t.h5").string())), dir_ / "t.txt");
  ASSERT_EQ(threaded.exit_status, 0) << threaded.stderr_text;
  const auto expected = dataset_checksums(dir_ / "t.h5", true);
  ASSERT_GT(expected.size(), 100u);

  for (const auto& [ranks, threads] : {std::pair{2, 1}, std::pair{1, 2}, std::pair{3, 2}}) {
    const fs::path file = dir_ / fmt::format("r{}x{}.h5", ranks, threads);
    const auto result =
        run_ranks(ranks, fmt::format("{} --threads {} -o {}", run, threads, shell_quote(file.string())),
                  dir_ / "r.txt");
    ASSERT_EQ(result.exit_status, 0) << ranks << " ranks x " << threads << " threads: " << result.stderr_text;
    EXPECT_EQ(dataset_checksums(file, true), expected) << ranks << " ranks x " << threads << " threads";
    // One rank writes: one "wrote" line, one file.
    EXPECT_EQ(result.stderr_text, fmt::format("wrote {}\n", file.string()));
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 6);  // 4 files, 2 logs
}

// The default blocks across ranks are whole chunks of the series (256
// replications here), which the ranks other than 0 compress themselves; the
// last is a partial chunk at the run's end.
TEST_F(Ranks, SeriesCompressedOnEveryRankGiveTheSameBits) {
  const std::string run = "run" + lancashire_scenarios({"baseline"}) + " -n 600 --skip-chance-only -q";
  ASSERT_EQ(run_wfsim(fmt::format("{} --threads 1 -o {}", run, shell_quote((dir_ / "t.h5").string())),
                      dir_ / "t.txt")
                .exit_status,
            0);
  const auto result =
      run_ranks(3, fmt::format("{} -o {}", run, shell_quote((dir_ / "r.h5").string())), dir_ / "r.txt");
  ASSERT_EQ(result.exit_status, 0) << result.stderr_text;
  EXPECT_EQ(dataset_checksums(dir_ / "r.h5", true), dataset_checksums(dir_ / "t.h5", true));
}

TEST_F(Ranks, MorrisSensitivityFileIsTheSameBitsAsTheThreadedOne) {
  {
    std::ofstream(dir_ / "ranges.yaml")
        << "parameters:\n  - {path: demand.annual_growth, low: 0.02, high: 0.08}\n"
           "  - {path: attrition.burnout_coefficient, low: 1, high: 3}\n";
  }
  const std::string sensitivity = fmt::format(
      "sensitivity{} --ranges {} --design morris --trajectories 2 -n 80 -q",
      lancashire_scenarios({"baseline", "strategy"}), shell_quote((dir_ / "ranges.yaml").string()));
  ASSERT_EQ(run_wfsim(fmt::format("{} --threads 2 -o {}", sensitivity, shell_quote((dir_ / "t.h5").string())),
                      dir_ / "t.txt")
                .exit_status,
            0);
  const auto result =
      run_ranks(2, fmt::format("{} --threads 1 -o {}", sensitivity, shell_quote((dir_ / "r.h5").string())),
                dir_ / "r.txt");
  ASSERT_EQ(result.exit_status, 0) << result.stderr_text;
  EXPECT_EQ(dataset_checksums(dir_ / "r.h5", true), dataset_checksums(dir_ / "t.h5", true));
}

TEST_F(Ranks, CalibrationFitsTheSameValuesAsTheThreadedOne) {
  const std::string calibrate =
      fmt::format("calibrate {} --targets {} -n 80 --max-evaluations 4 -q",
                  shell_quote(lancashire_scenario_path("baseline").string()),
                  shell_quote(source_path("scenarios/lancashire-2015/targets-2015.yaml").string()));
  ASSERT_EQ(
      run_wfsim(fmt::format("{} --threads 2 -o {} --report {}", calibrate,
                            shell_quote((dir_ / "t.yaml").string()), shell_quote((dir_ / "t.md").string())),
                dir_ / "t.txt")
          .exit_status,
      0);
  const auto result =
      run_ranks(2,
                fmt::format("{} --threads 1 -o {} --report {}", calibrate,
                            shell_quote((dir_ / "r.yaml").string()), shell_quote((dir_ / "r.md").string())),
                dir_ / "r.txt");
  ASSERT_EQ(result.exit_status, 0) << result.stderr_text;
  EXPECT_EQ(without_comments(dir_ / "r.yaml"), without_comments(dir_ / "t.yaml"));
  EXPECT_EQ(read_text(dir_ / "r.md"), read_text(dir_ / "t.md"));
}

TEST_F(Ranks, PolicySearchFindsTheSamePackagesAsTheThreadedOne) {
  {
    std::ofstream(dir_ / "levers.yaml") << fmt::format(
        "measures: \"{}\"\nobjective: leavers_total\nbudget: {{rule: mean}}\nlevers:\n"
        "  - policy: retention_payment\n    vary:\n      - {{path: amount_gbp, min: 200, max: 3000}}\n"
        "  - policy: workload_relief\n",
        test_scenario_path("search_measures.yaml").string());
  }
  const auto optimise = [&](const std::string& name) {
    fs::create_directories(dir_ / name);
    return fmt::format(
        "optimise {} --levers {} --budget 300000 -n 8 --max-replications 16 --rerun-replications 24 "
        "--finalists 2 --frontier-points 1 -q -o {}",
        shell_quote(test_scenario_path("search_noisy.yaml").string()),
        shell_quote((dir_ / "levers.yaml").string()), shell_quote((dir_ / name / "search.h5").string()));
  };
  ASSERT_EQ(run_wfsim(optimise("t") + " --threads 2", dir_ / "t.txt").exit_status, 0);
  const auto result = run_ranks(2, optimise("r") + " --threads 1", dir_ / "r.txt");
  ASSERT_EQ(result.exit_status, 0) << result.stderr_text;
  const auto expected = dataset_checksums(dir_ / "t" / "search.h5");
  // The packages' file names and texts (whose header names the time and the
  // command) are compared as the files below.
  for (const auto& [path, checksum] : dataset_checksums(dir_ / "r" / "search.h5"))
    if (path != "packages/file" && path != "packages/yaml") {
      EXPECT_EQ(checksum, expected.at(path)) << path;
    }
  int packages = 0;
  for (const auto& entry : fs::directory_iterator(dir_ / "t")) {
    if (entry.path().extension() != ".yaml") continue;
    ++packages;
    EXPECT_EQ(without_comments(dir_ / "r" / entry.path().filename()), without_comments(entry.path()))
        << entry.path().filename();
  }
  EXPECT_GT(packages, 0);
}

// A check only rank 0 makes (where the file goes) stops every rank, with one
// message and status 2, instead of leaving the others waiting.
TEST_F(Ranks, AnOutputProblemOnRankZeroStopsEveryRank) {
  const auto result = run_ranks(2,
                                "run" + lancashire_scenarios({"baseline"}) + " -n 10 -q -o " +
                                    shell_quote((dir_ / "no/such/dir/r.h5").string()),
                                dir_ / "r.txt");
  EXPECT_EQ(result.exit_status, 2) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("no/such/dir"), std::string::npos) << result.stderr_text;
}

TEST_F(Ranks, CommandsThatRunInOneProcessRefuseToStartOnSeveral) {
  const auto result =
      run_ranks(2, "validate " + shell_quote(lancashire_scenario_path("baseline").string()), dir_ / "r.txt");
  EXPECT_EQ(result.exit_status, 2) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("wfsim validate runs in one process"), std::string::npos)
      << result.stderr_text;
}

// The process of rank `rank` of the job whose command line mentions `marker`, or 0.
pid_t find_rank_process(int rank, const std::string& marker) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string environment = read_text(entry.path() / "environ");
    const std::string command = read_text(entry.path() / "cmdline");
    if (command.find(marker) == std::string::npos || command.find("wfsim") == std::string::npos) continue;
    if (environment.find(fmt::format("OMPI_COMM_WORLD_RANK={}", rank) + '\0') != std::string::npos)
      return static_cast<pid_t>(std::stol(name));
  }
  return 0;
}

TEST_F(Ranks, ARankThatDiesEndsTheRunWithoutAFileThatClaimsToBeComplete) {
  const fs::path file = dir_ / "killed.h5";
  // Long enough that rank 1 is killed while the run file is being written.
  const std::string command = fmt::format(
      "env {} {} -np 2 --oversubscribe {} run{} -n 50000 --threads 1 --skip-chance-only -q -o {} 2>{}",
      mpirun_settings(), WFSIM_MPIEXEC, shell_quote(WFSIM_BINARY), lancashire_scenarios({"baseline"}),
      shell_quote(file.string()), shell_quote((dir_ / "stderr.txt").string()));
  int status = -1;
  std::thread job([&] { status = std::system(command.c_str()); });
  pid_t rank_one = 0;
  bool writing = false;
  for (int tries = 0; tries < 600 && (rank_one == 0 || !writing); ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    rank_one = find_rank_process(1, file.string());
    writing = false;
    for (const auto& entry : fs::directory_iterator(dir_))
      writing = writing || entry.path().filename().string().rfind("killed.h5.partial-", 0) == 0;
  }
  ASSERT_NE(rank_one, 0) << "rank 1 never started";
  EXPECT_TRUE(writing) << "rank 0 never started its run file";
  ::kill(rank_one, SIGKILL);
  job.join();
  ASSERT_NE(status, -1);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << read_text(dir_ / "stderr.txt");
  EXPECT_FALSE(fs::exists(file));
  // Rank 0, ended by mpirun, removes its partial file too.
  for (const auto& entry : fs::directory_iterator(dir_))
    EXPECT_EQ(entry.path().filename().string().find(".partial-"), std::string::npos) << entry.path();
}

}  // namespace
