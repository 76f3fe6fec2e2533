// The report on a run file for people who do not open HDF5: one
// self-contained HTML page (headline table, plain-English reading, fan charts,
// which assumptions matter, what differs, provenance), the same headline in
// Markdown, and tidy CSV. Everything comes from RunFileReader and, for the
// assumptions, from sensitivity files; nothing here models anything.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "output/policy_search_file.hpp"
#include "output/run_file_reader.hpp"
#include "output/sensitivity_file.hpp"

namespace wfsim::report {

// What the report reads: a finished run file and sensitivity files.
using output::ComparisonRecord;
using output::NamedRowTable;
using output::PolicySearchRecord;
using output::RunFileReader;
using output::RunRecord;
using output::ScenarioRecord;
using output::SensitivityFileInfo;
using output::SensitivityRecord;

// Mean and 80% range (10th to 90th percentile) over simulated futures.
struct Interval {
  double mean = 0;
  double p10 = 0;
  double p90 = 0;
};

// One row of the headline table: one scenario.
struct HeadlineRow {
  std::string scenario;
  std::string description;
  bool reference = false;
  std::vector<Interval> net_loss;  // per whole year of the horizon
  Interval vacancy_rate_end;       // fractions, in the last month
  Interval agency_rate_end;
  Interval nqsw_share_end;
  Interval cost;  // GBP against the funded establishment over the cost period (an empty post at its budget)
  // The share of the 80% width of the horizon's net loss that the uncertain
  // assumptions add (absent when none were drawn or measured).
  std::optional<double> share_from_assumptions;
  int uncertain_parameters = 0;
  // The service gap in the last month: posts nobody fills, not even agency
  // cover (FTE), and cases nobody holds; and the share of the first year's
  // newly qualified hires still in post 24 months after starting (absent when
  // the horizon is too short to tell).
  Interval uncovered_posts_end;
  Interval unallocated_cases_end;
  std::optional<Interval> nqsw_retention_24;
  // Against the reference (options only):
  std::optional<Interval>
      extra_cost;  // GBP over the cost period against the establishment, paired difference
  std::optional<Interval> policy_spend;             // of it, the policy's own spending
  std::optional<Interval> staffing_change;          // and the change in staffing spending
  std::optional<double> cost_per_leaver_avoided;    // GBP; NaN when no leavers are avoided on average
  std::vector<double> net_loss_difference;          // mean per year, option - reference
  std::vector<double> net_loss_probability_better;  // per year
};

struct Headline {
  std::vector<std::string> years;  // labels from /years
  int cost_months = 0;             // months the cost columns cover: the whole years, else every month
  std::string reference;
  bool independent_streams = false;
  int replications = 0;
  std::vector<HeadlineRow> rows;  // in run order, the reference among them
};

Headline compute_headline(const RunFileReader& reader);

// One parameter whose value differs between two resolved scenarios, by dotted
// key ("policies.retention_payment.amount_gbp"; list items as "phases[0].month").
// An empty optional is a key the scenario does not have.
struct ConfigDifference {
  std::string key;
  std::optional<std::string> reference;
  std::optional<std::string> option;
};
// Every key whose value differs, `name` and `description` aside; in the
// option's order, then keys only the reference has. Throws std::runtime_error
// if either text is not YAML.
std::vector<ConfigDifference> config_differences(const std::string& reference_yaml,
                                                 const std::string& option_yaml);
// Policy blocks (under `policies`) the option has and the reference does not.
std::vector<std::string> added_policies(const std::vector<ConfigDifference>& differences);
std::vector<std::string> removed_policies(const std::vector<ConfigDifference>& differences);

// "2015-11 to 2016-10" -> "the year to October 2016"; other text is returned quoted as is.
std::string year_phrase(std::string_view year_label);
// "2015-11 to 2016-10" -> "Year to Oct 2016".
std::string year_heading(std::string_view year_label);

// One plain-English sentence per option against the reference, with the run's numbers.
std::vector<std::string> plain_sentences(const Headline& headline);

// RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled.
std::string csv_field(std::string_view text);

struct ReportOptions {
  std::string run_file_label;  // how the page names the run file
  std::string report_wfsim_version;
};

// A sensitivity file's parameters, most important first: a tornado's by
// swing |output_high - output_low|, a Morris design's by mu*; ties in file order.
std::vector<std::size_t> sensitivity_order(const SensitivityRecord& sensitivity);
// What the file's output is, in words: "net loss over the whole years of the
// horizon (headcount), strategy minus baseline".
std::string sensitivity_output_words(const SensitivityRecord& sensitivity);
// One plain sentence naming the (up to) three most important parameters, most
// important first, and any that can flip which option does better.
std::string sensitivity_sentence(const SensitivityRecord& sensitivity);

// A policy search's chosen package in one sentence a member can read, with
// its figures from the fresh seed: "For £3.0 million, the package of ...
// keeps 62 more qualified social workers than doing nothing over the whole
// years (80% range 41 to 83); ...".
std::string policy_search_sentence(const PolicySearchRecord& search);
// "What the money buys": the frontier chart (figure `figure`), the packages
// run again, the sentence and where they come from; `index` numbers the
// searches of one page.
std::string policy_search_html(const PolicySearchRecord& search, std::size_t index, std::size_t figure);
std::string policy_search_markdown(const PolicySearchRecord& search);

// `sensitivity`: files from `wfsim sensitivity`, each shown under "Which
// assumptions matter" (a tornado chart or a Morris table, and the sentence);
// `searches`: files from `wfsim optimise`, each under "What the money buys".
std::string render_html(const RunFileReader& reader, const Headline& headline, const ReportOptions& options,
                        const std::vector<SensitivityRecord>& sensitivity = {},
                        const std::vector<PolicySearchRecord>& searches = {});
std::string render_markdown(const RunFileReader& reader, const Headline& headline,
                            const ReportOptions& options,
                            const std::vector<SensitivityRecord>& sensitivity = {},
                            const std::vector<PolicySearchRecord>& searches = {});

// Tidy tables, CRLF line ends, numbers at full precision, missing values empty.
struct CsvTables {
  std::string summary;      // scenario,metric,month,mean,p10,p25,p50,p75,p90
  std::string annual;       // scenario,table,year,mean,p10,p25,p50,p75,p90
  std::string differences;  // option,reference,outcome,column,mean,p10,p25,p50,p75,p90,probability_better
};
CsvTables render_csv(const RunRecord& run);
// Every annual table per replication, one value a row, for spreadsheets and R:
// scenario,replication,year,outcome,value,units. Replication r of every
// scenario is the same simulated future, so rows pair across scenarios.
std::string render_replications_csv(const RunRecord& run);

}  // namespace wfsim::report
