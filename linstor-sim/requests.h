// Request bodies of the LINSTOR endpoints the simulator serves, parsed with simdjson
// on-demand. Unknown fields are ignored here (the schema check rejects them when strict);
// a known field of the wrong JSON type is an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "linstor-sim/model.h"

namespace lcsi::sim {

struct PropsChange {
  Props override_props;
  std::vector<std::string> delete_props;
  std::vector<std::string> delete_namespaces;
};

// Deletes delete_props and delete_namespaces ("Aux" removes "Aux/..."), then sets
// override_props.
void ApplyPropsChange(Props& props, const PropsChange& change);

struct RgCreateRequest {
  ResourceGroup group;
};

struct RgModifyRequest {
  std::optional<std::string> description;
  PropsChange props;
  std::optional<SelectFilter> filter;
  std::optional<int32_t> peer_slots;
};

struct SpawnRequest {
  std::string rd_name;
  std::string external_name;
  std::vector<int64_t> volume_sizes;
  std::optional<SelectFilter> filter;
  bool partial = false;
  bool definitions_only = false;
  Props rd_props;
  std::optional<int32_t> peer_slots;
};

struct QuerySizeInfoRequest {
  std::optional<SelectFilter> filter;
};

struct VdSpec {
  std::optional<int32_t> number;
  int64_t size_kib = 0;
  Props props;
  std::optional<int32_t> minor;
};

struct RdCreateRequest {
  std::string name;
  std::string external_name;
  std::string resource_group;
  Props props;
  std::vector<std::string> layer_stack;
  std::optional<int32_t> port;
};

struct RdModifyRequest {
  PropsChange props;
  std::optional<std::string> resource_group;
  std::optional<std::vector<std::string>> layer_stack;
};

struct VdModifyRequest {
  std::optional<int64_t> size_kib;
  PropsChange props;
};

struct ResourceCreateRequest {
  std::string node;
  Props props;
  std::vector<std::string> flags;
  std::vector<std::string> layer_list;
};

struct MakeAvailableRequest {
  bool diskful = false;
  std::vector<std::string> layer_list;
};

struct AutoplaceRequest {
  SelectFilter filter;
  std::optional<bool> diskless_on_remaining;
  std::vector<std::string> layer_list;
};

struct SnapshotCreateRequest {
  std::string name;
  std::string resource_name;
  std::vector<std::string> nodes;
  Props props;  // snapshot_definition_props
};

struct SnapshotRestoreRequest {
  std::string to_resource;
  std::vector<std::string> nodes;
};

struct CloneRequest {
  std::string name;
  std::string external_name;
  std::string resource_group;
  std::vector<std::string> layer_list;
  PropsChange props;
};

// An empty body parses as the empty object where the endpoint allows it.
Result<RgCreateRequest> ParseRgCreate(std::string_view body);
Result<RgModifyRequest> ParseRgModify(std::string_view body);
Result<SpawnRequest> ParseSpawn(std::string_view body);
Result<QuerySizeInfoRequest> ParseQuerySizeInfo(std::string_view body);
Result<RdCreateRequest> ParseRdCreate(std::string_view body);
Result<RdModifyRequest> ParseRdModify(std::string_view body);
Result<VdSpec> ParseVdCreate(std::string_view body);
Result<VdModifyRequest> ParseVdModify(std::string_view body);
// POST .../resources takes an array, POST .../resources/{node} one object.
Result<std::vector<ResourceCreateRequest>> ParseResourceCreateList(std::string_view body);
Result<ResourceCreateRequest> ParseResourceCreate(std::string_view body);
Result<MakeAvailableRequest> ParseMakeAvailable(std::string_view body);
Result<AutoplaceRequest> ParseAutoplace(std::string_view body);
Result<SnapshotCreateRequest> ParseSnapshotCreate(std::string_view body);
Result<std::vector<SnapshotCreateRequest>> ParseMultiSnapshot(std::string_view body);
Result<SnapshotRestoreRequest> ParseSnapshotRestore(std::string_view body);
Result<CloneRequest> ParseClone(std::string_view body);
// Admin bodies.
Result<bool> ParseInUse(std::string_view body);

}  // namespace lcsi::sim
