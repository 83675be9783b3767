// The one duration syntax of flags, StorageClass parameters and csictl.
#pragma once

#include <chrono>
#include <string_view>

#include "base/status.h"

namespace lcsi {

// "500ms", "10s", "2m", "1h", sums such as "1m30s", fractions such as "1.5s", or a bare number
// of seconds. Never negative; "0s" is zero (callers that need more say so).
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace lcsi
