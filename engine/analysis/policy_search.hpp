// The policy search of `wfsim optimise` (docs/optimise.md): the package of
// levers that does best on an objective within a budget. Every on/off set of
// the levers is a contender with its own COBYLA search over its numbers;
// contenders race in rounds that double the replications, leaving the race
// when clearly worse than the leader on their paired difference; the best
// packages are then run again on a fresh seed with more replications, and
// those are the figures reported. Every package of the search is run on the
// same seed, replications 0, 1, 2, ... (common random numbers), and a
// package's replications are only ever added to, never run again.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "run/default_seed.hpp"
#include "run/statistics.hpp"
#include "scenario/levers.hpp"
#include "scenario/scenario.hpp"

namespace wfsim::analysis {

struct PolicySearchSettings {
  double budget_gbp = 0;  // policy spend over the whole years of the horizon
  std::uint64_t seed = run::kDefaultSeed;
  int replications = 50;       // of every package in the first round
  int max_replications = 400;  // the rounds double the replications up to this
  // Package evaluations of the search (the re-run aside); when used up the
  // race stops where it is.
  int max_evaluations = 3000;
  // A contender leaves the race when its best package's mean score is worse
  // than the leader's by more than this many standard errors of their paired
  // difference.
  double racing_z = 2.0;
  // With the mean rule, a package is within the budget in the search only if
  // its mean spend plus this many standard errors of it is; the re-run on the
  // fresh seed checks the plain mean.
  double budget_margin_z = 2.0;
  int finalists = 3;        // best packages run again on the fresh seed
  int frontier_points = 6;  // other frontier packages within the budget run again too
  std::uint64_t rerun_seed = 20151102;
  int rerun_replications = 1000;
  int threads = 0;
};

// The outcomes the objective may use, for the levers file: every outcome of
// run::kOutcomes but those undefined in some futures.
std::vector<scenario::ObjectiveOutcome> objective_outcomes();

// The objective in words: "net_loss_total" or "1 x net_loss_total + 500 x vacancy_rate_end".
std::string objective_text(const scenario::Levers& levers);
// The units of the score: the outcome's with one term, else "score".
std::string objective_units(const scenario::Levers& levers);

// One package the search evaluated, with its figures on the replications it
// was run for (0 .. replications - 1 of the search seed).
struct SearchCandidate {
  scenario::Package package;
  int set = -1;   // its on/off set (contender); -1 for the reference
  int round = 0;  // the round it was first run in
  int replications = 0;
  double score = 0;  // mean score, lower is better
  double score_standard_error = 0;
  double score_difference = 0;  // mean paired difference from the reference's score on the same replications
  double spend_mean = 0;        // policy_spend_total
  double spend_quantile = 0;    // the (1 - max_probability) quantile; the mean with the mean rule
  double overspend_probability = 0;  // share of replications spending more than the budget
  bool feasible = false;             // within the budget by the rule, with the search's margin
  double net_loss_difference = 0;    // mean net_loss_total, package - reference
  double extra_cost = 0;             // mean cost_against_establishment_total, package - reference
  bool frontier = false;             // on the cost-outcome frontier of every evaluated package
  std::string invalid;               // why the package is not a valid scenario; empty if it is
};

// An on/off set of levers and its race.
struct SearchContender {
  std::vector<bool> on;
  int best = -1;        // candidate index of its best package
  int eliminated = -1;  // the round it left the race; -1 if it stayed to the end
  std::string why_eliminated;
  int evaluations = 0;
};

// A package run again on the fresh seed, paired with the reference there.
struct RerunPackage {
  int candidate = 0;
  int finalist_rank = 0;  // 1, 2, ... in the search's order; 0 for a frontier package only
  run::Summary score;
  run::Summary score_difference;  // package - reference
  double score_difference_standard_error = 0;
  run::Summary net_loss_difference;  // net_loss_total, package - reference
  run::Summary extra_cost;           // cost_against_establishment_total, package - reference
  run::Summary spend;                // policy_spend_total
  double spend_quantile = 0;
  double overspend_probability = 0;
  bool feasible = false;
  double vacancy_rate_difference = 0;  // vacancy_rate_end, mean, package - reference
  double agency_rate_difference = 0;   // agency_rate_end, mean, package - reference
};

struct PolicySearchResult {
  PolicySearchSettings settings;
  std::vector<SearchCandidate> candidates;  // candidate 0 is the reference: every lever off
  std::vector<SearchContender> contenders;
  std::vector<RerunPackage> reruns;  // finalists in rank order, then frontier packages by spend
  int chosen = -1;  // index into reruns: the first finalist within the budget on the fresh seed
  run::Summary rerun_reference_score;
  int rounds = 0;
  int evaluations = 0;                   // package runs of the search, the re-run aside
  long long replications_simulated = 0;  // every replication of every package, the re-run included
  std::string stop_reason;
};

// Called after every round: the round, contenders still racing, evaluations so far.
using PolicySearchProgress = std::function<void(int round, int racing, int evaluations)>;

// Throws std::invalid_argument for bad settings; a package the scenario
// loader refuses is recorded as invalid and never chosen.
PolicySearchResult search_policies(const scenario::Scenario& reference, const scenario::Levers& levers,
                                   const PolicySearchSettings& settings,
                                   const PolicySearchProgress& progress = {});

// The package as the levers file describes it: "retention payments (payment:
// £2,000), extra posts (practice managers: 4)"; "doing nothing" if no lever is on.
std::string package_words(const scenario::Levers& levers, const scenario::Package& package);

// The search and re-run as a plain-text table.
std::string policy_search_table(const scenario::Levers& levers, const PolicySearchResult& result);

}  // namespace wfsim::analysis
