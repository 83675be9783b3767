// The oldest LINSTOR controller this client works with, and why. LINSTOR's REST layer refuses a
// request body with a field it does not know (a parse error), so every request field the client
// sends sets a minimum: each entry of kLinstorFeatures names one, with the REST API version
// (JsonGenTypes.REST_API_VERSION, CHANGELOG-OPENAPI.md) and the first LINSTOR release that
// reports it. The newest entry is the minimum.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "csi/status.h"
#include "linstor/model.h"

namespace lcsi::linstor {

struct LinstorFeature {
  std::string_view rest_api;  // the REST API version that added it
  std::string_view linstor;   // the first LINSTOR release with that REST API version
  std::string_view what;      // what the plugin uses it for
};

inline constexpr std::array<LinstorFeature, 5> kLinstorFeatures{{
    {"1.17.0", "1.21.0", "query-size-info of resource groups (GetCapacity)"},
    {"1.18.0", "1.22.0", "multi-resource snapshots (group snapshots)"},
    {"1.22.0", "1.27.0",
     "resource definition properties in resource-group spawn (CreateVolume's ownership marks)"},
    {"1.24.0", "1.30.0", "resource_group in clone requests"},
    {"1.26.0", "1.32.0",
     "override_props and delete_props in clone requests (a clone drops its source's marks)"},
}};

// The minimum: the newest feature's versions.
inline constexpr std::string_view kMinRestApiVersion = "1.26.0";
inline constexpr std::string_view kMinLinstorVersion = "1.32.0";

// "1.26.0", "1.33.0-rc.1", "1.2" -> {major, minor, patch}; nullopt when it does not start with
// a number.
std::optional<std::array<int, 3>> ParseVersion(std::string_view text);

// OK when `version` (GET /v1/controller/version) is recent enough, judged by its
// rest_api_version. FailedPrecondition otherwise, naming the LINSTOR version needed and the
// features the reported one lacks.
Status CheckLinstorVersion(const ControllerVersion& version);

}  // namespace lcsi::linstor
