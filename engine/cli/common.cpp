#include "cli/common.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <ctime>
#include <iostream>
#include <map>

#include "output/output_files.hpp"

namespace wfsim::cli {

int input_error(std::string_view message) {
  std::cerr << "wfsim: error: " << message << '\n';
  return kExitInputError;
}

bool load_reporting_errors(const std::function<void()>& load) {
  try {
    load();
    return true;
  } catch (const scenario::ScenarioError& e) {
    std::cerr << e.what() << '\n';
    return false;
  }
}

std::filesystem::path output_path(const std::string& given, std::string_view stem,
                                  std::string_view extension) {
  std::filesystem::path path = given;
  if (path.empty()) {
    std::filesystem::create_directories("outputs");
    path =
        std::filesystem::path("outputs") / fmt::format("{}-{}{}", stem, utc_now("%Y%m%dT%H%M%SZ"), extension);
  }
  if (const std::string problem = output::output_directory_problem(path); !problem.empty()) {
    input_error(fmt::format("--output {}: {}", path.string(), problem));
    return {};
  }
  return path;
}

bool load_all(const std::vector<std::string>& files, std::vector<scenario::Scenario>& scenarios) {
  bool ok = true;
  for (const auto& file : files)
    ok = load_reporting_errors([&] { scenarios.push_back(scenario::load_scenario(file)); }) && ok;
  if (!ok) return false;
  // Scenarios of one run share a horizon and need distinct names.
  const auto& reference = scenarios.front();
  std::map<std::string, std::string> names;
  for (const auto& s : scenarios) {
    if (s.parameters.time.months != reference.parameters.time.months ||
        !(s.parameters.time.start == reference.parameters.time.start)) {
      std::cerr << fmt::format(
          "{}: error: start, months: the horizon differs from the reference scenario {} ({})\n",
          s.file.string(), reference.name, reference.file.string());
      ok = false;
    }
    if (auto [it, inserted] = names.emplace(s.name, s.file.string()); !inserted) {
      std::cerr << fmt::format("{}: error: name: '{}' is also the name of {}; scenario names must differ\n",
                               s.file.string(), s.name, it->second);
      ok = false;
    }
  }
  return ok;
}

CLI::Option* add_threads_option(CLI::App& command, int& threads, const std::string& help) {
  return command.add_option("--threads", threads, help)->check(CLI::Range(1, 4096));
}

void add_replication_options(CLI::App& command, ReplicationOptions& options,
                             const std::string& replications_help, int min_replications, int max_replications,
                             const std::string& seed_help) {
  command.add_option("-n,--replications", options.replications, replications_help)
      ->check(CLI::Range(min_replications, max_replications));
  command.add_option("--seed", options.seed, seed_help);
  add_threads_option(command, options.threads);
}

std::string utc_now(const char* format) {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[64];
  std::strftime(text, sizeof text, format, &utc);
  return text;
}

std::string command_line_text(const CommandLine& command_line) {
  std::string text;
  for (int k = 0; k < command_line.argc; ++k) text += (k ? " " : "") + std::string(command_line.argv[k]);
  return text;
}

std::string relative_to(const std::filesystem::path& target, const std::filesystem::path& directory) {
  std::error_code error;
  const std::filesystem::path from =
      std::filesystem::weakly_canonical(std::filesystem::absolute(directory), error);
  const std::filesystem::path to =
      std::filesystem::weakly_canonical(std::filesystem::absolute(target), error);
  std::filesystem::path relative = to.lexically_relative(from);
  return relative.empty() ? to.string() : relative.generic_string();
}

ProgressBar::ProgressBar(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(int finished, int total) const {
  if (!enabled_) return;
  constexpr int kWidth = 40;
  const int filled = total > 0 ? finished * kWidth / total : kWidth;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double remaining = finished > 0 ? elapsed * (total - finished) / finished : 0.0;
  std::cerr << fmt::format("\r[{}{}] {:>3}% {}/{} replications, {:.0f} s left ", std::string(filled, '#'),
                           std::string(kWidth - filled, '.'), total > 0 ? finished * 100 / total : 100,
                           finished, total, remaining)
            << std::flush;
  if (finished == total) std::cerr << '\n';
}

bool stderr_is_terminal() {
  return isatty(STDERR_FILENO) != 0;
}

}  // namespace wfsim::cli
