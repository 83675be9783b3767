// The error replies and object references ClusterState's request files share.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "linstor-sim/api_consts.h"
#include "linstor-sim/cluster_state.h"

namespace lcsi::sim {

inline std::map<std::string, std::string> RdRef(const std::string& rd) { return {{"RscDfn", rd}}; }
inline std::map<std::string, std::string> RscRef(const std::string& rd, const std::string& node) {
  return {{"RscDfn", rd}, {"Node", node}};
}

inline Reply RdNotFound(uint64_t mask, const std::string& rd) {
  return ErrorReply(mask | rc::kFailNotFoundRscDfn, "Resource definition '" + rd + "' not found.",
                    {}, RdRef(rd));
}

inline Reply NodeNotFound(uint64_t mask, const std::string& node) {
  return ErrorReply(mask | rc::kFailNotFoundNode, "Node '" + node + "' not found.", {},
                    {{"Node", node}});
}

// LINSTOR's message for a name that fails its rules (names.h).
inline Reply InvalidName(uint64_t code, const std::string& what, const std::string& name) {
  return ErrorReply(code, "The specified " + what + " name '" + name + "' is invalid.",
                    "Names are 2-48 characters of [A-Za-z0-9_-], starting with a letter or _.");
}

}  // namespace lcsi::sim
