// "What the money buys": a policy search file in the report, from its
// packages run again on a fresh seed (never from the search's own figures,
// which the winner's curse flatters).
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "report/formatting.hpp"
#include "report/report.hpp"
#include "report/svg_chart.hpp"

namespace wfsim::report {

namespace {

bool objective_is_net_loss(const PolicySearchRecord& search) {
  return search.info.objective == "net_loss_total";
}

// What a package does to the workforce against doing nothing, over the whole years.
std::string kept_words(double kept) {
  const long n = std::lround(kept);
  if (n == 0) return "keeps as many qualified social workers as doing nothing";
  return fmt::format("{} {} more qualified social worker{} than doing nothing", n > 0 ? "keeps" : "loses",
                     headcount(std::fabs(kept)), std::labs(n) == 1 ? "" : "s");
}

// Row of the chosen package in /packages, or -1.
int chosen_row(const PolicySearchRecord& search) {
  const auto& chosen = search.tables.packages.number("chosen");
  for (std::size_t i = 0; i < chosen.size(); ++i)
    if (chosen[i] == 1) return static_cast<int>(i);
  return -1;
}

std::string score_words(double value, const std::string& units) {
  if (units == "fraction") return fixed(100 * value, 1) + " points";
  if (units == "GBP") return money_words(value);
  return fixed(value, std::fabs(value) >= 100 ? 0 : 1) +
         (units == "headcount" || units == "score" ? "" : " " + units);
}

std::string package_label(const PolicySearchRecord& search, std::size_t row, int& frontier_count) {
  const double rank = search.tables.packages.number("finalist_rank")[row];
  return rank > 0 ? fmt::format("{}", static_cast<int>(rank)) : fmt::format("f{}", ++frontier_count);
}

}  // namespace

std::string policy_search_sentence(const PolicySearchRecord& search) {
  const auto& info = search.info;
  const auto& p = search.tables.packages;
  const std::string budget = money_words(info.budget_gbp);
  const int row = chosen_row(search);
  if (row < 0) {
    return fmt::format(
        "For {}, no package of these levers kept within the budget when run again on fresh simulated "
        "futures.",
        budget);
  }
  const auto at = [&](const char* column) { return p.number(column)[static_cast<std::size_t>(row)]; };
  const std::string words = p.text("package")[static_cast<std::size_t>(row)];
  const double kept = -at("net_loss_difference_mean");
  if (words == "doing nothing") {
    return fmt::format(
        "For {}, the search found no package of these levers that does better than doing nothing on {}.",
        budget, info.objective);
  }
  std::string sentence = fmt::format(
      "For {}, the package of {} {} over the whole years (80% range {} to {})", budget, words,
      kept_words(kept), headcount(-at("net_loss_difference_p90")), headcount(-at("net_loss_difference_p10")));
  if (!objective_is_net_loss(search)) {
    sentence += fmt::format(", and changes the objective ({}) by {}", info.objective,
                            score_words(at("score_difference_mean"), info.objective_units));
  }
  sentence += fmt::format(
      "; its own spending is {} on average{}, and against the establishment it costs {} {} than doing "
      "nothing. "
      "These figures come from {} fresh simulated futures, not the search's own.",
      money_words(at("spend_mean")),
      info.budget_rule == "probability"
          ? fmt::format(" (more than the budget in {} of futures)", percent(at("overspend_probability")))
          : std::string(),
      money_words(at("extra_cost_mean")), at("extra_cost_mean") >= 0 ? "more" : "less",
      info.rerun_replications);
  return sentence;
}

std::string policy_search_html(const PolicySearchRecord& search, std::size_t index, std::size_t figure) {
  const auto& info = search.info;
  const auto& p = search.tables.packages;
  const auto& c = search.tables.candidates;
  const bool net_loss = objective_is_net_loss(search);
  const std::string gain_label =
      net_loss ? "Social workers kept (net loss avoided)"
               : fmt::format("Improvement in {} ({})", info.objective, info.objective_units);

  FrontierChart chart;
  chart.id = fmt::format("frontier-{}", index + 1);
  chart.title =
      fmt::format("What each level of spending buys, for a budget of {}", money_words(info.budget_gbp));
  chart.y_label = gain_label;
  chart.budget = info.budget_gbp;
  chart.description = fmt::format(
      "Figure {}: every package the search tried, by its policy spend and what it achieves over doing "
      "nothing; "
      "the packages run again on fresh simulated futures with their 80% ranges. {}",
      figure, policy_search_sentence(search));
  const auto& spend = c.number("spend_mean");
  const auto& score = c.number("score_difference");
  const auto& frontier = c.number("frontier");
  const auto& valid = c.number("valid");
  for (std::size_t k = 0; k < spend.size(); ++k) {
    if (valid[k] == 0) continue;
    chart.evaluated.push_back({spend[k], -score[k], frontier[k] != 0});
  }
  int frontier_count = 0;
  for (std::size_t i = 0; i < p.rows(); ++i) {
    // The gain: social workers kept with the default objective, else the score's improvement.
    const char* column = net_loss ? "net_loss_difference" : "score_difference";
    const auto value = [&](const char* suffix) { return p.number(fmt::format("{}_{}", column, suffix))[i]; };
    chart.packages.push_back({package_label(search, i, frontier_count), p.text("package")[i],
                              p.number("spend_mean")[i], -value("mean"), -value("p90"), -value("p10"),
                              p.number("finalist_rank")[i] > 0, p.number("chosen")[i] == 1});
  }

  std::string out = fmt::format("<div class=\"policy-search\" id=\"policy-search-{}\">\n", index + 1);
  out += fmt::format(
      "<figure id=\"figure-{}\">\n<h3>Figure {}. What each level of spending buys (budget {})</h3>\n{}"
      "<figcaption>Grey dots: every package the search tried, at the search&rsquo;s own estimate; grey line: "
      "the "
      "best found for each level of spending. Blue: packages run again on fresh simulated futures, with the "
      "range "
      "holding 80% of them; numbered ones are the search&rsquo;s finalists, the diamond the chosen "
      "package.</figcaption>\n</figure>\n",
      chart.id, figure, html_escape(money_words(info.budget_gbp)), render_frontier_chart(chart));
  out += fmt::format("<p class=\"policy-search-sentence\">{}</p>\n",
                     html_escape(policy_search_sentence(search)));
  out += fmt::format(
      "<table class=\"packages\">\n<thead><tr><th></th><th>Package</th><th class=\"num\">Social workers kept "
      "(80% range)</th>{}<th class=\"num\">Policy spend</th><th class=\"num\">Over budget in</th><th "
      "class=\"num\">Extra cost against the establishment</th><th class=\"num\">Search&rsquo;s own "
      "estimate</th></tr></thead>\n<tbody>\n",
      net_loss ? "" : fmt::format("<th class=\"num\">{}</th>", html_escape(info.objective)));
  frontier_count = 0;
  for (std::size_t i = 0; i < p.rows(); ++i) {
    const auto at = [&](const char* name) { return p.number(name)[i]; };
    const std::string estimate = net_loss ? headcount(-at("search_net_loss_difference"))
                                          : score_words(-at("search_score_difference"), info.objective_units);
    out += fmt::format(
        "<tr{}><td>{}</td><td>{}</td><td class=\"num\">{} <span class=\"r\">{} to {}</span></td>{}<td "
        "class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td></tr>\n",
        at("chosen") == 1 ? " class=\"chosen\"" : "", html_escape(package_label(search, i, frontier_count)),
        html_escape(p.text("package")[i]), headcount(-at("net_loss_difference_mean")),
        headcount(-at("net_loss_difference_p90")), headcount(-at("net_loss_difference_p10")),
        net_loss ? std::string()
                 : fmt::format("<td class=\"num\">{}</td>",
                               score_words(-at("score_difference_mean"), info.objective_units)),
        money_short(at("spend_mean")), percent(at("overspend_probability")),
        money_short(at("extra_cost_mean"), true), estimate);
  }
  out += "</tbody>\n</table>\n";
  out += fmt::format(
      "<p class=\"note\">From <code>{}</code>: objective {} (lower is better), budget {} ({}), made {} by "
      "wfsim "
      "{}. The search ran {} package evaluations over {} rounds ({} to {} simulated futures each, seed {}), "
      "{} "
      "simulated futures in all, in {:.0f} seconds; it stopped because {}. The packages above were run again "
      "on "
      "seed {} with {} futures each, paired with {}; &ldquo;search&rsquo;s own estimate&rdquo; shows how far "
      "that moved them.</p>\n</div>\n",
      html_escape(search.path.string()), html_escape(info.objective),
      html_escape(money_words(info.budget_gbp)),
      info.budget_rule == "mean"
          ? "mean policy spend within it"
          : fmt::format("at most a {} chance of spending more", percent(info.max_probability)),
      html_escape(info.created_utc), html_escape(info.wfsim_version), info.evaluations, info.rounds,
      info.replications, info.max_replications, info.seed, info.replications_simulated, info.seconds,
      html_escape(info.stop_reason), info.rerun_seed, info.rerun_replications, html_escape(info.reference));
  return out;
}

std::string policy_search_markdown(const PolicySearchRecord& search) {
  const auto& info = search.info;
  const auto& p = search.tables.packages;
  std::string out = fmt::format("### Budget {} (`{}`)\n\n{}\n\n", money_words(info.budget_gbp),
                                search.path.string(), policy_search_sentence(search));
  out +=
      "| | Package | Social workers kept (80% range) | Policy spend | Over budget in | Extra cost | Search's "
      "own estimate |\n";
  out += "|---|---|---:|---:|---:|---:|---:|\n";
  int frontier_count = 0;
  for (std::size_t i = 0; i < p.rows(); ++i) {
    const auto at = [&](const char* name) { return p.number(name)[i]; };
    std::string words = p.text("package")[i];
    for (std::size_t k = 0; k < words.size(); ++k)
      if (words[k] == '|') words.replace(k++, 1, "\\|");
    out += fmt::format("| {}{} | {} | {} ({} to {}) | {} | {} | {} | {} |\n",
                       package_label(search, i, frontier_count), at("chosen") == 1 ? " (chosen)" : "", words,
                       headcount(-at("net_loss_difference_mean")), headcount(-at("net_loss_difference_p90")),
                       headcount(-at("net_loss_difference_p10")), money_short(at("spend_mean")),
                       percent(at("overspend_probability")), money_short(at("extra_cost_mean"), true),
                       headcount(-at("search_net_loss_difference")));
  }
  out += fmt::format(
      "\n{} package evaluations over {} rounds (seed {}), {} simulated futures in all, {:.0f} s; the "
      "packages were "
      "run again on seed {} with {} futures each.\n",
      info.evaluations, info.rounds, info.seed, info.replications_simulated, info.seconds, info.rerun_seed,
      info.rerun_replications);
  return out;
}

}  // namespace wfsim::report
