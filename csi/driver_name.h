// CSI driver name rules (spec: GetPluginInfo.name).
#pragma once

#include <string_view>

#include "base/status.h"

namespace lcsi {

inline constexpr std::string_view kDefaultDriverName = "linstor-cpp.csi.io";

// At most 63 characters, begins and ends with an alphanumeric character, and contains only
// alphanumerics, '-', '.' and '_' (the CSI spec's rule; kubelet additionally wants DNS style).
Status ValidateDriverName(std::string_view name);

}  // namespace lcsi
