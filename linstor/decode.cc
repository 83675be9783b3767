#include "linstor/decode.h"

#include <simdjson.h>

#include <string_view>
#include <utility>

#include "linstor/decode_fields.h"

namespace lcsi::linstor {
namespace {

using namespace decode_fields;  // NOLINT: the field readers are this file's vocabulary

// Layer objects nest (children); real answers are 2-4 deep.
constexpr int kMaxLayerDepth = 32;

// ---- objects ----

error_code Decode(od::value& v, Node& out);
error_code Decode(od::value& v, StoragePool& out);
error_code Decode(od::value& v, ResourceGroup& out);
error_code Decode(od::value& v, VolumeDefinition& out);
error_code Decode(od::value& v, ResourceDefinition& out);
error_code Decode(od::value& v, Volume& out);
error_code Decode(od::value& v, Resource& out);
error_code Decode(od::value& v, SnapshotVolumeDefinition& out);
error_code Decode(od::value& v, SnapshotNode& out);
error_code Decode(od::value& v, Snapshot& out);

template <typename T>
error_code List(od::value& v, std::vector<T>& out) {
  return Elements(v, [&](od::value& e) -> error_code {
    T item;
    LD_TRY(Decode(e, item));
    out.push_back(std::move(item));
    return SUCCESS;
  });
}

error_code DecodeRc(od::value& v, ApiCallRc& rc) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "ret_code") return IntTo(val, rc.ret_code);
    if (k == "message") return Str(val, rc.message);
    if (k == "cause") return Str(val, rc.cause);
    if (k == "details") return Str(val, rc.details);
    if (k == "correction") return Str(val, rc.correction);
    if (k == "obj_refs") return PropsOf(val, rc.obj_refs);
    if (k == "error_report_ids") return Strings(val, rc.error_report_ids);
    if (k == "created_at") return Str(val, rc.created_at);
    return SUCCESS;
  });
}

error_code Rcs(od::value& v, std::vector<ApiCallRc>& out) {
  return Elements(v, [&](od::value& e) -> error_code {
    ApiCallRc rc;
    LD_TRY(DecodeRc(e, rc));
    out.push_back(std::move(rc));
    return SUCCESS;
  });
}

error_code DecodeVersion(od::value& v, ControllerVersion& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "version") return Str(val, out.version);
    if (k == "git_hash") return Str(val, out.git_hash);
    if (k == "build_time") return Str(val, out.build_time);
    if (k == "rest_api_version") return Str(val, out.rest_api_version);
    return SUCCESS;
  });
}

error_code Decode(od::value& v, Node& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "name") return Str(val, out.name);
    if (k == "type") return Str(val, out.type);
    if (k == "connection_status") return Str(val, out.connection_status);
    if (k == "props") return PropsOf(val, out.props);
    if (k == "flags") return Strings(val, out.flags);
    if (k == "uuid") return Str(val, out.uuid);
    return SUCCESS;
  });
}

error_code Decode(od::value& v, StoragePool& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "storage_pool_name") return Str(val, out.storage_pool_name);
    if (k == "node_name") return Str(val, out.node_name);
    if (k == "provider_kind") return Str(val, out.provider_kind);
    if (k == "props") return PropsOf(val, out.props);
    if (k == "free_capacity") return OptInt(val, out.free_capacity);
    if (k == "total_capacity") return OptInt(val, out.total_capacity);
    if (k == "supports_snapshots") return OptBool(val, out.supports_snapshots);
    if (k == "free_space_mgr_name") return Str(val, out.free_space_mgr_name);
    if (k == "uuid") return Str(val, out.uuid);
    return SUCCESS;
  });
}

error_code DecodeFilter(od::value& v, SelectFilter& f) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "place_count") return OptInt(val, f.place_count);
    if (k == "additional_place_count") return OptInt(val, f.additional_place_count);
    if (k == "node_name_list") return OptStrings(val, f.node_name_list);
    if (k == "storage_pool") return OptStr(val, f.storage_pool);
    if (k == "storage_pool_list") return OptStrings(val, f.storage_pool_list);
    if (k == "storage_pool_diskless_list") return OptStrings(val, f.storage_pool_diskless_list);
    if (k == "not_place_with_rsc") return OptStrings(val, f.not_place_with_rsc);
    if (k == "not_place_with_rsc_regex") return OptStr(val, f.not_place_with_rsc_regex);
    if (k == "replicas_on_same") return OptStrings(val, f.replicas_on_same);
    if (k == "replicas_on_different") return OptStrings(val, f.replicas_on_different);
    if (k == "x_replicas_on_different_map") {
      if (IsNull(val)) return SUCCESS;
      f.x_replicas_on_different_map.emplace();
      return Fields(val, [&](std::string_view key, od::value& n) -> error_code {
        return IntTo(n, (*f.x_replicas_on_different_map)[std::string(key)]);
      });
    }
    if (k == "layer_stack") return OptStrings(val, f.layer_stack);
    if (k == "provider_list") return OptStrings(val, f.provider_list);
    if (k == "diskless_on_remaining") return OptBool(val, f.diskless_on_remaining);
    if (k == "diskless_type") return OptStr(val, f.diskless_type);
    return SUCCESS;
  });
}

