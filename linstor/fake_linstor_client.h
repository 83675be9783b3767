// FakeLinstorClient: an in-memory LinstorClient for fast unit tests of controller
// and node logic. It keeps LINSTOR's observable rules (simplified):
//  - names are 2-48 chars of [A-Za-z0-9_-], starting with a letter or '_';
//  - spawn/autoplace place diskful replicas on distinct online nodes whose storage
//    pool matches the select filter (storage_pool[_list], node_name_list,
//    provider_list, not_place_with_rsc, replicas_on_same/different) and has free
//    space, largest free space first; otherwise FAIL_NOT_ENOUGH_NODES and nothing
//    is created; diskless_on_remaining adds diskless resources on the other nodes;
//  - capacity goes down with diskful replicas and snapshots, up when they go;
//  - an RD with snapshots cannot be deleted; rollback only to the newest snapshot;
//  - make-available creates a diskless resource, succeeds when one exists and turns
//    a tiebreaker into a diskless; a resource in use cannot be deleted;
//  - restore needs an existing target RD;
//  - deleting a missing object succeeds, a missing parent is kNotFound.
// Unlike LINSTOR, names are case-sensitive here.
// Tests can inject errors per method, count calls per method and flip state.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "linstor/linstor_client.h"

namespace lcsi::linstor {

class FakeLinstorClient : public LinstorClient {
 public:
  FakeLinstorClient();
  ~FakeLinstorClient() override;

  // ---- test setup and inspection ----
  void AddNode(const Node& node);  // connection_status defaults to ONLINE when empty
  void AddStoragePool(const StoragePool& pool);
  // Convenience: a node with one diskful pool of 'capacity_kib' (provider LVM_THIN) and a
  // DISKLESS pool "DfltDisklessStorPool".
  void AddSimpleNode(const std::string& name, const std::string& pool, int64_t capacity_kib,
                     const Props& node_props = {});
  void SetNodeOnline(const std::string& name, bool online);
  void SetInUse(const std::string& rd, const std::string& node, bool in_use);
  // Marks a snapshot SUCCESSFUL or not (new snapshots are SUCCESSFUL by default).
  void SetSnapshotSuccessful(const std::string& rd, const std::string& snap, bool successful);
  void SetCloneState(const std::string& clone_name, CloneState state);
  // Set the kind of resource created by spawn/autoplace on the remaining nodes
  // when diskless_on_remaining: false means a tiebreaker is added instead (only if
  // exactly two diskful replicas exist), mimicking LINSTOR's quorum tiebreaker.
  void SetAutoTieBreaker(bool enabled);

  // The next 'times' calls of 'method' (e.g. "Spawn", "ViewResources") fail with 'error'.
  void InjectError(const std::string& method, LinstorError error, int times = 1);
  // Number of calls of 'method' so far (including failed ones); "" = all methods.
  int CallCount(const std::string& method = "") const;
  void ResetCallCounts();

  // ---- LinstorClient ----
  LinstorResult<ControllerVersion> GetVersion() override;
  LinstorResult<std::vector<Node>> ListNodes(const std::vector<std::string>& names) override;
  LinstorResult<Node> GetNode(const std::string& name) override;
  LinstorResult<std::vector<StoragePool>> ListStoragePools(
      const StoragePoolFilter& filter) override;

  LinstorResult<std::vector<ResourceGroup>> ListResourceGroups(
      const ResourceGroupFilter& filter) override;
  LinstorResult<ResourceGroup> GetResourceGroup(const std::string& name) override;
  LinstorStatus CreateResourceGroup(const ResourceGroup& group) override;
  LinstorStatus ModifyResourceGroup(const std::string& name,
                                    const ResourceGroupModify& modify) override;
  LinstorStatus DeleteResourceGroup(const std::string& name) override;
  LinstorStatus Spawn(const std::string& resource_group, const ResourceGroupSpawn& spawn) override;
  LinstorResult<SpaceInfo> QuerySizeInfo(const std::string& resource_group,
                                         const SelectFilter* filter) override;

  LinstorResult<std::vector<ResourceDefinition>> ListResourceDefinitions(
      const ResourceDefinitionFilter& filter) override;
  LinstorResult<ResourceDefinition> GetResourceDefinition(const std::string& name) override;
  LinstorStatus CreateResourceDefinition(const ResourceDefinitionCreate& create) override;
  LinstorStatus ModifyResourceDefinition(const std::string& name,
                                         const PropsModify& modify) override;
  LinstorStatus DeleteResourceDefinition(const std::string& name) override;
  LinstorResult<std::vector<VolumeDefinition>> ListVolumeDefinitions(
      const std::string& resource_definition) override;
  LinstorStatus ResizeVolumeDefinition(const std::string& resource_definition,
                                       int32_t volume_number, int64_t size_kib) override;

  LinstorResult<std::vector<Resource>> ListResources(
      const std::string& resource_definition) override;
  LinstorResult<Resource> GetResource(const std::string& resource_definition,
                                      const std::string& node) override;
  LinstorResult<std::vector<Resource>> ViewResources(const ResourceViewFilter& filter) override;
  LinstorStatus CreateResource(const std::string& resource_definition,
                               const ResourceCreate& create) override;
  LinstorStatus MakeAvailable(const std::string& resource_definition, const std::string& node,
                              const ResourceMakeAvailable& request) override;
  LinstorStatus DeleteResource(const std::string& resource_definition,
                               const std::string& node) override;
  LinstorStatus AutoPlace(const std::string& resource_definition,
                          const AutoPlaceRequest& request) override;

  LinstorStatus CreateSnapshot(const SnapshotCreate& create) override;
  LinstorStatus CreateMultiSnapshot(const std::vector<SnapshotCreate>& snapshots) override;
  LinstorResult<std::vector<Snapshot>> ListSnapshots(
      const std::string& resource_definition) override;
  LinstorResult<Snapshot> GetSnapshot(const std::string& resource_definition,
                                      const std::string& snapshot) override;
  LinstorResult<std::vector<Snapshot>> ViewSnapshots(const SnapshotViewFilter& filter) override;
  LinstorStatus DeleteSnapshot(const std::string& resource_definition,
                               const std::string& snapshot) override;
  LinstorStatus RestoreVolumeDefinition(const std::string& resource_definition,
                                        const std::string& snapshot,
                                        const std::string& to_resource) override;
  LinstorStatus RestoreSnapshot(const std::string& resource_definition, const std::string& snapshot,
                                const SnapshotRestore& restore) override;
  LinstorStatus RollbackSnapshot(const std::string& resource_definition,
                                 const std::string& snapshot) override;

  LinstorResult<CloneStarted> StartClone(const std::string& resource_definition,
                                         const CloneRequest& request) override;
  LinstorResult<CloneStatus> GetCloneStatus(const std::string& resource_definition,
                                            const std::string& clone_name) override;

 private:
  struct State;
  // Counts the call and returns an injected error, if any. Caller holds mu_.
  std::optional<LinstorError> Enter(const std::string& method);

  mutable std::mutex mu_;
  std::unique_ptr<State> state_;
};

// True when 'name' is a valid LINSTOR object name (2-48 chars of [A-Za-z0-9_-],
// first a letter or '_').
bool IsValidLinstorName(const std::string& name);

// True when 'props' satisfies every "Key=Value" (or bare "Key": present) filter.
bool PropsMatch(const Props& props, const std::vector<std::string>& filters);

}  // namespace lcsi::linstor
