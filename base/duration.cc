#include "base/duration.h"

#include <charconv>
#include <cmath>
#include <string>

namespace lcsi {

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  const Status bad = InvalidArgument("bad duration \"" + std::string(text) +
                                     "\"; expected e.g. 500ms, 10s, 2m, 1h or 1m30s");
  if (text.empty()) return bad;
  const char* pos = text.data();
  const char* end = text.data() + text.size();
  double total_ms = 0;
  bool first = true;
  while (pos < end) {
    double number = 0;
    auto [after, ec] = std::from_chars(pos, end, number, std::chars_format::fixed);
    if (ec != std::errc() || number < 0 || after == pos) return bad;
    pos = after;
    double unit_ms = 0;
    if (pos == end) {
      if (!first) return bad;  // "1m30" has no unit for its 30
      unit_ms = 1000;          // a bare number: seconds
    } else if (end - pos >= 2 && pos[0] == 'm' && pos[1] == 's') {
      unit_ms = 1, pos += 2;
    } else if (*pos == 's') {
      unit_ms = 1000, ++pos;
    } else if (*pos == 'm') {
      unit_ms = 60'000, ++pos;
    } else if (*pos == 'h') {
      unit_ms = 3'600'000, ++pos;
    } else {
      return bad;
    }
    total_ms += number * unit_ms;
    first = false;
  }
  if (!(total_ms < 9.2e18)) return bad;
  return std::chrono::milliseconds(std::llround(total_ms));
}

}  // namespace lcsi
