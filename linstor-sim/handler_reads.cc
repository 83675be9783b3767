#include "linstor-sim/handler_reads.h"

#include <simdjson.h>

#include <algorithm>

namespace lcsi::sim {
namespace {

constexpr const char* kRest = "controller/src/main/java/com/linbit/linstor/api/rest/v1/";

// Json.AutoSelectFilterData: the AutoSelectFilter fields LINSTOR reads (`overprovision` is
// declared in JsonGenTypes.AutoSelectFilter but never read).
std::vector<std::string> SelectFilterFields(bool with_diskless_and_layers = true) {
  std::vector<std::string> out;
  for (const char* f :
       {"place_count", "additional_place_count", "node_name_list", "storage_pool",
        "storage_pool_list", "storage_pool_diskless_list", "not_place_with_rsc",
        "not_place_with_rsc_regex", "replicas_on_same", "replicas_on_different",
        "x_replicas_on_different_map", "provider_list", "diskless_type", "port_count"}) {
    out.push_back(std::string("select_filter.") + f);
  }
  if (with_diskless_and_layers) {
    out.push_back("select_filter.diskless_on_remaining");
    out.push_back("select_filter.layer_stack");
  }
  return out;
}

std::vector<std::string> Join(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::string Src(const std::string& file_and_method) { return kRest + file_and_method; }

std::vector<EndpointReads> BuildTable() {
  const std::vector<std::string> paging = {"limit", "offset"};
  std::vector<EndpointReads> t;
  auto add = [&t](std::string endpoint, std::vector<std::string> query,
                  std::vector<std::string> body, std::string source) {
    t.push_back(
        {std::move(endpoint), std::move(query), std::move(body), std::move(source), {}, 400});
  };

  add("GET /v1/controller/version", {}, {}, Src("Controller.java: version"));
  add("GET /v1/nodes", {"nodes", "props", "limit", "offset"}, {}, Src("Nodes.java: listNodes"));
  add("GET /v1/nodes/{node}", paging, {}, Src("Nodes.java: listSingleNode"));
  add("GET /v1/nodes/{node}/storage-pools", {"limit", "offset", "cached"}, {},
      Src("StoragePools.java: listStoragePools"));
  add("GET /v1/view/storage-pools",
      {"nodes", "storage_pools", "props", "limit", "offset", "cached"}, {},
      Src("View.java: viewStoragePools"));

  add("GET /v1/resource-groups", {"resource_groups", "props", "limit", "offset"}, {},
      Src("ResourceGroups.java: listManyResourceGroups"));
  add("GET /v1/resource-groups/{resource_group}", paging, {},
      Src("ResourceGroups.java: listSingleResourceGroup"));
  // props: "currently props are not supported on creation" (an empty map is passed on).
  add("POST /v1/resource-groups", {},
      Join({"name", "description", "peer_slots"}, SelectFilterFields()),
      Src("ResourceGroups.java: createResourceGroup"));
  add("PUT /v1/resource-groups/{resource_group}", {},
      Join({"description", "override_props", "delete_props", "delete_namespaces", "peer_slots",
            "snap_names", "copy_all_snaps"},
           SelectFilterFields()),
      Src("ResourceGroups.java: modifyResourceGroup"));
  add("DELETE /v1/resource-groups/{resource_group}", {}, {},
      Src("ResourceGroups.java: deleteResourceGroup"));
  add("POST /v1/resource-groups/{resource_group}/spawn", {},
      Join({"resource_definition_name", "resource_definition_external_name", "volume_sizes",
            "partial", "definitions_only", "peer_slots", "volume_passphrases",
            "resource_definition_props"},
           SelectFilterFields()),
      Src("ResourceGroups.java: spawnResourceDefinition"));
  add("POST /v1/resource-groups/{resource_group}/query-size-info", {},
      Join({"ignore_cache_older_than_sec"}, SelectFilterFields()),
      Src("ResourceGroups.java: querySizeInfo, serializer/Json.java: querySizeInfoReqToPojo"));

  // vlmNr is declared but never used.
  add("GET /v1/resource-definitions",
      {"resource_definitions", "with_volume_definitions", "props", "limit", "offset"}, {},
      Src("ResourceDefinitions.java: listResourceDefinitions"));
  // volume_definitions: "do not allow volume definition creations" (an empty list is passed on);
  // of layer_data only each entry's type is used.
  add("POST /v1/resource-definitions", {},
      {"drbd_port", "drbd_secret", "drbd_peer_slots", "drbd_transport_type",
       "resource_definition.name", "resource_definition.external_name", "resource_definition.props",
       "resource_definition.layer_data.type", "resource_definition.resource_group_name"},
      Src("ResourceDefinitions.java: createResourceDefinition"));
  // with_volume_definitions is not a parameter here (issue 10, finding 1).
  add("GET /v1/resource-definitions/{resource}", paging, {},
      Src("ResourceDefinitions.java: listSingleResourceDefinition"));
  add("PUT /v1/resource-definitions/{resource}", {},
      {"override_props", "delete_props", "delete_namespaces", "drbd_port", "drbd_peer_slots",
       "layer_stack", "resource_group"},
      Src("ResourceDefinitions.java: modifyResourceDefinition"));
  add("DELETE /v1/resource-definitions/{resource}", {}, {},
      Src("ResourceDefinitions.java: deleteResourceDefinition"));
  add("GET /v1/resource-definitions/{resource}/volume-definitions", {}, {},
      Src("VolumeDefinitions.java: listVolumeDefinition"));
  add("POST /v1/resource-definitions/{resource}/volume-definitions", {},
      {"volume_definition.volume_number", "volume_definition.size_kib", "volume_definition.props",
       "volume_definition.flags", "drbd_minor_number"},
      Src("VolumeDefinitions.java: createVolumeDefinition (VlmDfnCreationWithPayload)"));
  // delete_namespaces is declared in VolumeDefinitionModify but not passed on.
  add("PUT /v1/resource-definitions/{resource}/volume-definitions/{volume_number}", {},
      {"size_kib", "override_props", "delete_props", "flags"},
      Src("VolumeDefinitions.java: modifyVolumeDefinition"));

  add("GET /v1/resource-definitions/{resource}/resources", paging, {},
      Src("Resources.java: listResources"));
  // resource.name is overwritten with the path's; copy_all_snaps/snap_names of the first entry.
  const std::vector<std::string> rsc_create = {
      "resource.props", "resource.flags", "layer_list",     "drbd_node_id", "drbd_tcp_port_count",
      "drbd_tcp_ports", "drbd_client",    "copy_all_snaps", "snap_names"};
  add("POST /v1/resource-definitions/{resource}/resources", {},
      Join({"resource.node_name"}, rsc_create),
      Src("Resources.java: createResource, serializer/Json.java: resourceToApi"));
  add("GET /v1/resource-definitions/{resource}/resources/{node}", paging, {},
      Src("Resources.java: listResources"));
  // resource.node_name is overwritten with the path's node.
  add("POST /v1/resource-definitions/{resource}/resources/{node}", {}, rsc_create,
      Src("Resources.java: createResource(rscName, nodeName)"));
  add("DELETE /v1/resource-definitions/{resource}/resources/{node}", {"keep_tiebreaker"}, {},
      Src("Resources.java: deleteResource"));
  add("POST /v1/resource-definitions/{resource}/resources/{node}/make-available", {},
      {"layer_list", "diskful", "drbd_tcp_ports", "copy_all_snaps", "snap_names"},
      Src("Resources.java: makeResourceAvailable"));
  // select_filter.diskless_on_remaining and .layer_stack are overwritten by the top-level
  // diskless_on_remaining and layer_list.
  add("POST /v1/resource-definitions/{resource}/autoplace", {},
      Join({"diskless_on_remaining", "layer_list", "snap_names", "copy_all_snaps"},
           SelectFilterFields(false)),
      Src("AutoPlace.java: autoplace"));
  add("GET /v1/view/resources", {"nodes", "resources", "storage_pools", "props", "limit", "offset"},
      {}, Src("View.java: viewResources"));

  add("GET /v1/resource-definitions/{resource}/snapshots", paging, {},
      Src("Snapshots.java: listSnapshots"));
  // props and resource_name are not read (issue 10, finding 2).
  add("POST /v1/resource-definitions/{resource}/snapshots", {},
      {"name", "nodes", "snapshot_definition_props"}, Src("Snapshots.java: createSnapshot"));
  add("GET /v1/resource-definitions/{resource}/snapshots/{snapshot}", paging, {},
      Src("Snapshots.java: listSnapshots(rscName, snapName)"));
  add("DELETE /v1/resource-definitions/{resource}/snapshots/{snapshot}", {"nodes"}, {},
      Src("Snapshots.java: deleteSnapshot"));
  add("POST /v1/actions/snapshot/multi", {},
      {"snapshots.name", "snapshots.nodes", "snapshots.resource_name",
       "snapshots.snapshot_definition_props"},
      Src("Actions.java: createMultiSnapshots"));
  // snapshots= is not a parameter here (issue 10, finding 5).
  add("GET /v1/view/snapshots", {"nodes", "resources", "limit", "offset"}, {},
      Src("View.java: listSnapshots"));
  add("POST /v1/resource-definitions/{resource}/snapshot-restore-volume-definition/{snapshot}", {},
      {"to_resource"}, Src("SnapshotRestoreVolumeDefinition.java: restoreVolumeDefinition"));
  add("POST /v1/resource-definitions/{resource}/snapshot-restore-resource/{snapshot}", {},
      {"to_resource", "nodes", "stor_pool_rename"},
      Src("SnapshotRestoreResource.java: restoreResource"));
  add("POST /v1/resource-definitions/{resource}/snapshot-rollback/{snapshot}", {},
      {"zfs_rollback_strategy"}, Src("SnapshotRollback.java: rollbackSnapshot"));
  add("POST /v1/resource-definitions/{resource}/clone", {},
      {"name", "external_name", "use_zfs_clone", "volume_passphrases", "layer_list",
       "resource_group", "override_props", "delete_props", "delete_namespaces"},
      Src("ResourceDefinitions.java: clone"));
  add("GET /v1/resource-definitions/{resource}/clone/{resourceClone}", {}, {},
      Src("ResourceDefinitions.java: getCloneStatus"));
  for (const char* async_parse : {
           "POST /v1/resource-groups/{resource_group}/spawn",
           "POST /v1/resource-definitions/{resource}/volume-definitions",
           "PUT /v1/resource-definitions/{resource}/volume-definitions/{volume_number}",
           "POST /v1/resource-definitions/{resource}/resources",
           "POST /v1/resource-definitions/{resource}/resources/{node}",
           "POST /v1/resource-definitions/{resource}/resources/{node}/make-available",
           "POST /v1/resource-definitions/{resource}/autoplace",
           "POST /v1/resource-definitions/{resource}/snapshots",
           "POST /v1/actions/snapshot/multi",
           "POST /v1/resource-definitions/{resource}/snapshot-restore-resource/{snapshot}",
           "POST /v1/resource-definitions/{resource}/snapshot-rollback/{snapshot}",
       }) {
    for (auto& e : t)
      if (e.endpoint == async_parse) e.parse_error_status = 500;
  }
  return t;
}

bool Listed(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// True when some listed path lies below `path`: the walk descends into it.
bool HasChildren(const std::vector<std::string>& list, const std::string& path) {
  const std::string prefix = path + ".";
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& p) { return p.rfind(prefix, 0) == 0; });
}

Status Walk(const EndpointReads& reads, simdjson::dom::element e, const std::string& prefix) {
  simdjson::dom::array array;
  if (e.get_array().get(array) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : array) LCSI_RETURN_IF_ERROR(Walk(reads, item, prefix));
    return Status::Ok();
  }
  simdjson::dom::object object;
  if (e.get_object().get(object) != simdjson::SUCCESS) return Status::Ok();
  for (auto field : object) {
    const std::string path =
        prefix.empty() ? std::string(field.key) : prefix + "." + std::string(field.key);
    if (Listed(reads.tolerated, path)) continue;
    if (!Listed(reads.body, path) && !HasChildren(reads.body, path)) {
      return InvalidArgument("request field '" + path + "' is not read by LINSTOR at " +
                             reads.endpoint + " (" + reads.source + ")");
    }
    if (HasChildren(reads.body, path)) LCSI_RETURN_IF_ERROR(Walk(reads, field.value, path));
  }
  return Status::Ok();
}

}  // namespace

const std::vector<EndpointReads>& AllEndpointReads() {
  static const std::vector<EndpointReads> table = BuildTable();
  return table;
}

const EndpointReads* FindEndpointReads(std::string_view endpoint) {
  for (const auto& r : AllEndpointReads())
    if (r.endpoint == endpoint) return &r;
  return nullptr;
}

Status CheckQueryRead(const EndpointReads& reads, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    if (!Listed(reads.query, n) && !Listed(reads.tolerated, n)) {
      return InvalidArgument("query parameter '" + n + "' is not read by LINSTOR at " +
                             reads.endpoint + " (" + reads.source + ")");
    }
  }
  return Status::Ok();
}

Status CheckBodyRead(const EndpointReads& reads, std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return Status::Ok();
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return Status::Ok();
  return Walk(reads, root, "");
}

}  // namespace lcsi::sim
