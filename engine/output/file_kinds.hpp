// The kinds of HDF5 file wfsim writes: what their writers stamp on them and
// what their readers check and say. Internal to engine/output.
#pragma once

#include "output/hdf5_file_reader.hpp"
#include "output/run_file.hpp"

namespace wfsim::output {

inline constexpr h5::FileKind kRunFile{"run file", "wfsim-run", kRunFileFormatVersion, "wfsim run",
                                       "run the scenarios again"};
// A run file's layout with a region's councils and totals as its scenarios
// (RunInfo::region), which no reader takes yet.
inline constexpr h5::FileKind kRegionRunFile{"region run file", "wfsim-region-run", kRunFileFormatVersion,
                                             "wfsim region", "run the region again"};
inline constexpr h5::FileKind kSensitivityFile{"sensitivity file", "wfsim-sensitivity", 1,
                                               "wfsim sensitivity", "run `wfsim sensitivity` again"};
inline constexpr h5::FileKind kPolicySearchFile{"policy search file", "wfsim-policy-search", 1,
                                                "wfsim optimise", "run `wfsim optimise` again"};

}  // namespace wfsim::output
