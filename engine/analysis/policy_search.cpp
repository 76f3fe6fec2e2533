#include "analysis/policy_search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>

#include "analysis/outcome_runs.hpp"
#include "analysis/unit_box_search.hpp"
#include "run/comparison.hpp"

namespace wfsim::analysis {

namespace {

using scenario::Lever;
using scenario::Levers;
using scenario::LeverVariable;
using scenario::Package;

// What an invalid package scores, and how far outside the budget it counts:
// worse than any package the model can produce, yet finite for the optimiser.
constexpr double kInvalid = 1e30;
// COBYLA's first steps in the first round, as a share of each number's
// range, and the least it starts a later round with.
constexpr double kFirstStep = 0.25;
constexpr double kSmallestStep = 0.02;
// A search has converged when its steps are below this share of every range.
constexpr double kStepTolerance = 0.01;
// A set still searching is judged against the leader only once it spends at
// least this share of what the leader spends (by the budget rule's measure).
constexpr double kAsMuch = 0.98;

double standard_error(const std::vector<double>& values) {
  if (values.size() < 2) return 0.0;
  return std::sqrt(run::sample_variance(values) / static_cast<double>(values.size()));
}

std::vector<double> difference(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> out(a.size());
  for (std::size_t r = 0; r < a.size(); ++r) out[r] = a[r] - b[r];
  return out;
}

double quantile(std::vector<double> values, double probability) {
  std::sort(values.begin(), values.end());
  return run::quantile_sorted(values, probability);
}

std::string with_thousands(long long value) {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out = value < 0 ? "-" : "";
  for (std::size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && (digits.size() - k) % 3 == 0) out += ',';
    out += digits[k];
  }
  return out;
}

// Per-replication values of one package, the replications in order.
struct Values {
  std::vector<double> score, spend, net_loss, cost, vacancy, agency;
};

// The outcomes a package is judged and described by.
struct OutcomeIndices {
  struct Term {
    int outcome;
    double weight;  // signed: lower is better
  };
  std::vector<Term> objective;
  int spend = run::outcome_index("policy_spend_total");
  int net_loss = run::outcome_index("net_loss_total");
  int cost = run::outcome_index("cost_against_establishment_total");
  int vacancy = run::outcome_index("vacancy_rate_end");
  int agency = run::outcome_index("agency_rate_end");

  explicit OutcomeIndices(const Levers& levers) {
    for (const scenario::ObjectiveTerm& term : levers.objective) {
      const int o = run::outcome_index(term.outcome);
      const bool lower = run::kOutcomes[static_cast<std::size_t>(o)].lower_is_better;
      objective.push_back({o, lower ? term.weight : -term.weight});
    }
  }

  // Appends the tally's replications of `scenario` to `values`.
  void append(const run::OutcomeTally& tally, int scenario, Values& values) const {
    const auto add = [&](int outcome, std::vector<double>& to) {
      const std::vector<double> v = horizon_values(tally, scenario, outcome);
      to.insert(to.end(), v.begin(), v.end());
    };
    std::vector<double> score(static_cast<std::size_t>(tally.replications()), 0.0);
    for (const Term& term : objective) {
      const std::vector<double> v = horizon_values(tally, scenario, term.outcome);
      for (std::size_t r = 0; r < score.size(); ++r) score[r] += term.weight * v[r];
    }
    values.score.insert(values.score.end(), score.begin(), score.end());
    add(spend, values.spend);
    add(net_loss, values.net_loss);
    add(cost, values.cost);
    add(vacancy, values.vacancy);
    add(agency, values.agency);
  }
};

class Search {
 public:
  Search(const scenario::Scenario& reference, const Levers& levers, const PolicySearchSettings& settings)
      : reference_(reference), levers_(levers), settings_(settings), outcomes_(levers) {
    Package nothing;
    nothing.on.assign(levers.levers.size(), false);
    nothing.values = start_values();
    candidate_of(nothing, 0);  // candidate 0: the reference
  }

