#include "report/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <utility>

#include "output/summary.hpp"
#include "report/formatting.hpp"
#include "report/svg_chart.hpp"
#include "run/comparison.hpp"
#include "run/statistics.hpp"
#include "scenario/document.hpp"
#include "scenario/scenario_error.hpp"

namespace wfsim::report {
namespace {

constexpr std::array<std::string_view, 12> kMonthNames = {"January",   "February", "March",    "April",
                                                          "May",       "June",     "July",     "August",
                                                          "September", "October",  "November", "December"};
constexpr int kMonthsPerYear = 12;

double nan() {
  return std::numeric_limits<double>::quiet_NaN();
}

// ---- number formatting --------------------------------------------------------

long rounded(double value) {
  return std::isfinite(value) ? std::lround(value) : 0;
}

// A negative cost per leaver avoided means the option keeps staff and costs less than the reference.
std::string per_leaver_words(double gbp) {
  return gbp < 0 ? "saves " + money_words(gbp) : money_words(gbp);
}
// Full precision for machines: the shortest text that reads back to the same double.
std::string raw(double value) {
  return fmt::format("{}", value);
}
std::string csv_number(double value) {
  if (std::isnan(value)) return "";
  return raw(value);
}

std::string period_words(int months) {
  if (months % kMonthsPerYear == 0) {
    const int years = months / kMonthsPerYear;
    return years == 1 ? "1 year" : fmt::format("{} years", years);
  }
  return months == 1 ? "1 month" : fmt::format("{} months", months);
}

// ---- YAML flattening ----------------------------------------------------------

using Flat = std::vector<std::pair<std::string, std::string>>;

using scenario::detail::Node;

// Report tables show a quoted YAML string as its text, without the quotes.
std::string scalar_text(const Node& node) {
  return scenario::detail::flow_yaml(node, scenario::detail::Quotes::dropped);
}

void flatten(const Node& node, const std::string& prefix, Flat& out) {
  if (node.type == Node::Type::mapping) {
    if (node.entries.empty()) {
      out.emplace_back(prefix, "{}");
      return;
    }
    for (const auto& entry : node.entries)
      flatten(entry.value, prefix.empty() ? entry.key : prefix + "." + entry.key, out);
    return;
  }
  if (node.type == Node::Type::sequence) {
    const bool all_scalar = std::all_of(node.items.begin(), node.items.end(), [](const Node& item) {
      return item.type == Node::Type::scalar || item.type == Node::Type::null;
    });
    if (all_scalar) {
      out.emplace_back(prefix, scalar_text(node));
      return;
    }
    for (std::size_t k = 0; k < node.items.size(); ++k)
      flatten(node.items[k], fmt::format("{}[{}]", prefix, k), out);
    return;
  }
  out.emplace_back(prefix, scalar_text(node));
}

// A run file's resolved scenario, read with the scenario loader's own
// limits: the file may be damaged or hostile.
Flat flatten_document(const std::string& yaml, std::string_view which) {
  Node root;
  try {
    root = scenario::detail::parse_document(
        yaml, std::make_shared<const std::string>(fmt::format("the {} scenario's config_yaml", which)));
  } catch (const scenario::ScenarioError& e) {
    throw std::runtime_error(fmt::format("the {} scenario's config_yaml is not YAML: {}", which, e.what()));
  }
  Flat out;
  if (root.type == Node::Type::mapping) {
    for (const auto& entry : root.entries) {
      if (entry.key == "name" || entry.key == "description") continue;
      flatten(entry.value, entry.key, out);
    }
  } else if (root.type != Node::Type::null) {
    throw std::runtime_error(fmt::format("the {} scenario's config_yaml is not a mapping", which));
  }
  return out;
}

// "policies.retention_payment.amount_gbp" -> "retention_payment"; "" if not a policy key.
std::string policy_of(std::string_view key) {
  constexpr std::string_view prefix = "policies.";
  if (key.substr(0, prefix.size()) != prefix) return "";
  const std::string_view rest = key.substr(prefix.size());
  return std::string(rest.substr(0, std::min(rest.find_first_of(".["), rest.size())));
}

// ---- the headline's pieces ----------------------------------------------------

Interval interval_at(const NamedRowTable& table, std::size_t column) {
  if (column >= table.columns) return {nan(), nan(), nan()};
  return {table.at("mean", column), table.at("p10", column), table.at("p90", column)};
}

// "2026-11-26T22:04:57Z" -> "26 November 2026 at 22:04 UTC"; other text unchanged.
std::string readable_utc(const std::string& iso) {
  if (iso.size() < 16 || iso[4] != '-' || iso[7] != '-' || iso[10] != 'T') return iso;
  const int month = (iso[5] - '0') * 10 + (iso[6] - '0');
  const int day = (iso[8] - '0') * 10 + (iso[9] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31) return iso;
  return fmt::format("{} {} {} at {} UTC", day, kMonthNames[static_cast<std::size_t>(month - 1)],
                     iso.substr(0, 4), iso.substr(11, 5));
}

std::string end_month_words(const RunRecord& run) {
  return run.months.empty() ? std::string("the end") : short_month_label(run.months.back());
}

// ---- HTML helpers -------------------------------------------------------------

std::string data_key(std::string_view measure, std::string_view scenario, std::size_t column,
                     std::string_view statistic) {
  return fmt::format("{}|{}|{}|{}", measure, scenario, column, statistic);
}

std::string valued(std::string_view css_class, const std::string& key, double value,
                   const std::string& shown) {
  return fmt::format("<span class=\"{}\" data-key=\"{}\" data-value=\"{}\">{}</span>", css_class,
                     html_escape(key), raw(value), html_escape(shown));
}

template <typename Format>
std::string interval_cell(std::string_view measure, std::string_view scenario, std::size_t column,
                          const Interval& value, Format format) {
  return fmt::format("<td class=\"num\">{}<span class=\"r\">{} to {}</span></td>",
                     valued("v", data_key(measure, scenario, column, "mean"), value.mean, format(value.mean)),
                     valued("lo", data_key(measure, scenario, column, "p10"), value.p10, format(value.p10)),
                     valued("hi", data_key(measure, scenario, column, "p90"), value.p90, format(value.p90)));
}

// Escaped, with a line-break opportunity after each underscore of a long name.
std::string breakable(std::string_view name) {
  std::string out;
  for (const char c : name) out += c == '_' ? std::string("_<wbr>") : html_escape(std::string_view(&c, 1));
  return out;
}

std::string swatch(std::size_t index) {
  const SeriesStyle style = series_style(index);
  return fmt::format(
      "<svg class=\"swatch\" viewBox=\"0 0 34 12\" width=\"34\" height=\"12\" aria-hidden=\"true\">"
      "<rect x=\"0\" y=\"0\" width=\"34\" height=\"12\" fill=\"{0}\" fill-opacity=\"0.18\"/>"
      "<line x1=\"0\" y1=\"6\" x2=\"34\" y2=\"6\" stroke=\"{0}\" stroke-width=\"2.5\"{1}/></svg>",
      style.colour, style.dash.empty() ? std::string() : fmt::format(" stroke-dasharray=\"{}\"", style.dash));
}

struct ChartSpec {
  std::string_view metric;
  std::string_view title;
  std::string_view y_label;
  double scale;
  std::string_view note;  // what the numbers are, under the chart
};

constexpr std::array kCharts = {
    ChartSpec{
        "permanent_qsw", "Permanent qualified social workers in post", "Headcount", 1,
        "Headcount at the end of each month: social workers, advanced practitioners and practice managers."},
    ChartSpec{"vacancies", "Vacancies", "Vacant posts (FTE)", 1,
              "Funded posts neither filled nor promised to an applicant who has accepted, at the end of each "
              "month."},
    ChartSpec{"agency", "Agency social workers on assignment", "Headcount", 1,
              "Agency social workers covering posts at the end of each month."},
    ChartSpec{"nqsw_share", "Newly qualified share of permanent case holders", "% of case holders", 100,
              "Permanent case holders less than a year qualified, as a share of all permanent case holders."},
    ChartSpec{"caseload_nqsw", "Caseload: newly qualified (under 1 year)", "Cases per FTE", 1,
              "Average cases per FTE; the council's standard for newly qualified staff is 15."},
    ChartSpec{"caseload_early", "Caseload: 1 to 3 years qualified", "Cases per FTE", 1,
              "Average cases per FTE; the council's standard for one to three years qualified is 20."},
    ChartSpec{"caseload_experienced", "Caseload: 3 years or more qualified", "Cases per FTE", 1,
              "Average cases per FTE; the council's standard for three years or more qualified is 23."},
    ChartSpec{
        "burnout_mean", "Burnout of permanent qualified staff (mean)", "Strain index", 1,
        "Mean burnout at the end of each month; it builds up with overload and stretched supervision and "
        "raises the chance of leaving."},
    ChartSpec{
        "cost_total", "Workforce cost per month", "£ thousand per month", 1e-3,
        "Every workforce cost accrued in the month: salaries, agency, recruitment, programmes and payments."},
};

constexpr std::string_view kStyle = R"css(
:root { --ink: #1a1a1a; --muted: #555; --rule: #c8c8c8; --head: #f0f0f0; }
* { box-sizing: border-box; }
html { background: #fff; }
body { margin: 0; color: var(--ink); background: #fff;
  font-family: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
  font-size: 15px; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 20px 28px 48px; }
h1 { font-size: 25px; line-height: 1.2; margin: 0 0 6px; }
h2 { font-size: 19px; margin: 30px 0 8px; padding-bottom: 3px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 22px 0 4px; }
p { margin: 6px 0; }
.lede { font-size: 16px; margin: 0 0 4px; }
.meta { color: var(--muted); font-size: 13px; }
.note { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 5px 6px; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: left; }
thead th { background: var(--head); font-size: 13px; font-weight: 600; vertical-align: bottom; }
thead th.group { text-align: center; border-bottom: 1px solid var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.headline td.option { min-width: 200px; }

table.headline .name { font-weight: 600; }
table.headline .desc { display: block; color: var(--muted); font-size: 12px; line-height: 1.3; }
table.headline .v { display: block; font-size: 16px; font-weight: 600; white-space: nowrap; }
table.headline .r { display: block; color: var(--muted); font-size: 12px; white-space: nowrap; }
table.headline tr.reference td { background: #f7f7f7; }
svg.swatch { vertical-align: middle; margin-right: 6px; }
ul.sentences { padding-left: 20px; }
ul.sentences li { margin: 7px 0; }
figure { margin: 18px 0 26px; max-width: 900px; break-inside: avoid; page-break-inside: avoid; }
figure h3 { margin: 0 0 2px; }
svg.fan, svg.tornado { display: block; width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; }
table.morris td:first-child { width: 46%; }
table.differs td:first-child { width: 56%; }
table.differs td { font-size: 13px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 0.92em;
  overflow-wrap: anywhere; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; font-size: 14px; }
dl.provenance dt { font-weight: 600; }
dl.provenance dd { margin: 0; overflow-wrap: anywhere; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  #differs, #provenance { break-before: page; page-break-before: always; }
  h3 { break-after: avoid; page-break-after: avoid; }
  figure, tr, li, .differs-option { break-inside: avoid; page-break-inside: avoid; }
  figure { max-width: none; }
  thead { display: table-header-group; }
  table.headline .v { font-size: 11pt; }
  table.headline .desc, table.headline .r, thead th { font-size: 7.5pt; }
  table.headline .r { white-space: normal; }
  table.headline td.option { min-width: 0; width: 21%; }
  th, td { padding: 3px 4px; }
}
)css";

}  // namespace

// ---- public helpers -------------------------------------------------------------

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string year_phrase(std::string_view label) {
  const std::size_t to = label.find(" to ");
  if (to != std::string_view::npos) {
    const std::string_view end = label.substr(to + 4);
    if (end.size() == 7 && end[4] == '-') {
      const int month = (end[5] - '0') * 10 + (end[6] - '0');
      if (month >= 1 && month <= 12)
        return fmt::format("the year to {} {}", kMonthNames[static_cast<std::size_t>(month - 1)],
                           end.substr(0, 4));
    }
  }
  return fmt::format("the year {}", label);
}

std::string year_heading(std::string_view label) {
  const std::size_t to = label.find(" to ");
  if (to != std::string_view::npos) {
    const std::string shown = short_month_label(label.substr(to + 4));
    if (shown != label.substr(to + 4)) return "Year to " + shown;
  }
  return std::string(label);
}

std::vector<ConfigDifference> config_differences(const std::string& reference_yaml,
                                                 const std::string& option_yaml) {
  const Flat reference = flatten_document(reference_yaml, "reference");
  const Flat option = flatten_document(option_yaml, "option");
  std::map<std::string, std::string> reference_values(reference.begin(), reference.end());
  std::set<std::string> option_keys;
  std::vector<ConfigDifference> differences;
  for (const auto& [key, value] : option) {
    option_keys.insert(key);
    const auto found = reference_values.find(key);
    if (found == reference_values.end()) {
      differences.push_back({key, std::nullopt, value});
    } else if (found->second != value) {
      differences.push_back({key, found->second, value});
    }
  }
  for (const auto& [key, value] : reference)
    if (!option_keys.count(key)) differences.push_back({key, value, std::nullopt});
  // An empty mapping on one side whose keys the other side lists differs only through those keys.
  const auto has_children = [](const Flat& flat, const std::string& key) {
    return std::any_of(flat.begin(), flat.end(), [&](const auto& entry) {
      return entry.first.size() > key.size() && entry.first.compare(0, key.size(), key) == 0 &&
             (entry.first[key.size()] == '.' || entry.first[key.size()] == '[');
    });
  };
  std::erase_if(differences, [&](const ConfigDifference& d) {
    return (d.reference == "{}" && !d.option && has_children(option, d.key)) ||
           (d.option == "{}" && !d.reference && has_children(reference, d.key));
  });
  return differences;
}

namespace {
std::vector<std::string> policies_only_in(const std::vector<ConfigDifference>& differences, bool in_option) {
  // A policy is added when the reference has no key of it at all.
  std::set<std::string> present_in_other;
  std::vector<std::string> found;
  for (const ConfigDifference& d : differences) {
    const std::string policy = policy_of(d.key);
    if (policy.empty()) continue;
    const bool here = in_option ? d.option.has_value() : d.reference.has_value();
    const bool there = in_option ? d.reference.has_value() : d.option.has_value();
    if (there) present_in_other.insert(policy);
    if (here && !there && std::find(found.begin(), found.end(), policy) == found.end())
      found.push_back(policy);
  }
  std::erase_if(found, [&](const std::string& p) { return present_in_other.count(p) > 0; });
  return found;
}
}  // namespace

std::vector<std::string> added_policies(const std::vector<ConfigDifference>& differences) {
  return policies_only_in(differences, true);
}
std::vector<std::string> removed_policies(const std::vector<ConfigDifference>& differences) {
  return policies_only_in(differences, false);
}

// ---- the headline ---------------------------------------------------------------

Headline compute_headline(const RunFileReader& reader) {
  const RunRecord& run = reader.run();
  Headline h;
  h.years = run.years;
  h.reference = run.reference().name;
  h.independent_streams = run.independent_streams;
  h.replications = run.replications;
  const std::size_t months = run.months.size();
  const std::size_t years = run.years.size();
  h.cost_months = static_cast<int>(years > 0 ? std::min(months, years * kMonthsPerYear) : months);
  const std::size_t last = months > 0 ? months - 1 : 0;

  for (const ScenarioRecord& s : run.scenarios) {
    HeadlineRow row;
    row.scenario = s.name;
    row.description = s.description;
    row.reference = s.name == h.reference;
    const NamedRowTable& net_loss = s.annual_summary("net_loss");
    for (std::size_t y = 0; y < years; ++y) row.net_loss.push_back(interval_at(net_loss, y));
    row.vacancy_rate_end = interval_at(s.summary("vacancy_rate"), last);
    row.agency_rate_end = interval_at(s.summary("agency_rate"), last);
    row.nqsw_share_end = interval_at(s.summary("nqsw_share"), last);
    row.share_from_assumptions = s.net_loss_total_share_from_assumptions;
    row.uncovered_posts_end = interval_at(s.summary("uncovered_vacancies"), last);
    row.unallocated_cases_end = interval_at(s.summary("unallocated_cases"), last);
    if (months >= 24 + kMonthsPerYear) {
      // The first year's newly qualified hires, followed 24 months, per
      // simulated future (as the comparisons' nqsw_retention_24); then its
      // mean and range.
      const std::vector<double> stayed = reader.read_series(s.name, "cohort_nqsw_in_post_24");
      const std::vector<double> hired = reader.read_series(s.name, "starters_nqsw");
      std::vector<double> shares;
      for (std::size_t r = 0; r * months < hired.size(); ++r) {
        const double share = run::first_year_cohort_share(
            static_cast<int>(months), [&](int t) { return stayed[r * months + static_cast<std::size_t>(t)]; },
            [&](int t) { return hired[r * months + static_cast<std::size_t>(t)]; });
        if (!std::isnan(share)) shares.push_back(share);
      }
      if (!shares.empty()) {
        const run::Summary retained = run::summarise(shares);
        row.nqsw_retention_24 = Interval{retained.mean, retained.p10, retained.p90};
      }
    }
    row.uncertain_parameters = s.uncertain_parameters;

    // Cost against the funded establishment over the period, per simulated
    // future, then its mean and range: an empty post is counted at its
    // budget, never as a saving.
    const std::vector<double> cost = reader.read_series(s.name, "cost_against_establishment");
    const std::size_t replications = months > 0 ? cost.size() / months : 0;
    std::vector<double> totals(replications, 0.0);
    for (std::size_t r = 0; r < replications; ++r)
      for (std::size_t t = 0; t < static_cast<std::size_t>(h.cost_months); ++t)
        totals[r] += cost[r * months + t];
    const run::Summary cost_summary = run::summarise(totals);
    row.cost = {cost_summary.mean, cost_summary.p10, cost_summary.p90};

    // Comparisons cover whole years only: a horizon shorter than a year has none to show.
    if (!row.reference && years > 0) {
      if (const ComparisonRecord* c = run.comparison(s.name)) {
        row.extra_cost = interval_at(c->summary("cost_against_establishment_total"), 0);
        row.policy_spend = interval_at(c->summary("policy_spend_total"), 0);
        row.staffing_change = interval_at(c->summary("staffing_spend_total"), 0);
        row.cost_per_leaver_avoided = c->cost_per_leaver_avoided;
        const NamedRowTable& difference = c->summary("net_loss");
        for (std::size_t y = 0; y < years && y < difference.columns; ++y) {
          row.net_loss_difference.push_back(difference.at("mean", y));
          row.net_loss_probability_better.push_back(difference.at("probability_better", y));
        }
      }
    }
    h.rows.push_back(std::move(row));
  }
  return h;
}

// ---- sentences ------------------------------------------------------------------

namespace {

std::string loss_words(double value) {
  const long n = rounded(value);
  const std::string people = [](long k) {
    return k == 1 ? std::string("1 qualified social worker")
                  : fmt::format("{} qualified social workers", group_thousands(std::to_string(k)));
  }(std::labs(n));
  if (n > 0) return "lose " + people;
  if (n < 0) return "gain " + people;
  return "gain as many qualified social workers as it loses";
}

std::string range_words(double p10, double p90) {
  const long a = rounded(p10), b = rounded(p90);
  if (a >= 0 && b >= 0) return fmt::format("80% range {} to {}", a, b);
  if (a <= 0 && b <= 0) return fmt::format("80% range a gain of {} to {}", -b, -a);
  return fmt::format("80% range from a gain of {} to a loss of {}", -a, b);
}

std::string difference_words(double option_mean, double difference, const std::string& reference) {
  const long d = rounded(difference);
  if (d == 0) return fmt::format("about the same as with {}", reference);
  const long option = rounded(option_mean), base = rounded(option_mean - difference);
  if (option > 0 && base > 0)
    return fmt::format("{} {} than with {}", std::labs(d), d < 0 ? "fewer" : "more", reference);
  return fmt::format("a net loss {} {} than with {}", std::labs(d), d < 0 ? "lower" : "higher", reference);
}

}  // namespace

std::vector<std::string> plain_sentences(const Headline& h) {
  std::vector<std::string> sentences;
  if (h.years.empty()) return sentences;
  const std::size_t y = h.years.size() - 1;  // the last whole year: the policies' full effect
  const std::string when = year_phrase(h.years[y]);
  for (const HeadlineRow& row : h.rows) {
    if (row.reference || row.net_loss_difference.size() <= y || row.net_loss.size() <= y) continue;
    const Interval& loss = row.net_loss[y];
    const long better = rounded(10 * row.net_loss_probability_better[y]);
    std::string sentence = fmt::format(
        "With {}, the service is projected to {} in {} ({}), {}; it does better in {} of 10 simulated "
        "futures",
        row.scenario, loss_words(loss.mean), when, range_words(loss.p10, loss.p90),
        difference_words(loss.mean, row.net_loss_difference[y], h.reference),
        better == 0 ? std::string("none") : std::to_string(better));
    if (row.extra_cost && std::isfinite(row.extra_cost->mean)) {
      const double extra = row.extra_cost->mean;
      if (std::fabs(extra) >= 500) {
        sentence += fmt::format(", {} {} over {}", extra > 0 ? "at an extra cost of" : "saving",
                                money_words(extra), period_words(h.cost_months));
        if (row.policy_spend && row.staffing_change)
          sentence += fmt::format(
              " ({} of its own spending, {} {} on staffing)", money_words(row.policy_spend->mean),
              row.staffing_change->mean >= 0 ? "and" : "less", money_words(row.staffing_change->mean));
      }
    }
    sentences.push_back(sentence + ".");
  }
  // The service gap at the end, and whether newly qualified hires stay.
  for (const HeadlineRow& row : h.rows) {
    if (!std::isfinite(row.uncovered_posts_end.mean) || !std::isfinite(row.unallocated_cases_end.mean))
      continue;
    std::string sentence = fmt::format(
        "With {} at the end, about {} posts have nobody in them, not even agency cover, and about {} cases "
        "wait with nobody to hold them",
        row.scenario, group_thousands(std::to_string(rounded(row.uncovered_posts_end.mean))),
        group_thousands(std::to_string(rounded(row.unallocated_cases_end.mean))));
    if (row.nqsw_retention_24)
      sentence += fmt::format(
          "; {} in 10 of the newly qualified staff hired in the first year are still in "
          "post two years after starting",
          rounded(10 * row.nqsw_retention_24->mean));
    sentences.push_back(sentence + ".");
  }
  // How much of the range is not knowing rather than chance, for the reference.
  for (const HeadlineRow& row : h.rows) {
    if (!row.reference || !row.share_from_assumptions || !std::isfinite(*row.share_from_assumptions))
      continue;
    const long tenths = rounded(10 * *row.share_from_assumptions);
    sentences.push_back(fmt::format(
        "Of the 80% range of {}'s net loss over {}, about {} in 10 comes from {} assumptions that are not "
        "known exactly (each drawn from its stated range), the rest from chance.",
        row.scenario, period_words(h.cost_months), tenths, row.uncertain_parameters));
  }
  return sentences;
}

// ---- HTML -----------------------------------------------------------------------

namespace {

std::string headline_table_html(const RunRecord& run, const Headline& h) {
  const std::size_t years = h.years.size();
  const std::string end = end_month_words(run);
  const std::string period = period_words(h.cost_months);
  std::string out =
      "<table class=\"headline\" id=\"headline-table\">\n<thead>\n<tr><th rowspan=\"2\">Option</th>";
  if (years > 0)
    out += fmt::format("<th class=\"group\" colspan=\"{}\">Net loss of qualified social workers</th>", years);
  out += fmt::format("<th class=\"group\" colspan=\"3\">At the end ({})</th>", html_escape(end));
  out +=
      fmt::format("<th class=\"group\" colspan=\"3\">Cost over {}, against the funded posts</th></tr>\n<tr>",
                  html_escape(period));
  for (std::size_t y = 0; y < years; ++y)
    out += fmt::format("<th class=\"num\">{}</th>", html_escape(year_heading(h.years[y])));
  out +=
      "<th class=\"num\">Vacancy rate</th><th class=\"num\">Agency share</th><th class=\"num\">Newly "
      "qualified share</th>";
  out += fmt::format(
      "<th class=\"num\">Total</th><th class=\"num\">Extra against {}</th><th class=\"num\">Per leaver "
      "avoided</th></tr>\n</thead>\n<tbody>\n",
      html_escape(h.reference));

  for (std::size_t k = 0; k < h.rows.size(); ++k) {
    const HeadlineRow& row = h.rows[k];
    out += fmt::format(
        "<tr{} data-scenario=\"{}\"><td class=\"option\">{}<span class=\"name\">{}</span>{}<span "
        "class=\"desc\">{}</span></td>",
        row.reference ? " class=\"reference\"" : "", html_escape(row.scenario), swatch(k),
        breakable(row.scenario), row.reference ? " <span class=\"note\">(reference)</span>" : "",
        html_escape(row.description));
    for (std::size_t y = 0; y < row.net_loss.size(); ++y)
      out += interval_cell("net_loss", row.scenario, y, row.net_loss[y], headcount);
    out += interval_cell("vacancy_rate_end", row.scenario, 0, row.vacancy_rate_end, percent);
    out += interval_cell("agency_rate_end", row.scenario, 0, row.agency_rate_end, percent);
    out += interval_cell("nqsw_share_end", row.scenario, 0, row.nqsw_share_end, percent);
    out += interval_cell("cost_against_establishment", row.scenario, 0, row.cost,
                         [](double v) { return money_short(v); });
    if (row.extra_cost) {
      out += interval_cell("extra_cost", row.scenario, 0, *row.extra_cost,
                           [](double v) { return money_short(v, true); });
    } else {
      out += "<td class=\"num\"><span class=\"v\">&ndash;</span></td>";
    }
    if (row.cost_per_leaver_avoided && std::isfinite(*row.cost_per_leaver_avoided)) {
      out +=
          fmt::format("<td class=\"num\">{}</td>",
                      valued("v", data_key("cost_per_leaver_avoided", row.scenario, 0, "value"),
                             *row.cost_per_leaver_avoided, per_leaver_words(*row.cost_per_leaver_avoided)));
    } else if (row.cost_per_leaver_avoided) {
      out += "<td class=\"num\"><span class=\"r\">no leavers avoided</span></td>";
    } else {
      out += "<td class=\"num\"><span class=\"v\">&ndash;</span></td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  out += fmt::format(
      "<p class=\"note\">Net loss: qualified social workers who left minus those who joined in the year; a "
      "negative "
      "number is a net gain. Each cell gives the mean of {} simulated futures and, beneath it, the 80% "
      "range: 8 in "
      "10 futures fall between these numbers. Rates at the end of {}: vacancy rate = vacancies / (vacancies "
      "+ FTE "
      "in post); agency share = agency / (agency + permanent FTE); newly qualified share of permanent case "
      "holders. "
      "Costs are against the funded establishment: a post left empty and uncovered counts at its budget, "
      "never as a saving. Cost per leaver avoided: the extra cost over {} divided by the leavers avoided "
      "against {}.</p>\n",
      h.replications, html_escape(end), html_escape(period), html_escape(h.reference));
  return out;
}

FanChart fan_chart(const RunRecord& run, const ChartSpec& spec, std::size_t number) {
  FanChart chart;
  chart.id = fmt::format("chart-{}", spec.metric);
  chart.title = std::string(spec.title);
  chart.y_label = std::string(spec.y_label);
  chart.months = run.months;
  chart.description = fmt::format(
      "Figure {}: {} by month, {} to {}, for each option: the median line with the middle 50% and 80% of "
      "simulated futures as shaded bands.",
      number, spec.title, run.months.empty() ? "" : short_month_label(run.months.front()),
      end_month_words(run));
  for (const ScenarioRecord& s : run.scenarios) {
    FanSeries series;
    series.label = s.name;
    const NamedRowTable* table = nullptr;
    for (const NamedRowTable& t : s.summaries)
      if (t.name == spec.metric) table = &t;
    const auto scaled = [&](std::string_view row) {
      std::vector<double> values(run.months.size(), nan());
      if (table == nullptr || !table->has_row(row)) return values;
      const auto source = table->row(row);
      for (std::size_t t = 0; t < values.size() && t < source.size(); ++t) values[t] = source[t] * spec.scale;
      return values;
    };
    series.p10 = scaled("p10");
    series.p25 = scaled("p25");
    series.p50 = scaled("p50");
    series.p75 = scaled("p75");
    series.p90 = scaled("p90");
    chart.series.push_back(std::move(series));
  }
  return chart;
}

std::string value_or_unset(const std::optional<std::string>& value, std::string_view unset) {
  return value ? fmt::format("<code>{}</code>", html_escape(*value))
               : fmt::format("<span class=\"note\">{}</span>", unset);
}

std::string names_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t k = 0; k < names.size(); ++k)
    out += (k == 0                  ? ""
            : k + 1 == names.size() ? " and "
                                    : ", ") +
           fmt::format("<code>{}</code>", html_escape(names[k]));
  return out;
}

std::string differs_html(const RunRecord& run) {
  const ScenarioRecord& reference = run.reference();
  std::string out;
  for (const ScenarioRecord& s : run.scenarios) {
    if (s.name == reference.name) continue;
    const auto differences = config_differences(reference.config_yaml, s.config_yaml);
    out += fmt::format(
        "<div class=\"differs-option\" id=\"differs-{}\" data-scenario=\"{}\">\n<h3>{}</h3>\n<p>{}</p>\n",
        html_escape(s.name), html_escape(s.name), html_escape(s.name), html_escape(s.description));
    const auto added = added_policies(differences);
    const auto removed = removed_policies(differences);
    if (!added.empty()) out += fmt::format("<p>Policies added: {}.</p>\n", names_list(added));
    if (!removed.empty()) out += fmt::format("<p>Policies removed: {}.</p>\n", names_list(removed));
    if (differences.empty()) {
      out += "<p class=\"note\">The same parameters and policies as the reference.</p>\n</div>\n";
      continue;
    }
    out += fmt::format(
        "<table "
        "class=\"differs\"><thead><tr><th>Parameter</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        html_escape(reference.name), html_escape(s.name));
    for (const ConfigDifference& d : differences) {
      out += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n", html_escape(d.key),
                         value_or_unset(d.reference, "not set"), value_or_unset(d.option, "not set"));
    }
    out += "</tbody></table>\n</div>\n";
  }
  if (out.empty()) out = "<p class=\"note\">This run holds only the reference scenario.</p>\n";
  return out;
}

std::string provenance_html(const RunRecord& run, const ReportOptions& options) {
  std::string out = "<dl class=\"provenance\">\n";
  const auto item = [&](std::string_view term, const std::string& html) {
    out += fmt::format("<dt>{}</dt><dd>{}</dd>\n", term, html);
  };
  item("Run file", fmt::format("<code>{}</code>", html_escape(options.run_file_label)));
  item("Made by", html_escape(fmt::format("wfsim {}", run.wfsim_version)));
  item("Run date", html_escape(fmt::format("{} ({})", readable_utc(run.created_utc), run.created_utc)));
  item("Seed", html_escape(std::to_string(run.seed)));
  item("Replications", html_escape(fmt::format("{} simulated futures per option", run.replications)));
  item("Horizon", html_escape(fmt::format("{} months, {} to {}", run.month_count,
                                          run.months.empty() ? "" : short_month_label(run.months.front()),
                                          end_month_words(run))));
  item("Random numbers",
       run.independent_streams
           ? std::string("independent streams per option: comparisons are not paired by future")
           : std::string("common to all options: each simulated future meets the same luck under every "
                         "option, so comparisons are paired"));
  std::string files;
  for (const std::string& file : run.input_files)
    files += fmt::format("<code>{}</code><br>", html_escape(file));
  item("Input files", files);
  item("Command", fmt::format("<code>{}</code>", html_escape(run.command_line)));
  item("Report made by", html_escape(fmt::format("wfsim {} (wfsim report)", options.report_wfsim_version)));
  out += "</dl>\n";
  return out;
}

}  // namespace

// ---- which assumptions matter ---------------------------------------------------

std::vector<std::size_t> sensitivity_order(const SensitivityRecord& sensitivity) {
  const std::size_t n = sensitivity.columns.parameters.size();
  std::vector<double> weight(n, 0.0);
  for (std::size_t k = 0; k < n; ++k) {
    weight[k] = sensitivity.tornado() ? sensitivity.swing(k) : sensitivity.columns.mu_star.at(k);
    if (std::isnan(weight[k])) weight[k] = -std::numeric_limits<double>::infinity();
  }
  std::vector<std::size_t> order(n);
  for (std::size_t k = 0; k < n; ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return weight[a] > weight[b]; });
  return order;
}

std::string sensitivity_output_words(const SensitivityRecord& sensitivity) {
  const SensitivityFileInfo& info = sensitivity.info;
  std::string what = info.output;
  for (const run::OutcomeInfo& outcome : run::kOutcomes) {
    if (outcome.name != info.output) continue;
    what = std::string(outcome.description);
    if (!what.empty()) what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
  }
  if (!info.output_units.empty()) what += fmt::format(" ({})", info.output_units);
  if (!info.policy.empty()) what += fmt::format(", {} minus {}", info.policy, info.scenario);
  return what;
}

namespace {

// Effects and outputs at a precision that suits their size.
std::string effect(double value) {
  const double a = std::fabs(value);
  return fixed(value, a >= 1000 ? 0 : a >= 1 ? 1 : 2);
}

bool lower_is_better(const SensitivityFileInfo& info) {
  for (const run::OutcomeInfo& outcome : run::kOutcomes)
    if (outcome.name == info.output) return outcome.lower_is_better;
  return true;
}

std::string and_list(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t k = 0; k < items.size(); ++k)
    out += (k == 0 ? "" : k + 1 == items.size() ? " and " : ", ") + items[k];
  return out;
}

}  // namespace

std::string sensitivity_sentence(const SensitivityRecord& sensitivity) {
  const auto& columns = sensitivity.columns;
  const std::size_t n = columns.parameters.size();
  if (n == 0) return "The sensitivity file varies no assumptions.";
  const std::vector<std::size_t> order = sensitivity_order(sensitivity);
  const bool tornado = sensitivity.tornado();
  const auto weight_words = [&](std::size_t k, bool first) {
    if (tornado) {
      return first ? fmt::format("a swing of {}, from {} to {}", effect(sensitivity.swing(k)),
                                 effect(columns.output_low[k]), effect(columns.output_high[k]))
                   : effect(sensitivity.swing(k));
    }
    return first ? fmt::format("a mean absolute effect of {}", effect(columns.mu_star[k]))
                 : effect(columns.mu_star[k]);
  };
  const SensitivityFileInfo& info = sensitivity.info;
  const std::string what = info.policy.empty()
                               ? fmt::format("the result under {}", info.scenario)
                               : fmt::format("the result ({} minus {})", info.policy, info.scenario);
  std::string sentence;
  if (n == 1) {
    sentence =
        fmt::format("The one assumption varied is {} ({}).", columns.parameters[0], weight_words(0, true));
  } else {
    const std::size_t top = std::min<std::size_t>(3, n);
    std::vector<std::string> named;
    for (std::size_t i = 0; i < top; ++i)
      named.push_back(fmt::format("{} ({})", columns.parameters[order[i]], weight_words(order[i], i == 0)));
    sentence = fmt::format("Of the {} assumptions varied, the {} that move {} most are {}.", n,
                           top == 2 ? "two" : "three", what, and_list(named));
  }
  if (!sensitivity.info.policy.empty()) {
    std::vector<std::string> flips;
    for (const std::size_t k : order)
      if (columns.flips_ranking.at(k) != 0) flips.push_back(columns.parameters[k]);
    if (flips.empty()) {
      sentence += fmt::format(" None of them can, over its range, flip whether {} or {} does better.",
                              sensitivity.info.policy, sensitivity.info.scenario);
    } else {
      sentence += fmt::format(" {} can, over {} range, flip whether {} or {} does better.", and_list(flips),
                              flips.size() == 1 ? "its" : "their", sensitivity.info.policy,
                              sensitivity.info.scenario);
    }
  }
  return sentence;
}

namespace {

std::string sensitivity_provenance(const SensitivityRecord& s) {
  const SensitivityFileInfo& info = s.info;
  std::string out = fmt::format(
      "From <code>{}</code>: a {} design, {} evaluations of {} simulated futures each (seed {}), made {} by "
      "wfsim {}. ",
      html_escape(s.path.string()), html_escape(info.design), info.evaluations, info.replications, info.seed,
      html_escape(readable_utc(info.created_utc)), html_escape(info.wfsim_version));
  out += info.policy.empty()
             ? fmt::format("The output is the mean over futures of {} under <strong>{}</strong>",
                           html_escape(sensitivity_output_words(s)), html_escape(info.scenario))
             : fmt::format(
                   "The output is the mean over paired futures of the difference {} ({} is better), so "
                   "a bar that crosses zero is an assumption under which the other option could do better",
                   html_escape(sensitivity_output_words(s)), lower_is_better(info) ? "lower" : "higher");
  out +=
      fmt::format("; with every parameter at its own value it is {}.", html_escape(effect(info.base_value)));
  return out;
}

std::string tornado_html(const SensitivityRecord& s, std::size_t index, std::size_t figure) {
  const auto& c = s.columns;
  TornadoChart chart;
  chart.id = fmt::format("tornado-{}", index + 1);
  const std::string what = sensitivity_output_words(s);
  chart.title = fmt::format("Which assumptions move {}", what);
  chart.x_label = what;
  if (!chart.x_label.empty())
    chart.x_label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(chart.x_label[0])));
  if (!s.info.policy.empty()) chart.x_label += " (difference)";
  chart.base_value = s.info.base_value;
  chart.description = fmt::format(
      "Figure {}: for each of {} assumptions, the output with the assumption at the low and at the high end "
      "of its range, every other assumption at its own value, sorted by the size of the change. {}",
      figure, c.parameters.size(), sensitivity_sentence(s));
  for (const std::size_t k : sensitivity_order(s))
    chart.bars.push_back(
        {c.parameters[k], c.low[k], c.high[k], c.output_low[k], c.output_high[k], c.flips_ranking[k] != 0});
  return fmt::format(
      "<figure id=\"figure-{}\">\n<h3>Figure {}. Which assumptions move {}</h3>\n{}<figcaption>Each bar runs "
      "from the output with every assumption at its own value (the dashed line) to the output with one "
      "assumption at the low (blue, solid) or high (orange, hatched) end of its range; largest change "
      "first.</figcaption>\n</figure>\n",
      chart.id, figure, html_escape(what), render_tornado_chart(chart));
}

