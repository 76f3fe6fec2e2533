// Reading a file wfsim did not just write through the HDF5 library, which
// does not defend itself against damaged files: some crash it, some send it
// into an endless loop. A first pass in a child process turns either into
// a refusal, and the file is then read for real only if that pass finished.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace wfsim::output {

// Runs `work` in a child process given `seconds` to finish. Returns nullopt
// if it returned; otherwise why not: the message of the exception it threw,
// or "<what> is damaged: reading it crashed the HDF5 library (...)" or "...
// did not finish within N s". Call it before starting any thread.
std::optional<std::string> failure_in_child(const std::function<void()>& work, double seconds,
                                            const std::string& what);

// Time to allow for reading `file` through: 20 seconds, and a second more for
// every 10 MB.
double reading_time_limit(const std::filesystem::path& file);

}  // namespace wfsim::output