  std::vector<std::vector<double>> start_values() const {
    std::vector<std::vector<double>> values(levers_.levers.size());
    for (std::size_t k = 0; k < levers_.levers.size(); ++k) {
      for (const LeverVariable& v : levers_.levers[k].variables) values[k].push_back(v.start);
    }
    return values;
  }

  // The candidate index of `package`, added if new.
  int candidate_of(const Package& package, int round, int set = -1) {
    std::string key;
    for (std::size_t k = 0; k < package.on.size(); ++k) {
      key += package.on[k] ? "1" : "0";
      if (!package.on[k]) continue;
      for (double v : package.values[k]) key += fmt::format(":{}", v);
      key += "|";
    }
    if (const auto found = index_.find(key); found != index_.end()) return found->second;
    const int index = static_cast<int>(candidates_.size());
    index_.emplace(key, index);
    SearchCandidate candidate;
    candidate.package = package;
    candidate.set = set;
    candidate.round = round;
    candidates_.push_back(std::move(candidate));
    values_.emplace_back();
    return index;
  }

  // The package loaded over the reference as a package file would be; nullopt if the loader refuses it.
  std::optional<scenario::Scenario> load(int index) {
    SearchCandidate& c = candidates_[static_cast<std::size_t>(index)];
    try {
      return scenario::load_scenario_over(
          reference_, scenario::package_yaml(levers_, c.package, reference_.file.string(), ""),
          "package.yaml");
    } catch (const scenario::ScenarioError& e) {
      c.invalid = e.what();
      return std::nullopt;
    }
  }

  // Runs the package for replications it has not had, up to `replications`.
  void ensure(int index, int replications) {
    if (index != 0) ensure(0, replications);  // differences need the reference on the same replications
    SearchCandidate& c = candidates_[static_cast<std::size_t>(index)];
    if (c.replications >= replications || !c.invalid.empty()) return;
    const std::optional<scenario::Scenario> loaded = load(index);
    if (!loaded) {
      refresh(index);
      return;
    }
    const run::OutcomeTally tally = run_outcomes({scenario_input(*loaded)}, settings_.seed, c.replications,
                                                 replications - c.replications, settings_.threads);
    outcomes_.append(tally, 0, values_[static_cast<std::size_t>(index)]);
    replications_simulated_ += replications - c.replications;
    ++evaluations_;
    c.replications = replications;
    refresh(index);
  }

  // How far outside the budget a package's spend is, relative to the budget
  // (<= 0: within). In the search (`guarded`) the mean rule asks for the
  // mean spend plus budget_margin_z standard errors of it: the optimiser
  // settles on the budget's edge, where a mean estimated on few replications
  // is as likely over the budget on a fresh seed as under it.
  double violation(const std::vector<double>& spend, double& statistic, bool guarded) const {
    const bool mean_rule = levers_.budget_rule == scenario::BudgetRule::mean;
    statistic = mean_rule ? run::mean(spend) : quantile(spend, 1 - levers_.max_probability);
    const double compared =
        mean_rule && guarded ? statistic + settings_.budget_margin_z * standard_error(spend) : statistic;
    return (compared - settings_.budget_gbp) / settings_.budget_gbp;
  }

  double overspend_probability(const std::vector<double>& spend) const {
    const auto over =
        std::count_if(spend.begin(), spend.end(), [&](double s) { return s > settings_.budget_gbp; });
    return spend.empty() ? 0.0 : static_cast<double>(over) / static_cast<double>(spend.size());
  }

