#include "report/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace wfsim::report {
namespace {

// Okabe and Ito's palette, black first for the reference; yellow last as it is
// faint on white. Dash patterns differ too, for greyscale print.
constexpr std::array<SeriesStyle, 8> kStyles = {
    SeriesStyle{"#000000", ""},         SeriesStyle{"#0072B2", "9 4"},         SeriesStyle{"#D55E00", "2 3"},
    SeriesStyle{"#009E73", "12 3 3 3"}, SeriesStyle{"#CC79A7", "6 3 2 3 2 3"}, SeriesStyle{"#E69F00", "4 4"},
    SeriesStyle{"#56B4E9", "14 4"},     SeriesStyle{"#F0E442", "1 2"},
};

constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

constexpr double kWidth = 720;
constexpr double kPlotHeight = 250;
constexpr double kLeft = 74;
constexpr double kRight = kWidth - 16;
constexpr double kLegendRow = 20;
constexpr double kAxisSpace = 46;

// A readable step for about `target` intervals over `span`: 1, 2 or 5 times a power of ten.
double nice_step(double span, int target) {
  if (!(span > 0) || !std::isfinite(span)) return 1;
  const double raw = span / target;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / power;
  const double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

std::string tick_label(double value, double step) {
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  if (std::fabs(value) < step * 1e-6) value = 0;  // no "-0"
  return group_thousands(fmt::format("{:.{}f}", value, decimals));
}

std::string number(double value) {
  return fmt::format("{:.1f}", value);
}

// A horizontal grid line from `left` to `right` at `y`, its value written left of it.
std::string y_grid_line(double y, double left, double right, std::string_view stroke,
                        std::string_view label) {
  return fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{5}\" stroke-width=\"1\"/>"
      "<text x=\"{3}\" y=\"{4}\" text-anchor=\"end\" fill=\"#333\">{6}</text>\n",
      number(left), number(y), number(right), number(left - 6), number(y + 4), stroke, label);
}

// A vertical tick or grid line at `x` from `y1` down to `y2`, its label centred below at `label_y`.
std::string x_tick(double x, double y1, double y2, double label_y, std::string_view stroke,
                   std::string_view label) {
  return fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{4}\" stroke-width=\"1\"/>"
      "<text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\" fill=\"#333\">{5}</text>\n",
      number(x), number(y1), number(y2), number(label_y), stroke, label);
}

// The opening <svg> of a chart with its accessible title and description.
std::string svg_open(std::string_view css_class, const std::string& id, double height,
                     const std::string& title, const std::string& description) {
  const std::string title_id = id + "-title", desc_id = id + "-desc";
  return fmt::format(
             "<svg class=\"{0}\" id=\"{1}\" viewBox=\"0 0 {2} {3}\" width=\"{2}\" height=\"{3}\" "
             "role=\"img\" "
             "aria-labelledby=\"{4} {5}\" font-size=\"12\">\n",
             css_class, html_escape(id), kWidth, number(height), html_escape(title_id),
             html_escape(desc_id)) +
         fmt::format("<title id=\"{}\">{}</title>\n<desc id=\"{}\">{}</desc>\n", html_escape(title_id),
                     html_escape(title), html_escape(desc_id), html_escape(description));
}

// Estimated width of text at 12px in a sans-serif font.
double text_width(std::string_view text) {
  return 6.8 * static_cast<double>(text.size());
}

}  // namespace

std::string group_thousands(std::string_view digits) {
  std::string out;
  if (!digits.empty() && digits.front() == '-') {
    out += '-';
    digits.remove_prefix(1);
  }
  const std::size_t point = std::min(digits.find('.'), digits.size());
  for (std::size_t k = 0; k < point; ++k) {
    if (k > 0 && (point - k) % 3 == 0) out += ',';
    out += digits[k];
  }
  out.append(digits.substr(point));
  return out;
}