error_code Decode(od::value& v, ResourceGroup& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "name") return Str(val, out.name);
    if (k == "description") return Str(val, out.description);
    if (k == "props") return PropsOf(val, out.props);
    if (k == "select_filter") return DecodeFilter(val, out.select_filter);
    if (k == "peer_slots") return OptInt(val, out.peer_slots);
    if (k == "uuid") return Str(val, out.uuid);
    return SUCCESS;
  });
}

// layer_data[] of a volume definition: the DRBD entry carries minor_number.
error_code VdLayers(od::value& v, std::optional<int32_t>& minor) {
  return Elements(v, [&](od::value& layer) -> error_code {
    return Fields(layer, [&](std::string_view k, od::value& val) -> error_code {
      if (k != "data") return SUCCESS;
      return Fields(val, [&](std::string_view dk, od::value& dv) -> error_code {
        if (dk == "minor_number") return OptInt(dv, minor);
        return SUCCESS;
      });
    });
  });
}

error_code Decode(od::value& v, VolumeDefinition& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "volume_number") return IntTo(val, out.volume_number);
    if (k == "size_kib") return IntTo(val, out.size_kib);
    if (k == "props") return PropsOf(val, out.props);
    if (k == "flags") return Strings(val, out.flags);
    if (k == "layer_data") return VdLayers(val, out.drbd_minor);
    if (k == "uuid") return Str(val, out.uuid);
    return SUCCESS;
  });
}

error_code Decode(od::value& v, ResourceDefinition& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "name") return Str(val, out.name);
    if (k == "resource_group_name") return Str(val, out.resource_group_name);
    if (k == "props") return PropsOf(val, out.props);
    if (k == "flags") return Strings(val, out.flags);
    if (k == "volume_definitions") return List(val, out.volume_definitions);
    if (k == "uuid") return Str(val, out.uuid);
    return SUCCESS;
  });
}

// Volume.layer_data_list[]: {type, data}; DRBD data has drbd_volume_definition.minor_number,
// STORAGE data usable_size_kib ("type" precedes "data", as LINSTOR's VolumeLayer declares them).
error_code VolumeLayers(od::value& v, Volume& out) {
  return Elements(v, [&](od::value& layer) -> error_code {
    std::string type;
    return Fields(layer, [&](std::string_view k, od::value& val) -> error_code {
      if (k == "type") return Str(val, type);
      if (k != "data") return SUCCESS;
      return Fields(val, [&](std::string_view dk, od::value& dv) -> error_code {
        if (type == "STORAGE" && dk == "usable_size_kib") {
          return OptInt(dv, out.storage_usable_size_kib);
        }
        if (dk != "drbd_volume_definition") return SUCCESS;
        return Fields(dv, [&](std::string_view mk, od::value& mv) -> error_code {
          if (mk == "minor_number") return OptInt(mv, out.drbd_minor);
          return SUCCESS;
        });
      });
    });
  });
}

error_code Decode(od::value& v, Volume& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "volume_number") return IntTo(val, out.volume_number);
    if (k == "storage_pool_name") return Str(val, out.storage_pool_name);
    if (k == "provider_kind") return Str(val, out.provider_kind);
    if (k == "device_path") return Str(val, out.device_path);
    if (k == "allocated_size_kib") return OptInt(val, out.allocated_size_kib);
    if (k == "props") return PropsOf(val, out.props);
    if (k == "flags") return Strings(val, out.flags);
    if (k == "state") {
      return Fields(val, [&](std::string_view sk, od::value& sv) -> error_code {
        if (sk == "disk_state") return Str(sv, out.disk_state);
        return SUCCESS;
      });
    }
    if (k == "layer_data_list") return VolumeLayers(val, out);
    return SUCCESS;
  });
}

error_code DrbdLayer(od::value& v, Resource& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "node_id") return OptInt(val, out.drbd_node_id);
    if (k == "may_promote") return OptBool(val, out.drbd_may_promote);
    if (k == "promotion_score") return OptInt(val, out.drbd_promotion_score);
    if (k == "connections") {
      return Fields(val, [&](std::string_view peer, od::value& cv) -> error_code {
        DrbdConnection conn;
        LD_TRY(Fields(cv, [&](std::string_view ck, od::value& c) -> error_code {
          if (ck == "connected") {
            std::optional<bool> b;
            LD_TRY(OptBool(c, b));
            conn.connected = b.value_or(false);
            return SUCCESS;
          }
          if (ck == "message") return Str(c, conn.message);
          return SUCCESS;
        }));
        out.drbd_connections.insert_or_assign(std::string(peer), std::move(conn));
        return SUCCESS;
      });
    }
    return SUCCESS;
  });
}

