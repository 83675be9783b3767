#include "tools/csictl/values.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "base/flags.h"

namespace lcsi::csictl {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Splits "1.5Gi" into the number part and the suffix.
std::pair<std::string, std::string> SplitNumber(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) {
    ++i;
  }
  return {text.substr(0, i), text.substr(i)};
}

}  // namespace

Result<int64_t> ParseSize(const std::string& text) {
  auto [number, suffix] = SplitNumber(text);
  if (number.empty() || std::count(number.begin(), number.end(), '.') > 1 || number == ".") {
    return InvalidArgument("invalid size '" + text + "' (examples: 1073741824, 512Mi, 1Gi, 10G)");
  }
  if (suffix.size() > 1 && (suffix.back() == 'B' || suffix.back() == 'b')) suffix.pop_back();
  static const std::pair<const char*, double> kUnits[] = {
      {"", 1.0},
      {"B", 1.0},
      {"k", 1e3},
      {"K", 1e3},
      {"M", 1e6},
      {"G", 1e9},
      {"T", 1e12},
      {"P", 1e15},
      {"Ki", 1024.0},
      {"Mi", 1048576.0},
      {"Gi", 1073741824.0},
      {"Ti", 1099511627776.0},
      {"Pi", 1125899906842624.0},
      {"KiB", 1024.0},
  };
  const double* multiplier = nullptr;
  for (const auto& [name, factor] : kUnits) {
    if (suffix == name) multiplier = &factor;
  }
  if (multiplier == nullptr) {
    return InvalidArgument("invalid size unit '" + suffix + "' in '" + text +
                           "' (use Ki, Mi, Gi, Ti, Pi or k, M, G, T, P)");
  }
  if (number.find('.') == std::string::npos && *multiplier == 1.0) {
    // Exact integer path: no floating point for plain byte counts.
    int64_t value = 0;
    for (char c : number) {
      if (value > (std::numeric_limits<int64_t>::max() - (c - '0')) / 10) {
        return InvalidArgument("size '" + text + "' is too large");
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
  double value = std::stod(number) * *multiplier;
  if (!(value < 9.2e18)) return InvalidArgument("size '" + text + "' is too large");
  return static_cast<int64_t>(std::llround(value));
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
