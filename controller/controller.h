// The Controller and GroupController logic of the plugin, against the LinstorClient seam.
// controller_service.h adapts it to gRPC. Every RPC validates its request, serialises per
// volume/snapshot (a concurrent call on the same object gets Aborted), talks to LINSTOR, and
// answers with the codes of the CSI spec's error table for that RPC.
//
// Ownership: every resource group, resource definition and snapshot the plugin creates carries
// Aux/csi-owner = owner id (props.h). The plugin lists, modifies and deletes only objects with
// that mark; a foreign object is never changed.
//
// Implementation files: one per RPC, named after it (controller_create_volume.cc,
// controller_list_snapshots.cc, ...; CreateVolume's paths in controller_create_volume_*.cc), and
// controller.cc for the helpers they share.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "controller/capacity.h"
#include "controller/parameters.h"
#include "controller/props.h"
#include "controller/resource_group_cache.h"
#include "controller/resource_group_spec.h"
#include "controller/topology.h"
#include "controller/volume_condition.h"
#include "controller/volume_list_cache.h"
#include "csi/csi.pb.h"
#include "csi/volume_locks.h"
#include "linstor/linstor_client.h"

namespace lcsi::controller {

struct ControllerOptions {
  std::string driver_name = "linstor-cpp.csi.io";
  std::string owner_id;  // empty: the driver name
  int64_t default_size_kib = kDefaultVolumeSizeKib;
  // How long CreateVolume waits for a LINSTOR clone (or a temporary snapshot) before it answers
  // Aborted; the CO's retry picks the operation up where it is.
  std::chrono::milliseconds clone_timeout{std::chrono::minutes(2)};
  std::chrono::milliseconds poll_interval{std::chrono::milliseconds(200)};
  // How long the pages after a ListVolumes listing's first one are cut from that first page's
  // LINSTOR read (volume_list_cache.h); 0 reads LINSTOR for every page.
  std::chrono::milliseconds list_cache_ttl{std::chrono::seconds(30)};
  // The time of the waits (clone, snapshot, in-use elsewhere) and of the ListVolumes cache;
  // tests hand in a FakeClock. Null means the system clock.
  Clock* clock = &SystemClock::Instance();
};

class Controller {
 public:
  Controller(ControllerOptions options, linstor::LinstorClient* client);

  const std::string& driver_name() const { return options_.driver_name; }
  const std::string& owner_id() const { return options_.owner_id; }

  Status CreateVolume(const csi::v1::CreateVolumeRequest& req, csi::v1::CreateVolumeResponse* resp);
  Status DeleteVolume(const csi::v1::DeleteVolumeRequest& req);
  Status ControllerPublishVolume(const csi::v1::ControllerPublishVolumeRequest& req,
                                 csi::v1::ControllerPublishVolumeResponse* resp);
  Status ControllerUnpublishVolume(const csi::v1::ControllerUnpublishVolumeRequest& req);
  Status ValidateVolumeCapabilities(const csi::v1::ValidateVolumeCapabilitiesRequest& req,
                                    csi::v1::ValidateVolumeCapabilitiesResponse* resp);
  Status ListVolumes(const csi::v1::ListVolumesRequest& req, csi::v1::ListVolumesResponse* resp);
  Status GetCapacity(const csi::v1::GetCapacityRequest& req, csi::v1::GetCapacityResponse* resp);
  Status ControllerGetVolume(const csi::v1::ControllerGetVolumeRequest& req,
                             csi::v1::ControllerGetVolumeResponse* resp);
  Status ControllerExpandVolume(const csi::v1::ControllerExpandVolumeRequest& req,
                                csi::v1::ControllerExpandVolumeResponse* resp);
  Status ControllerModifyVolume(const csi::v1::ControllerModifyVolumeRequest& req);

  Status CreateSnapshot(const csi::v1::CreateSnapshotRequest& req,
                        csi::v1::CreateSnapshotResponse* resp);
  Status DeleteSnapshot(const csi::v1::DeleteSnapshotRequest& req);
  Status ListSnapshots(const csi::v1::ListSnapshotsRequest& req,
                       csi::v1::ListSnapshotsResponse* resp);
  Status GetSnapshot(const csi::v1::GetSnapshotRequest& req, csi::v1::GetSnapshotResponse* resp);

  Status CreateVolumeGroupSnapshot(const csi::v1::CreateVolumeGroupSnapshotRequest& req,
                                   csi::v1::CreateVolumeGroupSnapshotResponse* resp);
  Status DeleteVolumeGroupSnapshot(const csi::v1::DeleteVolumeGroupSnapshotRequest& req);
  Status GetVolumeGroupSnapshot(const csi::v1::GetVolumeGroupSnapshotRequest& req,
                                csi::v1::GetVolumeGroupSnapshotResponse* resp);

