// The what-if page's figures from the kept series of the reference and the
// option: every outcome's summary for both, the paired differences with the
// share of futures in which the option does better (run::compare, as
// `wfsim run` computes them), and the net-loss, vacancy and agency fan
// charts drawn by the report's own SVG code.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/parameters.hpp"
#include "serve/whatif.hpp"

namespace wfsim::serve {

struct FigureNames {
  std::string reference;
  std::string option;
};

// Replications 0 .. replications - 1 of both stores.
nlohmann::json figures(const SeriesStore& reference, const SeriesStore& option, int replications,
                       const FigureNames& names, const model::TimeParameters& time);

// "2015-11 to 2016-10" for each whole year of the horizon, as the run file labels them.
std::vector<std::string> year_labels(const model::TimeParameters& time);

}  // namespace wfsim::serve