SeriesStyle series_style(std::size_t index) {
  return kStyles[index % kStyles.size()];
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string short_month_label(std::string_view year_month) {
  if (year_month.size() != 7 || year_month[4] != '-') return std::string(year_month);
  const int month = (year_month[5] - '0') * 10 + (year_month[6] - '0');
  if (month < 1 || month > 12) return std::string(year_month);
  return fmt::format("{} {}", kMonthNames[static_cast<std::size_t>(month - 1)], year_month.substr(0, 4));
}

std::string render_fan_chart(const FanChart& chart) {
  const std::size_t months = chart.months.size();

  // Legend rows, laid out left to right.
  struct LegendItem {
    double x, y;
    std::size_t series;
  };
  std::vector<LegendItem> legend;
  double lx = kLeft, ly = 14;
  for (std::size_t k = 0; k < chart.series.size(); ++k) {
    const double width = 40 + text_width(chart.series[k].label) + 18;
    if (lx + width > kRight && lx > kLeft) {
      lx = kLeft;
      ly += kLegendRow;
    }
    legend.push_back({lx, ly, k});
    lx += width;
  }
  const double top = ly + 18;
  const double bottom = top + kPlotHeight;
  const double height = bottom + kAxisSpace;

  // The value range over every band.
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (const FanSeries& s : chart.series) {
    for (const auto* values : {&s.p10, &s.p90, &s.p50}) {
      for (const double v : *values) {
        if (!std::isfinite(v)) continue;
        low = std::min(low, v);
        high = std::max(high, v);
      }
    }
  }
  const bool has_data = std::isfinite(low);
  if (!has_data) low = 0, high = 1;
  if (low >= 0 && low <= 0.35 * high) low = 0;  // counts and rates: start at zero when it costs little room
  if (high - low < 1e-9) {
    const double pad = std::max(1.0, std::fabs(high) * 0.1);
    low -= pad;
    high += pad;
    if (low < 0 && high - pad >= 0) low = 0;
  }
  const double step = nice_step(high - low, 5);
  const double y_min = std::floor(low / step + 1e-9) * step;
  const double y_max = std::ceil(high / step - 1e-9) * step;

  const auto x_of = [&](std::size_t t) {
    if (months <= 1) return (kLeft + kRight) / 2;
    return kLeft + (kRight - kLeft) * static_cast<double>(t) / static_cast<double>(months - 1);
  };
  const auto y_of = [&](double v) { return bottom - (v - y_min) / (y_max - y_min) * (bottom - top); };

  std::string svg = svg_open("fan", chart.id, height, chart.title, chart.description);

  // Legend: a band swatch with the line across it, then the label.
  for (const LegendItem& item : legend) {
    const SeriesStyle style = series_style(item.series);
    svg += fmt::format(
        "<g class=\"legend-item\"><rect x=\"{0}\" y=\"{1}\" width=\"34\" height=\"12\" fill=\"{2}\" "
        "fill-opacity=\"0.18\"/><line x1=\"{0}\" y1=\"{3}\" x2=\"{4}\" y2=\"{3}\" stroke=\"{2}\" "
        "stroke-width=\"2.5\"{5}/><text x=\"{6}\" y=\"{7}\" fill=\"#222\">{8}</text></g>\n",
        number(item.x), number(item.y - 9), style.colour, number(item.y - 3), number(item.x + 34),
        style.dash.empty() ? std::string() : fmt::format(" stroke-dasharray=\"{}\"", style.dash),
        number(item.x + 40), number(item.y + 1), html_escape(chart.series[item.series].label));
  }

  // Grid and y axis.
  svg += "<g class=\"axis y\">\n";
  for (double v = y_min; v <= y_max + step * 1e-6; v += step)
    svg += y_grid_line(y_of(v), kLeft, kRight, "#d0d0d0", tick_label(v, step));
  svg += fmt::format(
      "<text class=\"axis-label\" transform=\"translate(16 {0}) rotate(-90)\" text-anchor=\"middle\" "
      "fill=\"#222\">{1}</text>\n</g>\n",
      number((top + bottom) / 2), html_escape(chart.y_label));

  // x axis: a tick every 3, 6 or 12 months, labelled with the month.
  const std::size_t tick_every = months <= 18 ? 3 : months <= 48 ? 6 : months <= 96 ? 12 : 24;
  svg += "<g class=\"axis x\">\n";
  svg +=
      fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#555\" stroke-width=\"1\"/>\n",
                  number(kLeft), number(bottom), number(kRight));
  for (std::size_t t = 0; t < months; t += tick_every)
    svg += x_tick(x_of(t), bottom, bottom + 5, bottom + 19, "#555",
                  html_escape(short_month_label(chart.months[t])));
  svg += fmt::format(
      "<text class=\"axis-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#222\">{}</text>\n",
      number((kLeft + kRight) / 2), number(bottom + 38), "Month (to the end of)");
  svg += "</g>\n";

  if (!has_data) {
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333\">No values in this run</text>\n",
        number((kLeft + kRight) / 2), number((top + bottom) / 2));
  }

  // Runs of months where both edges of a band are known.
  const auto segments = [&](const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<std::pair<std::size_t, std::size_t>> runs;  // [from, to)
    std::size_t t = 0;
    while (t < months) {
      while (t < months && !(std::isfinite(a[t]) && std::isfinite(b[t]))) ++t;
      const std::size_t from = t;
      while (t < months && std::isfinite(a[t]) && std::isfinite(b[t])) ++t;
      if (t > from) runs.emplace_back(from, t);
    }
    return runs;
  };
  const auto band = [&](const FanSeries& s, const std::vector<double>& lo, const std::vector<double>& hi,
                        std::string_view colour, double opacity, std::string_view which) {
    std::string out;
    for (const auto& [from, to] : segments(lo, hi)) {
      std::string d;
      for (std::size_t t = from; t < to; ++t)
        d += fmt::format("{}{} {}", t == from ? "M" : " L", number(x_of(t)), number(y_of(hi[t])));
      for (std::size_t t = to; t-- > from;) d += fmt::format(" L{} {}", number(x_of(t)), number(y_of(lo[t])));
      if (to - from == 1) {  // a single month: a short bar instead of an invisible area
        out += fmt::format(
            "<rect x=\"{}\" y=\"{}\" width=\"6\" height=\"{}\" fill=\"{}\" fill-opacity=\"{}\"><title>{}: "
            "{}</title></rect>\n",
            number(x_of(from) - 3), number(y_of(hi[from])), number(y_of(lo[from]) - y_of(hi[from])), colour,
            opacity, html_escape(s.label), which);
        continue;
      }
      out += fmt::format(
          "<path d=\"{} Z\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"none\"><title>{}: {}</title></path>\n",
          d, colour, opacity, html_escape(s.label), which);
    }
    return out;
  };

  if (has_data) {
    svg += "<g class=\"bands80\">\n";
    for (std::size_t k = 0; k < chart.series.size(); ++k)
      svg += band(chart.series[k], chart.series[k].p10, chart.series[k].p90, series_style(k).colour, 0.10,
                  "80% of simulated futures");
    svg += "</g>\n<g class=\"bands50\">\n";
    for (std::size_t k = 0; k < chart.series.size(); ++k)
      svg += band(chart.series[k], chart.series[k].p25, chart.series[k].p75, series_style(k).colour, 0.16,
                  "middle 50% of simulated futures");
    svg += "</g>\n<g class=\"medians\">\n";
    for (std::size_t k = 0; k < chart.series.size(); ++k) {
      const FanSeries& s = chart.series[k];
      const SeriesStyle style = series_style(k);
      for (const auto& [from, to] : segments(s.p50, s.p50)) {
        std::string d;
        for (std::size_t t = from; t < to; ++t)
          d += fmt::format("{}{} {}", t == from ? "M" : " L", number(x_of(t)), number(y_of(s.p50[t])));
        if (to - from == 1) d += fmt::format(" l0.01 0");
        svg += fmt::format(
            "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.2\" stroke-linejoin=\"round\" "
            "stroke-linecap=\"round\"{}><title>{}: median</title></path>\n",
            d, style.colour,
            style.dash.empty() ? std::string() : fmt::format(" stroke-dasharray=\"{}\"", style.dash),
            html_escape(s.label));
      }
    }
    svg += "</g>\n";
  }
  svg += "</svg>\n";
  return svg;
}