std::string morris_html(const SensitivityRecord& s, std::size_t index) {
  const auto& c = s.columns;
  std::string out = fmt::format(
      "<h3>Which assumptions move {}: Morris elementary effects</h3>\n<table class=\"morris\" "
      "id=\"morris-{}\">\n<thead><tr><th>Parameter</th><th class=\"num\">Range</th><th class=\"num\">&mu;* "
      "(mean absolute effect)</th><th class=\"num\">&mu; (mean effect)</th><th class=\"num\">&sigma; (spread "
      "of effects)</th>{}</tr></thead>\n<tbody>\n",
      html_escape(sensitivity_output_words(s)), index + 1,
      s.info.policy.empty() ? "" : "<th>Can flip ranking</th>");
  for (const std::size_t k : sensitivity_order(s)) {
    out += fmt::format(
        "<tr data-parameter=\"{}\" data-mu-star=\"{}\" data-mu=\"{}\" "
        "data-sigma=\"{}\"><td><code>{}</code></td>"
        "<td class=\"num\">{} to {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td>{}</tr>\n",
        html_escape(c.parameters[k]), raw(c.mu_star[k]), raw(c.mu[k]), raw(c.sigma[k]),
        breakable(c.parameters[k]), raw(c.low[k]), raw(c.high[k]), effect(c.mu_star[k]), effect(c.mu[k]),
        effect(c.sigma[k]),
        s.info.policy.empty() ? std::string()
                              : fmt::format("<td>{}</td>", c.flips_ranking[k] != 0 ? "yes" : "no"));
  }
  out += fmt::format(
      "</tbody>\n</table>\n<p class=\"note\">Effects are the output&rsquo;s change per whole range of the "
      "parameter, over {} trajectories: &mu;* ranks the assumptions, a &mu; far from &plusmn;&mu;* means the "
      "direction depends on the others, and a large &sigma; means interactions or curvature.</p>\n",
      s.info.trajectories);
  return out;
}

