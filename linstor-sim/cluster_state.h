// ClusterState: the simulated LINSTOR controller's objects and rules. Every public method
// is one REST operation and returns the HTTP reply (status + LINSTOR-shaped JSON).
// Not thread-safe: SimServer serialises calls with one mutex.
//
// Mutations are all-or-nothing: each operation checks everything (names, existence,
// placement, capacity) before it changes anything, and undoes its own partial work when
// the backing store fails midway.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "linstor-sim/api_call_rc.h"
#include "linstor-sim/backing.h"
#include "linstor-sim/cluster_config.h"
#include "linstor-sim/model.h"
#include "linstor-sim/number_pool.h"
#include "linstor-sim/requests.h"

namespace lcsi {
class JsonWriter;  // base/json_writer.h
}  // namespace lcsi

namespace lcsi::sim {

class Pager;

// Query parameters of list endpoints. Empty lists do not filter; limit 0 = no limit.
struct ListQuery {
  std::vector<std::string> nodes;
  std::vector<std::string> resources;
  std::vector<std::string> storage_pools;
  std::vector<std::string> resource_groups;
  std::vector<std::string> resource_definitions;
  std::vector<std::string> snapshots;
  std::vector<std::string> props;  // "Key=Value" (or "Key": present), ANDed
  int64_t offset = 0;
  int64_t limit = 0;
  bool with_volume_definitions = false;
};

// Outcome of ResolveStorPool: `pool` (display name) or, when empty, the name that was
// `missing` on the node; `explicit_in_request` when the request's own props named it.
struct PoolChoice {
  std::string pool;
  std::string missing;
  bool explicit_in_request = false;
};

struct StateSummary {
  int64_t nodes = 0;
  int64_t nodes_online = 0;
  int64_t resource_groups = 0;  // without DfltRscGrp
  int64_t resource_definitions = 0;
  int64_t volume_definitions = 0;
  int64_t resources = 0;
  int64_t diskful_resources = 0;
  int64_t tie_breakers = 0;
  int64_t snapshots = 0;
  int64_t loop_devices = 0;
  int64_t backing_files = 0;
};

class ClusterState {
 public:
  ClusterState(ClusterConfig config, std::unique_ptr<Backing> backing, uint64_t seed);
  ~ClusterState();

  // --- controller, nodes, storage pools
  Reply Version() const;
  Reply ListNodes(const ListQuery& q) const;
  Reply GetNode(const std::string& node) const;
  Reply ListStoragePools(const ListQuery& q) const;
  Reply NodeStoragePools(const std::string& node, const ListQuery& q) const;

  // --- resource groups
  Reply ListResourceGroups(const ListQuery& q) const;
  Reply GetResourceGroup(const std::string& rg) const;
  Reply CreateResourceGroup(const RgCreateRequest& req);
  Reply ModifyResourceGroup(const std::string& rg, const RgModifyRequest& req);
  Reply DeleteResourceGroup(const std::string& rg);
  Reply Spawn(const std::string& rg, const SpawnRequest& req);
  Reply QuerySizeInfo(const std::string& rg, const QuerySizeInfoRequest& req) const;

  // --- resource and volume definitions
  Reply ListResourceDefinitions(const ListQuery& q) const;
  // Never with volume definitions (see README: single-object GETs).
  Reply GetResourceDefinition(const std::string& rd) const;
  Reply CreateResourceDefinition(const RdCreateRequest& req);
  Reply ModifyResourceDefinition(const std::string& rd, const RdModifyRequest& req);
  Reply DeleteResourceDefinition(const std::string& rd);
  Reply ListVolumeDefinitions(const std::string& rd, const ListQuery& q) const;
  Reply CreateVolumeDefinition(const std::string& rd, const VdSpec& req);
  Reply ModifyVolumeDefinition(const std::string& rd, const std::string& volume_number,
                               const VdModifyRequest& req);

  // --- resources
  Reply ListResources(const std::string& rd, const ListQuery& q) const;
  Reply GetResource(const std::string& rd, const std::string& node) const;
  Reply CreateResources(const std::string& rd, const std::vector<ResourceCreateRequest>& reqs);
  Reply DeleteResource(const std::string& rd, const std::string& node);
  Reply MakeAvailable(const std::string& rd, const std::string& node,
                      const MakeAvailableRequest& req);
  Reply Autoplace(const std::string& rd, const AutoplaceRequest& req);
  Reply ViewResources(const ListQuery& q) const;