 private:
  // ---- shared helpers (controller.cc) ----
  // Holds the per-object lock or answers Aborted.
  Result<VolumeLocks::Guard> Lock(const std::string& key, const std::string& what);
  bool Owns(const linstor::Props& props) const { return props::OwnedBy(props, options_.owner_id); }
  // The RD of a live volume this plugin owns; NotFound for a missing, foreign or deleted one.
  // LINSTOR's single-RD GET carries no volume definitions: `with_sizes` reads the RD through
  // the list call with with_volume_definitions instead (one request either way).
  Result<linstor::ResourceDefinition> LoadVolume(const std::string& volume_id,
                                                 bool with_sizes = false);
  // The RD `name` with its volume definitions; NotFound when it does not exist.
  linstor::LinstorResult<linstor::ResourceDefinition> ReadDefinitionWithSizes(
      const std::string& name);
  Result<std::vector<linstor::Resource>> VolumeResources(const std::string& rd);
  // ControllerPublishVolume of a single-node volume: OK once LINSTOR reports it in use on no
  // other node, waiting up to the volume's inUseWaitTimeout (refreshing `resources`);
  // FailedPrecondition naming the node otherwise.
  Status WaitUntilNotInUseElsewhere(const csi::v1::ControllerPublishVolumeRequest& req,
                                    std::vector<linstor::Resource>* resources);
  Result<std::map<std::string, linstor::Node>> NodesByName(const std::vector<std::string>& names);
  // ControllerPublishVolume on a node without a diskful replica: OK when the volume's
  // allowRemoteVolumeAccess lets `node` attach, FailedPrecondition saying why not otherwise.
  // GetCapacity of a class with overProvision (controller_get_capacity.cc); `wanted_nodes`:
  // the nodes serving the requested segment (nullopt: all).
  Status OverProvisioned(const VolumeParameters& params,
                         const std::optional<std::vector<std::string>>& wanted_nodes,
                         csi::v1::GetCapacityResponse* resp);
  Status CheckRemoteAccess(const linstor::ResourceDefinition& rd,
                           const std::vector<linstor::Resource>& resources,
                           const std::string& node);
  // volume_id, capacity, content source, accessible topology (resources may be null when the
  // volume allows remote access: then no topology restriction is reported).
  // `nodes`: the diskful nodes with their properties, needed when the volume's remote access
  // is by rules (NodesForServedTopology); may be null otherwise.
  void FillVolume(const linstor::ResourceDefinition& rd,
                  const std::vector<linstor::Resource>* resources, csi::v1::Volume* out,
                  const std::map<std::string, linstor::Node>* nodes = nullptr) const;
  // The nodes whose properties FillVolume needs for a volume with these properties (none unless
  // its allowRemoteVolumeAccess is a rule list).
  Result<std::map<std::string, linstor::Node>> NodesForServedTopology(
      const linstor::Props& rd_props, const std::vector<linstor::Resource>& resources);
  static std::vector<std::string> PublishedNodes(const linstor::Props& props);
  // Removes the plugin's diskless client on `node` (if it made one) and the publication marks.
  Status UnpublishFromNode(const linstor::ResourceDefinition& rd, const std::string& node);
  // Deletes the RD of a volume that was deleted while snapshots kept it, once none is left.
  Status CleanupDeletedVolume(const std::string& rd);
  // Deletes `rd` if it carries our owner mark and the CSI name `csi_name`, or is an unfinished
  // create of `csi_name` (partial creates).
  void DeleteIfOurs(const std::string& rd, const std::string& csi_name);
  Clock& clock() const { return *options_.clock; }

  // ---- ListVolumes (controller_list_volumes.cc) ----
  // One full read: every live owned volume as a finished ListVolumes entry, sorted by id.
  Result<std::shared_ptr<const VolumeListCache::Snapshot>> ReadVolumeList();