  void refresh(int index) {
    SearchCandidate& c = candidates_[static_cast<std::size_t>(index)];
    if (!c.invalid.empty()) {
      c.score = kInvalid;
      c.feasible = false;
      return;
    }
    const Values& v = values_[static_cast<std::size_t>(index)];
    const Values& ref = values_[0];
    const std::size_t n = v.score.size();
    const auto first = [&](const std::vector<double>& all) {
      return std::vector<double>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
    };
    c.score = run::mean(v.score);
    c.score_standard_error = standard_error(v.score);
    c.score_difference = run::mean(difference(v.score, first(ref.score)));
    c.spend_mean = run::mean(v.spend);
    c.feasible = violation(v.spend, c.spend_quantile, true) <= 0;
    c.overspend_probability = overspend_probability(v.spend);
    c.net_loss_difference = run::mean(difference(v.net_loss, first(ref.net_loss)));
    c.extra_cost = run::mean(difference(v.cost, first(ref.cost)));
  }

  double score(int index) const { return candidates_[static_cast<std::size_t>(index)].score; }
  double constraint(int index) const {
    const SearchCandidate& c = candidates_[static_cast<std::size_t>(index)];
    if (!c.invalid.empty()) return kInvalid;
    double statistic = 0;
    return violation(values_[static_cast<std::size_t>(index)].spend, statistic, true);
  }

  // Mean and standard error of score(a) - score(b), paired on their common replications.
  std::pair<double, double> paired(int a, int b) const {
    const auto& x = values_[static_cast<std::size_t>(a)].score;
    const auto& y = values_[static_cast<std::size_t>(b)].score;
    const std::size_t n = std::min(x.size(), y.size());
    std::vector<double> d(n);
    for (std::size_t r = 0; r < n; ++r) d[r] = x[r] - y[r];
    return {run::mean(d), standard_error(d)};
  }

  std::vector<SearchCandidate>& candidates() { return candidates_; }
  const Values& values(int index) const { return values_[static_cast<std::size_t>(index)]; }
  int evaluations() const { return evaluations_; }
  long long replications_simulated() const { return replications_simulated_; }
  void add_simulated(long long replications) { replications_simulated_ += replications; }