  // --- snapshots, restore, rollback, clone
  Reply ListSnapshots(const std::string& rd) const;
  Reply GetSnapshot(const std::string& rd, const std::string& snap) const;
  Reply CreateSnapshot(const std::string& rd, const SnapshotCreateRequest& req);
  Reply CreateMultiSnapshot(const std::vector<SnapshotCreateRequest>& reqs);
  Reply DeleteSnapshot(const std::string& rd, const std::string& snap,
                       const std::vector<std::string>& nodes);
  Reply ViewSnapshots(const ListQuery& q) const;
  Reply RestoreVolumeDefinition(const std::string& rd, const std::string& snap,
                                const SnapshotRestoreRequest& req);
  Reply RestoreResource(const std::string& rd, const std::string& snap,
                        const SnapshotRestoreRequest& req);
  Reply Rollback(const std::string& rd, const std::string& snap);
  Reply Clone(const std::string& rd, const CloneRequest& req);
  // Each poll of a clone that is still CLONING advances it.
  Reply CloneStatus(const std::string& rd, const std::string& clone);

  // --- admin (not LINSTOR's API)
  Reply SetNodeOnline(const std::string& node, bool online);
  Reply SetInUse(const std::string& rd, const std::string& node, bool in_use);
  // Sets or clears a snapshot's SUCCESSFUL flag (a snapshot LINSTOR has not finished).
  Reply SetSnapshotSuccessful(const std::string& rd, const std::string& snap, bool successful);
  // Sets (replaces) the DRBD state of one replica (cluster_state_drbd.cc); an empty fault
  // makes it healthy again.
  Reply SetDrbdState(const std::string& rd, const std::string& node, DrbdFault fault);
  // How many status polls a new clone answers CLONING before COMPLETE (default 0).
  void set_clone_polls(int32_t polls) { clone_polls_ = polls; }
  // What GET /v1/controller/version reports: LINSTOR's release and its REST API version
  // (JsonGenTypes.REST_API_VERSION). Default: the release whose API the sim follows.
  void set_reported_version(std::string version, std::string rest_api_version) {
    reported_version_ = std::move(version);
    reported_rest_api_version_ = std::move(rest_api_version);
  }
  StateSummary Summary() const;
  // Graceful shutdown: detaches loop devices (the files stay; Load() re-attaches them).
  void DetachBacking() { backing_->DetachAll(); }

  // --- persistence: the mutable state as JSON, and loading it back (nodes and pools come
  // from the cluster config; objects on nodes the config no longer has are dropped).
  std::string Serialize() const;
  Status Load(std::string_view json);

 private:
  using RdMap = std::map<std::string, ResourceDefinition>;

  // Lookups by any-case name; null when missing.
  const Node* FindNode(const std::string& name) const;
  Node* FindNode(const std::string& name);
  const ResourceGroup* FindRg(const std::string& name) const;
  ResourceGroup* FindRg(const std::string& name);
  const ResourceDefinition* FindRd(const std::string& name) const;
  ResourceDefinition* FindRd(const std::string& name);
  // The replica of `rd_name` on `node_name` for the admin setters: `rsc` is null and `error` the
  // NotFound reply (RD or resource, whichever is missing) when there is none.
  struct ReplicaLookup {
    ResourceDefinition* rd = nullptr;
    Resource* rsc = nullptr;
    Reply error;
  };
  ReplicaLookup FindReplica(const std::string& rd_name, const std::string& node_name);
  // A restore's source RD, its snapshot and the target RD; `error` (under `mask`) names the first
  // of them that does not exist.
  struct RestoreLookup {
    ResourceDefinition* src = nullptr;
    const Snapshot* snapshot = nullptr;
    ResourceDefinition* dst = nullptr;
    Reply error;
  };
  RestoreLookup FindRestore(const std::string& name, const std::string& snap,
                            const std::string& to_resource, uint64_t mask);
  StoragePool* FindPool(const std::string& node_key, const std::string& pool);
  // The RDs a list request names (name order, unknown names skipped) or, without names, every
  // RD; stops once `pager` is done.
  void ForEachListedRd(const std::vector<std::string>& names, const Pager& pager,
                       const std::function<void(const ResourceDefinition&)>& each) const;

  std::string NewUuid();
  static std::string VolId(const ResourceDefinition& rd, int32_t vol);
  static std::string SnapId(const ResourceDefinition& rd, const Snapshot& s, int32_t vol);
  static int64_t TotalSizeKib(const ResourceDefinition& rd);
  std::string DevicePath(const ResourceDefinition& rd, const VolumeDefinition& vd) const;
  const ResourceGroup& RgOf(const ResourceDefinition& rd) const;
  // Property lookup RD -> RG (LINSTOR's inheritance for what the sim evaluates).
  std::string EffectiveProp(const ResourceDefinition& rd, const std::string& key) const;
  bool DrbdInStack(const ResourceDefinition& rd) const;