// layer_object: {type, drbd:{...}, children:[{type, storage:{...}}]}. Appends the layer
// chain, parent before children, whatever the key order.
error_code LayerObject(od::value& v, Resource& out, int depth, std::vector<std::string>& chain) {
  if (depth > kMaxLayerDepth) return simdjson::DEPTH_ERROR;
  std::string type;
  std::vector<std::string> below;
  LD_TRY(Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "type") return Str(val, type);
    if (k == "drbd") return DrbdLayer(val, out);
    if (k == "children") {
      return Elements(val,
                      [&](od::value& child) { return LayerObject(child, out, depth + 1, below); });
    }
    return SUCCESS;
  }));
  if (!type.empty()) chain.push_back(std::move(type));
  for (auto& t : below) chain.push_back(std::move(t));
  return SUCCESS;
}

error_code Decode(od::value& v, Resource& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "name") return Str(val, out.name);
    if (k == "node_name") return Str(val, out.node_name);
    if (k == "props") return PropsOf(val, out.props);
    if (k == "flags") return Strings(val, out.flags);
    if (k == "state") {
      return Fields(val, [&](std::string_view sk, od::value& sv) -> error_code {
        if (sk == "in_use") return OptBool(sv, out.in_use);
        return SUCCESS;
      });
    }
    if (k == "volumes") return List(val, out.volumes);
    if (k == "layer_object") return LayerObject(val, out, 0, out.layers);
    if (k == "create_timestamp") return OptInt(val, out.create_timestamp);
    if (k == "uuid") return Str(val, out.uuid);
    return SUCCESS;
  });
}

error_code Decode(od::value& v, SnapshotVolumeDefinition& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "volume_number") return IntTo(val, out.volume_number);
    if (k == "size_kib") return IntTo(val, out.size_kib);
    return SUCCESS;
  });
}

error_code Decode(od::value& v, SnapshotNode& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "snapshot_name") return Str(val, out.snapshot_name);
    if (k == "node_name") return Str(val, out.node_name);
    if (k == "create_timestamp") return OptInt(val, out.create_timestamp);
    if (k == "flags") return Strings(val, out.flags);
    return SUCCESS;
  });
}

error_code Decode(od::value& v, Snapshot& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "name") return Str(val, out.name);
    if (k == "resource_name") return Str(val, out.resource_name);
    if (k == "nodes") return Strings(val, out.nodes);
    if (k == "props") return PropsOf(val, out.props);
    if (k == "snapshot_definition_props") return PropsOf(val, out.definition_props);
    if (k == "resource_definition_props") return PropsOf(val, out.resource_definition_props);
    if (k == "flags") return Strings(val, out.flags);
    if (k == "volume_definitions") return List(val, out.volume_definitions);
    if (k == "snapshots") return List(val, out.snapshots);
    if (k == "uuid") return Str(val, out.uuid);
    return SUCCESS;
  });
}

error_code DecodeSpace(od::value& v, SpaceInfo& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "space_info") {
      return Fields(val, [&](std::string_view sk, od::value& sv) -> error_code {
        if (sk == "max_vlm_size_in_kib") return IntTo(sv, out.max_vlm_size_in_kib);
        if (sk == "available_size_in_kib") return OptInt(sv, out.available_size_in_kib);
        if (sk == "capacity_in_kib") return OptInt(sv, out.capacity_in_kib);
        return SUCCESS;
      });
    }
    if (k == "reports") return Rcs(val, out.reports);
    return SUCCESS;
  });
}

error_code DecodeStarted(od::value& v, CloneStarted& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k == "location") return Str(val, out.location);
    if (k == "source_name") return Str(val, out.source_name);
    if (k == "clone_name") return Str(val, out.clone_name);
    if (k == "messages") return Rcs(val, out.messages);
    return SUCCESS;
  });
}

error_code DecodeCloneState(od::value& v, CloneStatus& out) {
  return Fields(v, [&](std::string_view k, od::value& val) -> error_code {
    if (k != "status") return SUCCESS;
    LD_TRY(Str(val, out.raw));
    if (out.raw == "COMPLETE") {
      out.status = CloneState::kComplete;
    } else if (out.raw == "CLONING") {
      out.status = CloneState::kCloning;
    } else if (out.raw == "FAILED") {
      out.status = CloneState::kFailed;
    } else {
      out.status = CloneState::kUnknown;
    }
    return SUCCESS;
  });
}

