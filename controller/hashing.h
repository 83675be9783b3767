// Deterministic hashes for generated LINSTOR names and parameter fingerprints.
#pragma once

#include <string>
#include <string_view>

namespace lcsi::controller {

// Lower-case hex SHA-256 of `data`, truncated to `hex_chars` (at most 64).
std::string Sha256Hex(std::string_view data, size_t hex_chars = 64);

}  // namespace lcsi::controller
