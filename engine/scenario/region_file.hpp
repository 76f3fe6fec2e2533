// Region files (MODEL.md section 15): the councils of one labour market,
// each a council scenario file, who is whose neighbour, and how movers
// choose between neighbours. Read with the scenario module's located
// errors: every problem throws ScenarioError with file, line and key.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "model/region.hpp"
#include "scenario/scenario.hpp"

namespace wfsim::scenario {

struct RegionCouncil {
  std::string name;
  std::filesystem::path scenario_file;  // resolved against the region file's folder
  Scenario scenario;
};

struct Region {
  std::filesystem::path file;
  std::vector<std::filesystem::path> files;  // this file, then those it extends
  std::string name;
  std::string description;
  std::vector<RegionCouncil> councils;
  std::map<std::string, int> index_of;  // council name -> index
  model::RegionNetwork network;         // by council index
};

// Loads the region file and every council's scenario; the councils must
// share their start month and horizon. A region file may instead extend
// another (`extends`), taking its councils and neighbours; either may list
// `policies`, scenario text merged over the scenarios of the councils each
// names (or all), to state a regional policy or one council's.
Region load_region(const std::filesystem::path& file);

}  // namespace wfsim::scenario
