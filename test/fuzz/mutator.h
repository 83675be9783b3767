// Seeded byte-level mutations for the standalone fuzz driver (the gcc build that runs in the
// normal CI). libFuzzer has its own, better mutator; this one only has to be deterministic per
// seed so that a failure found in CI can be replayed with the same --seed.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace lcsi::fuzz {

class Mutator {
 public:
  // `dictionary`: tokens that are spliced in whole (keywords, separators of the input format).
  Mutator(uint64_t seed, std::vector<std::string> dictionary);

  // Returns a mutated copy of `input` (1 to 4 stacked mutations), at most `max_len` bytes.
  // `other` is a second corpus entry for cross-over splices.
  std::string Mutate(const std::string& input, const std::string& other, size_t max_len);

  // Uniform in [0, n); n > 0.
  size_t Below(size_t n);

 private:
  void MutateOnce(std::string& data, const std::string& other);

  std::mt19937_64 rng_;
  std::vector<std::string> dictionary_;
};

}  // namespace lcsi::fuzz
