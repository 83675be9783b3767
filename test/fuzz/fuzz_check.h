// Invariant checks inside fuzz targets: print which contract broke, then abort so both
// libFuzzer and the standalone driver record the input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace lcsi::fuzz {

[[noreturn]] inline void Fail(const char* contract, std::string_view input) {
  std::fprintf(stderr, "fuzz invariant broken: %s\ninput (%zu bytes): %.*s\n", contract,
               input.size(), static_cast<int>(input.size() > 512 ? 512 : input.size()),
               input.data());
  std::abort();
}

}  // namespace lcsi::fuzz

// FUZZ_CHECK(cond, "contract in words") with `text` (the input) in scope.
#define FUZZ_CHECK(cond, contract)                   \
  do {                                               \
    if (!(cond)) ::lcsi::fuzz::Fail(contract, text); \
  } while (0)