 private:
  const scenario::Scenario& reference_;
  const Levers& levers_;
  const PolicySearchSettings& settings_;
  OutcomeIndices outcomes_;
  std::vector<SearchCandidate> candidates_;
  std::vector<Values> values_;
  std::map<std::string, int> index_;
  int evaluations_ = 0;
  long long replications_simulated_ = 0;
};

// One on/off set's own search over its numbers.
struct SetSearch {
  std::vector<std::pair<std::size_t, std::size_t>> variables;  // (lever, number) of its unit box
  std::vector<double> best_u;                                  // where its search continues
  double step = kFirstStep;
  bool converged = false;
  std::vector<int> this_round;  // candidates run in the current round
};

double value_at(const LeverVariable& v, double u) {
  const double value = v.min + std::clamp(u, 0.0, 1.0) * (v.max - v.min);
  return v.integer ? std::round(value) : value;
}

double unit_of(const LeverVariable& v, double value) {
  return (value - v.min) / (v.max - v.min);
}

// The best package of `candidates`: feasible before infeasible, then the lower
// score, then the lower spend, then the earlier.
int best_of(const std::vector<SearchCandidate>& all, const std::vector<int>& candidates) {
  int best = -1;
  for (int c : candidates) {
    if (best < 0) {
      best = c;
      continue;
    }
    const SearchCandidate& x = all[static_cast<std::size_t>(c)];
    const SearchCandidate& y = all[static_cast<std::size_t>(best)];
    if (x.feasible != y.feasible) {
      if (x.feasible) best = c;
    } else if (x.score != y.score) {
      if (x.score < y.score) best = c;
    } else if (x.spend_mean < y.spend_mean) {
      best = c;
    }
  }
  return best;
}

// Every on/off set of the optional levers (the others are always on), each
// with its own search starting where the levers file says.
std::vector<SetSearch> every_on_off_set(const Levers& levers, std::vector<SearchContender>& contenders) {
  std::vector<std::size_t> optional;
  for (std::size_t k = 0; k < levers.levers.size(); ++k)
    if (levers.levers[k].optional) optional.push_back(k);
  const std::size_t count = std::size_t{1} << optional.size();
  std::vector<SetSearch> sets(count);
  for (std::size_t s = 0; s < count; ++s) {
    SearchContender contender;
    contender.on.assign(levers.levers.size(), true);
    for (std::size_t j = 0; j < optional.size(); ++j) contender.on[optional[j]] = (s >> j) & 1U;
    for (std::size_t k = 0; k < levers.levers.size(); ++k) {
      if (!contender.on[k]) continue;
      for (std::size_t v = 0; v < levers.levers[k].variables.size(); ++v) {
        const LeverVariable& variable = levers.levers[k].variables[v];
        sets[s].variables.emplace_back(k, v);
        sets[s].best_u.push_back(unit_of(variable, variable.start));
      }
    }
    contenders.push_back(std::move(contender));
  }
  return sets;
}

// The package of set `set` at the point `u` of its unit box.
Package package_at(const Search& search, const Levers& levers, const SearchContender& contender,
                   const SetSearch& set, const std::vector<double>& u) {
  Package package;
  package.on = contender.on;
  package.values = search.start_values();
  for (std::size_t i = 0; i < set.variables.size(); ++i) {
    const auto [k, v] = set.variables[i];
    package.values[k][v] = value_at(levers.levers[k].variables[v], u[i]);
  }
  return package;
}

// One round of one set's search on `replications` replications.
void search_set(Search& search, const Levers& levers, std::size_t index, SearchContender& contender,
                SetSearch& set, int round, int replications) {
  set.this_round.clear();
  const int evaluations_before = search.evaluations();
  const auto run_at = [&](const std::vector<double>& u) {
    const int c =
        search.candidate_of(package_at(search, levers, contender, set, u), round, static_cast<int>(index));
    search.ensure(c, replications);
    if (std::find(set.this_round.begin(), set.this_round.end(), c) == set.this_round.end())
      set.this_round.push_back(c);
    return c;
  };
  const std::size_t n = set.variables.size();
  if (n == 0) {
    run_at({});
    set.converged = true;
  } else {
    // COBYLA from where the last round left off, with more evaluations and
    // smaller first steps each round.
    UnitBoxSettings box;
    box.optimiser = Optimiser::cobyla;
    box.max_evaluations = static_cast<int>(n + 1) << (round + 1);
    box.x_tolerance = kStepTolerance;
    box.initial_step = set.step;
    const UnitBoxResult found = minimise_in_unit_box(
        [&](const std::vector<double>& u) { return search.score(run_at(u)); }, set.best_u, box,
        [&](const std::vector<double>& u) { return search.constraint(run_at(u)); });
    set.converged = found.converged;
    // Whole numbers (posts, months, counts) are rounded, so the search sees
    // steps; one more or one fewer of each, while that does better.
    std::vector<double> u = found.best;
    int best = run_at(u);
    for (bool improved = true; improved;) {
      improved = false;
      for (std::size_t i = 0; i < n; ++i) {
        const auto [k, v] = set.variables[i];
        const LeverVariable& variable = levers.levers[k].variables[v];
        if (!variable.integer) continue;
        for (const double delta : {-1.0, 1.0}) {
          const double value = value_at(variable, u[i]) + delta;
          if (value < variable.min || value > variable.max) continue;
          std::vector<double> neighbour = u;
          neighbour[i] = unit_of(variable, value);
          const int c = run_at(neighbour);
          if (c != best && best_of(search.candidates(), {best, c}) == c) {
            best = c;
            u = neighbour;
            improved = true;
            set.converged = false;
          }
        }
      }
    }
    set.best_u = u;
    set.step = std::max(kSmallestStep, set.step / 2);
  }
  contender.best = best_of(search.candidates(), set.this_round);
  contender.evaluations += search.evaluations() - evaluations_before;
}

// The race: rounds that double the replications of the sets still racing;
// after each, the sets outside the budget or clearly worse than the leader leave.
void race(Search& search, const Levers& levers, const PolicySearchSettings& settings,
          std::vector<SetSearch>& sets, PolicySearchResult& result, const PolicySearchProgress& progress) {
  std::vector<std::size_t> racing(sets.size());
  for (std::size_t s = 0; s < sets.size(); ++s) racing[s] = s;
  int replications = settings.replications;
  int round = 0;
  for (;; ++round) {
    for (std::size_t s : racing)
      search_set(search, levers, s, result.contenders[s], sets[s], round, replications);

    // The leader: the best package within the budget.
    int leader = -1;
    for (std::size_t s : racing) {
      const int c = result.contenders[s].best;
      if (search.candidates()[static_cast<std::size_t>(c)].feasible &&
          (leader < 0 || best_of(search.candidates(),
                                 {result.contenders[static_cast<std::size_t>(leader)].best, c}) == c)) {
        leader = static_cast<int>(s);
      }
    }
    std::vector<std::size_t> still;
    for (std::size_t s : racing) {
      SearchContender& contender = result.contenders[s];
      const SearchCandidate& best = search.candidates()[static_cast<std::size_t>(contender.best)];
      if (!best.feasible) {
        contender.eliminated = round;
        contender.why_eliminated = best.invalid.empty()
                                       ? fmt::format("no package within the budget in round {}", round + 1)
                                       : "not a valid scenario: " + best.invalid;
        continue;
      }
      if (static_cast<int>(s) != leader) {
        const int leader_best = result.contenders[static_cast<std::size_t>(leader)].best;
        const auto [mean, error] = search.paired(contender.best, leader_best);
        // In the first round a set is judged only once more money cannot be
        // what it lacks: its search has converged, or it already spends as
        // much as the leader. From the second round on, every set is judged.
        const bool judged =
            round > 0 || sets[s].converged ||
            best.spend_quantile >=
                kAsMuch * search.candidates()[static_cast<std::size_t>(leader_best)].spend_quantile;
        if (judged && mean > settings.racing_z * error && mean > 0) {
          contender.eliminated = round;
          contender.why_eliminated = fmt::format(
              "worse than the leader by {:.4g} (standard error {:.3g}) on {} replications in round {}", mean,
              error, replications, round + 1);
          continue;
        }
      }
      still.push_back(s);
    }
    racing = std::move(still);
    if (progress) progress(round + 1, static_cast<int>(racing.size()), search.evaluations());

    if (racing.empty()) {
      result.stop_reason = "no package within the budget";
      break;
    }
    if (racing.size() == 1 && sets[racing.front()].converged) {
      result.stop_reason =
          fmt::format("one set left and its search converged, on {} replications", replications);
      break;
    }
    if (replications >= settings.max_replications) {
      result.stop_reason = fmt::format("the maximum of {} replications reached with {} set(s) left",
                                       replications, racing.size());
      break;
    }
    if (search.evaluations() >= settings.max_evaluations) {
      result.stop_reason = fmt::format("the budget of {} evaluations used up with {} set(s) left",
                                       settings.max_evaluations, racing.size());
      break;
    }
    replications = std::min(2 * replications, settings.max_replications);
  }
  result.rounds = round + 1;
  result.evaluations = search.evaluations();
}

// The finalists: the best package of each set, the sets still racing first by
// their best package, then those that left latest; within the budget only.
std::vector<int> choose_finalists(const std::vector<SearchContender>& contenders,
                                  const std::vector<SearchCandidate>& all, int count) {
  std::vector<std::size_t> order(contenders.size());
  for (std::size_t s = 0; s < order.size(); ++s) order[s] = s;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const SearchContender& x = contenders[a];
    const SearchContender& y = contenders[b];
    const int xr = x.eliminated < 0 ? std::numeric_limits<int>::max() : x.eliminated;
    const int yr = y.eliminated < 0 ? std::numeric_limits<int>::max() : y.eliminated;
    if (xr != yr) return xr > yr;
    return x.best != y.best && best_of(all, {x.best, y.best}) == x.best;
  });
  std::vector<int> finalists;
  for (std::size_t s : order) {
    const int c = contenders[s].best;
    if (c < 0 || !all[static_cast<std::size_t>(c)].feasible) continue;
    if (std::find(finalists.begin(), finalists.end(), c) != finalists.end()) continue;
    if (static_cast<int>(finalists.size()) == count) break;
    finalists.push_back(c);
  }
  return finalists;
}