  // Creation helpers; they change state and never fail except on backing errors.
  ResourceDefinition& AddRd(const std::string& name, const std::string& rg, const Props& props,
                            const std::string& external_name);
  Status AddVolume(ResourceDefinition& rd, int32_t number, int64_t size_kib, const Props& props);
  Resource& AddResource(ResourceDefinition& rd, const Node& node, const std::string& pool,
                        bool diskless, bool tie_breaker);
  void MakeDiskful(ResourceDefinition& rd, Resource& rsc, const std::string& pool);
  // Keys are taken by value: callers pass keys of the entries being erased.
  void RemoveResource(ResourceDefinition& rd, std::string node_key);
  void RemoveRd(std::string rd_key);
  void ChargePool(const std::string& node_key, const std::string& pool, int64_t delta_kib);

  // Adds or removes the automatic DRBD quorum tiebreaker.
  void ReconcileTieBreaker(ResourceDefinition& rd, ApiCallRcList& rc);
  // The diskful pool of a resource created on `node` without the autoplacer
  // (CtrlStorPoolResolveHelper.resolveStorPool).
  PoolChoice ResolveStorPool(const ResourceDefinition& rd, const Node& node,
                             const Props& rsc_props) const;
  // The pool the autoplacer takes on `node` for this RD's group (make-available with a disk),
  // or "".
  std::string AutoplacerPoolOnNode(const ResourceDefinition& rd, const Node& node) const;
  bool NodeHasRscMatching(const std::string& node_key, const SelectFilter& f) const;
  SelectFilter EffectiveFilter(const ResourceDefinition& rd, const SelectFilter& over) const;
  // Adds diskless resources on every other online node.
  void AddDisklessOnRemaining(ResourceDefinition& rd, ApiCallRcList& rc);
  // Check of one snapshot request; on success fills `nodes` (upper-case keys).
  Reply CheckSnapshot(const SnapshotCreateRequest& req, const ResourceDefinition& rd,
                      std::vector<std::string>& nodes) const;
  Status TakeSnapshot(ResourceDefinition& rd, const SnapshotCreateRequest& req,
                      const std::vector<std::string>& nodes, ApiCallRcList& rc);
  void RemoveSnapshot(ResourceDefinition& rd, std::string snap_key);

  std::string SerializeRd(const ResourceDefinition& rd) const;

  // JSON views (json_views.cc).
  void WriteNode(JsonWriter& w, const Node& node) const;
  void WritePool(JsonWriter& w, const Node& node, const StoragePool& pool) const;
  void WriteRg(JsonWriter& w, const ResourceGroup& rg) const;
  void WriteRd(JsonWriter& w, const ResourceDefinition& rd, bool with_vds) const;
  void WriteVd(JsonWriter& w, const ResourceDefinition& rd, const VolumeDefinition& vd) const;
  // `with_volumes`: only the view (GET /v1/view/resources) carries `volumes`.
  void WriteResource(JsonWriter& w, const ResourceDefinition& rd, const std::string& node_key,
                     const Resource& rsc, bool with_volumes) const;
  void WriteSnapshot(JsonWriter& w, const ResourceDefinition& rd, const Snapshot& s) const;

  std::map<std::string, Node> nodes_;
  std::map<std::string, ResourceGroup> rgs_;
  RdMap rds_;
  // node key -> keys of RDs with a resource there (view filters by node).
  std::map<std::string, std::set<std::string>> rds_by_node_;
  std::unique_ptr<Backing> backing_;
  uint64_t seed_;
  uint64_t uuid_counter_ = 0;
  int64_t snapshot_seq_ = 0;
  NumberPool minors_{kFirstMinor};
  NumberPool ports_{kFirstDrbdPort};
  int32_t clone_polls_ = 0;
  // The OpenAPI file the sim follows is REST API 1.28.0, first reported by LINSTOR 1.34.0-rc.1.
  std::string reported_version_ = "1.34.0-rc.1";
  std::string reported_rest_api_version_ = "1.28.0";
  // Serialize() re-encodes only RDs handed out for change since the last call (non-const
  // FindRd, AddRd, RemoveRd mark them); the others come from this cache.
  mutable std::map<std::string, std::string> persist_cache_;
  mutable std::set<std::string> persist_dirty_;
};

// Writes an AutoSelectFilter object (only the set fields).
void WriteSelectFilter(JsonWriter& w, const SelectFilter& f);

}  // namespace lcsi::sim
