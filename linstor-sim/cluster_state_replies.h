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

// A resource in use blocks deleting it or its definition. The correction names the node in both
// handlers; the message says `message`.
inline Reply InUseReply(uint64_t mask, const std::string& rd, const std::string& node,
                        std::string message) {
  ApiCallRcList rc;
  auto& e = rc.Add(mask | rc::kFailInUse, std::move(message));
  e.cause = "Resource is mounted/in use.";
  e.correction = "Un-mount resource '" + rd + "' on the node '" + node + "'.";
  e.obj_refs = RscRef(rd, node);
  return rc.ToReply(200);
}

// Deleting a definition one of whose resources is in use: the message names the node
// (CtrlRscDfnTruncateApiCallHandler.ensureNoRscInUsePriviledged).
inline Reply ResourceDefinitionInUse(uint64_t mask, const std::string& rd,
                                     const std::string& node) {
  return InUseReply(mask, rd, node,
                    "Resource '" + rd + "' on node '" + node + "' is still in use.");
}

// Deleting one resource that is in use: the message leaves the node out
// (CtrlRscDeleteApiHelper.ensureNotInUse).
inline Reply ResourceInUse(uint64_t mask, const std::string& rd, const std::string& node) {
  return InUseReply(mask, rd, node, "Resource '" + rd + "' is still in use.");
}

// LINSTOR's message for a name that fails its rules (names.h).
inline Reply InvalidName(uint64_t code, const std::string& what, const std::string& name) {
  return ErrorReply(code, "The specified " + what + " name '" + name + "' is invalid.",
                    "Names are 2-48 characters of [A-Za-z0-9_-], starting with a letter or _.");
}

}  // namespace lcsi::sim
