// The seed of every command run without --seed, so that such runs repeat.
#pragma once

#include <cstdint>

namespace wfsim::run {

// 2015-11-01, the shipped scenarios' first month; any fixed number would serve.
inline constexpr std::uint64_t kDefaultSeed = 20151101;

}  // namespace wfsim::run
