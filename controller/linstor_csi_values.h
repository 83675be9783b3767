// Values of the StorageClass keys that come from linstor-csi (v1.12, pkg/volume/parameter.go)
// and have no simpler shape: placementPolicy, xReplicasOnDifferent, overProvision,
// nfsRecoveryVolumeSize, and the topology prefix of replicasOnSame/Different keys.
// Each parser answers InvalidArgument naming the parameter `key`.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "controller/parameters.h"
#include "base/status.h"

namespace lcsi::controller {

// A node property key for a placement rule: "Aux/..." as is, anything else is a topology key
// and becomes "Aux/topology/<key>" (linstor-csi with piraeus' --property-namespace=Aux/topology;
// the node plugin reports the same properties as topology segments).
std::string TopologyPropertyKey(const std::string& entry);

// AutoPlaceTopology, AutoPlace, Manual, FollowTopology (any case). linstor-csi's Balanced
// scheduler is refused with the reason.
Result<PlacementPolicy> ParsePlacementPolicy(const std::string& key, const std::string& value);

// A YAML map of topology key -> count ("topology.kubernetes.io/zone: 2", one per line, or
// "{zone: 2, rack: 1}"); keys through TopologyPropertyKey, counts 1..32.
Result<std::map<std::string, int32_t>> ParseXReplicasOnDifferent(const std::string& key,
                                                                 const std::string& value);

// nodeList/clientList (or placementPolicy Manual) switch to manual placement and clear what
// does not apply to it; InvalidArgument for a manual placement without nodeList.
Status ResolveManualPlacement(VolumeParameters& p);

// A positive, finite factor ("1.5").
Result<double> ParseOverProvision(const std::string& key, const std::string& value);

// A Kubernetes quantity ("300Mi", "1G", "1048576") in bytes.
Result<int64_t> ParseQuantityBytes(const std::string& key, const std::string& value);

}  // namespace lcsi::controller