// Marks the cost-outcome frontier of every valid package tried (none
// cheaper does as well) and returns it by spend.
std::vector<int> mark_frontier(std::vector<SearchCandidate>& all) {
  std::vector<int> by_spend;
  for (int c = 0; c < static_cast<int>(all.size()); ++c)
    if (all[static_cast<std::size_t>(c)].invalid.empty() && all[static_cast<std::size_t>(c)].replications > 0)
      by_spend.push_back(c);
  std::stable_sort(by_spend.begin(), by_spend.end(), [&](int a, int b) {
    const SearchCandidate& x = all[static_cast<std::size_t>(a)];
    const SearchCandidate& y = all[static_cast<std::size_t>(b)];
    if (x.spend_mean != y.spend_mean) return x.spend_mean < y.spend_mean;
    if (x.score_difference != y.score_difference) return x.score_difference < y.score_difference;
    // The same figures (a lever on with nothing in it): the package with fewer levers on.
    return std::count(x.package.on.begin(), x.package.on.end(), true) <
           std::count(y.package.on.begin(), y.package.on.end(), true);
  });
  double best_score = std::numeric_limits<double>::infinity();
  std::vector<int> frontier;
  for (int c : by_spend) {
    SearchCandidate& candidate = all[static_cast<std::size_t>(c)];
    if (candidate.score_difference < best_score) {
      best_score = candidate.score_difference;
      candidate.frontier = true;
      frontier.push_back(c);
    }
  }
  return frontier;
}

