// The processes one wfsim command is spread over: the ranks of an MPI job
// when wfsim was built with MPI (WFSIM_MPI) and started by mpirun, otherwise
// this process alone, rank 0 of 1. Every rank runs the same command on the
// same inputs and makes the same calls here in the same order; the runner
// (monte_carlo.hpp) splits replications between them in blocks, and rank 0
// alone prints and writes files.
#pragma once

#include <span>
#include <vector>

namespace wfsim::run {

// Joins the MPI job this process was started in, if any, for the object's
// lifetime: main holds one. Without mpirun (no job to join) or without MPI
// in the build, nothing is initialised and the process is rank 0 of 1.
class RankSession {
 public:
  RankSession(int& argc, char**& argv);
  ~RankSession();
  RankSession(const RankSession&) = delete;
  RankSession& operator=(const RankSession&) = delete;
};

int rank();
int rank_count();
inline bool is_root_rank() {
  return rank() == 0;
}
// Ranks of this job on this machine, which share its cores.
int ranks_on_this_machine();
// Whether this build can join an MPI job at all.
bool built_with_mpi();

// Blocking transfers of doubles between ranks; only with rank_count() > 1.
// Messages from one rank to another arrive in the order they were sent.
void send_values(std::span<const double> values, int to);
void receive_values(std::span<double> values, int from);
void broadcast_values(std::span<double> values, int root);
// Bytes of any length: the receiver learns it from the message.
void send_bytes(std::span<const unsigned char> bytes, int to);
void receive_bytes(std::vector<unsigned char>& bytes, int from);
// Rank 0's `value`, on every rank (what each rank passes is ignored but on rank 0).
int value_of_root(int value);

// Ends every rank of the job with `status`, for a rank that fails while the
// others may be waiting for it; just exits when this process is alone.
[[noreturn]] void abort_all_ranks(int status);

}  // namespace wfsim::run
