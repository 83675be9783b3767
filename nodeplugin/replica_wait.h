// NodeStageVolume's wait for a DRBD replica that can serve I/O (linstor/drbd_health.h decides
// from LINSTOR's view), and its refusal to stage a single-node volume that LINSTOR reports in
// use (DRBD Primary) on another node.
#pragma once

#include <chrono>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "nodeplugin/satellite_directory.h"

namespace lcsi::node {

struct ReplicaWaitOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};  // --replica-wait-timeout
  std::chrono::milliseconds first_poll{std::chrono::milliseconds(100)};
  std::chrono::milliseconds max_poll{std::chrono::seconds(2)};  // back-off doubles up to this
  // A single-node access mode: the volume must not be in use on another node.
  bool single_node = false;
  // How long to wait for another node to stop using it (StorageClass inUseWaitTimeout); 0 =
  // refuse at once.
  std::chrono::milliseconds in_use_wait{0};
};

// Polls LINSTOR until the resource of `volume` on `satellite` can serve I/O. Errors:
//   NotFound            LINSTOR has no resource of the volume on the satellite;
//   FailedPrecondition  single-node volume in use on another node (naming it), after
//                       `in_use_wait`;
//   Unavailable         no usable replica within `timeout` (naming the DRBD states seen), or
//                       LINSTOR unreachable for that long.
Status WaitForUsableReplica(SatelliteDirectory& directory, Clock& clock, const std::string& volume,
                            const std::string& satellite, const ReplicaWaitOptions& options);

// "sat-a UpToDate (in use), sat-b SyncTarget(42.50%), sat-c Diskless (tiebreaker)".
std::string DescribeReplicas(const std::vector<linstor::Resource>& resources);

}  // namespace lcsi::node