// Up to `count` frontier packages within the budget, spread evenly over the
// spend, leaving out the reference and the finalists.
std::vector<int> spread_within_budget(const std::vector<int>& frontier,
                                      const std::vector<SearchCandidate>& all,
                                      const std::vector<int>& finalists, double budget, int count) {
  std::vector<int> within;
  for (int c : frontier) {
    if (c == 0 || std::find(finalists.begin(), finalists.end(), c) != finalists.end()) continue;
    if (all[static_cast<std::size_t>(c)].spend_mean <= budget) within.push_back(c);
  }
  const auto wanted = static_cast<std::size_t>(count);
  if (within.size() <= wanted) return within;
  if (wanted == 1) return {within.back()};
  std::vector<int> picks;
  for (std::size_t i = 0; i < wanted; ++i) {
    const int c = within[(i * (within.size() - 1) + (wanted - 1) / 2) / (wanted - 1)];
    if (picks.empty() || picks.back() != c) picks.push_back(c);
  }
  return picks;
}

// Runs the reference and `packages` again on the fresh seed, paired; the
// first `finalists` of them are the finalists, and the chosen package is the
// first of those within the budget there.
void run_again(Search& search, const scenario::Scenario& reference, const Levers& levers,
               const PolicySearchSettings& settings, const std::vector<int>& packages, std::size_t finalists,
               PolicySearchResult& result) {
  if (packages.empty()) return;
  std::vector<scenario::Scenario> loaded;
  loaded.reserve(packages.size() + 1);
  loaded.push_back(reference);
  for (int c : packages) loaded.push_back(*search.load(c));
  std::vector<run::ScenarioInput> inputs;
  for (const scenario::Scenario& s : loaded) inputs.push_back(scenario_input(s));
  const run::OutcomeTally tally =
      run_outcomes(inputs, settings.rerun_seed, 0, settings.rerun_replications, settings.threads);
  search.add_simulated(static_cast<long long>(inputs.size()) * settings.rerun_replications);
  const OutcomeIndices outcomes(levers);
  Values reference_values;
  outcomes.append(tally, 0, reference_values);
  result.rerun_reference_score = run::summarise(reference_values.score);
  for (std::size_t i = 0; i < packages.size(); ++i) {
    Values v;
    outcomes.append(tally, static_cast<int>(i + 1), v);
    RerunPackage figures;
    figures.candidate = packages[i];
    figures.finalist_rank = i < finalists ? static_cast<int>(i + 1) : 0;
    figures.score = run::summarise(v.score);
    const std::vector<double> score_difference = difference(v.score, reference_values.score);
    figures.score_difference = run::summarise(score_difference);
    figures.score_difference_standard_error = standard_error(score_difference);
    figures.net_loss_difference = run::summarise(difference(v.net_loss, reference_values.net_loss));
    figures.extra_cost = run::summarise(difference(v.cost, reference_values.cost));
    figures.spend = run::summarise(v.spend);
    figures.feasible = search.violation(v.spend, figures.spend_quantile, false) <= 0;
    figures.overspend_probability = search.overspend_probability(v.spend);
    figures.vacancy_rate_difference = run::mean(difference(v.vacancy, reference_values.vacancy));
    figures.agency_rate_difference = run::mean(difference(v.agency, reference_values.agency));
    result.reruns.push_back(figures);
  }
  for (std::size_t i = 0; i < finalists; ++i) {
    if (result.reruns[i].feasible) {
      result.chosen = static_cast<int>(i);
      break;
    }
  }
}

}  // namespace

