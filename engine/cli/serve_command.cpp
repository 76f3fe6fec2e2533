// wfsim serve: the what-if page on a local web server.
#include <fmt/format.h>
#include <pthread.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/command_registry.hpp"
#include "cli/common.hpp"
#include "serve/server.hpp"
#include "version.hpp"

namespace wfsim::cli {
namespace {

struct ServeOptions {
  std::vector<std::string> scenario_files;
  serve::ServerSettings settings;
};

// Ctrl-C and SIGTERM stop the server from a thread of their own: blocked in
// every thread (the mask is inherited), taken by sigwait, so stopping is
// ordinary code rather than a signal handler.
class StopOnSignal {
 public:
  StopOnSignal() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
  }
  void start(serve::Server& server) {
    waiter_ = std::thread([this, &server] {
      int signal = 0;
      sigwait(&signals_, &signal);
      if (finished_) return;
      std::cerr << "\nwfsim serve: stopping\n";
      server.stop();
    });
  }
  // Joins the waiter, waking it if no signal came; before the server goes.
  void finish() {
    if (!waiter_.joinable()) return;
    finished_ = true;
    pthread_kill(waiter_.native_handle(), SIGTERM);
    waiter_.join();
  }
  ~StopOnSignal() {
    finish();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }

 private:
  sigset_t signals_{};
  sigset_t previous_{};
  std::thread waiter_;
  std::atomic<bool> finished_{false};
};

int serve_scenarios(ServeOptions& options) {
  std::vector<scenario::Scenario> scenarios;
  if (!load_all(options.scenario_files, scenarios)) return kExitInputError;
  const fs::path& save_directory = options.settings.save_directory;
  std::error_code error;
  if (fs::exists(save_directory, error) && !fs::is_directory(save_directory, error)) {
    std::cerr << fmt::format("wfsim: error: --save-dir {}: not a directory\n", save_directory.string());
    return kExitInputError;
  }
  if (options.settings.idle_replications < options.settings.replications) {
    std::cerr << "wfsim: error: --idle-replications must be at least --replications\n";
    return kExitInputError;
  }
  options.settings.wfsim_version = kVersion;

  StopOnSignal stop_on_signal;  // before any thread starts
  std::unique_ptr<serve::Server> server;
  int port = 0;
  try {
    server = std::make_unique<serve::Server>(std::move(scenarios), options.settings);
    port = server->bind();
  } catch (const std::runtime_error& e) {
    std::cerr << "wfsim: error: " << e.what() << '\n';
    return kExitInputError;
  }
  const std::string host = options.settings.host.find(':') != std::string::npos
                               ? "[" + options.settings.host + "]"
                               : options.settings.host;
  std::cout << fmt::format("wfsim serve: open http://{}:{}/ in a browser (Ctrl-C stops)\n", host, port)
            << std::flush;
  std::cerr << fmt::format(
      "{} replications a change, refined to {} while nothing changes (at most {}), seed {};\n"
      "options are saved in {}\n",
      options.settings.replications, options.settings.idle_replications, server->max_replications(),
      options.settings.seed, save_directory.string());
  if (options.settings.host != "127.0.0.1" && options.settings.host != "::1" &&
      options.settings.host != "localhost") {
    std::cerr << "wfsim serve: warning: listening beyond this machine; anyone who can reach it can run "
                 "scenarios and save files in "
              << save_directory.string() << '\n';
  }
  stop_on_signal.start(*server);
  const bool served = server->listen();
  stop_on_signal.finish();
  server.reset();
  std::cerr << "wfsim serve: stopped\n";
  return served ? 0 : kExitRuntimeError;
}

const bool registered = register_command(15, [](CLI::App& app, const CommandLine&) -> Action {
  auto options = std::make_shared<ServeOptions>();
  auto& s = options->settings;
  auto* serve = app.add_subcommand(
      "serve", "Serve the what-if page: an option beside the reference, rerun as its controls move");
  add_input_files(*serve, "scenarios", options->scenario_files,
                  "Scenario YAML files; the first is the reference, the others options to start from");
  serve->add_option("--port", s.port, "Port to listen on (0: any free port)")->check(CLI::Range(0, 65535));
  serve->add_option("--host", s.host, "Address to listen on (default 127.0.0.1, this machine only)");
  serve->add_option("-n,--replications", s.replications, "Replications behind the figures after each change")
      ->check(CLI::Range(1, 100'000));
  serve
      ->add_option("--idle-replications", s.idle_replications,
                   "Replications the page refines to while nothing changes")
      ->check(CLI::Range(1, 100'000));
  serve->add_option("--max-replications", s.max_replications, "The most replications a request may ask for")
      ->check(CLI::Range(1, 100'000));
  serve->add_option("--seed", s.seed, "Random seed");
  add_threads_option(*serve, s.threads, "Simulation threads (default: all cores)");
  serve->add_option("--save-dir", s.save_directory, "Where Save writes option files (default outputs)");
  return [options] { return serve_scenarios(*options); };
});

}  // namespace
}  // namespace wfsim::cli
