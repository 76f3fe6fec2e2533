// Uncertain parameters: a numeric scalar written as a distribution instead of
// a number. The scenario keeps the distribution's mean in its Parameters and
// the distribution here; each replication draws one value, shared by every
// scenario of the run (docs/model.md, "Uncertain parameters").
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/parameters.hpp"
#include "random/addressed_stream.hpp"

namespace wfsim::scenario {

enum class DistributionFamily : std::uint8_t { uniform, normal, lognormal, beta, triangular };

// A distribution truncated to its parameter's range, as written in the file.
struct Distribution {
  DistributionFamily family = DistributionFamily::uniform;
  // The keys as written, in canonical order: uniform min, max; normal and
  // lognormal mean, sd; beta mean, sd or alpha, beta; triangular min, mode, max.
  std::array<std::string_view, 3> keys{};
  std::array<double, 3> values{};
  int key_count = 0;

  // Derived: the family's own parameters (normal: mean, sd; lognormal: mu,
  // sigma of the logarithm; beta: alpha, beta; uniform and triangular: as written).
  std::array<double, 3> shape{};
  double mean = 0;   // of the distribution before truncation: the value a run without draws uses
  double lower = 0;  // draws lie in [lower, upper]: the parameter's range (integers: +-0.5)
  double upper = 0;
  bool lower_open = false;  // the range excludes lower (or upper): never drawn
  bool upper_open = false;
  double cdf_lower = 0;  // the distribution function at lower and upper
  double cdf_upper = 1;
  bool integer = false;  // round draws to the nearest whole number

  double cdf(double x) const;
  double quantile(double probability) const;
  // The value for a uniform `u` in [0, 1): the truncated distribution's
  // quantile at u, so one uniform gives one draw and no draw is rejected.
  double value_at(double u) const;
  // "{distribution: normal, mean: 0.3, sd: 0.05}", which reads back identical.
  std::string yaml() const;
  std::string_view family_name() const;
};

// How a family is written: its name and each set of keys (besides
// `distribution`) that gives it; beta takes mean and sd, or alpha and beta.
struct DistributionForm {
  std::string_view family;
  std::vector<std::vector<std::string>> key_sets;
};
std::vector<DistributionForm> distribution_forms();

// One uncertain parameter of a scenario.
struct UncertainParameter {
  std::string path;                  // dotted path, as in the numeric registry
  std::uint32_t registry_index = 0;  // position in numeric_parameters(): the draw's person id
  Distribution distribution;
};

// This replication's draw of `parameter`: from the stream addressed by
// (seed, replication, Purpose::parameter_draw, registry index, month 0). Pass
// the replication's common stream (salt 0) so every scenario of a run, even
// with independent streams, draws the same number.
double draw_parameter(const UncertainParameter& parameter, const random::StreamKey& common);

// Stores this replication's draw of every uncertain parameter in `parameters`.
void apply_parameter_draws(std::span<const UncertainParameter> uncertain, const random::StreamKey& common,
                           model::Parameters& parameters);

}  // namespace wfsim::scenario
