// Decoders for LINSTOR REST responses (simdjson on-demand) into the model structs.
//
// Each decoder takes the response body by reference: it may grow the string's
// capacity to add simdjson's padding (no copy when capacity allows), but leaves
// its contents unchanged. Unknown fields are skipped, missing optional fields
// keep their defaults, JSON null is treated as missing. Anything that is not the
// expected shape yields a LinstorError of kind kBadResponse; no input crashes.
// Single-object decoders also accept a one-element array.
#pragma once

#include <string>
#include <vector>

#include "linstor/errors.h"
#include "linstor/model.h"

namespace lcsi::linstor {

LinstorResult<ControllerVersion> DecodeControllerVersion(std::string& body);
LinstorResult<std::vector<Node>> DecodeNodes(std::string& body);
LinstorResult<Node> DecodeNode(std::string& body);
LinstorResult<std::vector<StoragePool>> DecodeStoragePools(std::string& body);
LinstorResult<std::vector<ResourceGroup>> DecodeResourceGroups(std::string& body);
LinstorResult<ResourceGroup> DecodeResourceGroup(std::string& body);
LinstorResult<std::vector<ResourceDefinition>> DecodeResourceDefinitions(std::string& body);
LinstorResult<ResourceDefinition> DecodeResourceDefinition(std::string& body);
LinstorResult<std::vector<VolumeDefinition>> DecodeVolumeDefinitions(std::string& body);
// Resource and ResourceWithVolumes (view) share one decoder.
LinstorResult<std::vector<Resource>> DecodeResources(std::string& body);
LinstorResult<Resource> DecodeResource(std::string& body);
LinstorResult<std::vector<Snapshot>> DecodeSnapshots(std::string& body);
LinstorResult<Snapshot> DecodeSnapshot(std::string& body);
// QuerySizeInfoResponse: space_info (+ reports).
LinstorResult<SpaceInfo> DecodeQuerySizeInfo(std::string& body);
// ApiCallRcList. An empty body decodes to an empty list.
LinstorResult<std::vector<ApiCallRc>> DecodeApiCallRcs(std::string& body);
LinstorResult<CloneStarted> DecodeCloneStarted(std::string& body);
LinstorResult<CloneStatus> DecodeCloneStatus(std::string& body);

}  // namespace lcsi::linstor
