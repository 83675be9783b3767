// The one way to read a decimal number from text, with the rules of parse_int.h: std::from_chars
// on the whole text, no locale (always '.'), no exceptions, no leading '+' or spaces, no
// trailing characters, no hexadecimal. "1.5", ".5", "2.", "1e3", "-0.25", "inf" and "nan" are
// numbers.
#pragma once

#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace lcsi {

// The number `text` spells, or nullopt when it is empty, has other characters, or is out of
// the range of double.
inline std::optional<double> ParseDouble(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace lcsi