namespace {

constexpr std::string_view kLowColour = "#0072B2";   // Okabe-Ito blue
constexpr std::string_view kHighColour = "#E69F00";  // Okabe-Ito orange, hatched
constexpr std::string_view kHighStripe = "#8C5A00";
constexpr double kTornadoLeft = 90;
constexpr double kTornadoRight = kWidth - 90;
constexpr double kTornadoRow = 44;

// A value for a label: the shortest text that reads back, thousands grouped, no "-0".
std::string value_label(double value) {
  if (!std::isfinite(value)) return std::isnan(value) ? "n/a" : (value > 0 ? "inf" : "-inf");
  if (value == 0) value = 0;  // no "-0"
  const double a = std::fabs(value);
  const int decimals = a >= 1000 ? 0 : a >= 10 ? 1 : 2;
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find_first_not_of("-0.") == std::string::npos && text.front() == '-') text.erase(0, 1);
  return group_thousands(text);
}

std::string parameter_value(double value) {
  return fmt::format("{}", value);
}

}  // namespace

std::string render_tornado_chart(const TornadoChart& chart) {
  const double top = 40;
  const double bottom = top + kTornadoRow * static_cast<double>(std::max<std::size_t>(chart.bars.size(), 1));
  const double height = bottom + kAxisSpace;

  double low = chart.base_value, high = chart.base_value;
  for (const TornadoBar& bar : chart.bars) {
    for (const double v : {bar.output_low, bar.output_high}) {
      if (!std::isfinite(v)) continue;
      low = std::min(low, v);
      high = std::max(high, v);
    }
  }
  if (!std::isfinite(low) || !std::isfinite(high)) low = 0, high = 1;
  if (high - low < 1e-9) {
    const double pad = std::max(1.0, std::fabs(high) * 0.1);
    low -= pad;
    high += pad;
  }
  const double step = nice_step(high - low, 6);
  const double x_min = std::floor(low / step + 1e-9) * step;
  const double x_max = std::ceil(high / step - 1e-9) * step;
  const auto x_of = [&](double v) {
    return kTornadoLeft + (v - x_min) / (x_max - x_min) * (kTornadoRight - kTornadoLeft);
  };

  std::string svg = svg_open("tornado", chart.id, height, chart.title, chart.description);
  const std::string hatch_id = chart.id + "-high";
  svg += fmt::format(
      "<defs><pattern id=\"{0}\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" "
      "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"{1}\"/><rect width=\"2\" "
      "height=\"6\" fill=\"{2}\"/></pattern></defs>\n",
      html_escape(hatch_id), kHighColour, kHighStripe);
  const std::string high_fill = fmt::format("url(#{})", html_escape(hatch_id));

  // Legend.
  svg += fmt::format(
      "<g class=\"legend\"><rect x=\"{0}\" y=\"6\" width=\"28\" height=\"12\" fill=\"{1}\"/>"
      "<text x=\"{2}\" y=\"16\" fill=\"#222\">parameter at its low value</text>"
      "<rect x=\"{3}\" y=\"6\" width=\"28\" height=\"12\" fill=\"{4}\" stroke=\"{5}\"/>"
      "<text x=\"{6}\" y=\"16\" fill=\"#222\">parameter at its high value</text>"
      "<line x1=\"{7}\" y1=\"4\" x2=\"{7}\" y2=\"20\" stroke=\"#000\" stroke-width=\"1.5\" "
      "stroke-dasharray=\"4 3\"/><text x=\"{8}\" y=\"16\" fill=\"#222\">all at their own values</text></g>\n",
      number(16), kLowColour, number(50), number(240), high_fill, kHighStripe, number(274), number(472),
      number(480));

  // Grid and x axis.
  svg += "<g class=\"axis x\">\n";
  for (double v = x_min; v <= x_max + step * 1e-6; v += step)
    svg += x_tick(x_of(v), top - 4, bottom, bottom + 17, "#d0d0d0", tick_label(v, step));
  svg += fmt::format(
      "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"#555\" stroke-width=\"1\"/>\n"
      "<text class=\"axis-label\" x=\"{3}\" y=\"{4}\" text-anchor=\"middle\" "
      "fill=\"#222\">{5}</text>\n</g>\n",
      number(kTornadoLeft), number(kTornadoRight), number(bottom), number((kTornadoLeft + kTornadoRight) / 2),
      number(bottom + 36), html_escape(chart.x_label));

  // Bars: the longer side first, so that a shorter one on the same side stays visible.
  const double base_x = x_of(chart.base_value);
  for (std::size_t k = 0; k < chart.bars.size(); ++k) {
    const TornadoBar& bar = chart.bars[k];
    const double row = top + kTornadoRow * static_cast<double>(k);
    const double bar_top = row + 19, bar_height = 16;
    svg += fmt::format(
        "<g class=\"tornado-bar\" data-parameter=\"{}\" data-low=\"{}\" data-high=\"{}\" "
        "data-output-low=\"{}\" data-output-high=\"{}\" data-flips-ranking=\"{}\">\n",
        html_escape(bar.parameter), parameter_value(bar.low), parameter_value(bar.high),
        parameter_value(bar.output_low), parameter_value(bar.output_high), bar.flips_ranking ? 1 : 0);
    svg += fmt::format(
        "<text x=\"16\" y=\"{}\" fill=\"#222\">{}. <tspan font-weight=\"600\">{}</tspan>: {} to {}",
        number(row + 13), k + 1, html_escape(bar.parameter), parameter_value(bar.low),
        parameter_value(bar.high));
    if (bar.flips_ranking)
      svg += " <tspan font-weight=\"700\" class=\"flips\">&#8212; can flip which option does better</tspan>";
    svg += "</text>\n";
    struct Side {
      double output;
      double value;
      bool high;
    };
    std::array<Side, 2> sides = {Side{bar.output_low, bar.low, false}, Side{bar.output_high, bar.high, true}};
    if (std::fabs(sides[1].output - chart.base_value) > std::fabs(sides[0].output - chart.base_value))
      std::swap(sides[0], sides[1]);
    for (const Side& side : sides) {
      if (!std::isfinite(side.output)) continue;
      const double x = x_of(side.output);
      const double from = std::min(x, base_x), width = std::max(std::fabs(x - base_x), 1.0);
      svg += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}><title>{} at {} ({}): "
          "{}</title></rect>\n",
          number(from), number(bar_top), number(width), number(bar_height),
          side.high ? high_fill : std::string(kLowColour),
          side.high ? fmt::format(" stroke=\"{}\"", kHighStripe) : std::string(), html_escape(bar.parameter),
          parameter_value(side.value), side.high ? "high" : "low", value_label(side.output));
    }
    // Each end labelled with the parameter's value there; two ends on the same side share one label
    // at the outer end, the outer value first.
    const auto side_of = [&](const Side& side) { return side.output < chart.base_value; };
    const auto words = [](const Side& side) {
      return fmt::format("{} {}", side.high ? "high" : "low", parameter_value(side.value));
    };
    const bool shared = std::isfinite(sides[0].output) && std::isfinite(sides[1].output) &&
                        side_of(sides[0]) == side_of(sides[1]);
    for (std::size_t k = 0; k < (shared ? 1 : sides.size()); ++k) {
      const Side& side = sides[k];
      if (!std::isfinite(side.output)) continue;
      const double x = x_of(side.output);
      const bool left = side_of(side);
      svg += fmt::format("<text class=\"end\" x=\"{}\" y=\"{}\" text-anchor=\"{}\" fill=\"#222\">{}</text>\n",
                         number(left ? std::min(x, base_x) - 4 : std::max(x, base_x) + 4),
                         number(bar_top + 12), left ? "end" : "start",
                         html_escape(shared ? words(side) + "; " + words(sides[1]) : words(side)));
    }
    svg += "</g>\n";
  }

  // The output with every parameter at its own value.
  svg += fmt::format(
      "<line class=\"base\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#000\" stroke-width=\"1.5\" "
      "stroke-dasharray=\"4 3\"><title>All parameters at their own values: {3}</title></line>\n",
      number(base_x), number(top - 4), number(bottom), value_label(chart.base_value));
  svg += "</svg>\n";
  return svg;
}

