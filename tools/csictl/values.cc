#include "tools/csictl/values.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

#include "base/flags.h"
#include "base/parse_int.h"

namespace lcsi::csictl {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The byte multiplier of a size unit ("" and "B" are bytes; "Gi" or "GiB" 2^30, "G" 10^9).
std::optional<int64_t> UnitMultiplier(std::string_view unit) {
  if (unit == "B") return 1;
  if (unit.size() > 1 && (unit.back() == 'B' || unit.back() == 'b')) unit.remove_suffix(1);
  static const std::pair<std::string_view, int64_t> kUnits[] = {
      {"", 1},
      {"k", 1000},
      {"K", 1000},
      {"M", 1000 * 1000},
      {"G", int64_t{1000} * 1000 * 1000},
      {"T", int64_t{1000} * 1000 * 1000 * 1000},
      {"P", int64_t{1000} * 1000 * 1000 * 1000 * 1000},
      {"Ki", int64_t{1} << 10},
      {"Mi", int64_t{1} << 20},
      {"Gi", int64_t{1} << 30},
      {"Ti", int64_t{1} << 40},
      {"Pi", int64_t{1} << 50},
  };
  for (const auto& [name, factor] : kUnits) {
    if (unit == name) return factor;
  }
  return std::nullopt;
}

// At most this many decimal places: enough for any size a person writes, and it keeps the
// arithmetic below exact in 64 bits.
constexpr size_t kMaxDecimals = 9;

}  // namespace

Result<int64_t> ParseSize(const std::string& text) {
  const std::string_view all(text);
  const size_t number_end = std::min(all.find_first_not_of("0123456789."), all.size());
  const std::string_view number = all.substr(0, number_end);
  const size_t dot = number.find('.');
  const std::string_view whole = number.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : number.substr(dot + 1);
  if (all.starts_with('-')) return InvalidArgument("size must not be negative, got '" + text + "'");
  if (whole.empty() && fraction.empty()) {
    return InvalidArgument("invalid size '" + text + "' (examples: 1073741824, 512Mi, 1Gi, 10G)");
  }
  if (fraction.find('.') != std::string_view::npos) {
    return InvalidArgument("invalid size '" + text + "': more than one '.'");
  }
  const std::string_view unit = all.substr(number_end);
  const std::optional<int64_t> multiplier = UnitMultiplier(unit);
  if (!multiplier) {
    return InvalidArgument("invalid size unit '" + std::string(unit) + "' in '" + text +
                           "' (use Ki, Mi, Gi, Ti, Pi or k, M, G, T, P)");
  }
  while (fraction.ends_with('0')) fraction.remove_suffix(1);
  if (fraction.size() > kMaxDecimals) {
    return InvalidArgument("size '" + text + "' has more than " + std::to_string(kMaxDecimals) +
                           " decimal places");
  }
  const Status too_large =
      InvalidArgument("size '" + text + "' is too large (at most " +
                      std::to_string(std::numeric_limits<int64_t>::max()) + " bytes)");
  const std::optional<int64_t> whole_value = whole.empty() ? 0 : ParseInt<int64_t>(whole);
  if (!whole_value) return too_large;  // only digits: ParseInt fails only when it overflows
  if (*whole_value > std::numeric_limits<int64_t>::max() / *multiplier) return too_large;
  int64_t bytes = *whole_value * *multiplier;
  if (!fraction.empty()) {
    // fraction/scale of the multiplier, rounded half up, without floating point: the multiplier
    // is split as quotient*scale + remainder so every product stays below 2^63.
    int64_t scale = 1;
    for (size_t i = 0; i < fraction.size(); ++i) scale *= 10;
    const int64_t digits = *ParseInt<int64_t>(fraction);
    const int64_t part =
        digits * (*multiplier / scale) + (digits * (*multiplier % scale) * 2 + scale) / (2 * scale);
    if (bytes > std::numeric_limits<int64_t>::max() - part) return too_large;
    bytes += part;
  }
  return bytes;
}

Result<csi::v1::VolumeCapability::AccessMode::Mode> ParseAccessMode(const std::string& text) {
  using Mode = csi::v1::VolumeCapability::AccessMode;
  std::string key = Lower(text);
  std::replace(key.begin(), key.end(), '_', '-');
  static const std::pair<const char*, Mode::Mode> kModes[] = {
      {"single-node-writer", Mode::SINGLE_NODE_WRITER},
      {"rwo", Mode::SINGLE_NODE_WRITER},
      {"single-node-reader-only", Mode::SINGLE_NODE_READER_ONLY},
      {"multi-node-reader-only", Mode::MULTI_NODE_READER_ONLY},
      {"rox", Mode::MULTI_NODE_READER_ONLY},
      {"multi-node-single-writer", Mode::MULTI_NODE_SINGLE_WRITER},
      {"multi-node-multi-writer", Mode::MULTI_NODE_MULTI_WRITER},
      {"rwx", Mode::MULTI_NODE_MULTI_WRITER},
      {"single-node-single-writer", Mode::SINGLE_NODE_SINGLE_WRITER},
      {"rwop", Mode::SINGLE_NODE_SINGLE_WRITER},
      {"single-node-multi-writer", Mode::SINGLE_NODE_MULTI_WRITER},
  };
  for (const auto& [name, mode] : kModes) {
    if (key == name) return mode;
  }
  return InvalidArgument("unknown access mode '" + text +
                         "' (single-node-writer, single-node-reader-only, multi-node-reader-only, "
                         "multi-node-single-writer, multi-node-multi-writer, "
                         "single-node-single-writer, single-node-multi-writer)");
}

Result<csi::v1::Topology> ParseTopology(const std::string& text) {
  csi::v1::Topology topology;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? comma : comma - start);
    auto kv = SplitKeyValue(part);
    if (!kv.ok()) return InvalidArgument("invalid topology '" + text + "' (e.g. zone=a,rack=r1)");
    (*topology.mutable_segments())[kv->first] = kv->second;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return topology;
}

std::string FormatBytes(int64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (std::fabs(value) >= 1024.0 && unit < 6) {
    value /= 1024.0;
    ++unit;
  }
  char buf[64];
  if (unit == 0 || value == std::floor(value)) {
    std::snprintf(buf, sizeof buf, "%.0f %s", value, kUnits[unit]);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", value, kUnits[unit]);
  }
  return buf;
}

}  // namespace lcsi::csictl
