// Addressed random numbers: every draw is a pure function of
// (seed, replication, purpose, person, month), so results do not depend on
// thread count, replication order or on which other draws a scenario makes
// (common random numbers across scenarios; MODEL.md section 13).
#pragma once

#include <Random123/philox.h>

#include <array>
#include <boost/math/distributions/poisson.hpp>
#include <cmath>
#include <cstdint>
#include <limits>

namespace wfsim::random {

// What a draw is for. Values are part of the address: never reorder, only append.
enum class Purpose : std::uint16_t {
  initial_person = 1,  // pq, tenure, FTE and resilience of the initial workforce
  new_person = 2,      // pq, FTE and resilience of a hire, trainee or agency worker
  demand_noise = 3,
  destination = 5,
  pm_internal = 8,   // is a vacant practice manager post filled internally
  pm_selection = 9,  // which advanced practitioner is promoted
  applicants_nqsw = 11,
  applicants_experienced = 12,
  applicants_practice_manager = 13,
  acceptance_nqsw = 14,
  acceptance_experienced = 15,
  acceptance_practice_manager = 16,
  agency_supply = 17,
  parameter_draw = 20,  // per-replication draws of uncertain parameters
  mobility_moves = 21,
  // One block a person-month, four words: the first two decide leaving
  // (attrition, trainee drop-out or the end of an agency assignment), the
  // last two progressing (ASYE failure, grade 9 pass or agency conversion);
  // a person is in one role at a time, so no word serves two purposes.
  person_month = 22,
  region_move = 23,  // whether a mover to a neighbour stays in the region, and where
};

// The part of an address shared by a whole replication of one scenario.
struct StreamKey {
  r123::Philox4x32::key_type key;
  std::uint32_t replication;
};

// `stream_salt` is 0 for common random numbers; a per-scenario salt gives a
// scenario numbers unrelated to every other scenario's.
inline StreamKey make_stream_key(std::uint64_t seed, std::uint32_t replication,
                                 std::uint32_t stream_salt = 0) {
  r123::Philox4x32::key_type key = {{static_cast<std::uint32_t>(seed),
                                     static_cast<std::uint32_t>(seed >> 32) ^ (stream_salt * 0x9E3779B9u)}};
  return {key, replication};
}

// A Boost.Random-compatible engine for one address: successive calls walk the
// fourth counter word, so a distribution may take as many words as it needs.
class AddressedStream {
 public:
  using result_type = std::uint32_t;

  AddressedStream(const StreamKey& stream, Purpose purpose, std::uint32_t person, int month)
      : key_(stream.key), counter_{{person, address_word(purpose, month), stream.replication, 0}} {}

  // The counter's second word: the purpose in the high half, the month in the low.
  static constexpr std::uint32_t address_word(Purpose purpose, int month) {
    return (static_cast<std::uint32_t>(purpose) << 16) | (static_cast<std::uint32_t>(month) & 0xFFFFu);
  }

  // Two 32-bit words (in the low halves) as one uniform double in [0, 1) with 53 bits.
  static constexpr double uniform_of_words(std::uint64_t high, std::uint64_t low) {
    return static_cast<double>((((high & 0xFFFFFFFFu) << 32) | (low & 0xFFFFFFFFu)) >> 11) * 0x1.0p-53;
  }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  result_type operator()() {
    if (used_ == 4) {
      block_ = r123::Philox4x32{}(counter_, key_);
      ++counter_.v[3];
      used_ = 0;
    }
    return block_.v[used_++];
  }

  // A uniform double in [0, 1) with 53 random bits, from two words.
  double uniform01() {
    const std::uint64_t high = (*this)();
    const std::uint64_t low = (*this)();
    return uniform_of_words(high, low);
  }

 private:
  r123::Philox4x32::key_type key_;
  r123::Philox4x32::ctr_type counter_;
  r123::Philox4x32::ctr_type block_{};
  int used_ = 4;
};

// The common case: one uniform for one address.
inline double uniform01(const StreamKey& stream, Purpose purpose, std::uint32_t person, int month) {
  return AddressedStream(stream, purpose, person, month).uniform01();
}

// The Poisson count at which the distribution function first reaches `u`:
// inversion, so the count never falls as the mean rises with the same `u`.
// Common random numbers then pair counts of two scenarios whose means differ
// a little (a rejection sampler would draw unrelated counts).
inline int poisson_quantile(double u, double mean) {
  if (!(mean > 0)) return 0;
  if (mean > 500) {  // far beyond any monthly count the model draws: the library's quantile
    return static_cast<int>(boost::math::quantile(boost::math::poisson_distribution<double>(mean), u));
  }
  double probability = std::exp(-mean);
  double cumulative = probability;
  int k = 0;
  while (cumulative <= u && k < 100000) {
    ++k;
    probability *= mean / k;
    cumulative += probability;
    if (probability == 0 && k > mean) break;  // the rest of the tail is below rounding
  }
  return k;
}

// A Poisson count for one (purpose, month) of a replication; 0 for a mean
// that is not positive.
inline int poisson(const StreamKey& stream, Purpose purpose, int month, double mean) {
  if (!(mean > 0)) return 0;
  return poisson_quantile(AddressedStream(stream, purpose, 0, month).uniform01(), mean);
}

}  // namespace wfsim::random