std::string render_frontier_chart(const FrontierChart& chart) {
  constexpr double top = 40;
  const double bottom = top + kPlotHeight;
  const double height = bottom + kAxisSpace;

  double x_high = chart.budget, y_low = 0, y_high = 0;
  const auto widen = [&](double spend, double gain) {
    if (std::isfinite(spend)) x_high = std::max(x_high, spend);
    if (std::isfinite(gain)) {
      y_low = std::min(y_low, gain);
      y_high = std::max(y_high, gain);
    }
  };
  for (const FrontierPoint& p : chart.evaluated) widen(p.spend, p.gain);
  for (const FrontierPackage& p : chart.packages) {
    widen(p.spend, p.gain_p10);
    widen(p.spend, p.gain_p90);
  }
  if (!(x_high > 0)) x_high = 1;
  if (y_high - y_low < 1e-9) y_high = y_low + 1;
  const double x_step = nice_step(x_high / 1e6, 6);
  const double x_max = std::ceil(x_high / 1e6 / x_step - 1e-9) * x_step;
  const double y_step = nice_step(y_high - y_low, 5);
  const double y_min = std::floor(y_low / y_step + 1e-9) * y_step;
  const double y_max = std::ceil(y_high / y_step - 1e-9) * y_step;
  const auto x_of = [&](double gbp) { return kLeft + gbp / 1e6 / x_max * (kRight - kLeft); };
  const auto y_of = [&](double v) { return bottom - (v - y_min) / (y_max - y_min) * (bottom - top); };

  std::string svg = svg_open("frontier", chart.id, height, chart.title, chart.description);

  // Legend.
  svg += fmt::format(
      "<g class=\"legend\"><circle cx=\"{0}\" cy=\"12\" r=\"2.5\" fill=\"#999\"/>"
      "<text x=\"{1}\" y=\"16\" fill=\"#222\">package tried (search)</text>"
      "<circle cx=\"{2}\" cy=\"12\" r=\"5\" fill=\"{3}\"/><text x=\"{4}\" y=\"16\" fill=\"#222\">run again, "
      "with 80% range</text>"
      "<path d=\"M{5} 5 L{6} 12 L{5} 19 L{7} 12 Z\" fill=\"{8}\" stroke=\"#000\"/><text x=\"{9}\" y=\"16\" "
      "fill=\"#222\">chosen</text>"
      "<line x1=\"{10}\" y1=\"4\" x2=\"{10}\" y2=\"20\" stroke=\"#000\" stroke-width=\"1.5\" "
      "stroke-dasharray=\"4 3\"/><text x=\"{11}\" y=\"16\" fill=\"#222\">budget</text></g>\n",
      number(kLeft), number(kLeft + 8), number(kLeft + 170), kStyles[1].colour, number(kLeft + 180),
      number(kLeft + 390), number(kLeft + 397), number(kLeft + 383), kStyles[5].colour, number(kLeft + 404),
      number(kLeft + 470), number(kLeft + 478));

  // Axes and grid.
  svg += "<g class=\"axis y\">\n";
  for (double v = y_min; v <= y_max + y_step * 1e-6; v += y_step) {
    svg += y_grid_line(y_of(v), kLeft, kRight, std::fabs(v) < y_step * 1e-6 ? "#555" : "#d0d0d0",
                       tick_label(v, y_step));
  }
  svg += fmt::format(
      "<text class=\"axis-label\" transform=\"translate(16 {0}) rotate(-90)\" text-anchor=\"middle\" "
      "fill=\"#222\">{1}</text>\n</g>\n",
      number((top + bottom) / 2), html_escape(chart.y_label));
  svg += "<g class=\"axis x\">\n";
  for (double v = 0; v <= x_max + x_step * 1e-6; v += x_step)
    svg += x_tick(x_of(v * 1e6), bottom, bottom + 5, bottom + 19, "#555", tick_label(v, x_step));
  svg += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#555\" stroke-width=\"1\"/>\n"
      "<text class=\"axis-label\" x=\"{3}\" y=\"{4}\" text-anchor=\"middle\" fill=\"#222\">Policy spend over "
      "the "
      "whole years, £ million</text>\n</g>\n",
      number(kLeft), number(bottom), number(kRight), number((kLeft + kRight) / 2), number(bottom + 38));

  // Every package tried, then the search's frontier through them.
  svg += "<g class=\"evaluated\">\n";
  std::vector<const FrontierPoint*> frontier;
  for (const FrontierPoint& p : chart.evaluated) {
    if (!std::isfinite(p.spend) || !std::isfinite(p.gain)) continue;
    svg += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"#999\" fill-opacity=\"0.6\"/>\n",
                       number(x_of(p.spend)), number(y_of(p.gain)));
    if (p.frontier) frontier.push_back(&p);
  }
  svg += "</g>\n";
  std::sort(frontier.begin(), frontier.end(),
            [](const FrontierPoint* a, const FrontierPoint* b) { return a->spend < b->spend; });
  if (frontier.size() > 1) {
    std::string d;
    for (std::size_t k = 0; k < frontier.size(); ++k) {
      d += fmt::format("{}{} {}", k == 0 ? "M" : " L", number(x_of(frontier[k]->spend)),
                       number(y_of(frontier[k]->gain)));
    }
    svg += fmt::format(
        "<path class=\"search-frontier\" d=\"{}\" fill=\"none\" stroke=\"#777\" "
        "stroke-width=\"1.5\"><title>The "
        "search's frontier: no cheaper package tried did as well</title></path>\n",
        d);
  }

  // The budget.
  const double budget_x = x_of(chart.budget);
  svg += fmt::format(
      "<line class=\"budget\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#000\" "
      "stroke-width=\"1.5\" "
      "stroke-dasharray=\"4 3\"/><text x=\"{3}\" y=\"{4}\" fill=\"#222\">budget</text>\n",
      number(budget_x), number(top), number(bottom), number(budget_x + 4), number(top + 12));

  // The packages run again: their 80% range, then the marker and its label;
  // finalists over frontier packages and the chosen one on top, where they crowd at the budget.
  std::vector<const FrontierPackage*> order;
  for (const FrontierPackage& p : chart.packages) order.push_back(&p);
  std::stable_sort(order.begin(), order.end(), [](const FrontierPackage* a, const FrontierPackage* b) {
    return std::pair{a->chosen, a->finalist} < std::pair{b->chosen, b->finalist};
  });
  for (const FrontierPackage* package : order) {
    const FrontierPackage& p = *package;
    const double x = x_of(p.spend), y = y_of(p.gain);
    svg += fmt::format(
        "<g class=\"package\" data-spend=\"{}\" data-gain=\"{}\" data-gain-p10=\"{}\" data-gain-p90=\"{}\" "
        "data-chosen=\"{}\"><title>{}: {}</title>\n",
        fmt::format("{}", p.spend), fmt::format("{}", p.gain), fmt::format("{}", p.gain_p10),
        fmt::format("{}", p.gain_p90), p.chosen ? 1 : 0, html_escape(p.label), html_escape(p.words));
    svg +=
        fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\"/>\n",
                    number(x), number(y_of(p.gain_p10)), number(y_of(p.gain_p90)), kStyles[1].colour);
    if (p.chosen) {
      svg += fmt::format("<path d=\"M{0} {1} L{2} {3} L{0} {4} L{5} {3} Z\" fill=\"{6}\" stroke=\"#000\"/>\n",
                         number(x), number(y - 8), number(x + 8), number(y), number(y + 8), number(x - 8),
                         kStyles[5].colour);
    } else {
      svg += fmt::format(
          "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>\n", number(x),
          number(y), p.finalist ? std::string(kStyles[1].colour) : std::string("#fff"), kStyles[1].colour);
    }
    svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#222\">{}</text>\n</g>\n", number(x + 10),
                       number(y - 6), html_escape(p.label));
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace wfsim::report
