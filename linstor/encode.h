// Request bodies for the LINSTOR REST API, in the reference's JSON shapes
// (schema names in comments). Unset optional fields are omitted.
#pragma once

#include <string>
#include <vector>

#include "base/json_writer.h"
#include "linstor/model.h"

namespace lcsi::linstor {

// AutoSelectFilter
void WriteSelectFilter(JsonWriter& w, const SelectFilter& filter);
// ResourceGroup (POST /v1/resource-groups)
std::string EncodeResourceGroup(const ResourceGroup& group);
// ResourceGroupModify
std::string EncodeResourceGroupModify(const ResourceGroupModify& modify);
// ResourceGroupSpawn
std::string EncodeSpawn(const ResourceGroupSpawn& spawn);
// QuerySizeInfoRequest
std::string EncodeQuerySizeInfo(const SelectFilter* filter);
// ResourceDefinitionCreate
std::string EncodeResourceDefinitionCreate(const ResourceDefinitionCreate& create);
// ResourceDefinitionModify / ResourceGroupModify props part
std::string EncodePropsModify(const PropsModify& modify);
// VolumeDefinitionModify {"size_kib": n}
std::string EncodeVolumeDefinitionResize(int64_t size_kib);
// [ResourceCreate] for POST /v1/resource-definitions/{rd}/resources (the path names the RD)
std::string EncodeResourceCreate(const ResourceCreate& create);
// ResourceMakeAvailable
std::string EncodeMakeAvailable(const ResourceMakeAvailable& request);
// AutoPlaceRequest
std::string EncodeAutoPlace(const AutoPlaceRequest& request);
// Snapshot (POST .../snapshots)
std::string EncodeSnapshot(const SnapshotCreate& create);
// CreateMultiSnapshotRequest {"snapshots": [Snapshot...]}
std::string EncodeMultiSnapshot(const std::vector<SnapshotCreate>& snapshots);
// SnapshotRestore {"to_resource": ..., "nodes": [...]}
std::string EncodeSnapshotRestore(const SnapshotRestore& restore);
// SnapshotRollback {}
std::string EncodeSnapshotRollback();
// ResourceDefinitionCloneRequest
std::string EncodeCloneRequest(const CloneRequest& request);

}  // namespace lcsi::linstor
