// The simulated cluster's fixed part: nodes, their properties and storage pools.
//
// Cluster file (JSON):
//   {"nodes": [
//      {"name": "sat-alpha",                       // LINSTOR node name
//       "address": "10.42.0.1",                    // optional, net_interfaces[0].address
//       "props": {"Aux/topology/zone": "zone-a"},  // optional node properties
//       "diskless_only": false,                    // optional: only DfltDisklessStorPool
//       "online": true,                            // optional initial connection state
//       "pools": [{"name": "pool1", "provider_kind": "LVM_THIN",
//                  "capacity_kib": 104857600, "props": {}}]}]}   // optional pools
// Every node also gets the DISKLESS pool "DfltDisklessStorPool". A node without "pools"
// (and not diskless_only) gets the default pool "pool1" (LVM_THIN, 100 GiB).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "linstor-sim/model.h"

namespace lcsi::sim {

inline constexpr int64_t kDefaultPoolCapacityKib = 100LL * 1024 * 1024;  // 100 GiB

struct ClusterConfig {
  std::vector<Node> nodes;  // pools filled in, uuids empty
};

// Three nodes "sat-alpha", "sat-bravo", "sat-charlie" in zones zone-a/b/c, each with
// "pool1" (LVM_THIN, 100 GiB) and the diskless pool.
ClusterConfig DefaultClusterConfig();

Result<ClusterConfig> ParseClusterConfig(std::string_view json);
Result<ClusterConfig> LoadClusterConfigFile(const std::string& path);

}  // namespace lcsi::sim
