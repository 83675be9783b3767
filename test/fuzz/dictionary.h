// Reads a libFuzzer/AFL dictionary (lines `name="value"` or `"value"`, '#' comments, escapes
// \\ \" \xNN), so the standalone driver and libFuzzer use the same dictionary files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace lcsi::fuzz {

Result<std::vector<std::string>> ParseDictionary(std::string_view text);

}  // namespace lcsi::fuzz
