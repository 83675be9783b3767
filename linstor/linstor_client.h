// LinstorClient: the seam between the plugin and a LINSTOR controller. One
// method per REST operation the plugin uses. Implementations:
//   HttpLinstorClient (linstor/http_linstor_client.h): the real one, over HTTP(S);
// Unit tests use HttpLinstorClient too, over linstor-sim in process (a Transport, see
// linstor/transport.h and linstor/sim/testing/in_process_sim.h): one set of LINSTOR rules.
//
// Contracts shared by every implementation:
//  - Thread-safe: any method may be called concurrently from many threads.
//  - Mutations return LinstorStatus; failures carry a LinstorError whose kind()
//    tells not-found / exists / in-use / not-enough-nodes / unavailable / invalid apart.
//  - Single-object getters return kNotFound (HTTP 404) for a missing object.
//  - Deleting an object that does not exist succeeds (LINSTOR answers 200 with a
//    WARN_NOT_FOUND warning); a missing parent (the RD of a resource or snapshot, the
//    node of a resource) is kNotFound.
//  - List calls return an empty vector (not an error) when nothing matches.
//  - Warnings in a successful answer are logged, never turned into errors.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "linstor/errors.h"
#include "linstor/model.h"

namespace lcsi::linstor {

class LinstorClient {
 public:
  virtual ~LinstorClient() = default;

  // ---- controller, nodes, storage pools ----
  // GET /v1/controller/version
  virtual LinstorResult<ControllerVersion> GetVersion() = 0;
  // GET /v1/nodes (optionally ?nodes=a&nodes=b)
  virtual LinstorResult<std::vector<Node>> ListNodes(const std::vector<std::string>& names) = 0;
  // GET /v1/nodes/{node}
  virtual LinstorResult<Node> GetNode(const std::string& name) = 0;
  // GET /v1/view/storage-pools
  virtual LinstorResult<std::vector<StoragePool>> ListStoragePools(
      const StoragePoolFilter& filter) = 0;

  // ---- resource groups ----
  // GET /v1/resource-groups
  virtual LinstorResult<std::vector<ResourceGroup>> ListResourceGroups(
      const ResourceGroupFilter& filter) = 0;
  // GET /v1/resource-groups/{rg}
  virtual LinstorResult<ResourceGroup> GetResourceGroup(const std::string& name) = 0;
  // POST /v1/resource-groups (name, description, select_filter, peer_slots), then, when the
  // group has props, PUT /v1/resource-groups/{rg} with them: LINSTOR ignores props on
  // creation (ResourceGroups.createResourceGroup). A failed PUT deletes the new group again.
  virtual LinstorStatus CreateResourceGroup(const ResourceGroup& group) = 0;
  // PUT /v1/resource-groups/{rg}
  virtual LinstorStatus ModifyResourceGroup(const std::string& name,
                                            const ResourceGroupModify& modify) = 0;
  // DELETE /v1/resource-groups/{rg}
  virtual LinstorStatus DeleteResourceGroup(const std::string& name) = 0;
  // POST /v1/resource-groups/{rg}/spawn. Creates the RD and its volume definitions,
  // and (unless definitions_only) places the replicas; all or nothing.
  virtual LinstorStatus Spawn(const std::string& resource_group,
                              const ResourceGroupSpawn& spawn) = 0;
  // POST /v1/resource-groups/{rg}/query-size-info. 'filter' (optional) overrides the
  // group's select filter, e.g. node_name_list for one topology segment.
  virtual LinstorResult<SpaceInfo> QuerySizeInfo(const std::string& resource_group,
                                                 const SelectFilter* filter) = 0;

  // ---- resource definitions and volume definitions ----
  // GET /v1/resource-definitions
  virtual LinstorResult<std::vector<ResourceDefinition>> ListResourceDefinitions(
      const ResourceDefinitionFilter& filter) = 0;
  // The same, one resource definition at a time (see ForEachResource).
  virtual LinstorStatus ForEachResourceDefinition(
      const ResourceDefinitionFilter& filter,
      const std::function<void(ResourceDefinition&&)>& each) {
    auto all = ListResourceDefinitions(filter);
    if (!all.ok()) return all.error();
    for (auto& rd : *all) each(std::move(rd));
    return {};
  }
  // GET /v1/resource-definitions/{rd}. LINSTOR never includes volume definitions here
  // (ResourceDefinitions.listSingleResourceDefinition): read sizes from
  // ListResourceDefinitions(with_volume_definitions) or ListVolumeDefinitions.
  virtual LinstorResult<ResourceDefinition> GetResourceDefinition(const std::string& name) = 0;
  // POST /v1/resource-definitions (no volume definitions)
  virtual LinstorStatus CreateResourceDefinition(const ResourceDefinitionCreate& create) = 0;
  // PUT /v1/resource-definitions/{rd}
  virtual LinstorStatus ModifyResourceDefinition(const std::string& name,
                                                 const PropsModify& modify) = 0;
  // DELETE /v1/resource-definitions/{rd}
  virtual LinstorStatus DeleteResourceDefinition(const std::string& name) = 0;
  // GET /v1/resource-definitions/{rd}/volume-definitions
  virtual LinstorResult<std::vector<VolumeDefinition>> ListVolumeDefinitions(
      const std::string& resource_definition) = 0;
  // PUT /v1/resource-definitions/{rd}/volume-definitions/{n} {"size_kib": ...}
  virtual LinstorStatus ResizeVolumeDefinition(const std::string& resource_definition,
                                               int32_t volume_number, int64_t size_kib) = 0;

