// overProvision (a linstor-csi StorageClass key): GetCapacity reports, per storage pool,
// total capacity x factor minus what the volumes in it reserve, instead of LINSTOR's free
// space (linstor-csi pkg/client/linstor.go, CapacityBytes):
//  - only pools on the wanted nodes, not DISKLESS, and in the class's storagePool list if any;
//  - nodes flagged EVICTED or EVACUATE, or with AutoplaceTarget=false, are left out;
//  - a pool's MaxTotalCapacityOversubscriptionRatio (else MaxOversubscriptionRatio) property
//    wins when it is smaller than the factor;
//  - reserved = the usable size of every storage volume in the pool; a pool whose reservations
//    exceed its virtual size counts nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "linstor/model.h"

namespace lcsi::controller {

struct OverProvisionedCapacity {
  int64_t total_kib = 0;         // the sum over the pools
  int64_t largest_pool_kib = 0;  // the most one replica can get
};

OverProvisionedCapacity ComputeOverProvisioned(
    double factor, const std::vector<linstor::Node>& nodes,
    const std::optional<std::vector<std::string>>& wanted_nodes,
    const std::vector<linstor::StoragePool>& pools, const std::vector<std::string>& class_pools,
    const std::vector<linstor::Resource>& resources);

}  // namespace lcsi::controller
