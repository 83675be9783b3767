// The DRBD state of one simulated replica, as the admin API sets it (drbd_state.h computes
// what the REST view shows from it). The default is a healthy replica.
#pragma once

#include <optional>
#include <set>
#include <string>

namespace lcsi::sim {

struct DrbdFault {
  // A DRBD disk state label (DiskState: "Outdated", "Inconsistent", "Failed", "Diskless", ...);
  // "" = healthy: UpToDate for a diskful, Diskless for a diskless resource.
  std::string disk_state;
  // Set while the replica is a SyncTarget: the done percentage of the resync.
  std::optional<double> sync_done;
  // Peers (node keys, upper case) whose DRBD connection with this replica is down.
  std::set<std::string> disconnected_peers;
  bool quorum_lost = false;
  bool io_suspended = false;

  bool healthy() const {
    return disk_state.empty() && !sync_done && disconnected_peers.empty() && !quorum_lost &&
           !io_suspended;
  }
};

}  // namespace lcsi::sim
