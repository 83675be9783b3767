// HttpLinstorClient: the real LinstorClient, over LINSTOR's REST API v1
// (paths and JSON per LINSTOR's REST API description, linstor-server's docs/rest_v1_openapi.yaml).
// Transport behaviour (pooling, failover, retries, TLS, auth): see http_transport.h; tests
// may put another Transport underneath (transport.h).
// Error answers become LinstorErrors classified from their ApiCallRc list; warnings
// in successful answers are logged (spdlog) and otherwise ignored.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "linstor/client_config.h"
#include "linstor/http_transport.h"
#include "linstor/linstor_client.h"

namespace lcsi::linstor {

class HttpLinstorClient : public LinstorClient {
 public:
  // 'observer' (optional) sees every HTTP attempt, e.g. to count requests per endpoint.
  // Retry back-off and rate limit wait on `clock`.
  static Result<std::unique_ptr<HttpLinstorClient>> Create(const ClientConfig& config,
                                                           RequestObserver observer = nullptr,
                                                           Clock& clock = SystemClock::Instance());
  // Over another transport (tests: linstor-sim in process, see linstor/transport.h).
  explicit HttpLinstorClient(std::unique_ptr<Transport> transport)
      : transport_(std::move(transport)) {}

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
  LinstorStatus ForEachResourceDefinition(
      const ResourceDefinitionFilter& filter,
      const std::function<void(ResourceDefinition&&)>& each) override;
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
  LinstorStatus ForEachResource(const ResourceViewFilter& filter,
                                const std::function<void(Resource&&)>& each) override;
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

  Transport& transport() { return *transport_; }

 private:
  // GET, expecting 200 and a body for 'decode'.
  template <typename T, typename Decoder>
  LinstorResult<T> Get(std::string_view path_template, const std::string& path, Decoder decode);
  // GET of a list, expecting 200; each element is decoded by 'decode_one' and passed to 'each'
  // while the answer streams in (JsonArrayStream), never held whole.
  template <typename T, typename Decoder>
  LinstorStatus GetEach(std::string_view path_template, const std::string& path, Decoder decode_one,
                        const std::function<void(T&&)>& each);
  // A mutating call answering an ApiCallRc list.
  LinstorStatus Mutate(std::string_view method, std::string_view path_template,
                       const std::string& path, const std::string* body);

  std::unique_ptr<Transport> transport_;
};

// URL building helpers (exposed for tests).
// Percent-encodes everything except unreserved characters (RFC 3986).
std::string UrlEncode(std::string_view s);
// Appends "?k=v&k=v..." (values encoded); repeated keys for lists.
class QueryBuilder {
 public:
  QueryBuilder& Add(std::string_view key, std::string_view value);
  QueryBuilder& AddAll(std::string_view key, const std::vector<std::string>& values);
  QueryBuilder& AddIfPositive(std::string_view key, int64_t value);
  std::string Apply(std::string path) const;

 private:
  std::string query_;
};

}  // namespace lcsi::linstor
