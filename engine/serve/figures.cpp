#include "serve/figures.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "model/calendar.hpp"
#include "output/summary.hpp"
#include "report/report.hpp"
#include "report/svg_chart.hpp"
#include "run/comparison.hpp"
#include "run/statistics.hpp"

namespace wfsim::serve {

namespace {

using Json = nlohmann::json;
using model::Metric;

// Replications handed to the tally at a time: a block of every kept series.
constexpr int kTallyChunk = 256;

Json summary_json(const run::Summary& s) {
  return Json{{"mean", s.mean}, {"p10", s.p10}, {"p25", s.p25},
              {"p50", s.p50},   {"p75", s.p75}, {"p90", s.p90}};
}

struct ChartSpec {
  std::string_view id;
  std::string_view title;
  std::string_view y_label;
  std::string_view description;
};

constexpr std::array kCharts = {
    ChartSpec{"net_loss", "Net loss of qualified social workers since the start", "Headcount",
              "permanent qualified staff who left minus those who joined, added up month by month"},
    ChartSpec{"vacancy_rate", "Vacancy rate", "% of posts",
              "vacancies / (vacancies + FTE in post), each month"},
    ChartSpec{"agency_rate", "Agency share", "% of FTE",
              "agency FTE / (agency FTE + permanent FTE), each month"},
};

// [replication][month] values of a chart for one scenario, in display units.
std::vector<double> chart_values(const SeriesStore& store, std::string_view id, int replications) {
  const auto months = static_cast<std::size_t>(store.months());
  const std::size_t cells = static_cast<std::size_t>(replications) * months;
  std::vector<double> values(cells);
  if (id == "net_loss") {
    const auto leavers = store.rows(Metric::leavers);
    const auto starters = store.rows(Metric::starters);
    for (std::size_t r = 0; r < static_cast<std::size_t>(replications); ++r) {
      double total = 0;
      for (std::size_t t = 0; t < months; ++t) {
        total += leavers[r * months + t] - starters[r * months + t];
        values[r * months + t] = total;
      }
    }
    return values;
  }
  const auto rows = store.rows(id == "vacancy_rate" ? Metric::vacancy_rate : Metric::agency_rate);
  std::transform(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(cells), values.begin(),
                 [](double v) { return 100 * v; });
  return values;
}

report::FanSeries fan_series(const SeriesStore& store, std::string_view id, int replications,
                             std::string label) {
  const int months = store.months();
  std::vector<double> summary(output::kSummaryRows * static_cast<std::size_t>(months));
  std::vector<double> scratch;
  output::summarize_columns(chart_values(store, id, replications), replications, months, summary, scratch);
  const auto row = [&](int k) {
    return std::vector<double>(summary.begin() + k * months, summary.begin() + (k + 1) * months);
  };
  report::FanSeries series;
  series.label = std::move(label);
  series.p10 = row(1);
  series.p25 = row(2);
  series.p50 = row(3);
  series.p75 = row(4);
  series.p90 = row(5);
  return series;
}

}  // namespace

std::vector<std::string> year_labels(const model::TimeParameters& time) {
  std::vector<std::string> labels;
  for (int year = 0; year < time.months / 12; ++year) {
    labels.push_back(fmt::format("{} to {}", model::format_year_month(time.start.plus_months(12 * year)),
                                 model::format_year_month(time.start.plus_months(12 * year + 11))));
  }
  return labels;
}

Json figures(const SeriesStore& reference, const SeriesStore& option, int replications,
             const FigureNames& names, const model::TimeParameters& time) {
  const int months = time.months;
  run::OutcomeTally tally(2, months);
  run::ResultBlock block;
  for (int first = 0; first < replications; first += kTallyChunk) {
    block.reset(first, std::min(kTallyChunk, replications - first), 2, months);
    reference.fill(block, 0);
    option.fill(block, 1);
    tally.add(block);
  }
  const run::Comparison comparison = run::compare(tally, 1, 0);
  const std::vector<std::string> years = year_labels(time);

  Json outcomes = Json::array();
  for (int o = 0; o < run::kOutcomeCount; ++o) {
    const run::OutcomeInfo& info = run::kOutcomes[static_cast<std::size_t>(o)];
    Json columns = Json::array();
    for (int column = 0; column < tally.columns(o); ++column) {
      const run::DifferenceSummary& difference =
          comparison.summaries[static_cast<std::size_t>(o)][static_cast<std::size_t>(column)];
      columns.push_back(Json{
          {"year", info.per_year() ? years[static_cast<std::size_t>(column)] : ""},
          {"reference", summary_json(run::summarise(tally.values(0, o, column)))},
          {"option", summary_json(run::summarise(tally.values(1, o, column)))},
          {"difference", summary_json(difference.difference)},
          {"probability_better", difference.probability_better},
      });
    }
    outcomes.push_back(Json{{"name", info.name},
                            {"units", info.units},
                            {"description", info.description},
                            {"lower_is_better", info.lower_is_better},
                            {"per_year", info.per_year()},
                            {"columns", std::move(columns)}});
  }

  std::vector<std::string> month_labels;
  for (int t = 0; t < months; ++t)
    month_labels.push_back(model::format_year_month(time.start.plus_months(t)));
  Json charts = Json::array();
  for (const ChartSpec& spec : kCharts) {
    report::FanChart chart;
    chart.id = fmt::format("whatif-{}", spec.id);
    chart.title = std::string(spec.title);
    chart.y_label = std::string(spec.y_label);
    chart.description = fmt::format(
        "{} by month, {}: the median line with the middle 50% and 80% of {} "
        "simulated futures as shaded bands, for {} and {}.",
        spec.title, spec.description, replications, names.reference, names.option);
    chart.months = month_labels;
    chart.series.push_back(fan_series(reference, spec.id, replications, names.reference));
    chart.series.push_back(fan_series(option, spec.id, replications, names.option));
    charts.push_back(Json{{"id", spec.id},
                          {"title", spec.title},
                          {"replications", replications},
                          {"svg", report::render_fan_chart(chart)}});
  }

  Json year_headings = Json::array();
  for (const std::string& label : years) year_headings.push_back(report::year_heading(label));
  return Json{{"replications", replications},
              {"years", years},
              {"year_headings", std::move(year_headings)},
              {"outcomes", std::move(outcomes)},
              {"cost_per_leaver_avoided", comparison.cost_per_leaver_avoided},
              {"charts", std::move(charts)}};
}

}  // namespace wfsim::serve
