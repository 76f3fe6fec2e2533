// Fuzzes the run-file reader as `wfsim report` uses it: read through and
// verified in a child process (where the HDF5 library may crash or hang on
// a damaged file without harm), then opened here and made into the
// headline, page and Markdown. Every input must be read or refused with an
// exception; nothing may crash or hang.
#include <cstddef>
#include <cstdint>
#include <exception>

#include "fuzz_support.hpp"
#include "output/isolation.hpp"
#include "output/run_file_reader.hpp"
#include "report/report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path input = wfsim::fuzz::working_directory() / "fuzz_input.h5";
  wfsim::fuzz::write_input(input, data, size);
  const auto unreadable =
      wfsim::output::failure_in_child([] { wfsim::output::RunFileReader(input).verify(); }, 5, "run file");
  if (unreadable) return 0;
  try {
    const wfsim::output::RunFileReader reader(input);
    const wfsim::report::Headline headline = wfsim::report::compute_headline(reader);
    const wfsim::report::ReportOptions options{input.string(), "fuzz"};
    wfsim::report::render_html(reader, headline, options, {});
    wfsim::report::render_markdown(reader, headline, options, {});
  } catch (const std::exception&) {
    // Refused: the report command turns this into exit status 2.
  }
  return 0;
}
