// LINSTOR name rules and case-insensitive keys.
#pragma once

#include <string>
#include <string_view>

namespace lcsi::sim {

// LINSTOR object names: 2..48 chars of [A-Za-z0-9_-], starting with a letter or '_'.
bool IsValidName(std::string_view name);

// The map key of a name: LINSTOR compares names case-insensitively.
std::string NameKey(std::string_view name);

}  // namespace lcsi::sim
