#include "model/entry.hpp"

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <cmath>

namespace wfsim::model {

using random::AddressedStream;
using random::Purpose;

namespace {

// How the pq months of a kind of person are drawn: uniform on [low, high), or
// min(kMaxPqMonths, floor(minimum + X)) with X exponential of mean `mean`.
struct PqRule {
  bool uniform = false;
  int low = 0;
  int high = 0;
  double minimum = 0;
  double mean = 0;
};

PqRule uniform_pq(int low, int high) {
  return {true, low, high, 0, 0};
}
PqRule exponential_pq(double minimum, double mean) {
  return {false, 0, 0, minimum, mean};
}

std::int16_t draw_pq(const PqRule& rule, AddressedStream& engine) {
  if (rule.uniform)
    return static_cast<std::int16_t>(rule.low + std::floor(engine.uniform01() * (rule.high - rule.low)));
  const double extra =
      rule.mean > 0 ? boost::random::exponential_distribution<double>(1.0 / rule.mean)(engine) : 0.0;
  return static_cast<std::int16_t>(std::min<double>(kMaxPqMonths, std::floor(rule.minimum + extra)));
}

PqDistribution distribution_of(const PqRule& rule) {
  PqDistribution out(kMaxPqMonths + 1, 0.0);
  if (rule.uniform) {
    for (int pq = rule.low; pq < rule.high; ++pq)
      out[static_cast<std::size_t>(pq)] = 1.0 / (rule.high - rule.low);
    return out;
  }
  // P(min(480, floor(minimum + X)) = n).
  const int first = std::clamp(static_cast<int>(std::floor(rule.minimum)), 0, kMaxPqMonths);
  if (!(rule.mean > 0)) {
    out[static_cast<std::size_t>(first)] = 1.0;
    return out;
  }
  auto survival = [&](double x) { return x > 0 ? std::exp(-x / rule.mean) : 1.0; };  // P(X >= x)
  for (int n = first; n < kMaxPqMonths; ++n)
    out[static_cast<std::size_t>(n)] = survival(n - rule.minimum) - survival(n + 1 - rule.minimum);
  out[kMaxPqMonths] = survival(kMaxPqMonths - rule.minimum);
  return out;
}

PqRule initial_pq_rule(const Parameters& p, Role role, Band band) {
  const auto& w = p.workforce;
  const double senior_min = std::max<double>(kEarlyEndPqMonths, w.senior_min_pq_months);
  switch (role) {
    case Role::social_worker:
      return band == Band::nqsw    ? uniform_pq(0, kNqswEndPqMonths)
             : band == Band::early ? uniform_pq(kNqswEndPqMonths, kEarlyEndPqMonths)
                                   : exponential_pq(kEarlyEndPqMonths, w.experienced_extra_pq_mean_months);
    case Role::advanced_practitioner:
    case Role::practice_manager:
      return exponential_pq(senior_min, w.experienced_extra_pq_mean_months);
    case Role::trainee:
      return uniform_pq(0, p.step_up.training_months);
    case Role::agency:
      break;
  }
  return exponential_pq(kNqswEndPqMonths, w.experienced_extra_pq_mean_months);
}

// Experienced hires, movers and agency workers have at least a year after
// qualifying; practice manager hires the senior minimum.
PqRule hire_pq_rule(const WorkforceParameters& w, Role role) {
  return exponential_pq(role == Role::practice_manager ? w.senior_min_pq_months : kNqswEndPqMonths,
                        w.experienced_extra_pq_mean_months);
}

float draw_resilience(AddressedStream& engine, double sd) {
  if (!(sd > 0)) return 1.0f;
  // Lognormal with mean 1 and standard deviation `sd`.
  const double sigma = std::sqrt(std::log1p(sd * sd));
  return static_cast<float>(
      boost::random::lognormal_distribution<double>(-0.5 * sigma * sigma, sigma)(engine));
}

}  // namespace

int initial_permanent_qsw(const Parameters& p) {
  const auto& w = p.workforce;
  if (!w.roster.empty()) {
    return static_cast<int>(std::count_if(w.roster.begin(), w.roster.end(),
                                          [](const RosterRow& row) { return is_permanent(row.role); }));
  }
  return w.social_workers[0] + w.social_workers[1] + w.social_workers[2] + w.advanced_practitioners +
         w.practice_managers;
}

void draw_initial_workforce(const Parameters& p, const random::StreamKey& stream, Workforce& people) {
  const auto& w = p.workforce;
  people.clear();
  std::uint32_t next_id = 0;
  if (!w.roster.empty()) {
    // One person a row, as the council's records have them; only resilience is drawn.
    people.reserve(w.roster.size() * 2 + 64);
    for (const RosterRow& row : w.roster) {
      AddressedStream engine(stream, Purpose::initial_person, next_id, 0);
      PersonRecord person;
      person.id = next_id++;
      person.role = row.role;
      person.pq_months = static_cast<std::int16_t>(row.pq_months);
      person.tenure_months = static_cast<std::int16_t>(row.tenure_months);
      person.fte = static_cast<float>(row.fte);
      person.resilience = draw_resilience(engine, p.burnout.resilience_sd);
      people.add(person);
    }
    return;
  }
  people.reserve(static_cast<std::size_t>(initial_permanent_qsw(p) + w.trainees + w.agency) * 2 + 64);
  auto add = [&](Role role, Band band, int count) {
    const PqRule rule = initial_pq_rule(p, role, band);
    for (int k = 0; k < count; ++k) {
      AddressedStream engine(stream, Purpose::initial_person, next_id, 0);
      PersonRecord person;
      person.id = next_id++;
      person.role = role;
      person.pq_months = draw_pq(rule, engine);
      const double u_tenure = engine.uniform01();
      const double u_fte = engine.uniform01();
      if (role == Role::trainee) {
        person.tenure_months = person.pq_months;
      } else if (role == Role::agency) {
        person.tenure_months = static_cast<std::int16_t>(std::floor(u_tenure * 12));
      } else {
        const double share = w.tenure_share_of_pq_min + (1.0 - w.tenure_share_of_pq_min) * u_tenure;
        person.tenure_months = static_cast<std::int16_t>(std::floor(share * person.pq_months));
      }
      person.fte =
          (role != Role::agency && u_fte < w.part_time_share) ? static_cast<float>(w.part_time_fte) : 1.0f;
      person.resilience = draw_resilience(engine, p.burnout.resilience_sd);
      people.add(person);
    }
  };
  add(Role::social_worker, Band::nqsw, w.social_workers[0]);
  add(Role::social_worker, Band::early, w.social_workers[1]);
  add(Role::social_worker, Band::experienced, w.social_workers[2]);
  add(Role::advanced_practitioner, Band::experienced, w.advanced_practitioners);
  add(Role::practice_manager, Band::experienced, w.practice_managers);
  add(Role::trainee, Band::nqsw, w.trainees);
  add(Role::agency, Band::early, w.agency);
}

PersonRecord new_person(const Parameters& p, const random::StreamKey& stream, std::uint32_t id, Role role,
                        int month) {
  const auto& w = p.workforce;
  AddressedStream engine(stream, Purpose::new_person, id, month);
  PersonRecord person;
  person.id = id;
  person.role = role;
  const double u_fte = engine.uniform01();
  if (role == Role::trainee || (role == Role::social_worker && person_ids::is_nqsw_hire(id))) {
    person.pq_months = 0;
  } else {
    person.pq_months = draw_pq(hire_pq_rule(w, role), engine);
  }
  person.fte =
      (role != Role::agency && u_fte < w.part_time_share) ? static_cast<float>(w.part_time_fte) : 1.0f;
  person.resilience = draw_resilience(engine, p.burnout.resilience_sd);
  return person;
}

PqDistribution initial_pq_distribution(const Parameters& p, Role role, Band band) {
  return distribution_of(initial_pq_rule(p, role, band));
}

PqDistribution hire_pq_distribution(const WorkforceParameters& w, Role role) {
  return distribution_of(hire_pq_rule(w, role));
}

std::vector<double> initial_tenure_distribution(const WorkforceParameters& w, int pq, int cap) {
  std::vector<double> out(static_cast<std::size_t>(cap) + 1, 0.0);
  const double low = w.tenure_share_of_pq_min * pq;
  const double high = pq;
  if (!(high > low)) {  // no experience, or a share of exactly 1
    out[static_cast<std::size_t>(std::min(pq, cap))] = 1.0;
    return out;
  }
  for (int j = static_cast<int>(std::floor(low)); j < pq; ++j) {
    const double overlap = std::min<double>(j + 1, high) - std::max<double>(j, low);
    if (overlap > 0) out[static_cast<std::size_t>(std::min(j, cap))] += overlap / (high - low);
  }
  return out;
}

double mean_permanent_fte(const WorkforceParameters& w) {
  return 1.0 - w.part_time_share + w.part_time_share * w.part_time_fte;
}

}  // namespace wfsim::model
