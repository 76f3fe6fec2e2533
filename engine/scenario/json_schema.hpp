// A JSON Schema (draft 2020-12) of scenario files, generated from the same
// schema table as `wfsim parameters`, so an editor can check keys, types and
// ranges and show each key's meaning while a scenario is written.
//
// What a schema of one file can check: unknown keys, types, ranges, list
// shapes, distributions' keys, and required keys in a file that does not
// `extends` another. What only `wfsim validate` checks: anything across
// files (`extends`, rosters), across fields (destinations summing to 1,
// months within the horizon, workload shares) and duplicate keys.
#pragma once

#include <string>

namespace wfsim::scenario {

// The schema as indented JSON text, ending in a newline.
std::string scenario_json_schema();

}  // namespace wfsim::scenario