  // ---- CreateVolume (controller_create_volume*.cc; the plan: create_plan.h) ----
  struct CreatePlan;
  enum class CreateOutcome { kCreated, kExists };
  Status CreateVolumeLocked(CreatePlan& plan, csi::v1::CreateVolumeResponse* resp, int attempt);
  Result<CreateOutcome> CreateBySpawn(CreatePlan& plan);
  Result<std::optional<CreateOutcome>> SpawnNearConsumer(CreatePlan& plan);
  // Spawn, recreating the class's group once if LINSTOR no longer has it.
  linstor::LinstorStatus SpawnInGroup(CreatePlan& plan, const linstor::ResourceGroupSpawn& spawn);
  // The status of a failed spawn; removes a half-made RD.
  Status SpawnFailed(CreatePlan& plan, const linstor::LinstorStatus& spawned);
  Result<std::vector<linstor::Node>> ListNodesForTopology();
  Status VerifyRequisite(const CreatePlan& plan);
  Result<CreateOutcome> CreateFromSnapshot(CreatePlan& plan);
  Result<CreateOutcome> CreateByClone(CreatePlan& plan);
  Result<CreateOutcome> CloneViaSnapshot(CreatePlan& plan, const linstor::ResourceDefinition& src);
  Result<CreateOutcome> CreateEmptyDefinition(CreatePlan& plan);
  Status RestoreInto(CreatePlan& plan, const std::string& src_rd, const linstor::Snapshot& snap);
  Status WaitForClone(CreatePlan& plan, const std::string& src_rd);
  Status FinishClone(CreatePlan& plan, const std::string& src_rd);
  // Autoplaces up to the wanted replica count; `diskful` = current diskful replicas, read from
  // LINSTOR when nullopt.
  Status PlaceRemainingReplicas(CreatePlan& plan, std::optional<int32_t> diskful);
  std::optional<int32_t> WantedReplicas(const CreatePlan& plan) const;
  Status ClearIncomplete(CreatePlan& plan);
  // After a restore: this volume's own properties back, the source's plugin marks dropped.
  Status FinishRestoredProperties(CreatePlan& plan, const linstor::Snapshot& snap);
  Result<linstor::Snapshot> WaitForSnapshot(const std::string& rd, const std::string& snap);
  // What to do about an RD that already has the name: reuse it (fills resp), conflict
  // (AlreadyExists), or redo (a leftover was removed).
  enum class ExistingVerdict { kReused, kRedo };
  Result<ExistingVerdict> InspectExisting(CreatePlan& plan, csi::v1::CreateVolumeResponse* resp);

  // ---- CreateVolume's content source (controller_create_volume_source.cc) ----
  // NotFound when the request's source snapshot or volume does not exist, unless the volume
  // already exists from that source (a repeat); checked before the request's other verdicts.
  Status CheckContentSourceExists(const csi::v1::CreateVolumeRequest& req);
  // The source of a create is gone: kExists when this plugin's volume `rd` of CSI volume
  // `csi_name` exists (a repeat, answered by InspectExisting), else NotFound with `message`.
  Result<CreateOutcome> SourceMissing(const std::string& rd, const std::string& csi_name,
                                      const std::string& message);
  Status RespondCreated(CreatePlan& plan, csi::v1::CreateVolumeResponse* resp);

  // ---- manual placement and the create answer (controller_create_volume_placement.cc) ----
  Result<CreateOutcome> CreateManual(CreatePlan& plan);
  // placementPolicy FollowTopology; nullopt: no topology named a node and none was required,
  // the caller lets LINSTOR place the volume.
  Result<std::optional<CreateOutcome>> CreateFollowingTopology(CreatePlan& plan);
  // One diskless resource per clientList node (an existing resource there is fine).
  Status CreateClientResources(CreatePlan& plan);

  // ---- snapshots (controller_snapshot_messages.cc, controller_delete_snapshot.cc,
  // controller_group_snapshot_members.cc) ----
  void FillSnapshot(const linstor::Snapshot& snap, csi::v1::Snapshot* out) const;
  // A snapshot's identity is in its own (snapshot definition) props: LINSTOR's merged `props`
  // also carry the source volume's owner and CSI name.
  bool OwnsSnapshot(const linstor::Snapshot& snap) const { return Owns(snap.definition_props); }
  // Deletes one owned snapshot (missing is fine) and then a deleted volume it kept alive.
  // A member of a group snapshot goes only with its group: DeleteSnapshot passes
  // `refuse_group_member` so a single member is refused (INVALID_ARGUMENT, as the spec allows).
  Status DeleteOwnedSnapshot(const std::string& rd, const std::string& snap,
                             bool refuse_group_member = false);
  // Members of a group snapshot: owned snapshots named `snap` that carry the group mark.
  Result<std::vector<linstor::Snapshot>> GroupMembers(const std::string& snap);
  // The snapshot_ids of a Get/DeleteVolumeGroupSnapshot request: empty, or exactly the members.
  static Status CheckGroupSnapshotList(const google::protobuf::RepeatedPtrField<std::string>& given,
                                       const std::vector<linstor::Snapshot>& members,
                                       const std::string& id);
  void FillGroupSnapshot(const std::string& snap, const std::vector<linstor::Snapshot>& members,
                         csi::v1::VolumeGroupSnapshot* out) const;

  ControllerOptions options_;
  linstor::LinstorClient* client_;
  ResourceGroupCache groups_;
  TopologyMapper topology_;
  VolumeLocks locks_;
  VolumeListCache list_cache_;
  // Volumes in the last full listing: a large one reads resources and definitions in parallel.
  std::atomic<size_t> last_list_size_{0};
};

}  // namespace lcsi::controller
