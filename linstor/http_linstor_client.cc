#include "linstor/http_linstor_client.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "linstor/decode.h"
#include "linstor/encode.h"
#include "linstor/json_array_stream.h"

namespace lcsi::linstor {

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

QueryBuilder& QueryBuilder::Add(std::string_view key, std::string_view value) {
  query_ += query_.empty() ? '?' : '&';
  query_ += UrlEncode(key);
  query_ += '=';
  query_ += UrlEncode(value);
  return *this;
}

QueryBuilder& QueryBuilder::AddAll(std::string_view key, const std::vector<std::string>& values) {
  for (const auto& v : values) Add(key, v);
  return *this;
}

QueryBuilder& QueryBuilder::AddIfPositive(std::string_view key, int64_t value) {
  if (value > 0) Add(key, std::to_string(value));
  return *this;
}

std::string QueryBuilder::Apply(std::string path) const { return path + query_; }

namespace {

constexpr std::string_view kRdTmpl = "/v1/resource-definitions/{resource}";

std::string RdPath(const std::string& rd) { return "/v1/resource-definitions/" + UrlEncode(rd); }

std::string Truncated(const std::string& s, size_t n = 300) {
  return s.size() <= n ? s : s.substr(0, n) + "...";
}

// Turns a non-success answer into a LinstorError.
LinstorError ErrorFromResponse(HttpResponse& res, const std::string& context) {
  std::vector<ApiCallRc> rcs;
  auto decoded = DecodeApiCallRcs(res.body);
  if (decoded.ok()) {
    rcs = std::move(decoded).value();
  } else if (!res.body.empty()) {
    ApiCallRc rc;
    rc.message = Truncated(res.body);
    rcs.push_back(std::move(rc));
  }
  return LinstorError::FromResponse(res.status, std::move(rcs), context);
}

bool IsSuccess(int status) { return status >= 200 && status < 300; }

// LINSTOR names compare case-insensitively.
bool NamesEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

Result<std::unique_ptr<HttpLinstorClient>> HttpLinstorClient::Create(const ClientConfig& config,
                                                                     RequestObserver observer,
                                                                     Clock& clock) {
  auto transport = HttpTransport::Create(config, std::move(observer), clock);
  if (!transport.ok()) return transport.status();
  return std::unique_ptr<HttpLinstorClient>(new HttpLinstorClient(std::move(transport).value()));
}

template <typename T, typename Decoder>
LinstorResult<T> HttpLinstorClient::Get(std::string_view path_template, const std::string& path,
                                        Decoder decode) {
  auto res = transport_->Send("GET", path_template, path, nullptr);
  if (!res.ok()) return res.error();
  if (!IsSuccess(res->status)) return ErrorFromResponse(res.value(), "GET " + path);
  LinstorResult<T> out = decode(res->body);
  if (!out.ok()) {
    return LinstorError(out.error().kind(), "GET " + path + ": " + out.error().message(),
                        res->status);
  }
  return out;
}

template <typename T, typename Decoder>
LinstorStatus HttpLinstorClient::GetEach(std::string_view path_template, const std::string& path,
                                         Decoder decode_one, const std::function<void(T&&)>& each) {
  std::string element;  // one element, padded for simdjson by the decoder
  std::optional<LinstorError> decode_error;
  JsonArrayStream stream([&](std::string_view json) -> Status {
    element.assign(json);
    LinstorResult<T> one = decode_one(element);
    if (!one.ok()) {
      decode_error = one.error();
      return Internal(one.error().message());
    }
    each(std::move(one).value());
    return Status::Ok();
  });
  auto res = transport_->SendStreaming(
      "GET", path_template, path,
      [&](const char* data, size_t size) { return stream.Feed(std::string_view(data, size)); });
  const std::string context = "GET " + path;
  if (decode_error) {
    return LinstorError(decode_error->kind(), context + ": " + decode_error->message(), 200);
  }
  if (!res.ok()) return res.error();
  if (!IsSuccess(res->status)) return ErrorFromResponse(res.value(), context);
  if (Status done = stream.Finish(); !done.ok()) {
    return LinstorError(LinstorErrorKind::kBadResponse, context + ": " + done.message(),
                        res->status);
  }
  return {};
}

LinstorStatus HttpLinstorClient::Mutate(std::string_view method, std::string_view path_template,
                                        const std::string& path, const std::string* body) {
  auto res = transport_->Send(method, path_template, path, body);
  const std::string context = std::string(method) + " " + path;
  if (!res.ok()) return res.error();
  if (!IsSuccess(res->status)) return ErrorFromResponse(res.value(), context);
  auto rcs = DecodeApiCallRcs(res->body);
  if (!rcs.ok()) {
    // A success whose body we cannot read: the operation happened; note it.
    spdlog::warn("LINSTOR {}: unreadable success answer: {}", context, rcs.error().message());
    return {};
  }
  for (const auto& rc : *rcs) {
    if (rc.IsError()) return LinstorError::FromResponse(res->status, rcs.value(), context);
  }
  for (const auto& rc : *rcs) {
    if (rc.IsWarning() && rc.code() == kCodeWarnNotFound) {
      spdlog::debug("LINSTOR {}: {}", context, rc.message);  // expected on idempotent deletes
    } else if (rc.IsWarning()) {
      spdlog::warn("LINSTOR {}: {}{}", context, rc.message,
                   rc.cause.empty() ? "" : " (cause: " + rc.cause + ")");
    }
  }
  return {};
}

// ---- controller, nodes, pools ----

LinstorResult<ControllerVersion> HttpLinstorClient::GetVersion() {
  return Get<ControllerVersion>("/v1/controller/version", "/v1/controller/version",
                                DecodeControllerVersion);
}

LinstorResult<std::vector<Node>> HttpLinstorClient::ListNodes(
    const std::vector<std::string>& names) {
  return Get<std::vector<Node>>(
      "/v1/nodes", QueryBuilder().AddAll("nodes", names).Apply("/v1/nodes"), DecodeNodes);
}

LinstorResult<Node> HttpLinstorClient::GetNode(const std::string& name) {
  return Get<Node>("/v1/nodes/{node}", "/v1/nodes/" + UrlEncode(name), DecodeNode);
}

LinstorResult<std::vector<StoragePool>> HttpLinstorClient::ListStoragePools(
    const StoragePoolFilter& filter) {
  const std::string path = QueryBuilder()
                               .AddAll("nodes", filter.nodes)
                               .AddAll("storage_pools", filter.storage_pools)
                               .AddAll("props", filter.props)
                               .Apply("/v1/view/storage-pools");
  return Get<std::vector<StoragePool>>("/v1/view/storage-pools", path, DecodeStoragePools);
}

// ---- resource groups ----

LinstorResult<std::vector<ResourceGroup>> HttpLinstorClient::ListResourceGroups(
    const ResourceGroupFilter& filter) {
  const std::string path = QueryBuilder()
                               .AddAll("resource_groups", filter.resource_groups)
                               .AddAll("props", filter.props)
                               .Apply("/v1/resource-groups");
  return Get<std::vector<ResourceGroup>>("/v1/resource-groups", path, DecodeResourceGroups);
}

LinstorResult<ResourceGroup> HttpLinstorClient::GetResourceGroup(const std::string& name) {
  return Get<ResourceGroup>("/v1/resource-groups/{resource_group}",
                            "/v1/resource-groups/" + UrlEncode(name), DecodeResourceGroup);
}

LinstorStatus HttpLinstorClient::CreateResourceGroup(const ResourceGroup& group) {
  const std::string body = EncodeResourceGroup(group);
  LinstorStatus created = Mutate("POST", "/v1/resource-groups", "/v1/resource-groups", &body);
  if (!created.ok() || group.props.empty()) return created;
  ResourceGroupModify props;
  props.override_props = group.props;
  LinstorStatus set = ModifyResourceGroup(group.name, props);
  if (!set.ok()) {
    // Without its props the group is not recognisably ours: remove it so a retry recreates it.
    if (LinstorStatus undone = DeleteResourceGroup(group.name); !undone.ok()) {
      spdlog::warn("LINSTOR: resource group {} left without its properties: {}", group.name,
                   undone.error().message());
    }
  }
  return set;
}

LinstorStatus HttpLinstorClient::ModifyResourceGroup(const std::string& name,
                                                     const ResourceGroupModify& modify) {
  const std::string body = EncodeResourceGroupModify(modify);
  return Mutate("PUT", "/v1/resource-groups/{resource_group}",
                "/v1/resource-groups/" + UrlEncode(name), &body);
}

LinstorStatus HttpLinstorClient::DeleteResourceGroup(const std::string& name) {
  return Mutate("DELETE", "/v1/resource-groups/{resource_group}",
                "/v1/resource-groups/" + UrlEncode(name), nullptr);
}

LinstorStatus HttpLinstorClient::Spawn(const std::string& resource_group,
                                       const ResourceGroupSpawn& spawn) {
  const std::string body = EncodeSpawn(spawn);
  return Mutate("POST", "/v1/resource-groups/{resource_group}/spawn",
                "/v1/resource-groups/" + UrlEncode(resource_group) + "/spawn", &body);
}

LinstorResult<SpaceInfo> HttpLinstorClient::QuerySizeInfo(const std::string& resource_group,
                                                          const SelectFilter* filter) {
  const std::string path = "/v1/resource-groups/" + UrlEncode(resource_group) + "/query-size-info";
  const std::string body = EncodeQuerySizeInfo(filter);
  auto res =
      transport_->Send("POST", "/v1/resource-groups/{resource_group}/query-size-info", path, &body);
  if (!res.ok()) return res.error();
  if (!IsSuccess(res->status)) return ErrorFromResponse(res.value(), "POST " + path);
  auto info = DecodeQuerySizeInfo(res->body);
  if (!info.ok()) return info;
  for (const auto& rc : info->reports) {
    if (rc.IsError()) return LinstorError::FromResponse(res->status, info->reports, "POST " + path);
  }
  return info;
}

// ---- resource definitions ----

LinstorResult<std::vector<ResourceDefinition>> HttpLinstorClient::ListResourceDefinitions(
    const ResourceDefinitionFilter& filter) {
  QueryBuilder q;
  q.AddAll("resource_definitions", filter.resource_definitions).AddAll("props", filter.props);
  if (filter.with_volume_definitions) q.Add("with_volume_definitions", "true");
  q.AddIfPositive("offset", filter.offset).AddIfPositive("limit", filter.limit);
  return Get<std::vector<ResourceDefinition>>(
      "/v1/resource-definitions", q.Apply("/v1/resource-definitions"), DecodeResourceDefinitions);
}

LinstorStatus HttpLinstorClient::ForEachResourceDefinition(
    const ResourceDefinitionFilter& filter, const std::function<void(ResourceDefinition&&)>& each) {
  QueryBuilder q;
  q.AddAll("resource_definitions", filter.resource_definitions).AddAll("props", filter.props);
  if (filter.with_volume_definitions) q.Add("with_volume_definitions", "true");
  q.AddIfPositive("offset", filter.offset).AddIfPositive("limit", filter.limit);
  return GetEach<ResourceDefinition>("/v1/resource-definitions",
                                     q.Apply("/v1/resource-definitions"), DecodeResourceDefinition,
                                     each);
}

LinstorResult<ResourceDefinition> HttpLinstorClient::GetResourceDefinition(
    const std::string& name) {
  return Get<ResourceDefinition>(kRdTmpl, RdPath(name), DecodeResourceDefinition);
}

LinstorStatus HttpLinstorClient::CreateResourceDefinition(const ResourceDefinitionCreate& create) {
  const std::string body = EncodeResourceDefinitionCreate(create);
  return Mutate("POST", "/v1/resource-definitions", "/v1/resource-definitions", &body);
}

LinstorStatus HttpLinstorClient::ModifyResourceDefinition(const std::string& name,
                                                          const PropsModify& modify) {
  const std::string body = EncodePropsModify(modify);
  return Mutate("PUT", kRdTmpl, RdPath(name), &body);
}

LinstorStatus HttpLinstorClient::DeleteResourceDefinition(const std::string& name) {
  return Mutate("DELETE", kRdTmpl, RdPath(name), nullptr);
}

LinstorResult<std::vector<VolumeDefinition>> HttpLinstorClient::ListVolumeDefinitions(
    const std::string& resource_definition) {
  return Get<std::vector<VolumeDefinition>>(
      "/v1/resource-definitions/{resource}/volume-definitions",
      RdPath(resource_definition) + "/volume-definitions", DecodeVolumeDefinitions);
}

LinstorStatus HttpLinstorClient::ResizeVolumeDefinition(const std::string& resource_definition,
                                                        int32_t volume_number, int64_t size_kib) {
  const std::string body = EncodeVolumeDefinitionResize(size_kib);
  return Mutate(
      "PUT", "/v1/resource-definitions/{resource}/volume-definitions/{volume_number}",
      RdPath(resource_definition) + "/volume-definitions/" + std::to_string(volume_number), &body);
}

// ---- resources ----

namespace {

std::string ResourceViewPath(const ResourceViewFilter& filter) {
  return QueryBuilder()
      .AddAll("nodes", filter.nodes)
      .AddAll("resources", filter.resources)
      .AddAll("storage_pools", filter.storage_pools)
      .AddAll("props", filter.props)
      .AddIfPositive("offset", filter.offset)
      .AddIfPositive("limit", filter.limit)
      .Apply("/v1/view/resources");
}

}  // namespace

LinstorResult<std::vector<Resource>> HttpLinstorClient::ListResources(
    const std::string& resource_definition) {
  return Get<std::vector<Resource>>("/v1/resource-definitions/{resource}/resources",
                                    RdPath(resource_definition) + "/resources", DecodeResources);
}

LinstorResult<Resource> HttpLinstorClient::GetResource(const std::string& resource_definition,
                                                       const std::string& node) {
  return Get<Resource>("/v1/resource-definitions/{resource}/resources/{node}",
                       RdPath(resource_definition) + "/resources/" + UrlEncode(node),
                       DecodeResource);
}

LinstorResult<std::vector<Resource>> HttpLinstorClient::ViewResources(
    const ResourceViewFilter& filter) {
  const std::string path = ResourceViewPath(filter);
  return Get<std::vector<Resource>>("/v1/view/resources", path, DecodeResources);
}

LinstorStatus HttpLinstorClient::ForEachResource(const ResourceViewFilter& filter,
                                                 const std::function<void(Resource&&)>& each) {
  const std::string path = ResourceViewPath(filter);
  return GetEach<Resource>("/v1/view/resources", path, DecodeResource, each);
}

LinstorStatus HttpLinstorClient::CreateResource(const std::string& resource_definition,
                                                const ResourceCreate& create) {
  const std::string body = EncodeResourceCreate(create);
  return Mutate("POST", "/v1/resource-definitions/{resource}/resources",
                RdPath(resource_definition) + "/resources", &body);
}

LinstorStatus HttpLinstorClient::MakeAvailable(const std::string& resource_definition,
                                               const std::string& node,
                                               const ResourceMakeAvailable& request) {
  const std::string body = EncodeMakeAvailable(request);
  return Mutate("POST", "/v1/resource-definitions/{resource}/resources/{node}/make-available",
                RdPath(resource_definition) + "/resources/" + UrlEncode(node) + "/make-available",
                &body);
}

LinstorStatus HttpLinstorClient::DeleteResource(const std::string& resource_definition,
                                                const std::string& node) {
  return Mutate("DELETE", "/v1/resource-definitions/{resource}/resources/{node}",
                RdPath(resource_definition) + "/resources/" + UrlEncode(node), nullptr);
}

LinstorStatus HttpLinstorClient::AutoPlace(const std::string& resource_definition,
                                           const AutoPlaceRequest& request) {
  const std::string body = EncodeAutoPlace(request);
  return Mutate("POST", "/v1/resource-definitions/{resource}/autoplace",
                RdPath(resource_definition) + "/autoplace", &body);
}

// ---- snapshots ----

LinstorStatus HttpLinstorClient::CreateSnapshot(const SnapshotCreate& create) {
  const std::string body = EncodeSnapshot(create);
  return Mutate("POST", "/v1/resource-definitions/{resource}/snapshots",
                RdPath(create.resource_name) + "/snapshots", &body);
}

LinstorStatus HttpLinstorClient::CreateMultiSnapshot(const std::vector<SnapshotCreate>& snapshots) {
  const std::string body = EncodeMultiSnapshot(snapshots);
  return Mutate("POST", "/v1/actions/snapshot/multi", "/v1/actions/snapshot/multi", &body);
}

LinstorResult<std::vector<Snapshot>> HttpLinstorClient::ListSnapshots(
    const std::string& resource_definition) {
  return Get<std::vector<Snapshot>>("/v1/resource-definitions/{resource}/snapshots",
                                    RdPath(resource_definition) + "/snapshots", DecodeSnapshots);
}

LinstorResult<Snapshot> HttpLinstorClient::GetSnapshot(const std::string& resource_definition,
                                                       const std::string& snapshot) {
  return Get<Snapshot>("/v1/resource-definitions/{resource}/snapshots/{snapshot}",
                       RdPath(resource_definition) + "/snapshots/" + UrlEncode(snapshot),
                       DecodeSnapshot);
}

LinstorResult<std::vector<Snapshot>> HttpLinstorClient::ViewSnapshots(
    const SnapshotViewFilter& filter) {
  // LINSTOR does not read snapshots= (View.listSnapshots): the answer is streamed and only the
  // wanted names are kept, so a cluster with many snapshots costs transfer, not memory.
  const std::string path = QueryBuilder()
                               .AddAll("nodes", filter.nodes)
                               .AddAll("resources", filter.resources)
                               .AddIfPositive("offset", filter.offset)
                               .AddIfPositive("limit", filter.limit)
                               .Apply("/v1/view/snapshots");
  std::vector<Snapshot> out;
  auto each = [&](Snapshot&& s) {
    const bool wanted = filter.snapshots.empty() ||
                        std::any_of(filter.snapshots.begin(), filter.snapshots.end(),
                                    [&](const std::string& n) { return NamesEqual(n, s.name); });
    if (wanted) out.push_back(std::move(s));
  };
  auto listed = GetEach<Snapshot>("/v1/view/snapshots", path, DecodeSnapshot,
                                  std::function<void(Snapshot &&)>(each));
  if (!listed.ok()) return listed.error();
  return out;
}

LinstorStatus HttpLinstorClient::DeleteSnapshot(const std::string& resource_definition,
                                                const std::string& snapshot) {
  return Mutate("DELETE", "/v1/resource-definitions/{resource}/snapshots/{snapshot}",
                RdPath(resource_definition) + "/snapshots/" + UrlEncode(snapshot), nullptr);
}

LinstorStatus HttpLinstorClient::RestoreVolumeDefinition(const std::string& resource_definition,
                                                         const std::string& snapshot,
                                                         const std::string& to_resource) {
  const std::string body = EncodeSnapshotRestore(SnapshotRestore{to_resource, {}});
  return Mutate(
      "POST", "/v1/resource-definitions/{resource}/snapshot-restore-volume-definition/{snapshot}",
      RdPath(resource_definition) + "/snapshot-restore-volume-definition/" + UrlEncode(snapshot),
      &body);
}

LinstorStatus HttpLinstorClient::RestoreSnapshot(const std::string& resource_definition,
                                                 const std::string& snapshot,
                                                 const SnapshotRestore& restore) {
  const std::string body = EncodeSnapshotRestore(restore);
  return Mutate("POST", "/v1/resource-definitions/{resource}/snapshot-restore-resource/{snapshot}",
                RdPath(resource_definition) + "/snapshot-restore-resource/" + UrlEncode(snapshot),
                &body);
}

LinstorStatus HttpLinstorClient::RollbackSnapshot(const std::string& resource_definition,
                                                  const std::string& snapshot) {
  const std::string body = EncodeSnapshotRollback();
  return Mutate("POST", "/v1/resource-definitions/{resource}/snapshot-rollback/{snapshot}",
                RdPath(resource_definition) + "/snapshot-rollback/" + UrlEncode(snapshot), &body);
}

// ---- clone ----

LinstorResult<CloneStarted> HttpLinstorClient::StartClone(const std::string& resource_definition,
                                                          const CloneRequest& request) {
  const std::string path = RdPath(resource_definition) + "/clone";
  const std::string body = EncodeCloneRequest(request);
  auto res = transport_->Send("POST", "/v1/resource-definitions/{resource}/clone", path, &body);
  if (!res.ok()) return res.error();
  if (!IsSuccess(res->status)) return ErrorFromResponse(res.value(), "POST " + path);
  auto started = DecodeCloneStarted(res->body);
  if (!started.ok()) return started;
  for (const auto& rc : started->messages) {
    if (rc.IsError()) {
      return LinstorError::FromResponse(res->status, started->messages, "POST " + path);
    }
    if (rc.IsWarning()) spdlog::warn("LINSTOR POST {}: {}", path, rc.message);
  }
  return started;
}

LinstorResult<CloneStatus> HttpLinstorClient::GetCloneStatus(const std::string& resource_definition,
                                                             const std::string& clone_name) {
  return Get<CloneStatus>("/v1/resource-definitions/{resource}/clone/{resourceClone}",
                          RdPath(resource_definition) + "/clone/" + UrlEncode(clone_name),
                          DecodeCloneStatus);
}

}  // namespace lcsi::linstor