  // ---- resources ----
  // GET /v1/resource-definitions/{rd}/resources. Like the single GET below, without `volumes`
  // (Json.apiToResource): device paths and disk states come from ViewResources.
  virtual LinstorResult<std::vector<Resource>> ListResources(
      const std::string& resource_definition) = 0;
  // GET /v1/resource-definitions/{rd}/resources/{node} (no `volumes`)
  virtual LinstorResult<Resource> GetResource(const std::string& resource_definition,
                                              const std::string& node) = 0;
  // GET /v1/view/resources (with volumes)
  virtual LinstorResult<std::vector<Resource>> ViewResources(const ResourceViewFilter& filter) = 0;
  // The same, one resource at a time: `each` sees every resource as it is decoded, so a large
  // answer (a whole cluster) is never held in memory at once. On an error `each` may have seen
  // part of the answer. This default lists, then iterates.
  virtual LinstorStatus ForEachResource(const ResourceViewFilter& filter,
                                        const std::function<void(Resource&&)>& each) {
    auto all = ViewResources(filter);
    if (!all.ok()) return all.error();
    for (auto& r : *all) each(std::move(r));
    return {};
  }
  // POST /v1/resource-definitions/{rd}/resources (one resource)
  virtual LinstorStatus CreateResource(const std::string& resource_definition,
                                       const ResourceCreate& create) = 0;
  // POST /v1/resource-definitions/{rd}/resources/{node}/make-available. Creates a diskless
  // resource (diskful if asked), succeeds when one exists, turns a tiebreaker into a diskless.
  virtual LinstorStatus MakeAvailable(const std::string& resource_definition,
                                      const std::string& node,
                                      const ResourceMakeAvailable& request) = 0;
  // DELETE /v1/resource-definitions/{rd}/resources/{node}
  virtual LinstorStatus DeleteResource(const std::string& resource_definition,
                                       const std::string& node) = 0;
  // POST /v1/resource-definitions/{rd}/autoplace
  virtual LinstorStatus AutoPlace(const std::string& resource_definition,
                                  const AutoPlaceRequest& request) = 0;

  // ---- snapshots ----
  // POST /v1/resource-definitions/{rd}/snapshots (create.resource_name is the RD)
  virtual LinstorStatus CreateSnapshot(const SnapshotCreate& create) = 0;
  // POST /v1/actions/snapshot/multi: one consistent snapshot across several RDs.
  virtual LinstorStatus CreateMultiSnapshot(const std::vector<SnapshotCreate>& snapshots) = 0;
  // GET /v1/resource-definitions/{rd}/snapshots
  virtual LinstorResult<std::vector<Snapshot>> ListSnapshots(
      const std::string& resource_definition) = 0;
  // GET /v1/resource-definitions/{rd}/snapshots/{snap}
  virtual LinstorResult<Snapshot> GetSnapshot(const std::string& resource_definition,
                                              const std::string& snapshot) = 0;
  // GET /v1/view/snapshots (filter.snapshots applied client-side, see SnapshotViewFilter)
  virtual LinstorResult<std::vector<Snapshot>> ViewSnapshots(const SnapshotViewFilter& filter) = 0;
  // DELETE /v1/resource-definitions/{rd}/snapshots/{snap}
  virtual LinstorStatus DeleteSnapshot(const std::string& resource_definition,
                                       const std::string& snapshot) = 0;
  // POST /v1/resource-definitions/{rd}/snapshot-restore-volume-definition/{snap}
  // {"to_resource": ...}. The target RD must exist (kNotFound otherwise).
  virtual LinstorStatus RestoreVolumeDefinition(const std::string& resource_definition,
                                                const std::string& snapshot,
                                                const std::string& to_resource) = 0;
  // POST /v1/resource-definitions/{rd}/snapshot-restore-resource/{snap}
  virtual LinstorStatus RestoreSnapshot(const std::string& resource_definition,
                                        const std::string& snapshot,
                                        const SnapshotRestore& restore) = 0;
  // POST /v1/resource-definitions/{rd}/snapshot-rollback/{snap} (newest snapshot only)
  virtual LinstorStatus RollbackSnapshot(const std::string& resource_definition,
                                         const std::string& snapshot) = 0;

  // ---- clone ----
  // POST /v1/resource-definitions/{rd}/clone
  virtual LinstorResult<CloneStarted> StartClone(const std::string& resource_definition,
                                                 const CloneRequest& request) = 0;
  // GET /v1/resource-definitions/{rd}/clone/{clone}
  virtual LinstorResult<CloneStatus> GetCloneStatus(const std::string& resource_definition,
                                                    const std::string& clone_name) = 0;
};

}  // namespace lcsi::linstor
