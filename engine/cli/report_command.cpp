// wfsim report: a run file as one self-contained HTML page, and optionally
// the headline in Markdown and tidy CSV, for people who do not open HDF5;
// with --sensitivity, which assumptions the answer depends on.
#include <fmt/format.h>

#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "cli/command_registry.hpp"
#include "cli/common.hpp"
#include "output/isolation.hpp"
#include "output/output_files.hpp"
#include "output/policy_search_file.hpp"
#include "output/run_file_reader.hpp"
#include "output/sensitivity_file.hpp"
#include "report/report.hpp"
#include "version.hpp"

namespace wfsim::cli {
namespace {

struct ReportCommandOptions {
  std::string run_file;
  std::string output;
  std::string csv_directory;
  bool per_replication = false;  // also replications.csv, the annual tables per replication
  std::string markdown;
  std::vector<std::string> sensitivity_files;
  std::vector<std::string> policy_search_files;
};

int make_report(const ReportCommandOptions& options) {
  // The files are inputs: any failure to read them, a damaged file among
  // them, is an input error, found before anything is written. Each is read
  // through in a child process first, where a file that crashes or hangs the
  // HDF5 library can do no harm.
  const auto unreadable = [](const std::string& file, std::string_view kind,
                             const std::function<void()>& read) {
    return output::failure_in_child(read, output::reading_time_limit(file),
                                    fmt::format("{} '{}'", kind, file));
  };
  if (const auto why = unreadable(options.run_file, "run file",
                                  [&] { output::RunFileReader(options.run_file).verify(); })) {
    return input_error(*why);
  }
  for (const std::string& file : options.sensitivity_files) {
    if (const auto why = unreadable(file, "sensitivity file", [&] { output::read_sensitivity_file(file); }))
      return input_error(*why);
  }
  for (const std::string& file : options.policy_search_files) {
    if (const auto why =
            unreadable(file, "policy search file", [&] { output::read_policy_search_file(file); }))
      return input_error(*why);
  }
  std::unique_ptr<output::RunFileReader> reader;
  std::vector<output::SensitivityRecord> sensitivity;
  std::vector<output::PolicySearchRecord> searches;
  try {
    reader = std::make_unique<output::RunFileReader>(options.run_file);
    for (const std::string& file : options.sensitivity_files)
      sensitivity.push_back(output::read_sensitivity_file(file));
    for (const std::string& file : options.policy_search_files)
      searches.push_back(output::read_policy_search_file(file));
  } catch (const std::runtime_error& e) {
    return input_error(e.what());
  }

  // Every destination is checked before anything is written.
  fs::path html = options.output;
  if (html.empty()) html = fs::path(options.run_file).replace_extension(".html");
  if (const std::string problem = output::output_directory_problem(html); !problem.empty())
    return input_error(fmt::format("--output {}: {}", html.string(), problem));
  if (!options.markdown.empty()) {
    if (const std::string problem = output::output_directory_problem(options.markdown); !problem.empty())
      return input_error(fmt::format("--markdown {}: {}", options.markdown, problem));
  }
  const fs::path csv_directory = options.csv_directory;
  if (!csv_directory.empty()) {
    // An existing directory takes the tables; a missing one is created in its parent.
    std::error_code error;
    const fs::path place = fs::is_directory(csv_directory, error) ? csv_directory / "summary.csv"
                                                                  : csv_directory.lexically_normal();
    if (const std::string problem = output::output_directory_problem(place); !problem.empty())
      return input_error(fmt::format("--csv {}: {}", csv_directory.string(), problem));
  }

  const report::Headline headline = report::compute_headline(*reader);
  const report::ReportOptions report_options{fs::path(options.run_file).string(), kVersion};
  const std::string page = report::render_html(*reader, headline, report_options, sensitivity, searches);
  const std::string markdown =
      options.markdown.empty()
          ? std::string()
          : report::render_markdown(*reader, headline, report_options, sensitivity, searches);
  const report::CsvTables csv =
      csv_directory.empty() ? report::CsvTables{} : report::render_csv(reader->run());
  const std::string replications_csv =
      options.per_replication ? report::render_replications_csv(reader->run()) : std::string();

  output::write_file_whole(html, page);
  std::cerr << fmt::format("wrote {}\n", html.string());
  if (!options.markdown.empty()) {
    output::write_file_whole(options.markdown, markdown);
    std::cerr << fmt::format("wrote {}\n", options.markdown);
  }
  if (!csv_directory.empty()) {
    fs::create_directories(csv_directory);
    output::write_file_whole(csv_directory / "summary.csv", csv.summary);
    output::write_file_whole(csv_directory / "annual.csv", csv.annual);
    output::write_file_whole(csv_directory / "differences.csv", csv.differences);
    if (options.per_replication)
      output::write_file_whole(csv_directory / "replications.csv", replications_csv);
    std::cerr << fmt::format("wrote {}/summary.csv, annual.csv, differences.csv{}\n", csv_directory.string(),
                             options.per_replication ? " and replications.csv" : "");
  }
  return 0;
}

const bool registered = register_command(30, [](CLI::App& app, const CommandLine&) -> Action {
  auto options = std::make_shared<ReportCommandOptions>();
  auto* report = app.add_subcommand(
      "report", "Turn a run file into one self-contained HTML page, with optional Markdown and CSV");
  report->add_option("run_file", options->run_file, "Run file written by wfsim run (.h5)")->required();
  report->add_option("-o,--output", options->output, "HTML page to write (default: the run file with .html)");
  auto* csv =
      report->add_option("--csv", options->csv_directory,
                         "Directory for summary.csv, annual.csv and differences.csv (created if missing)");
  report
      ->add_flag("--per-replication", options->per_replication,
                 "With --csv, also replications.csv: every annual table per replication, one value a row "
                 "(scenario,replication,year,outcome,value,units)")
      ->needs(csv);
  report->add_option("--markdown", options->markdown, "Markdown file with the headline table and sentences");
  report
      ->add_option("--sensitivity", options->sensitivity_files,
                   "Sensitivity file written by wfsim sensitivity (.h5), shown under \"Which assumptions "
                   "matter\"; repeatable")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  report
      ->add_option(
          "--policy-search", options->policy_search_files,
          "Policy search file written by wfsim optimise (.h5), shown under \"What the money buys\" with "
          "its frontier chart; repeatable")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  return [options] { return make_report(*options); };
});

}  // namespace
}  // namespace wfsim::cli
