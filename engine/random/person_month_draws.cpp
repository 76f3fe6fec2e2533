#include "random/person_month_draws.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace wfsim::random {

namespace {

// Philox4x32-10 with Random123's own constants (philox.h): ten rounds, the
// key bumped between them. Integer arithmetic only, so every instruction set
// below gives the scalar stream's bits.
constexpr std::uint32_t kMultiplier0 = PHILOX_M4x32_0;
constexpr std::uint32_t kMultiplier1 = PHILOX_M4x32_1;
constexpr std::uint32_t kKeyBump0 = PHILOX_W32_0;
constexpr std::uint32_t kKeyBump1 = PHILOX_W32_1;
constexpr int kRounds = PHILOX4x32_DEFAULT_ROUNDS;

using Uniforms = void (*)(const StreamKey&, int, const std::uint32_t*, std::size_t, double*, double*);

void uniforms_scalar(const StreamKey& stream, int month, const std::uint32_t* ids, std::size_t count,
                     double* leaving, double* progressing) {
  for (std::size_t i = 0; i < count; ++i) {
    AddressedStream draws(stream, Purpose::person_month, ids[i], month);
    leaving[i] = draws.uniform01();
    progressing[i] = draws.uniform01();
  }
}

#if defined(__x86_64__)
// Each 64-bit lane holds one person's 32-bit word in its low half; the high
// halves may hold leftovers, which the multiplies and the final masks ignore.
// 8 people a batch: two vectors of four. AVX2 only: AVX-512's wider vectors
// gained 3% of a run here, not worth a second copy of the rounds.
__attribute__((target("avx2"))) void uniforms_avx2(const StreamKey& stream, int month,
                                                   const std::uint32_t* ids, std::size_t count,
                                                   double* leaving, double* progressing) {
  constexpr std::size_t kLanes = 4, kVectors = 2, kBatch = kLanes * kVectors;
  const __m256i m0 = _mm256_set1_epi64x(kMultiplier0), m1 = _mm256_set1_epi64x(kMultiplier1);
  const __m256i address = _mm256_set1_epi64x(AddressedStream::address_word(Purpose::person_month, month));
  const __m256i replication = _mm256_set1_epi64x(stream.replication);
  std::size_t start = 0;
  for (; start + kBatch <= count; start += kBatch) {
    __m256i w0[kVectors], w1[kVectors], w2[kVectors], w3[kVectors];
    for (std::size_t v = 0; v < kVectors; ++v) {
      w0[v] =
          _mm256_cvtepu32_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(ids + start + v * kLanes)));
      w1[v] = address;
      w2[v] = replication;
      w3[v] = _mm256_setzero_si256();
    }
    std::uint32_t key0 = stream.key.v[0], key1 = stream.key.v[1];
    for (int round = 0; round < kRounds; ++round) {
      if (round > 0) {
        key0 += kKeyBump0;
        key1 += kKeyBump1;
      }
      const __m256i k0 = _mm256_set1_epi64x(key0), k1 = _mm256_set1_epi64x(key1);
      for (std::size_t v = 0; v < kVectors; ++v) {
        const __m256i product0 = _mm256_mul_epu32(w0[v], m0);
        const __m256i product1 = _mm256_mul_epu32(w2[v], m1);
        w0[v] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(product1, 32), w1[v]), k0);
        w2[v] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(product0, 32), w3[v]), k1);
        w1[v] = product1;
        w3[v] = product0;
      }
    }
    alignas(32) std::uint64_t words[4][kBatch];
    for (std::size_t v = 0; v < kVectors; ++v) {
      _mm256_store_si256(reinterpret_cast<__m256i*>(words[0] + v * kLanes), w0[v]);
      _mm256_store_si256(reinterpret_cast<__m256i*>(words[1] + v * kLanes), w1[v]);
      _mm256_store_si256(reinterpret_cast<__m256i*>(words[2] + v * kLanes), w2[v]);
      _mm256_store_si256(reinterpret_cast<__m256i*>(words[3] + v * kLanes), w3[v]);
    }
    for (std::size_t k = 0; k < kBatch; ++k) {
      leaving[start + k] = AddressedStream::uniform_of_words(words[0][k], words[1][k]);
      progressing[start + k] = AddressedStream::uniform_of_words(words[2][k], words[3][k]);
    }
  }
  // Legacy SSE code runs slowly while the vector registers' upper halves
  // hold data, and the compiler leaves them so before a tail call.
  _mm256_zeroupper();
  uniforms_scalar(stream, month, ids + start, count - start, leaving + start, progressing + start);
}
#endif

Uniforms uniforms_on(VectorUnit unit) {
  switch (unit) {
#if defined(__x86_64__)
    case VectorUnit::avx2:
      return uniforms_avx2;
#endif
    default:
      return uniforms_scalar;
  }
}

}  // namespace

std::vector<VectorUnit> vector_units_here() {
  std::vector<VectorUnit> units{VectorUnit::scalar};
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) units.push_back(VectorUnit::avx2);
#endif
  return units;
}

void person_month_uniforms(VectorUnit unit, const StreamKey& stream, int month, const std::uint32_t* ids,
                           std::size_t count, double* leaving, double* progressing) {
  uniforms_on(unit)(stream, month, ids, count, leaving, progressing);
}

void PersonMonthDraws::draw(const StreamKey& stream, int month, std::span<const std::uint32_t> ids) {
  // The widest vector unit this machine has, chosen once.
  static const Uniforms uniforms = uniforms_on(vector_units_here().back());
  leaving.resize(ids.size());
  progressing.resize(ids.size());
  uniforms(stream, month, ids.data(), ids.size(), leaving.data(), progressing.data());
}

}  // namespace wfsim::random
