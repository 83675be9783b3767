#include "linstor/linstor_version.h"

#include <charconv>

namespace lcsi::linstor {

std::optional<std::array<int, 3>> ParseVersion(std::string_view text) {
  std::array<int, 3> out{0, 0, 0};
  size_t at = 0;
  for (size_t part = 0; part < out.size(); ++part) {
    const char* begin = text.data() + at;
    const char* end = text.data() + text.size();
    auto [next, ec] = std::from_chars(begin, end, out[part]);
    if (ec != std::errc()) {
      if (part == 0) return std::nullopt;
      break;
    }
    at = static_cast<size_t>(next - text.data());
    if (at >= text.size() || text[at] != '.') break;
    ++at;
  }
  return out;
}

Status CheckLinstorVersion(const ControllerVersion& version) {
  const std::string reported =
      "LINSTOR " + (version.version.empty() ? "?" : version.version) + " (REST API " +
      (version.rest_api_version.empty() ? "?" : version.rest_api_version) + ")";
  const std::string needed = "this plugin needs LINSTOR " + std::string(kMinLinstorVersion) +
                             " or newer (REST API " + std::string(kMinRestApiVersion) + ")";
  const auto have = ParseVersion(version.rest_api_version);
  if (!have) {
    return FailedPrecondition(reported + " does not report a readable REST API version; " + needed);
  }
  std::string missing;
  for (const auto& feature : kLinstorFeatures) {
    if (*have < *ParseVersion(feature.rest_api)) {
      missing += (missing.empty() ? "" : "; ") + std::string(feature.what) + " (LINSTOR " +
                 std::string(feature.linstor) + ")";
    }
  }
  if (missing.empty()) return Status::Ok();
  return FailedPrecondition(reported + " is too old: " + needed + " for: " + missing);
}

}  // namespace lcsi::linstor