std::string sensitivity_html(const std::vector<SensitivityRecord>& sensitivity, std::size_t first_figure) {
  std::string out = "<section id=\"sensitivity\">\n<h2>Which assumptions matter</h2>\n";
  out +=
      "<p class=\"note\">Each uncertain assumption is varied over a range a modeller could not rule out, "
      "the others held at their own values, to show which ones the answer depends on.</p>\n";
  std::size_t figure = first_figure;
  for (std::size_t i = 0; i < sensitivity.size(); ++i) {
    const SensitivityRecord& s = sensitivity[i];
    out += fmt::format("<div class=\"sensitivity-file\" id=\"sensitivity-{}\" data-design=\"{}\">\n", i + 1,
                       html_escape(s.info.design));
    out += s.tornado() ? tornado_html(s, i, figure++) : morris_html(s, i);
    out += fmt::format("<p class=\"sensitivity-sentence\">{}</p>\n<p class=\"note\">{}</p>\n</div>\n",
                       html_escape(sensitivity_sentence(s)), sensitivity_provenance(s));
  }
  out += "</section>\n";
  return out;
}

}  // namespace

std::string render_html(const RunFileReader& reader, const Headline& h, const ReportOptions& options,
                        const std::vector<SensitivityRecord>& sensitivity,
                        const std::vector<PolicySearchRecord>& searches) {
  const RunRecord& run = reader.run();
  const std::size_t options_count = run.scenarios.size() > 0 ? run.scenarios.size() - 1 : 0;
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing may load from anywhere: the page is the whole report.
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format(
      "<title>Projected social work workforce: {} against {}</title>\n",
      html_escape(options_count == 1 ? std::string("1 option") : fmt::format("{} options", options_count)),
      html_escape(h.reference));
  out += fmt::format("<style>{}</style>\n</head>\n<body>\n<main>\n", kStyle);

  out += "<header>\n<h1>Children&rsquo;s social workers: projected workforce under each option</h1>\n";
  out += fmt::format(
      "<p class=\"lede\">{} compared with <strong>{}</strong>, {} to {}, each in {} simulated futures.</p>\n",
      options_count == 1 ? std::string("One option") : fmt::format("{} options", options_count),
      html_escape(h.reference), html_escape(run.months.empty() ? "" : short_month_label(run.months.front())),
      html_escape(end_month_words(run)), h.replications);
  out += fmt::format(
      "<p class=\"meta\">Simulated on {} by wfsim {} (seed {}); the run file, inputs and settings are listed "
      "at the end.</p>\n</header>\n",
      html_escape(readable_utc(run.created_utc)), html_escape(run.wfsim_version), run.seed);

  out += "<section id=\"headline\">\n<h2>Headline: net loss, staffing at the end, and cost</h2>\n";
  out += headline_table_html(run, h);
  out += "</section>\n";

  out += "<section id=\"reading\">\n<h2>In plain English</h2>\n";
  const auto sentences = plain_sentences(h);
  if (sentences.empty()) {
    out += h.years.empty()
               ? "<p class=\"note\">The horizon is shorter than a year, so there is no annual net loss "
                 "to compare.</p>\n"
               : "<p class=\"note\">No option to compare with the reference in this run.</p>\n";
  } else {
    out += "<ul class=\"sentences\">\n";
    for (const std::string& sentence : sentences) out += fmt::format("<li>{}</li>\n", html_escape(sentence));
    out += "</ul>\n";
    if (h.independent_streams) {
      out +=
          "<p class=\"note\">This run gave each option its own random numbers, so &ldquo;does better in N of "
          "10 "
          "simulated futures&rdquo; compares unrelated futures rather than the same future under two "
          "options.</p>\n";
    }
  }
  out += "</section>\n";

  out += "<section id=\"charts\">\n<h2>Over the months</h2>\n";
  out +=
      "<p class=\"note\">Each line is the median of the simulated futures for one option; the darker band "
      "holds "
      "the middle 50% of futures and the lighter band 80%. Options differ in colour and in dash "
      "pattern.</p>\n";
  std::size_t number = 0;
  for (const ChartSpec& spec : kCharts) {
    ++number;
    const FanChart chart = fan_chart(run, spec, number);
    out += fmt::format(
        "<figure id=\"figure-{}\">\n<h3>Figure {}. {}</h3>\n{}<figcaption>{}</figcaption>\n</figure>\n",
        html_escape(spec.metric), number, html_escape(spec.title), render_fan_chart(chart),
        html_escape(spec.note));
  }
  out += "</section>\n";

  if (!sensitivity.empty()) out += sensitivity_html(sensitivity, number + 1);
  if (!searches.empty()) {
    std::size_t figure = number + 1;
    for (const SensitivityRecord& s : sensitivity) figure += s.tornado() ? 1 : 0;
    out += "<section id=\"policy-search\">\n<h2>What the money buys</h2>\n";
    out +=
        "<p class=\"note\">A policy search tries packages of the council&rsquo;s measures within a budget; "
        "its best packages are run again on fresh simulated futures, and those are the figures shown.</p>\n";
    for (std::size_t i = 0; i < searches.size(); ++i) out += policy_search_html(searches[i], i, figure++);
    out += "</section>\n";
  }

  out += "<section id=\"differs\">\n<h2>What differs from the reference</h2>\n";
  out += fmt::format(
      "<p class=\"note\">Every parameter whose value differs from <strong>{}</strong>, read from the "
      "fully resolved scenarios stored in the run file (names and descriptions aside).</p>\n",
      html_escape(h.reference));
  out += differs_html(run);
  out += "</section>\n";

  out += "<section id=\"provenance\">\n<h2>Where these numbers come from</h2>\n";
  out += provenance_html(run, options);
  out += "</section>\n</main>\n</body>\n</html>\n";
  return out;
}

