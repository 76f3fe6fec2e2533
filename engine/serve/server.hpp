// `wfsim serve`: a local web server for the what-if page. One simulation
// runs at a time, on a worker thread of its own; a newer request from the
// same page cancels its older one; requests are bounded in size, nesting,
// replications and number waiting; nothing but the page and its JSON is
// served, and only to requests addressed to the server's own host and port.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "run/default_seed.hpp"
#include "scenario/scenario.hpp"

namespace wfsim::serve {

struct ServerSettings {
  std::string host = "127.0.0.1";
  int port = 8015;  // 0: any free port
  std::uint64_t seed = run::kDefaultSeed;
  int threads = 0;                         // simulation threads; 0: all cores
  int replications = 200;                  // what a change of a control is answered with
  int idle_replications = 1000;            // what the page refines to while nothing changes
  int max_replications = 5000;             // the most a request may ask for
  std::size_t series_memory = 256u << 20;  // bytes of kept series, which can lower max_replications
  std::filesystem::path save_directory = "outputs";
  std::string wfsim_version;
};

inline constexpr std::size_t kMaxRequestBytes = 256 * 1024;
inline constexpr int kMaxJsonDepth = 8;
inline constexpr int kMaxWaitingRuns = 4;  // runs queued behind the one running, from different pages

class Server {
 public:
  // `scenarios`: the reference first, then the scenarios an option may start
  // from. Throws std::runtime_error if the settings cannot be met.
  Server(std::vector<scenario::Scenario> scenarios, ServerSettings settings);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port (the one chosen for port 0).
  // Throws std::runtime_error naming the address if it cannot.
  int bind();
  // Serves until stop(); returns false if the server failed.
  bool listen();
  // From any thread, signal-handling included: stops listening, cancels the
  // run under way and the waiting ones. listen() then returns.
  void stop();

  // The largest replications a request may ask for, after the memory bound.
  int max_replications() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whether `text` nests arrays and objects at most `max_depth` deep (strings
// and their escapes are skipped); checked before a body is parsed, so a
// pathological body cannot exhaust the parser's stack.
bool json_depth_within(std::string_view text, int max_depth);

}  // namespace wfsim::serve
