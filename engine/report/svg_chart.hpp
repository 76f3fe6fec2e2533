// Fan charts as inline SVG for the HTML report: per option a median line with
// translucent 50% and 80% bands over the months, options overlaid, each with
// its own Okabe-Ito colour and dash pattern so that colour-blind readers and
// greyscale print can tell them apart. And tornado charts of a one-at-a-time
// sensitivity analysis, told apart the same way (colour and hatching).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wfsim::report {

// How option k is drawn, the same in every chart and legend of a report.
struct SeriesStyle {
  std::string_view colour;  // "#RRGGBB"
  std::string_view dash;    // SVG stroke-dasharray; empty for a solid line
};
SeriesStyle series_style(std::size_t index);

struct FanSeries {
  std::string label;
  // One value per month, already in display units; NaN where there is none.
  std::vector<double> p10, p25, p50, p75, p90;
};

struct FanChart {
  std::string id;                   // unique in the page; used for element ids
  std::string title;                // read by screen readers and shown on hover
  std::string y_label;              // axis label with units, e.g. "Headcount"
  std::string description;          // one sentence of what the chart shows, for screen readers
  std::vector<std::string> months;  // "YYYY-MM" per column
  std::vector<FanSeries> series;    // drawn in order; series k uses series_style(k)
};

// The chart as an <svg> element (no XML declaration, no external references).
std::string render_fan_chart(const FanChart& chart);

// One parameter of a tornado chart: the output with the parameter at each end
// of its range, the others at their own values.
struct TornadoBar {
  std::string parameter;  // dotted path
  double low = 0;         // the parameter's range
  double high = 0;
  double output_low = 0;  // the output with the parameter at low
  double output_high = 0;
  bool flips_ranking = false;  // named in the bar's label, not shown by colour alone
};

struct TornadoChart {
  std::string id;                // unique in the page; used for element ids
  std::string title;             // read by screen readers
  std::string x_label;           // axis label naming the output and its units
  std::string description;       // one sentence of what the chart shows, for screen readers
  double base_value = 0;         // the output with every parameter at its own value
  std::vector<TornadoBar> bars;  // drawn top to bottom in this order
};

// The chart as an <svg> element: per parameter a bar from the base value to
// the output at its low value (blue) and at its high value (orange, hatched),
// labelled with the parameter's name, range and values; each bar a <g> with
// data-parameter, data-low, data-high, data-output-low, data-output-high and
// data-flips-ranking.
std::string render_tornado_chart(const TornadoChart& chart);

// A cost-outcome frontier: every package a policy search evaluated (its
// search estimate), the frontier through them, and the packages run again on
// a fresh seed with their 80% ranges.
struct FrontierPoint {
  double spend = 0;  // GBP
  double gain = 0;   // over doing nothing, in the chart's units: higher is better
  bool frontier = false;
};
struct FrontierPackage {
  std::string label;  // "1", "2", "f1": shown beside the marker
  std::string words;  // the package, for its tooltip
  double spend = 0;
  double gain = 0;  // mean on the fresh seed
  double gain_p10 = 0;
  double gain_p90 = 0;
  bool finalist = false;
  bool chosen = false;
};
struct FrontierChart {
  std::string id;           // unique in the page; used for element ids
  std::string title;        // read by screen readers
  std::string y_label;      // what the gain is, with units
  std::string description;  // one sentence of what the chart shows, for screen readers
  double budget = 0;        // GBP, drawn as a dashed line
  std::vector<FrontierPoint> evaluated;
  std::vector<FrontierPackage> packages;
};

// The chart as an <svg> element: policy spend (GBP million) across, the gain
// up; evaluated packages as small grey dots, the search's frontier as a grey
// line, the packages run again as blue circles with their 80% range (the
// finalists filled and numbered, the chosen one an orange diamond), the
// budget as a dashed line. Each package run again is a <g class="package">
// with data-spend, data-gain, data-gain-p10, data-gain-p90 and data-chosen.
std::string render_frontier_chart(const FrontierChart& chart);

// "2015-11" -> "Nov 2015"; returns the text unchanged if it is not of that form.
std::string short_month_label(std::string_view year_month);

// "-1234567.5" -> "-1,234,567.5": digits with an optional sign and decimal part.
std::string group_thousands(std::string_view digits);

// HTML/XML text and attribute escaping (& < > " ').
std::string html_escape(std::string_view text);

}  // namespace wfsim::report