std::vector<scenario::ObjectiveOutcome> objective_outcomes() {
  std::vector<scenario::ObjectiveOutcome> out;
  for (const run::OutcomeInfo& o : run::kOutcomes) {
    const bool defined = o.aggregation != run::Aggregation::first_year_cohort_share;
    out.push_back(
        {o.name, defined, defined ? "" : "it is undefined in futures where nobody joined in the first year"});
  }
  return out;
}

std::string objective_text(const Levers& levers) {
  if (levers.objective.size() == 1 && levers.objective.front().weight == 1)
    return levers.objective.front().outcome;
  std::string out;
  for (const scenario::ObjectiveTerm& term : levers.objective) {
    const bool lower =
        run::kOutcomes[static_cast<std::size_t>(run::outcome_index(term.outcome))].lower_is_better;
    out += fmt::format("{}{:g} x {}", out.empty() ? (lower ? "" : "-") : (lower ? " + " : " - "), term.weight,
                       term.outcome);
  }
  return out;
}

std::string objective_units(const Levers& levers) {
  if (levers.objective.size() != 1) return "score";
  return std::string(
      run::kOutcomes[static_cast<std::size_t>(run::outcome_index(levers.objective.front().outcome))].units);
}

std::string package_words(const Levers& levers, const Package& package) {
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < levers.levers.size(); ++k) {
    if (!package.on[k]) continue;
    const Lever& lever = levers.levers[k];
    std::vector<std::string> numbers;
    for (std::size_t v = 0; v < lever.variables.size(); ++v) {
      const LeverVariable& variable = lever.variables[v];
      const double value = package.values[k][v];
      std::string text;
      if (variable.kind == scenario::LeverVariableKind::month) {
        text = scenario::format_lever_value(levers, variable, value);
      } else if (variable.units.starts_with("GBP")) {
        text = "£" + with_thousands(std::llround(value)) + variable.units.substr(3);
      } else if (variable.integer) {
        text = with_thousands(std::llround(value));
      } else {
        text = fmt::format("{:.3g}", value);
      }
      numbers.push_back(fmt::format("{}: {}", variable.label, text));
    }
    parts.push_back(numbers.empty() ? lever.label
                                    : fmt::format("{} ({})", lever.label, fmt::join(numbers, ", ")));
  }
  if (parts.empty()) return "doing nothing";
  return fmt::format("{}", fmt::join(parts, ", "));
}

