#include "run/ranks.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <stdexcept>

#ifdef WFSIM_WITH_MPI
#include <mpi.h>
#endif

namespace wfsim::run {

namespace {

int this_rank = 0;
int ranks = 1;
int local_ranks = 1;

#ifdef WFSIM_WITH_MPI
bool joined = false;

// Whether a launcher (mpirun, or srun with PMIx) started this process as
// part of a job; a plain `wfsim` never initialises MPI.
bool started_by_launcher() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"})
    if (std::getenv(variable) != nullptr) return true;
  return false;
}

// MPI counts are ints: a long span goes in pieces of at most this many values.
constexpr std::size_t kMaxPiece = std::size_t{1} << 30;

template <typename Value, typename Transfer>
void in_pieces(std::span<Value> values, const Transfer& transfer) {
  for (std::size_t first = 0; first < values.size(); first += kMaxPiece) {
    const std::size_t count = std::min(kMaxPiece, values.size() - first);
    transfer(values.data() + first, static_cast<int>(count));
  }
}
#endif

void require_job(const char* what) {
  if (ranks < 2) throw std::logic_error(std::string(what) + " needs a job of several ranks");
}

}  // namespace

RankSession::RankSession([[maybe_unused]] int& argc, [[maybe_unused]] char**& argv) {
#ifdef WFSIM_WITH_MPI
  if (!started_by_launcher()) return;
  // Each rank's runner calls MPI from whichever of its threads consumes a
  // block, one call at a time: SERIALIZED is all it needs.
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
  joined = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &this_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  if (provided < MPI_THREAD_SERIALIZED) {
    if (this_rank == 0)
      std::cerr << "wfsim: error: this MPI library cannot be called from several threads in turn "
                   "(MPI_THREAD_SERIALIZED), which wfsim's runner needs\n";
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Comm local = MPI_COMM_NULL;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, this_rank, MPI_INFO_NULL, &local);
  MPI_Comm_size(local, &local_ranks);
  MPI_Comm_free(&local);
#endif
}

RankSession::~RankSession() {
#ifdef WFSIM_WITH_MPI
  if (joined) MPI_Finalize();
#endif
}

int rank() {
  return this_rank;
}
int rank_count() {
  return ranks;
}
int ranks_on_this_machine() {
  return local_ranks;
}

bool built_with_mpi() {
#ifdef WFSIM_WITH_MPI
  return true;
#else
  return false;
#endif
}

void send_values([[maybe_unused]] std::span<const double> values, [[maybe_unused]] int to) {
  require_job("send_values");
#ifdef WFSIM_WITH_MPI
  in_pieces(values,
            [&](const double* data, int count) { MPI_Send(data, count, MPI_DOUBLE, to, 0, MPI_COMM_WORLD); });
#endif
}

void receive_values([[maybe_unused]] std::span<double> values, [[maybe_unused]] int from) {
  require_job("receive_values");
#ifdef WFSIM_WITH_MPI
  in_pieces(values, [&](double* data, int count) {
    MPI_Recv(data, count, MPI_DOUBLE, from, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  });
#endif
}

void send_bytes([[maybe_unused]] std::span<const unsigned char> bytes, [[maybe_unused]] int to) {
  require_job("send_bytes");
#ifdef WFSIM_WITH_MPI
  const std::uint64_t size = bytes.size();
  MPI_Send(&size, 1, MPI_UINT64_T, to, 0, MPI_COMM_WORLD);
  in_pieces(bytes, [&](const unsigned char* data, int count) {
    MPI_Send(data, count, MPI_UNSIGNED_CHAR, to, 0, MPI_COMM_WORLD);
  });
#endif
}

void receive_bytes([[maybe_unused]] std::vector<unsigned char>& bytes, [[maybe_unused]] int from) {
  require_job("receive_bytes");
#ifdef WFSIM_WITH_MPI
  std::uint64_t size = 0;
  MPI_Recv(&size, 1, MPI_UINT64_T, from, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  bytes.resize(size);
  in_pieces(std::span<unsigned char>(bytes), [&](unsigned char* data, int count) {
    MPI_Recv(data, count, MPI_UNSIGNED_CHAR, from, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  });
#endif
}

void broadcast_values([[maybe_unused]] std::span<double> values, [[maybe_unused]] int root) {
  require_job("broadcast_values");
#ifdef WFSIM_WITH_MPI
  in_pieces(values,
            [&](double* data, int count) { MPI_Bcast(data, count, MPI_DOUBLE, root, MPI_COMM_WORLD); });
#endif
}

int value_of_root(int value) {
#ifdef WFSIM_WITH_MPI
  if (ranks > 1) MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
#endif
  return value;
}

void abort_all_ranks(int status) {
#ifdef WFSIM_WITH_MPI
  if (joined) MPI_Abort(MPI_COMM_WORLD, status);
#endif
  std::exit(status);
}

}  // namespace wfsim::run
