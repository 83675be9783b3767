// Process-wide logging set-up on spdlog: level and text/JSON format.
#pragma once

#include <string>

#include "base/status.h"

namespace lcsi {

// level: trace|debug|info|warn|error; format: text|json. Logs go to stderr.
Status ConfigureLogging(const std::string& level, const std::string& format);

}  // namespace lcsi
