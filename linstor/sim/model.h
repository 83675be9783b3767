// The simulator's in-memory LINSTOR objects. Maps are keyed by the upper-case name
// (LINSTOR names are case-insensitive); each object keeps the name as created.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "linstor/sim/drbd_fault.h"

namespace lcsi::sim {

using Props = std::map<std::string, std::string>;

inline constexpr const char* kDisklessPoolName = "DfltDisklessStorPool";
inline constexpr const char* kDefaultResourceGroup = "DfltRscGrp";
// The pool a resource created without StorPoolName falls back to (InternalApiConsts).
inline constexpr const char* kDefaultStorPoolName = "DfltStorPool";
// InternalApiConsts.KEY_CLONED_FROM: set on a clone's resource definition.
inline constexpr std::string_view kClonedFromProp = "cloned-from";
inline constexpr int kFirstMinor = 1000;
inline constexpr int kFirstDrbdPort = 7000;

// AutoSelectFilter; unset fields stay unset so that a request's filter can overlay a
// resource group's filter field by field.
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
  std::optional<std::map<std::string, int64_t>> x_replicas_on_different_map;
  std::optional<std::vector<std::string>> layer_stack;
  std::optional<std::vector<std::string>> provider_list;
  std::optional<bool> diskless_on_remaining;
  std::optional<std::string> diskless_type;
  std::optional<double> overprovision;
  std::optional<int32_t> port_count;

  // Fields set in `over` replace ours.
  void Overlay(const SelectFilter& over);
};

struct StoragePool {
  std::string name;
  std::string provider_kind;  // DISKLESS, LVM, LVM_THIN, ZFS, ZFS_THIN, FILE, FILE_THIN
  int64_t total_kib = 0;      // ignored for DISKLESS
  int64_t used_kib = 0;       // diskful volumes + snapshots placed here
  Props props;
  std::string uuid;

  bool diskless() const { return provider_kind == "DISKLESS"; }
  int64_t free_kib() const { return total_kib - used_kib; }
};

struct Node {
  std::string name;
  std::string address;
  Props props;
  bool online = true;
  std::map<std::string, StoragePool> pools;  // key: upper-case pool name
  std::string uuid;
};

struct ResourceGroup {
  std::string name;
  std::string description;
  Props props;
  SelectFilter filter;
  std::optional<int32_t> peer_slots;
  std::string uuid;
};

struct VolumeDefinition {
  int32_t number = 0;
  int64_t size_kib = 0;
  int32_t minor = 0;
  Props props;
  std::string uuid;
  // Loop backing only: the attached loop device ("" when nominal).
  std::string loop_device;
};

struct Resource {
  std::string node;          // node name as created
  std::string storage_pool;  // pool name; the diskless pool for diskless resources
  bool diskless = false;
  bool tie_breaker = false;
  bool in_use = false;
  DrbdFault drbd;  // injected through the admin API; not persisted
  int32_t node_id = 0;
  Props props;
  std::string uuid;
  int64_t create_timestamp_ms = 0;
};

struct SnapshotVolume {
  int32_t number = 0;
  int64_t size_kib = 0;
  Props vd_props;
};

struct Snapshot {
  std::string name;
  std::map<std::string, std::string> node_pools;  // upper-case node -> pool name
  std::vector<std::string> nodes;                 // node names, in creation order
  Props props;                                    // snapshot definition props
  Props rd_props;                                 // the RD's props at snapshot time
  std::vector<SnapshotVolume> volumes;
  int64_t sequence = 0;  // creation order within the cluster; newest = highest
  int64_t create_timestamp_ms = 0;
  std::string uuid;
  // SUCCESSFUL flag: LINSTOR sets it once every satellite took the snapshot; admin API only.
  bool successful = true;
};

struct ResourceDefinition {
  std::string name;
  std::string external_name;
  std::string resource_group;  // name as created
  Props props;
  std::vector<std::string> layer_stack;  // empty: DRBD,STORAGE
  int32_t port = 0;
  std::string secret;
  std::map<int32_t, VolumeDefinition> volumes;
  std::map<std::string, Resource> resources;  // key: upper-case node name
  std::map<std::string, Snapshot> snapshots;  // key: upper-case snapshot name
  std::string uuid;
  // Clone bookkeeping: source RD name and remaining status polls answered CLONING.
  std::string clone_source;
  int32_t clone_polls_left = 0;
};

}  // namespace lcsi::sim