PolicySearchResult search_policies(const scenario::Scenario& reference, const Levers& levers,
                                   const PolicySearchSettings& settings,
                                   const PolicySearchProgress& progress) {
  if (!(settings.budget_gbp > 0)) throw std::invalid_argument("policy search: the budget must be above zero");
  if (settings.replications < 2 || settings.max_replications < settings.replications) {
    throw std::invalid_argument("policy search: replications must be at least 2 and at most the maximum");
  }
  if (settings.finalists < 1 || settings.rerun_replications < 2 || settings.frontier_points < 0) {
    throw std::invalid_argument("policy search: at least one finalist and two re-run replications");
  }
  if (levers.levers.empty()) throw std::invalid_argument("policy search: no levers");

  Search search(reference, levers, settings);
  PolicySearchResult result;
  result.settings = settings;
  std::vector<SetSearch> sets = every_on_off_set(levers, result.contenders);
  race(search, levers, settings, sets, result, progress);

  std::vector<SearchCandidate>& all = search.candidates();
  const std::vector<int> finalists = choose_finalists(result.contenders, all, settings.finalists);
  const std::vector<int> frontier = mark_frontier(all);
  std::vector<int> again = finalists;
  for (int c : spread_within_budget(frontier, all, finalists, settings.budget_gbp, settings.frontier_points))
    again.push_back(c);
  run_again(search, reference, levers, settings, again, finalists.size(), result);
  result.candidates = all;
  result.replications_simulated = search.replications_simulated();
  return result;
}

std::string policy_search_table(const Levers& levers, const PolicySearchResult& result) {
  const auto& s = result.settings;
  std::string out;
  out += fmt::format(
      "Objective: {} ({}; lower is better). Budget: GBP {} of policy spend over the whole years, {}.\n",
      objective_text(levers), objective_units(levers), with_thousands(std::llround(s.budget_gbp)),
      levers.budget_rule == scenario::BudgetRule::mean
          ? "mean within the budget"
          : fmt::format("chance of spending more at most {:g}", levers.max_probability));
  out += fmt::format(
      "Search: {} on/off sets, {} rounds, {} package evaluations (replications doubling from {} up to {}, "
      "seed "
      "{}): {}.\n",
      result.contenders.size(), result.rounds, result.evaluations, s.replications, s.max_replications, s.seed,
      result.stop_reason);
  if (result.reruns.empty()) return out + "No package keeps within the budget.\n";
  out += fmt::format(
      "\nRun again on seed {} with {} replications, paired with the reference (the figures to report); "
      "search: the same on the search's own replications.\n",
      s.rerun_seed, s.rerun_replications);
  out += fmt::format("{:<5}{:>16}{:>16}{:>24}{:>14}{:>12}{:>14}  {}\n", "rank", "objective", "search",
                     "net loss avoided", "spend, GBP m", "P(over)", "search spend", "package");
  for (std::size_t i = 0; i < result.reruns.size(); ++i) {
    const RerunPackage& r = result.reruns[i];
    const SearchCandidate& c = result.candidates[static_cast<std::size_t>(r.candidate)];
    out += fmt::format("{:<5}{:>+16.4g}{:>+16.4g}{:>24}{:>14.3f}{:>12.2f}{:>14.3f}  {}{}{}\n",
                       r.finalist_rank > 0 ? fmt::format("{}", r.finalist_rank) : "f",
                       r.score_difference.mean, c.score_difference,
                       fmt::format("{:.1f} [{:.1f}, {:.1f}]", -r.net_loss_difference.mean,
                                   -r.net_loss_difference.p90, -r.net_loss_difference.p10),
                       r.spend.mean / 1e6, r.overspend_probability, c.spend_mean / 1e6,
                       package_words(levers, c.package),
                       r.feasible ? "" : " (over the budget on the fresh seed)",
                       static_cast<int>(i) == result.chosen ? "  <- chosen" : "");
  }
  out +=
      "objective: package - reference, mean; net loss avoided: reference - package over the whole years, "
      "mean [80% "
      "range]; rank f: a frontier package.\n";
  return out;
}

}  // namespace wfsim::analysis
