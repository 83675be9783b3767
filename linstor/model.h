// Typed LINSTOR objects (the subset of REST API v1 the plugin uses) and request
// parameter structs. Field names follow the REST JSON names
// (linstor-server's docs/rest_v1_openapi.yaml). Sizes are KiB.
// Optional JSON fields that the plugin must tell apart from zero/empty are std::optional.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linstor/errors.h"

namespace lcsi::linstor {

using Props = std::map<std::string, std::string>;
using Flags = std::vector<std::string>;

inline bool HasFlag(const Flags& flags, std::string_view flag) {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

// Flag names LINSTOR uses on resources, RDs and snapshots.
inline constexpr std::string_view kFlagDiskless = "DISKLESS";
inline constexpr std::string_view kFlagDrbdDiskless = "DRBD_DISKLESS";
inline constexpr std::string_view kFlagNvmeInitiator = "NVME_INITIATOR";
inline constexpr std::string_view kFlagTieBreaker = "TIE_BREAKER";
inline constexpr std::string_view kFlagDelete = "DELETE";
inline constexpr std::string_view kFlagInactive = "INACTIVE";
inline constexpr std::string_view kFlagSuccessful = "SUCCESSFUL";
inline constexpr std::string_view kFlagFailedDeployment = "FAILED_DEPLOYMENT";
inline constexpr std::string_view kFlagFailedDisconnect = "FAILED_DISCONNECT";

// GET /v1/controller/version
struct ControllerVersion {
  std::string version;
  std::string git_hash;
  std::string build_time;
  std::string rest_api_version;
};

// GET /v1/nodes, /v1/nodes/{node}
struct Node {
  std::string name;
  std::string type;               // Controller, Satellite, Combined, Auxiliary
  std::string connection_status;  // ONLINE, OFFLINE, ...
  Props props;
  Flags flags;
  std::string uuid;
  bool IsOnline() const { return connection_status == "ONLINE"; }
};

// GET /v1/view/storage-pools
struct StoragePool {
  std::string storage_pool_name;
  std::string node_name;
  std::string provider_kind;  // DISKLESS, LVM, LVM_THIN, ZFS, ZFS_THIN, FILE, FILE_THIN, ...
  Props props;
  std::optional<int64_t> free_capacity;   // KiB
  std::optional<int64_t> total_capacity;  // KiB
  std::optional<bool> supports_snapshots;
  std::string free_space_mgr_name;
  std::string uuid;
  bool IsDiskless() const { return provider_kind == "DISKLESS"; }
};

// AutoSelectFilter. Unset fields are omitted from JSON ("do not add defaults").
struct SelectFilter {
  std::optional<int32_t> place_count;
  std::optional<int32_t> additional_place_count;
  std::optional<std::vector<std::string>> node_name_list;
  std::optional<std::string> storage_pool;
  std::optional<std::vector<std::string>> storage_pool_list;
  std::optional<std::vector<std::string>> storage_pool_diskless_list;
  std::optional<std::vector<std::string>> not_place_with_rsc;
  std::optional<std::string> not_place_with_rsc_regex;
  std::optional<std::vector<std::string>> replicas_on_same;
  std::optional<std::vector<std::string>> replicas_on_different;
  // at most N replicas per value of the node property
  std::optional<std::map<std::string, int32_t>> x_replicas_on_different_map;
  std::optional<std::vector<std::string>> layer_stack;
  std::optional<std::vector<std::string>> provider_list;
  std::optional<bool> diskless_on_remaining;
  std::optional<std::string> diskless_type;

  bool operator==(const SelectFilter&) const = default;
};

// GET /v1/resource-groups[/{rg}]; also the body of POST /v1/resource-groups.
struct ResourceGroup {
  std::string name;
  std::string description;
  Props props;
  SelectFilter select_filter;
  std::optional<int32_t> peer_slots;
  std::string uuid;
};

// PUT /v1/resource-groups/{rg}
struct ResourceGroupModify {
  std::optional<std::string> description;
  Props override_props;
  std::vector<std::string> delete_props;
  std::vector<std::string> delete_namespaces;
  std::optional<SelectFilter> select_filter;
};

// POST /v1/resource-groups/{rg}/spawn
struct ResourceGroupSpawn {
  std::string resource_definition_name;
  std::vector<int64_t> volume_sizes;  // KiB, one per volume definition
  Props resource_definition_props;
  std::optional<SelectFilter> select_filter;
  bool definitions_only = false;
  bool partial = false;
};

// POST /v1/resource-groups/{rg}/query-size-info -> space_info (QuerySizeInfoResponseSpaceInfo)
struct SpaceInfo {
  int64_t max_vlm_size_in_kib = 0;
  std::optional<int64_t> available_size_in_kib;
  std::optional<int64_t> capacity_in_kib;
  std::vector<ApiCallRc> reports;
};

struct VolumeDefinition {
  int32_t volume_number = 0;
  int64_t size_kib = 0;
  Props props;
  Flags flags;
  std::optional<int32_t> drbd_minor;  // layer_data[type=DRBD].data.minor_number
  std::string uuid;
};

// GET /v1/resource-definitions[/{rd}]
struct ResourceDefinition {
  std::string name;
  std::string resource_group_name;
  Props props;
  Flags flags;
  // Only in the list answer with with_volume_definitions; never in the single-object GET.
  std::vector<VolumeDefinition> volume_definitions;
  std::string uuid;
};

// POST /v1/resource-definitions
struct ResourceDefinitionCreate {
  std::string name;
  std::string resource_group_name;  // empty: LINSTOR's default group
  Props props;
};

// PUT of override_props/delete_props/delete_namespaces (RD, resource, snapshot...).
struct PropsModify {
  Props override_props;
  std::vector<std::string> delete_props;
  std::vector<std::string> delete_namespaces;
  bool empty() const {
    return override_props.empty() && delete_props.empty() && delete_namespaces.empty();
  }
};

// A volume of a resource on one node (ResourceWithVolumes.volumes[]).
struct Volume {
  int32_t volume_number = 0;
  std::string storage_pool_name;
  std::string provider_kind;
  std::string device_path;  // e.g. /dev/drbd1000
  std::optional<int64_t> allocated_size_kib;
  Props props;
  Flags flags;
  std::string disk_state;             // state.disk_state: UpToDate, Diskless, ...
  std::optional<int32_t> drbd_minor;  // from layer_data_list[type=DRBD]
  // layer_data_list[type=STORAGE].usable_size_kib: what the volume reserves in its pool
  std::optional<int64_t> storage_usable_size_kib;
};

// Per-peer DRBD connection (layer_object.drbd.connections).
struct DrbdConnection {
  bool connected = false;
  std::string message;  // Connected, StandAlone, Connecting, ...
};

// GET /v1/view/resources, /v1/resource-definitions/{rd}/resources[/{node}]
struct Resource {
  std::string name;  // resource definition name
  std::string node_name;
  Props props;
  Flags flags;
  std::optional<bool> in_use;       // state.in_use; unset when the satellite is unknown
  std::vector<Volume> volumes;      // only in GET /v1/view/resources
  std::vector<std::string> layers;  // layer_object chain, top first: DRBD, STORAGE
  std::optional<int32_t> drbd_node_id;
  std::optional<bool> drbd_may_promote;
  std::optional<int32_t> drbd_promotion_score;
  std::map<std::string, DrbdConnection> drbd_connections;  // peer node -> connection
  std::optional<int64_t> create_timestamp;                 // ms since epoch
  std::string uuid;

  bool IsDiskless() const {
    return HasFlag(flags, kFlagDiskless) || HasFlag(flags, kFlagDrbdDiskless) ||
           HasFlag(flags, kFlagNvmeInitiator);
  }
  bool IsTieBreaker() const { return HasFlag(flags, kFlagTieBreaker); }
  bool IsDiskful() const { return !IsDiskless(); }
  const Volume* volume(int32_t number) const {
    for (const auto& v : volumes)
      if (v.volume_number == number) return &v;
    return nullptr;
  }
};

// Filters of GET /v1/view/resources. Empty lists mean no filtering; limit 0 = all.
struct ResourceViewFilter {
  std::vector<std::string> nodes;
  std::vector<std::string> resources;
  std::vector<std::string> storage_pools;
  std::vector<std::string> props;  // "Key=Value", ANDed
  int32_t offset = 0;
  int32_t limit = 0;
};

// Filters of GET /v1/resource-definitions.
struct ResourceDefinitionFilter {
  std::vector<std::string> resource_definitions;  // names
  std::vector<std::string> props;                 // "Key=Value", ANDed
  bool with_volume_definitions = false;
  int32_t offset = 0;
  int32_t limit = 0;
};

// Filters of GET /v1/view/storage-pools.
struct StoragePoolFilter {
  std::vector<std::string> nodes;
  std::vector<std::string> storage_pools;
  std::vector<std::string> props;
};

// Filters of GET /v1/resource-groups.
struct ResourceGroupFilter {
  std::vector<std::string> resource_groups;
  std::vector<std::string> props;
};

// POST /v1/resource-definitions/{rd}/resources (one entry).
struct ResourceCreate {
  std::string node_name;
  bool diskless = false;     // sends flags ["DRBD_DISKLESS"]
  std::string storage_pool;  // props StorPoolName, empty: LINSTOR chooses
  Props props;
  std::vector<std::string> layer_list;
};

// POST /v1/resource-definitions/{rd}/resources/{node}/make-available
struct ResourceMakeAvailable {
  bool diskful = false;
  std::vector<std::string> layer_list;
};

// POST /v1/resource-definitions/{rd}/autoplace
struct AutoPlaceRequest {
  SelectFilter select_filter;
  std::optional<bool> diskless_on_remaining;
  std::vector<std::string> layer_list;
};

struct SnapshotVolumeDefinition {
  int32_t volume_number = 0;
  int64_t size_kib = 0;
};

// Snapshot.snapshots[]: the snapshot on one node.
struct SnapshotNode {
  std::string snapshot_name;
  std::string node_name;
  std::optional<int64_t> create_timestamp;  // ms since epoch
  Flags flags;
};

// GET /v1/resource-definitions/{rd}/snapshots, /v1/view/snapshots
struct Snapshot {
  std::string name;
  std::string resource_name;
  std::vector<std::string> nodes;
  // LINSTOR's deprecated `props`: the RD's properties as captured at snapshot time, overlaid
  // with the snapshot's own (Json.apiToSnapshot). Identity belongs in definition_props.
  Props props;
  // snapshot_definition_props: the snapshot's own properties (LINSTOR 1.30+; settable on create
  // from 1.32). Empty from an older controller.
  Props definition_props;
  // resource_definition_props: the RD's properties captured at snapshot time; a restore copies
  // them onto the target RD.
  Props resource_definition_props;
  Flags flags;  // SUCCESSFUL, FAILED_DEPLOYMENT, FAILED_DISCONNECT, DELETE, ...
  std::vector<SnapshotVolumeDefinition> volume_definitions;
  std::vector<SnapshotNode> snapshots;
  std::string uuid;

  bool IsSuccessful() const { return HasFlag(flags, kFlagSuccessful); }
  bool IsFailed() const {
    return HasFlag(flags, kFlagFailedDeployment) || HasFlag(flags, kFlagFailedDisconnect);
  }
  // Earliest per-node create_timestamp, if any node reported one.
  std::optional<int64_t> CreateTimestamp() const {
    std::optional<int64_t> t;
    for (const auto& s : snapshots)
      if (s.create_timestamp && (!t || *s.create_timestamp < *t)) t = s.create_timestamp;
    return t;
  }
};

// POST /v1/resource-definitions/{rd}/snapshots; entries of POST /v1/actions/snapshot/multi.
struct SnapshotCreate {
  std::string resource_name;
  std::string name;
  std::vector<std::string> nodes;  // empty: all nodes with a diskful replica
  Props props;  // sent as snapshot_definition_props (LINSTOR does not read `props` here)
};

// Filters of GET /v1/view/snapshots. LINSTOR reads nodes, resources, offset and limit only
// (View.listSnapshots): 'snapshots' is applied client-side and never sent.
struct SnapshotViewFilter {
  std::vector<std::string> nodes;
  std::vector<std::string> resources;
  std::vector<std::string> snapshots;
  int32_t offset = 0;
  int32_t limit = 0;
};

// POST /v1/resource-definitions/{rd}/snapshot-restore-resource/{snap}
struct SnapshotRestore {
  std::string to_resource;
  std::vector<std::string> nodes;  // empty: the snapshot's nodes
};

// POST /v1/resource-definitions/{rd}/clone
struct CloneRequest {
  std::string name;
  std::string resource_group;  // empty: source's group
  std::optional<bool> use_zfs_clone;
  std::vector<std::string> layer_list;
  Props override_props;
  std::vector<std::string> delete_props;
};

// Answer of the clone POST.
struct CloneStarted {
  std::string location;  // /v1/resource-definitions/{src}/clone/{clone}
  std::string source_name;
  std::string clone_name;
  std::vector<ApiCallRc> messages;
};

enum class CloneState { kCloning, kComplete, kFailed, kUnknown };

// GET /v1/resource-definitions/{rd}/clone/{clone}
struct CloneStatus {
  CloneState status = CloneState::kUnknown;
  std::string raw;  // the status string as sent
};

}  // namespace lcsi::linstor
