#include "cli/common.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>
#include <system_error>

namespace wfsim::cli {

bool load_all(const std::vector<std::string>& files, std::vector<scenario::Scenario>& scenarios) {
  bool ok = true;
  for (const auto& file : files) {
    try {
      scenarios.push_back(scenario::load_scenario(file));
    } catch (const scenario::ScenarioError& e) {
      std::cerr << e.what() << '\n';
      ok = false;
    }
  }
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

std::string output_directory_problem(const std::filesystem::path& file) {
  const std::filesystem::path directory = file.has_parent_path() ? file.parent_path() : ".";
  std::error_code error;
  if (!std::filesystem::exists(directory, error))
    return fmt::format("the directory {} does not exist", directory.string());
  if (!std::filesystem::is_directory(directory, error))
    return fmt::format("{} is not a directory", directory.string());
  if (::access(directory.c_str(), W_OK | X_OK) != 0)
    return fmt::format("the directory {} is not writable", directory.string());
  return "";
}

void write_text_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path temporary = path;
  temporary += fmt::format(".partial-{}", static_cast<long>(::getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw std::runtime_error(fmt::format("cannot write {}", path.string()));
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(), error.message()));
  }
}

}  // namespace wfsim::cli
