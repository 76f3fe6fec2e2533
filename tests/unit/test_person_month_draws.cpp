// The person-month block drawn for a whole workforce at once must be the
// bits AddressedStream gives one person at a time, on every vector unit this
// machine has, whatever the count (whole batches and the tail after them).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "random/addressed_stream.hpp"
#include "random/person_month_draws.hpp"

namespace {

using namespace wfsim::random;

// Ids as the model makes them (small, consecutive) and spread over all 32 bits.
std::vector<std::uint32_t> ids_for_test(std::size_t count) {
  std::vector<std::uint32_t> ids(count);
  for (std::size_t i = 0; i < count; ++i)
    ids[i] = i % 2 == 0 ? static_cast<std::uint32_t>(i) : static_cast<std::uint32_t>(i * 2654435761u);
  return ids;
}

TEST(PersonMonthDraws, EveryVectorUnitGivesTheAddressedStreamsBits) {
  const std::vector<VectorUnit> units = vector_units_here();
  ASSERT_EQ(units.front(), VectorUnit::scalar);
  for (const VectorUnit unit : units) {
    SCOPED_TRACE(unit == VectorUnit::avx2 ? "avx2" : "scalar");
    // 0, below a batch, whole batches of 8 and 16, and a tail after them.
    for (const std::size_t count : {0u, 1u, 7u, 8u, 15u, 16u, 17u, 33u, 250u}) {
      const std::vector<std::uint32_t> ids = ids_for_test(count);
      for (const std::uint64_t seed : {std::uint64_t{20151101}, std::uint64_t{0xFFFFFFFF12345678}}) {
        for (const std::uint32_t replication : {0u, 7u, 4000000000u}) {
          const StreamKey stream = make_stream_key(seed, replication, replication % 2);
          for (const int month : {0, 1, 35, 200}) {
            std::vector<double> leaving(count, -1), progressing(count, -1);
            person_month_uniforms(unit, stream, month, ids.data(), count, leaving.data(), progressing.data());
            for (std::size_t i = 0; i < count; ++i) {
              AddressedStream expected(stream, Purpose::person_month, ids[i], month);
              ASSERT_EQ(leaving[i], expected.uniform01()) << "person " << i << " month " << month;
              ASSERT_EQ(progressing[i], expected.uniform01()) << "person " << i << " month " << month;
            }
          }
        }
      }
    }
  }
  // Visible in the test report: without AVX2 only the scalar path was compared.
  if (units.back() == VectorUnit::scalar)
    GTEST_SKIP() << "this machine has no AVX2; its vector path is untested";
}

TEST(PersonMonthDraws, TheWorkforcesDrawsAreOnePersonsUniformsEach) {
  const std::vector<std::uint32_t> ids = ids_for_test(101);
  const StreamKey stream = make_stream_key(5, 3);
  PersonMonthDraws draws;
  draws.draw(stream, 12, ids);
  ASSERT_EQ(draws.size(), ids.size());
  ASSERT_EQ(draws.progressing.size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    AddressedStream expected(stream, Purpose::person_month, ids[i], 12);
    EXPECT_EQ(draws.leaving[i], expected.uniform01());
    EXPECT_EQ(draws.progressing[i], expected.uniform01());
  }
  // A smaller workforce the next month: the draws shrink with it.
  draws.draw(stream, 13, std::span(ids).first(10));
  EXPECT_EQ(draws.size(), 10u);
}

}  // namespace
