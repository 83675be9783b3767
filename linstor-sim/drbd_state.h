// What the simulated satellites report about DRBD, in the shapes linstor-server's REST view
// serializes (see README.md, "DRBD states"): the disk state string of a volume, the per-peer
// connection and replication states, and the promotion score. Inputs are the replica's
// DrbdFault (admin API) and whether the nodes are online.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "linstor-sim/model.h"

namespace lcsi::sim {

// volumes[].state.disk_state: "Unknown" while the node is offline (no satellite state),
// "SyncTarget(42.50%)" while syncing, else the injected label, else UpToDate / Diskless.
std::string DrbdDiskState(const Resource& rsc, bool online);

// Whether the DRBD connection between two replicas is up: both nodes online and neither side
// has the other in its disconnected peers or lost quorum.
bool DrbdLinkUp(const Resource& a, bool a_online, const Resource& b, bool b_online);
// layer_object.drbd.connections[peer].message for a link (DrbdConnection.State labels).
std::string DrbdConnectionMessage(bool link_up, bool self_online);

struct DrbdReplication {
  std::string state;           // replication_state: Established, Off, SyncTarget, SyncSource
  std::optional<double> done;  // done_percentage, while syncing
};
// volumes[].state.replication_states[peer] of `rsc` towards `peer`.
DrbdReplication DrbdReplicationState(const Resource& rsc, const Resource& peer, bool link_up);

// layer_object.drbd.promotion_score / may_promote: 0 / false when the node is offline, for a
// tiebreaker, while quorum is lost or I/O is suspended.
int32_t DrbdPromotionScore(const Resource& rsc, bool online);

// Body of POST /admin/v1/resources/{rd}/{node}/drbd:
//   {"disk_state": "Outdated", "sync_done": 42.5, "disconnected_peers": ["sat-b"],
//    "quorum_lost": false, "io_suspended": false}        (every field optional)
// Peers are returned as given (the caller resolves them to node keys).
Result<DrbdFault> ParseDrbdFault(std::string_view body);

}  // namespace lcsi::sim
