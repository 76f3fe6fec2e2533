// How people enter the model: the initial workforce (counts by band or a
// roster) and every hire, trainee, mover and agency worker. The simulation
// draws each person; the analytic projection takes the exact distributions
// the draws come from, defined beside them.
#pragma once

#include <cstdint>
#include <vector>

#include "model/parameters.hpp"
#include "model/workforce.hpp"
#include "random/addressed_stream.hpp"

namespace wfsim::model {

// Headcount of permanent qualified staff at the start (the `initial` of the
// stock-flow identity).
int initial_permanent_qsw(const Parameters& parameters);

// The initial workforce of one replication, numbered 0..N-1.
void draw_initial_workforce(const Parameters& parameters, const random::StreamKey& stream, Workforce& people);

// A hire, mover, trainee or agency worker whose id says where they came from.
PersonRecord new_person(const Parameters& parameters, const random::StreamKey& stream, std::uint32_t id,
                        Role role, int month);

// Distributions over pq months 0..kMaxPqMonths.
using PqDistribution = std::vector<double>;

// pq of the initial staff of a band or role given as counts: uniform inside
// the nqsw and early bands; the band's minimum plus an exponential beyond.
PqDistribution initial_pq_distribution(const Parameters& parameters, Role role, Band band);
// pq of experienced hires, movers and agency workers, and of practice manager hires.
PqDistribution hire_pq_distribution(const WorkforceParameters& workforce, Role role);

// P(initial tenure = j) for j = 0..cap (the last collecting the rest) of a
// worker with `pq_months`: a uniform share of pq between tenure_share_of_pq_min and 1.
std::vector<double> initial_tenure_distribution(const WorkforceParameters& workforce, int pq_months, int cap);

// Mean FTE of a permanent worker given as counts.
double mean_permanent_fte(const WorkforceParameters& workforce);

}  // namespace wfsim::model
