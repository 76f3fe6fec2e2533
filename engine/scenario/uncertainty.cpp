#include "scenario/uncertainty.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <cmath>
#include <limits>

#include "scenario/document.hpp"
#include "scenario/parameter_registry.hpp"
#include "scenario/schema.hpp"

namespace wfsim::scenario {

namespace {

namespace bm = boost::math;
// Out-of-domain arguments are handled before Boost sees them; nothing should throw.
using Policy = bm::policies::policy<bm::policies::domain_error<bm::policies::ignore_error>,
                                    bm::policies::overflow_error<bm::policies::ignore_error>,
                                    bm::policies::evaluation_error<bm::policies::ignore_error>>;

constexpr double kInfinity = std::numeric_limits<double>::infinity();

struct FamilySpec {
  DistributionFamily family;
  std::string_view name;
};

constexpr std::array<FamilySpec, 5> kFamilies{{{DistributionFamily::uniform, "uniform"},
                                               {DistributionFamily::normal, "normal"},
                                               {DistributionFamily::lognormal, "lognormal"},
                                               {DistributionFamily::beta, "beta"},
                                               {DistributionFamily::triangular, "triangular"}}};

// Where the family itself puts probability, before truncation to the range.
std::pair<double, double> support(const Distribution& d) {
  switch (d.family) {
    case DistributionFamily::uniform:
      return {d.shape[0], d.shape[1]};
    case DistributionFamily::triangular:
      return {d.shape[0], d.shape[2]};
    case DistributionFamily::normal:
      return {-kInfinity, kInfinity};
    case DistributionFamily::lognormal:
      return {0.0, kInfinity};
    case DistributionFamily::beta:
      return {0.0, 1.0};
  }
  return {-kInfinity, kInfinity};
}

// Calls `use` with the Boost distribution of the family and its shape.
template <typename Use>
double with_boost_distribution(const Distribution& d, Use use) {
  const auto& s = d.shape;
  switch (d.family) {
    case DistributionFamily::uniform:
      return use(bm::uniform_distribution<double, Policy>(s[0], s[1]));
    case DistributionFamily::normal:
      return use(bm::normal_distribution<double, Policy>(s[0], s[1]));
    case DistributionFamily::lognormal:
      return use(bm::lognormal_distribution<double, Policy>(s[0], s[1]));
    case DistributionFamily::beta:
      return use(bm::beta_distribution<double, Policy>(s[0], s[1]));
    case DistributionFamily::triangular:
      return use(bm::triangular_distribution<double, Policy>(s[0], s[1], s[2]));
  }
  return std::nan("");
}

}  // namespace

std::string_view Distribution::family_name() const {
  for (const FamilySpec& spec : kFamilies) {
    if (spec.family == family) return spec.name;
  }
  return "?";
}

double Distribution::cdf(double x) const {
  const auto [low, high] = support(*this);
  if (x <= low) return 0.0;
  if (x >= high) return 1.0;
  return with_boost_distribution(
      *this, [x](const auto& boost_distribution) { return bm::cdf(boost_distribution, x); });
}

double Distribution::quantile(double probability) const {
  const auto [low, high] = support(*this);
  if (!(probability > 0.0)) return low;
  if (!(probability < 1.0)) return high;
  return with_boost_distribution(*this, [probability](const auto& boost_distribution) {
    return bm::quantile(boost_distribution, probability);
  });
}

double Distribution::value_at(double u) const {
  double x = quantile(cdf_lower + u * (cdf_upper - cdf_lower));
  if (std::isnan(x)) x = mean;
  x = std::clamp(x, lower, upper);
  if (integer) {
    // The whole numbers of the range are those within half a unit of [lower, upper].
    return std::clamp(std::round(x), lower + 0.5, upper - 0.5);
  }
  // An open end of the range is never drawn, even at u = 0.
  if (lower_open && x <= lower) x = std::nextafter(lower, kInfinity);
  if (upper_open && x >= upper) x = std::nextafter(upper, -kInfinity);
  return x;
}

std::string Distribution::yaml() const {
  std::string out = fmt::format("{{distribution: {}", family_name());
  for (int k = 0; k < key_count; ++k) {
    out += fmt::format(", {}: {}", keys[static_cast<std::size_t>(k)],
                       detail::format_number(values[static_cast<std::size_t>(k)]));
  }
  return out + "}";
}

double draw_parameter(const UncertainParameter& parameter, const random::StreamKey& common) {
  random::AddressedStream engine(common, random::Purpose::parameter_draw, parameter.registry_index, 0);
  return parameter.distribution.value_at(engine.uniform01());
}

void apply_parameter_draws(std::span<const UncertainParameter> uncertain, const random::StreamKey& common,
                           model::Parameters& parameters) {
  const auto registry = numeric_parameters();
  for (const UncertainParameter& parameter : uncertain) {
    registry[parameter.registry_index].set(parameters, draw_parameter(parameter, common));
  }
}

namespace detail {

namespace {

constexpr std::string_view kDistributionKey = "distribution";

std::vector<std::string> names(std::initializer_list<std::string_view> keys) {
  std::vector<std::string> out;
  for (std::string_view key : keys) out.emplace_back(key);
  return out;
}

std::vector<std::string> keys_of(DistributionFamily family) {
  switch (family) {
    case DistributionFamily::uniform:
      return names({kDistributionKey, "min", "max"});
    case DistributionFamily::normal:
    case DistributionFamily::lognormal:
      return names({kDistributionKey, "mean", "sd"});
    case DistributionFamily::beta:
      return names({kDistributionKey, "mean", "sd", "alpha", "beta"});
    case DistributionFamily::triangular:
      return names({kDistributionKey, "min", "mode", "max"});
  }
  return {};
}

}  // namespace

}  // namespace detail

std::vector<DistributionForm> distribution_forms() {
  std::vector<DistributionForm> forms;
  for (const FamilySpec& spec : kFamilies) {
    std::vector<std::string> given = detail::keys_of(spec.family);
    given.erase(given.begin());  // `distribution` itself
    DistributionForm form{spec.name, {}};
    if (spec.family == DistributionFamily::beta) {
      form.key_sets = {{given[0], given[1]}, {given[2], given[3]}};  // mean, sd or alpha, beta
    } else {
      form.key_sets = {given};
    }
    forms.push_back(std::move(form));
  }
  return forms;
}

namespace detail {

Distribution parse_distribution(const Node& node, const std::string& path, const NumberRule& rule) {
  if (!node.find(kDistributionKey)) {
    // A misspelt `distribution` is named; any other mapping is not a distribution at all.
    const std::vector<std::string> family_key = names({kDistributionKey});
    for (const Entry& entry : node.entries) {
      if (nearest_key(entry.key, family_key)) {
        fail(entry.key_location, join_path(path, entry.key), "unknown key; did you mean 'distribution'?");
      }
    }
    fail(node.location, path,
         fmt::format("expected {} or a distribution such as {{distribution: normal, mean: m, sd: s}}, got a "
                     "mapping without 'distribution'",
                     rule.describe()));
  }
  const Node& family_node = node.find(kDistributionKey)->value;
  const std::string family_path = join_path(path, kDistributionKey);
  const std::string family_text = parse_text(family_node, family_path);
  std::vector<std::string> family_names;
  for (const FamilySpec& spec : kFamilies) family_names.emplace_back(spec.name);

  Distribution d;
  const auto found = std::find_if(kFamilies.begin(), kFamilies.end(),
                                  [&](const FamilySpec& spec) { return spec.name == family_text; });
  if (found == kFamilies.end()) {
    if (auto suggestion = nearest_key(family_text, family_names)) {
      fail(family_node.location, family_path,
           fmt::format("unknown distribution '{}'; did you mean '{}'?", family_text, *suggestion));
    }
    fail(family_node.location, family_path,
         fmt::format("unknown distribution '{}'; expected one of: {}", family_text,
                     fmt::join(family_names, ", ")));
  }
  d.family = found->family;
  reject_unknown_keys(node, path, keys_of(d.family));

  NumberRule any;
  any.noun = "a number";
  const auto number = [&](std::string_view key) {
    return parse_number(require_key(node, path, key), join_path(path, key), any);
  };
  const auto node_at = [&](std::string_view key) -> const Node& { return node.find(key)->value; };
  const auto bad = [&](std::string_view key, const std::string& message) {
    fail(node_at(key).location, join_path(path, key), message);
  };
  const auto take = [&](std::initializer_list<std::string_view> keys) {
    for (std::string_view key : keys) {
      d.keys[static_cast<std::size_t>(d.key_count)] = key;
      d.values[static_cast<std::size_t>(d.key_count)] = number(key);
      ++d.key_count;
    }
  };

  switch (d.family) {
    case DistributionFamily::uniform: {
      take({"min", "max"});
      const double min = d.values[0], max = d.values[1];
      if (!(min < max)) bad("max", fmt::format("expected max above min ({}), got {}", min, max));
      d.shape = {min, max, 0};
      d.mean = 0.5 * (min + max);
      break;
    }
    case DistributionFamily::normal: {
      take({"mean", "sd"});
      if (!(d.values[1] > 0)) {
        bad("sd", fmt::format("expected a standard deviation > 0, got {} (write a plain number for a "
                              "certain value)",
                              d.values[1]));
      }
      d.shape = {d.values[0], d.values[1], 0};
      d.mean = d.values[0];
      break;
    }
    case DistributionFamily::lognormal: {
      take({"mean", "sd"});
      const double mean = d.values[0], sd = d.values[1];
      if (!(mean > 0)) bad("mean", fmt::format("expected the mean of a lognormal > 0, got {}", mean));
      if (!(sd > 0)) bad("sd", fmt::format("expected a standard deviation > 0, got {}", sd));
      // The mean and sd are of the variable itself; mu and sigma are of its logarithm.
      const double sigma2 = std::log1p((sd / mean) * (sd / mean));
      d.shape = {std::log(mean) - 0.5 * sigma2, std::sqrt(sigma2), 0};
      d.mean = mean;
      break;
    }
    case DistributionFamily::beta: {
      const bool by_shape = node.find("alpha") || node.find("beta");
      const bool by_moments = node.find("mean") || node.find("sd");
      if (by_shape && by_moments) {
        bad(node.find("alpha") ? "alpha" : "beta",
            "give a beta distribution as mean and sd or as alpha and beta, not both");
      }
      if (by_shape) {
        take({"alpha", "beta"});
        if (!(d.values[0] > 0)) bad("alpha", fmt::format("expected alpha > 0, got {}", d.values[0]));
        if (!(d.values[1] > 0)) bad("beta", fmt::format("expected beta > 0, got {}", d.values[1]));
        d.shape = {d.values[0], d.values[1], 0};
      } else {
        take({"mean", "sd"});
        const double mean = d.values[0], sd = d.values[1];
        if (!(mean > 0 && mean < 1)) {
          bad("mean", fmt::format("expected the mean of a beta distribution in (0, 1), got {}", mean));
        }
        const double limit = std::sqrt(mean * (1 - mean));
        if (!(sd > 0 && sd < limit)) {
          bad("sd", fmt::format("expected a standard deviation in (0, {:.6g}) for a beta distribution with "
                                "mean {}, got {}",
                                limit, mean, sd));
        }
        const double concentration = mean * (1 - mean) / (sd * sd) - 1;
        d.shape = {mean * concentration, (1 - mean) * concentration, 0};
      }
      d.mean = d.shape[0] / (d.shape[0] + d.shape[1]);
      break;
    }
    case DistributionFamily::triangular: {
      take({"min", "mode", "max"});
      const double min = d.values[0], mode = d.values[1], max = d.values[2];
      if (!(min < max)) bad("max", fmt::format("expected max above min ({}), got {}", min, max));
      if (!(mode >= min && mode <= max)) {
        bad("mode", fmt::format("expected the mode within [min, max] = [{}, {}], got {}", min, max, mode));
      }
      d.shape = {min, mode, max};
      d.mean = (min + mode + max) / 3;
      break;
    }
  }

  // Truncate to the parameter's range; a whole-number parameter draws from
  // the reals that round into its range.
  d.integer = rule.integer;
  d.lower = rule.min;
  d.upper = rule.max;
  d.lower_open = !rule.min_inclusive;
  d.upper_open = !rule.max_inclusive;
  if (rule.integer) {
    const double first = rule.min_inclusive ? std::ceil(rule.min) : std::floor(rule.min) + 1;
    const double last = rule.max_inclusive ? std::floor(rule.max) : std::ceil(rule.max) - 1;
    d.lower = first - 0.5;
    d.upper = last + 0.5;
    d.lower_open = d.upper_open = false;
  }
  d.cdf_lower = d.cdf(d.lower);
  d.cdf_upper = d.cdf(d.upper);

  const double central = rule.integer ? std::round(d.mean) : d.mean;
  if (!rule.admits(central)) {
    fail(node.location, path,
         fmt::format("the {} distribution's mean {:.6g} is outside the parameter's range ({}); the mean is "
                     "the value used without draws",
                     d.family_name(), d.mean, rule.describe()));
  }
  const double inside = d.cdf_upper - d.cdf_lower;
  if (!(inside >= 0.5)) {
    fail(node.location, path,
         fmt::format("only {:.1f}% of the {} distribution lies within the parameter's range ({}); draws are "
                     "truncated to the range, so at least half of the distribution must lie inside it",
                     100 * inside, d.family_name(), rule.describe()));
  }
  return d;
}

}  // namespace detail

}  // namespace wfsim::scenario
