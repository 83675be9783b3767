// The one way to read an integer from text: std::from_chars on the whole text, no locale, no
// exceptions, no leading '+' or spaces, no trailing characters.
#pragma once

#include <charconv>
#include <optional>
#include <string_view>
#include <type_traits>

namespace lcsi {

// The integer `text` spells in `base`, or nullopt when it is empty, has other characters, or
// does not fit in T.
template <typename T>
requires std::is_integral_v<T> std::optional<T> ParseInt(std::string_view text, int base = 10) {
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace lcsi
