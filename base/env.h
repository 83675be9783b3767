// Environment-variable lookup, injectable so tests need not touch the real environment
// (library target lcsi_env; used by the flag parser and the LINSTOR client's LS_* settings).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace lcsi {

// Returns the value of an environment variable, or nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (getenv).
EnvLookup ProcessEnv();

// A fixed environment holding exactly `vars` (for tests).
EnvLookup MapEnv(std::map<std::string, std::string> vars);

}  // namespace lcsi
