// The person-month block (Purpose::person_month) of a whole workforce at
// once. Each person's two uniforms are the bits AddressedStream gives for the
// same address, one person at a time; drawn together, several people's
// Philox rounds go through one vector instruction.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "random/addressed_stream.hpp"

namespace wfsim::random {

struct PersonMonthDraws {
  // By person, in the order of the ids drawn for: words 0-1 decide leaving
  // (attrition, trainee drop-out or the end of an agency assignment), words
  // 2-3 progressing (ASYE failure, grade 9 pass or agency conversion).
  std::vector<double> leaving;
  std::vector<double> progressing;

  std::size_t size() const { return leaving.size(); }
  // Draws month `month`'s block for every id.
  void draw(const StreamKey& stream, int month, std::span<const std::uint32_t> ids);
};

// The vector units the draws can use; every one gives the same bits.
enum class VectorUnit { scalar, avx2 };
// Those this machine has, narrowest first: PersonMonthDraws uses the last.
std::vector<VectorUnit> vector_units_here();

// The two uniforms of the person-month block for each of the `count` ids,
// into `leaving` and `progressing`, on a given vector unit (for the tests and
// the benchmarks; the model draws through PersonMonthDraws).
void person_month_uniforms(VectorUnit unit, const StreamKey& stream, int month, const std::uint32_t* ids,
                           std::size_t count, double* leaving, double* progressing);

}  // namespace wfsim::random