// ---- Markdown -------------------------------------------------------------------

std::string render_markdown(const RunFileReader& reader, const Headline& h, const ReportOptions& options,
                            const std::vector<SensitivityRecord>& sensitivity,
                            const std::vector<PolicySearchRecord>& searches) {
  const RunRecord& run = reader.run();
  const auto cell = [](const Interval& v, auto format) {
    return fmt::format("{} ({} to {})", format(v.mean), format(v.p10), format(v.p90));
  };
  const auto escape = [](std::string text) {
    std::string out;
    for (const char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  };
  const std::string end = end_month_words(run);
  const std::string period = period_words(h.cost_months);
  std::string out = fmt::format("# Children's social workers: projected workforce\n\n");
  out += fmt::format(
      "Run file `{}`, made {} by wfsim {} (seed {}, {} simulated futures per option, {} to {}).\n\n",
      options.run_file_label, run.created_utc, run.wfsim_version, run.seed, run.replications,
      run.months.empty() ? "" : short_month_label(run.months.front()), end);
  out += "| Option |";
  for (const std::string& year : h.years) {
    std::string heading = year_heading(year);
    if (heading.rfind("Year ", 0) == 0) heading[0] = 'y';
    out += fmt::format(" Net loss, {} |", heading);
  }
  out += fmt::format(
      " Vacancy rate, {0} | Agency share, {0} | Newly qualified share, {0} | Cost over {1}, against the "
      "funded "
      "posts | Extra against {2} | Per leaver avoided |\n",
      end, period, escape(h.reference));
  out += "|---|";
  for (std::size_t y = 0; y < h.years.size(); ++y) out += "---:|";
  out += "---:|---:|---:|---:|---:|---:|\n";
  for (const HeadlineRow& row : h.rows) {
    out += fmt::format("| {}{} |", escape(row.scenario), row.reference ? " (reference)" : "");
    for (const Interval& loss : row.net_loss) out += fmt::format(" {} |", cell(loss, headcount));
    out += fmt::format(" {} | {} | {} | {} |", cell(row.vacancy_rate_end, percent),
                       cell(row.agency_rate_end, percent), cell(row.nqsw_share_end, percent),
                       cell(row.cost, [](double v) { return money_short(v); }));
    out += fmt::format(" {} |", row.extra_cost
                                    ? cell(*row.extra_cost, [](double v) { return money_short(v, true); })
                                    : std::string("-"));
    out += fmt::format(" {} |\n", row.cost_per_leaver_avoided && std::isfinite(*row.cost_per_leaver_avoided)
                                      ? per_leaver_words(*row.cost_per_leaver_avoided)
                                  : row.cost_per_leaver_avoided ? std::string("no leavers avoided")
                                                                : std::string("-"));
  }
  out += fmt::format(
      "\nMean of {} simulated futures, with the 80% range in brackets. Net loss is leavers minus starters in "
      "the year (negative: a net gain). Costs count a post left empty and uncovered at its budget, never as "
      "a saving.\n",
      h.replications);
  const auto sentences = plain_sentences(h);
  if (!sentences.empty()) {
    out += "\n## In plain English\n\n";
    for (const std::string& sentence : sentences) out += "- " + sentence + "\n";
  }
  if (!sensitivity.empty()) out += "\n## Which assumptions matter\n";
  for (const SensitivityRecord& s : sensitivity) {
    const auto& c = s.columns;
    const bool paired = !s.info.policy.empty();
    out += fmt::format("\n### {} (`{}`, {} design)\n\n{}\n\n", escape(sensitivity_output_words(s)),
                       s.path.string(), s.info.design, escape(sensitivity_sentence(s)));
    out += s.tornado() ? "| Parameter | Low | High | Output at low | Output at high | Swing |"
                       : "| Parameter | Low | High | mu* | mu | sigma |";
    out += paired ? " Can flip ranking |\n" : "\n";
    out += paired ? "|---|---:|---:|---:|---:|---:|---|\n" : "|---|---:|---:|---:|---:|---:|\n";
    for (const std::size_t k : sensitivity_order(s)) {
      out += fmt::format("| `{}` | {} | {} |", c.parameters[k], raw(c.low[k]), raw(c.high[k]));
      out += s.tornado()
                 ? fmt::format(" {} | {} | {} |", effect(c.output_low[k]), effect(c.output_high[k]),
                               effect(s.swing(k)))
                 : fmt::format(" {} | {} | {} |", effect(c.mu_star[k]), effect(c.mu[k]), effect(c.sigma[k]));
      out += paired ? fmt::format(" {} |\n", c.flips_ranking[k] != 0 ? "yes" : "no") : "\n";
    }
    out +=
        fmt::format("\nWith every parameter at its own value the output is {}.\n", effect(s.info.base_value));
  }
  if (!searches.empty()) out += "\n## What the money buys\n";
  for (const PolicySearchRecord& search : searches) out += "\n" + policy_search_markdown(search);
  return out;
}

// ---- CSV ------------------------------------------------------------------------

constexpr std::string_view kEnd = "\r\n";

std::string column_label(const std::vector<std::string>& labels, std::size_t column) {
  return column < labels.size() ? labels[column] : std::to_string(column);
}

std::string render_replications_csv(const RunRecord& run) {
  std::string csv = fmt::format("scenario,replication,year,outcome,value,units{}", kEnd);
  for (const ScenarioRecord& s : run.scenarios) {
    const std::string scenario = csv_field(s.name);
    for (const output::ReplicationTable& table : s.annual) {
      const std::string outcome = csv_field(table.name);
      const std::string units = csv_field(table.units);
      for (std::size_t r = 0; r < table.replications; ++r) {
        for (std::size_t y = 0; y < table.columns; ++y) {
          csv += fmt::format("{},{},{},{},{},{}{}", scenario, r, csv_field(column_label(run.years, y)),
                             outcome, csv_number(table.values[r * table.columns + y]), units, kEnd);
        }
      }
    }
  }
  return csv;
}

CsvTables render_csv(const RunRecord& run) {
  const auto quantiles = [&](const NamedRowTable& table, std::size_t column) {
    std::string out;
    for (const std::string_view row : output::kSummaryStatistics) {
      out += ',';
      if (table.has_row(row)) out += csv_number(table.at(row, column));
    }
    return out;
  };
  CsvTables csv;
  csv.summary = fmt::format("scenario,metric,month,mean,p10,p25,p50,p75,p90{}", kEnd);
  csv.annual = fmt::format("scenario,table,year,mean,p10,p25,p50,p75,p90{}", kEnd);
  for (const ScenarioRecord& s : run.scenarios) {
    for (const NamedRowTable& table : s.summaries)
      for (std::size_t t = 0; t < table.columns; ++t)
        csv.summary += fmt::format("{},{},{}{}{}", csv_field(s.name), csv_field(table.name),
                                   csv_field(column_label(run.months, t)), quantiles(table, t), kEnd);
    for (const NamedRowTable& table : s.annual_summaries)
      for (std::size_t y = 0; y < table.columns; ++y)
        csv.annual += fmt::format("{},{},{}{}{}", csv_field(s.name), csv_field(table.name),
                                  csv_field(column_label(run.years, y)), quantiles(table, y), kEnd);
  }

  csv.differences =
      fmt::format("option,reference,outcome,column,mean,p10,p25,p50,p75,p90,probability_better{}", kEnd);
  for (const ComparisonRecord& c : run.comparisons) {
    for (const NamedRowTable& table : c.summaries) {
      // Per-year outcomes have a column per year; the others cover the horizon.
      const bool per_year =
          table.columns == run.years.size() &&
          std::any_of(run::kOutcomes.begin(), run::kOutcomes.end(),
                      [&](const run::OutcomeInfo& o) { return o.name == table.name && o.per_year(); });
      for (std::size_t column = 0; column < table.columns; ++column) {
        const std::string label = per_year             ? column_label(run.years, column)
                                  : table.columns == 1 ? std::string("horizon")
                                                       : std::to_string(column);
        csv.differences += fmt::format("{},{},{},{}{},{}{}", csv_field(c.option), csv_field(c.reference),
                                       csv_field(table.name), csv_field(label), quantiles(table, column),
                                       table.has_row("probability_better")
                                           ? csv_number(table.at("probability_better", column))
                                           : std::string(),
                                       kEnd);
      }
    }
  }
  return csv;
}

}  // namespace wfsim::report
