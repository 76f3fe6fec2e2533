#include "run/footprint.hpp"

#include <algorithm>
#include <fstream>
#include <string>

#include "model/metrics.hpp"
#include "run/comparison.hpp"
#include "run/monte_carlo.hpp"

namespace wfsim::run {
namespace {

constexpr double kBytesPerValue = sizeof(double);
// A person's columns (about 24 bytes) with the slack of growing vectors.
constexpr double kBytesPerPerson = 64;
constexpr int kMonthsPerYear = 12;

// A number from the first line of a file, or -1 ("max" and missing files too).
double number_in_file(const char* path) {
  std::ifstream in(path);
  double value = -1;
  if (!(in >> value)) return -1;
  return value;
}

}  // namespace

double peak_people(const model::Parameters& p) {
  const auto& w = p.workforce;
  double initial = static_cast<double>(w.roster.size());
  if (w.roster.empty()) {
    initial = w.social_workers[0] + w.social_workers[1] + w.social_workers[2] + w.advanced_practitioners +
              w.practice_managers + w.trainees + w.agency;
  }
  double posts = p.recruitment.social_work_posts + p.recruitment.practice_manager_posts;
  // Extra posts come either from the start month or in phases.
  const auto& extra = p.policies.extra_posts;
  if (extra.phases.empty()) posts += extra.posts.social_work_posts + extra.posts.practice_manager_posts;
  for (const model::PostsPhase& phase : extra.phases)
    posts += phase.posts.social_work_posts + phase.posts.practice_manager_posts;
  const double intakes_in_training =
      (p.step_up.cohort_size + p.policies.step_up.cohort_size) * std::max(1, p.step_up.training_months);
  return initial + 2 * posts + intakes_in_training + w.accepted_offers_nqsw + w.accepted_offers_experienced;
}

double estimated_memory_bytes(const RunShape& shape) {
  if (shape.scenarios.empty()) return 0;
  const double scenarios = static_cast<double>(shape.scenarios.size());
  const double replications = shape.replications;
  const int month_count = shape.scenarios.front()->time.months;
  const double months = month_count;
  const double years = month_count / kMonthsPerYear;
  const int threads = std::min(resolve_thread_count(shape.threads), std::max(1, shape.replications));
  const double block = shape.block_size > 0 ? shape.block_size : std::max(64, 16 * threads);

  double outcomes_per_replication = 0;  // columns of every outcome of one scenario
  for (const OutcomeInfo& outcome : kOutcomes) outcomes_per_replication += outcome.per_year() ? years : 1;

  const double series_block = std::min(block, replications) * scenarios * model::kMetricCount * months;
  const double tally = scenarios * outcomes_per_replication * replications *
                       (1 + (shape.pairing_check ? 1 : 0) + (shape.chance_only_pass ? 1 : 0));
  const double comparison = (outcomes_per_replication + 1) * replications;
  const double summaries = replications * (months + 6 * years + 1);
  double people = 0;
  for (const model::Parameters* parameters : shape.scenarios)
    people = std::max(people, peak_people(*parameters));
  return kBytesPerValue * (series_block + tally + comparison + summaries) +
         kBytesPerPerson * people * threads;
}

double available_memory_bytes() {
  double available = -1;
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kilobytes = 0;
  std::string unit;
  while (meminfo >> key >> kilobytes >> unit) {
    if (key == "MemAvailable:") {
      available = kilobytes * 1024;
      break;
    }
  }
  // Under a cgroup v2 limit (a container), what is left of the limit counts.
  const double limit = number_in_file("/sys/fs/cgroup/memory.max");
  const double used = number_in_file("/sys/fs/cgroup/memory.current");
  if (limit > 0 && used >= 0) {
    const double left = std::max(0.0, limit - used);
    available = available < 0 ? left : std::min(available, left);
  }
  return available;
}

}  // namespace wfsim::run