// ---- document plumbing ----

LinstorError BadResponse(error_code e, const char* what) {
  return LinstorError(LinstorErrorKind::kBadResponse, std::string("cannot decode LINSTOR ") + what +
                                                          ": " + simdjson::error_message(e));
}

// Runs 'fn(root_value)' over the body. The parser is reused per thread.
template <typename T, typename F>
LinstorResult<T> Run(std::string& body, const char* what, F&& fn) {
  thread_local od::parser parser;
  const size_t len = body.size();
  if (body.capacity() < len + simdjson::SIMDJSON_PADDING) {
    body.reserve(len + simdjson::SIMDJSON_PADDING);
  }
  od::document doc;
  error_code e = parser.iterate(body.data(), len, body.capacity()).get(doc);
  if (e != SUCCESS) return BadResponse(e, what);
  od::value root;
  e = doc.get_value().get(root);
  if (e != SUCCESS) return BadResponse(e, what);
  T out{};
  e = fn(root, out);
  if (e != SUCCESS) return BadResponse(e, what);
  return out;
}

template <typename T>
LinstorResult<std::vector<T>> RunList(std::string& body, const char* what) {
  return Run<std::vector<T>>(body, what,
                             [](od::value& root, std::vector<T>& out) { return List(root, out); });
}

// A single object, or the first element of an array (some LINSTOR versions).
template <typename T>
LinstorResult<T> RunOne(std::string& body, const char* what) {
  return Run<T>(body, what, [](od::value& root, T& out) -> error_code {
    od::json_type t;
    LD_TRY(root.type().get(t));
    if (t != od::json_type::array) return Decode(root, out);
    bool found = false;
    LD_TRY(Elements(root, [&](od::value& e) -> error_code {
      if (found) return SUCCESS;
      found = true;
      return Decode(e, out);
    }));
    return found ? SUCCESS : simdjson::EMPTY;
  });
}

}  // namespace

LinstorResult<ControllerVersion> DecodeControllerVersion(std::string& body) {
  return Run<ControllerVersion>(body, "controller version", DecodeVersion);
}
LinstorResult<std::vector<Node>> DecodeNodes(std::string& body) {
  return RunList<Node>(body, "node list");
}
LinstorResult<Node> DecodeNode(std::string& body) { return RunOne<Node>(body, "node"); }
LinstorResult<std::vector<StoragePool>> DecodeStoragePools(std::string& body) {
  return RunList<StoragePool>(body, "storage pool list");
}
LinstorResult<std::vector<ResourceGroup>> DecodeResourceGroups(std::string& body) {
  return RunList<ResourceGroup>(body, "resource group list");
}
LinstorResult<ResourceGroup> DecodeResourceGroup(std::string& body) {
  return RunOne<ResourceGroup>(body, "resource group");
}
LinstorResult<std::vector<ResourceDefinition>> DecodeResourceDefinitions(std::string& body) {
  return RunList<ResourceDefinition>(body, "resource definition list");
}
LinstorResult<ResourceDefinition> DecodeResourceDefinition(std::string& body) {
  return RunOne<ResourceDefinition>(body, "resource definition");
}
LinstorResult<std::vector<VolumeDefinition>> DecodeVolumeDefinitions(std::string& body) {
  return RunList<VolumeDefinition>(body, "volume definition list");
}
LinstorResult<std::vector<Resource>> DecodeResources(std::string& body) {
  return RunList<Resource>(body, "resource list");
}
LinstorResult<Resource> DecodeResource(std::string& body) {
  return RunOne<Resource>(body, "resource");
}
LinstorResult<std::vector<Snapshot>> DecodeSnapshots(std::string& body) {
  return RunList<Snapshot>(body, "snapshot list");
}
LinstorResult<Snapshot> DecodeSnapshot(std::string& body) {
  return RunOne<Snapshot>(body, "snapshot");
}
LinstorResult<SpaceInfo> DecodeQuerySizeInfo(std::string& body) {
  return Run<SpaceInfo>(body, "query-size-info answer", DecodeSpace);
}
LinstorResult<std::vector<ApiCallRc>> DecodeApiCallRcs(std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return std::vector<ApiCallRc>{};
  return Run<std::vector<ApiCallRc>>(body, "ApiCallRc list", Rcs);
}
LinstorResult<CloneStarted> DecodeCloneStarted(std::string& body) {
  return Run<CloneStarted>(body, "clone answer", DecodeStarted);
}
LinstorResult<CloneStatus> DecodeCloneStatus(std::string& body) {
  return Run<CloneStatus>(body, "clone status", DecodeCloneState);
}

}  // namespace lcsi::linstor
