// What LINSTOR's resource view says about the DRBD replicas of one volume, read in one place
// for the controller (ListVolumes, ControllerGetVolume, ControllerPublishVolume) and the node
// (NodeStageVolume, NodeGetVolumeStats).
//
// The facts come from GET /v1/view/resources as linstor-server serializes them
// (controller/.../rest/v1/serializer/Json.java): volumes[].state.disk_state is the satellite's
// DrbdVolume.diskStateInfo() ("UpToDate", "Outdated", "Inconsistent", "Failed", "Diskless",
// "SyncTarget(42.50%)" while syncing, ...); layer_object.drbd.connections[peer] carries
// connected/message; layer_object.drbd.promotion_score/may_promote; state.in_use is DRBD
// Primary. LINSTOR's REST view has no quorum or suspended-I/O field: quorum is derived from the
// connections (a majority of the resource's DRBD members), and a promotion score of 0 on an
// online replica that still has quorum means DRBD refuses to promote it (I/O suspended).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "linstor/model.h"

namespace lcsi::linstor {

// Disk state of volume 0 ("" when the satellite reported none).
std::string DiskStateOf(const Resource& resource);
bool IsUpToDate(const std::string& disk_state);
// A replica that is receiving a resync: "SyncTarget(..%)" or "Inconsistent".
bool IsSyncing(const std::string& disk_state);
// A resource that sees at most half of its DRBD members (itself included) lost quorum.
bool QuorumLost(const Resource& resource);
// Promotion score 0 while the replica keeps quorum and is not a tiebreaker.
bool IoSuspended(const Resource& resource);

struct ReplicaAccess {
  bool usable = false;
  // What was seen, for logs and error messages: "UpToDate", "SyncTarget(42.50%), connected to
  // UpToDate sat-b", "Diskless, no UpToDate peer connected (sat-b: Outdated)", ...
  std::string state;
};

// Whether the resource of `resources` on `satellite` can serve I/O now (what the satellite
// computes as ResourceState "access to UpToDate data" in DrbdEventPublisher):
//   - a diskful replica that is UpToDate;
//   - a syncing replica connected to an UpToDate peer;
//   - a diskless client connected to an UpToDate peer;
// and never while it lost quorum or its I/O is suspended. A resource without a DRBD layer is
// usable (there is nothing to wait for). The satellite's own resource missing is "not usable".
ReplicaAccess AssessReplica(const std::vector<Resource>& resources, const std::string& satellite);

// Nodes other than `node` where LINSTOR reports the volume in use (DRBD Primary), sorted.
std::vector<std::string> InUseElsewhere(const std::vector<Resource>& resources,
                                        const std::string& node);

struct VolumeHealth {
  bool abnormal = false;
  std::string message;
};

// The volume condition. Abnormal when
//   - there is no diskful replica;
//   - a node holding a resource is not ONLINE (or unknown to LINSTOR);
//   - a diskful replica's disk is not UpToDate (Outdated, Inconsistent, Failed, syncing, or
//     Diskless where a disk is expected);
//   - a DRBD connection between two replicas is down;
//   - a replica lost quorum, or its I/O is suspended.
// The message names each node with its state. `nodes` is by node name.
VolumeHealth EvaluateVolumeHealth(const std::vector<Resource>& resources,
                                  const std::map<std::string, Node>& nodes);

}  // namespace lcsi::linstor
