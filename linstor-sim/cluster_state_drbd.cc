// Admin: the DRBD state of one replica (what its satellite would report to LINSTOR).
#include "linstor-sim/api_consts.h"
#include "linstor-sim/cluster_state.h"
#include "linstor-sim/names.h"

namespace lcsi::sim {

Reply ClusterState::SetDrbdState(const std::string& rd_name, const std::string& node_name,
                                 DrbdFault fault) {
  auto found = FindReplica(rd_name, node_name);
  if (found.rsc == nullptr) return found.error;
  ResourceDefinition* rd = found.rd;
  Resource& rsc = *found.rsc;
  if (!DrbdInStack(*rd)) {
    return ErrorReply(rc::kMaskRsc | rc::kFailInvldLayerStack,
                      "Resource '" + rd->name + "' has no DRBD layer.");
  }
  if (rsc.diskless &&
      (fault.sync_done || (!fault.disk_state.empty() && fault.disk_state != "Diskless"))) {
    return ErrorReply(rc::kMaskRsc | rc::kFailInvldLayerStack,
                      "Resource '" + rd->name + "' on node '" + rsc.node +
                          "' is diskless: it has no disk state other than Diskless.");
  }
  std::set<std::string> peers;
  for (const auto& peer : fault.disconnected_peers) {
    const std::string key = NameKey(peer);
    if (key == NameKey(node_name) || rd->resources.count(key) == 0) {
      return ErrorReply(rc::kMaskRsc | rc::kFailNotFoundRsc,
                        "Resource '" + rd->name + "' has no peer on node '" + peer + "'.");
    }
    peers.insert(key);
  }
  fault.disconnected_peers = std::move(peers);
  if (fault.disk_state == "Diskless" && rsc.diskless) fault.disk_state.clear();
  rsc.drbd = std::move(fault);
  ApiCallRcList rc;
  rc.Add(rc::kMaskRsc | rc::kMaskMod | rc::kModified,
         "Resource '" + rd->name + "' on node '" + rsc.node + "': DRBD state " +
             (rsc.drbd.healthy() ? std::string("healthy") : std::string("changed")) + ".");
  return rc.ToReply(200);
}

}  // namespace lcsi::sim
