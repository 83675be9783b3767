#include "linstor-sim/requests.h"

#include <simdjson.h>
#include <functional>

namespace lcsi::sim {
namespace {

namespace od = simdjson::ondemand;
using FieldFn = std::function<Status(std::string_view key, od::value& value)>;

Status TypeError(std::string_view field, const char* expected) {
  return InvalidArgument("field '" + std::string(field) + "': expected " + expected);
}

Status ForEachField(od::value& v, std::string_view what, const FieldFn& fn) {
  od::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return TypeError(what, "object");
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return InvalidArgument("malformed JSON object key in '" + std::string(what) + "'");
    }
    od::value value;
    if (field.value().get(value) != simdjson::SUCCESS) {
      return InvalidArgument("malformed JSON value of '" + std::string(key) + "'");
    }
    LCSI_RETURN_IF_ERROR(fn(key, value));
  }
  return Status::Ok();
}

Status Read(od::value& v, std::string_view key, std::string& out) {
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) return TypeError(key, "string");
  out.assign(s);
  return Status::Ok();
}

Status Read(od::value& v, std::string_view key, int64_t& out) {
  if (v.get_int64().get(out) != simdjson::SUCCESS) return TypeError(key, "integer");
  return Status::Ok();
}

Status Read(od::value& v, std::string_view key, int32_t& out) {
  int64_t wide = 0;
  LCSI_RETURN_IF_ERROR(Read(v, key, wide));
  if (wide < INT32_MIN || wide > INT32_MAX) return TypeError(key, "32-bit integer");
  out = static_cast<int32_t>(wide);
  return Status::Ok();
}

Status Read(od::value& v, std::string_view key, bool& out) {
  if (v.get_bool().get(out) != simdjson::SUCCESS) return TypeError(key, "boolean");
  return Status::Ok();
}

Status Read(od::value& v, std::string_view key, double& out) {
  if (v.get_double().get(out) != simdjson::SUCCESS) return TypeError(key, "number");
  return Status::Ok();
}

Status Read(od::value& v, std::string_view key, std::vector<std::string>& out) {
  od::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) return TypeError(key, "array of strings");
  out.clear();
  for (auto item : arr) {
    std::string_view s;
    if (item.get_string().get(s) != simdjson::SUCCESS) return TypeError(key, "array of strings");
    out.emplace_back(s);
  }
  return Status::Ok();
}

Status Read(od::value& v, std::string_view key, std::vector<int64_t>& out) {
  od::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) return TypeError(key, "array of integers");
  out.clear();
  for (auto item : arr) {
    int64_t n = 0;
    if (item.get_int64().get(n) != simdjson::SUCCESS) return TypeError(key, "array of integers");
    out.push_back(n);
  }
  return Status::Ok();
}

Status Read(od::value& v, std::string_view key, Props& out) {
  out.clear();
  return ForEachField(v, key, [&](std::string_view k, od::value& val) {
    std::string s;
    LCSI_RETURN_IF_ERROR(Read(val, k, s));
    out[std::string(k)] = std::move(s);
    return Status::Ok();
  });
}

Status Read(od::value& v, std::string_view key, std::map<std::string, int64_t>& out) {
  out.clear();
  return ForEachField(v, key, [&](std::string_view k, od::value& val) {
    int64_t n = 0;
    LCSI_RETURN_IF_ERROR(Read(val, k, n));
    out[std::string(k)] = n;
    return Status::Ok();
  });
}

Status Read(od::value& v, std::string_view key, SelectFilter& f);

template <typename T>
Status ReadOpt(od::value& v, std::string_view key, std::optional<T>& out) {
  T value{};
  LCSI_RETURN_IF_ERROR(Read(v, key, value));
  out = std::move(value);
  return Status::Ok();
}

Status ReadSelectFilterFields(od::value& v, std::string_view key, SelectFilter& f);

// Json.AutoSelectFilterData: a storage_pool without a storage_pool_list becomes a one-pool
// list, so a request's storage_pool wins over a group's storage_pool_list when merged.
Status Read(od::value& v, std::string_view key, SelectFilter& f) {
  LCSI_RETURN_IF_ERROR(ReadSelectFilterFields(v, key, f));
  if ((!f.storage_pool_list || f.storage_pool_list->empty()) && f.storage_pool) {
    f.storage_pool_list = std::vector<std::string>{*f.storage_pool};
  }
  return Status::Ok();
}

Status ReadSelectFilterFields(od::value& v, std::string_view key, SelectFilter& f) {
  return ForEachField(v, key, [&](std::string_view k, od::value& val) -> Status {
    if (k == "place_count") return ReadOpt(val, k, f.place_count);
    if (k == "additional_place_count") return ReadOpt(val, k, f.additional_place_count);
    if (k == "node_name_list") return ReadOpt(val, k, f.node_name_list);
    if (k == "storage_pool") return ReadOpt(val, k, f.storage_pool);
    if (k == "storage_pool_list") return ReadOpt(val, k, f.storage_pool_list);
    if (k == "storage_pool_diskless_list") return ReadOpt(val, k, f.storage_pool_diskless_list);
    if (k == "not_place_with_rsc") return ReadOpt(val, k, f.not_place_with_rsc);
    if (k == "not_place_with_rsc_regex") return ReadOpt(val, k, f.not_place_with_rsc_regex);
    if (k == "replicas_on_same") return ReadOpt(val, k, f.replicas_on_same);
    if (k == "replicas_on_different") return ReadOpt(val, k, f.replicas_on_different);
    if (k == "x_replicas_on_different_map") return ReadOpt(val, k, f.x_replicas_on_different_map);
    if (k == "layer_stack") return ReadOpt(val, k, f.layer_stack);
    if (k == "provider_list") return ReadOpt(val, k, f.provider_list);
    if (k == "diskless_on_remaining") return ReadOpt(val, k, f.diskless_on_remaining);
    if (k == "diskless_type") return ReadOpt(val, k, f.diskless_type);
    if (k == "overprovision") return ReadOpt(val, k, f.overprovision);
    if (k == "port_count") return ReadOpt(val, k, f.port_count);
    return Status::Ok();
  });
}

Status ReadPropsChange(od::value& v, std::string_view k, PropsChange& c, bool& handled) {
  handled = true;
  if (k == "override_props") return Read(v, k, c.override_props);
  if (k == "delete_props") return Read(v, k, c.delete_props);
  if (k == "delete_namespaces") return Read(v, k, c.delete_namespaces);
  handled = false;
  return Status::Ok();
}

// Parses `body` (empty = {}) and calls `fn` with the root value.
Status WithRoot(std::string_view body, const std::function<Status(od::value&)>& fn) {
  thread_local od::parser parser;
  simdjson::padded_string padded(body.empty() ? std::string_view("{}") : body);
  od::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) {
    return InvalidArgument("request body is not JSON");
  }
  od::value root;
  if (doc.get_value().get(root) != simdjson::SUCCESS) {
    return InvalidArgument("request body must be a JSON object or array");
  }
  Status st = fn(root);
  if (!st.ok()) return st;
  return Status::Ok();
}

template <typename T>
Result<T> ParseObject(std::string_view body,
                      const std::function<Status(std::string_view, od::value&, T&)>& field) {
  T out{};
  Status st = WithRoot(body, [&](od::value& root) {
    return ForEachField(root, "body",
                        [&](std::string_view k, od::value& v) { return field(k, v, out); });
  });
  if (!st.ok()) return st;
  return out;
}

Status ReadVdSpec(od::value& v, std::string_view what, VdSpec& vd) {
  return ForEachField(v, what, [&](std::string_view k, od::value& val) -> Status {
    if (k == "volume_number") return ReadOpt(val, k, vd.number);
    if (k == "size_kib") return Read(val, k, vd.size_kib);
    if (k == "props") return Read(val, k, vd.props);
    return Status::Ok();
  });
}

Status ReadResourceCreate(od::value& v, std::string_view what, ResourceCreateRequest& r) {
  return ForEachField(v, what, [&](std::string_view k, od::value& val) -> Status {
    if (k == "resource") {
      return ForEachField(val, k, [&](std::string_view rk, od::value& rv) -> Status {
        if (rk == "node_name") return Read(rv, rk, r.node);
        if (rk == "props") return Read(rv, rk, r.props);
        if (rk == "flags") return Read(rv, rk, r.flags);
        return Status::Ok();
      });
    }
    if (k == "layer_list") return Read(val, k, r.layer_list);
    return Status::Ok();
  });
}

// Snapshot create (single and multi) reads name, nodes and snapshot_definition_props only:
// `props` is ignored (Snapshots.createSnapshot, Actions.createMultiSnapshots).
Status ReadSnapshot(od::value& v, std::string_view what, SnapshotCreateRequest& s) {
  return ForEachField(v, what, [&](std::string_view k, od::value& val) -> Status {
    if (k == "name") return Read(val, k, s.name);
    if (k == "resource_name") return Read(val, k, s.resource_name);
    if (k == "nodes") return Read(val, k, s.nodes);
    if (k == "snapshot_definition_props") return Read(val, k, s.props);
    return Status::Ok();
  });
}

}  // namespace

void ApplyPropsChange(Props& props, const PropsChange& c) {
  for (const auto& key : c.delete_props) props.erase(key);
  for (const auto& ns : c.delete_namespaces) {
    const std::string prefix = ns.empty() || ns.back() == '/' ? ns : ns + "/";
    for (auto it = props.lower_bound(prefix);
         it != props.end() && it->first.rfind(prefix, 0) == 0;) {
      it = props.erase(it);
    }
  }
  for (const auto& [k, v] : c.override_props) props[k] = v;
}

Result<RgCreateRequest> ParseRgCreate(std::string_view body) {
  return ParseObject<RgCreateRequest>(
      body, [](std::string_view k, od::value& v, RgCreateRequest& r) -> Status {
        if (k == "name") return Read(v, k, r.group.name);
        if (k == "description") return Read(v, k, r.group.description);
        if (k == "props") return Read(v, k, r.group.props);
        if (k == "select_filter") return Read(v, k, r.group.filter);
        if (k == "peer_slots") return ReadOpt(v, k, r.group.peer_slots);
        return Status::Ok();
      });
}

Result<RgModifyRequest> ParseRgModify(std::string_view body) {
  return ParseObject<RgModifyRequest>(
      body, [](std::string_view k, od::value& v, RgModifyRequest& r) -> Status {
        bool handled = false;
        Status st = ReadPropsChange(v, k, r.props, handled);
        if (handled) return st;
        if (k == "description") return ReadOpt(v, k, r.description);
        if (k == "select_filter") return ReadOpt(v, k, r.filter);
        if (k == "peer_slots") return ReadOpt(v, k, r.peer_slots);
        return Status::Ok();
      });
}

Result<SpawnRequest> ParseSpawn(std::string_view body) {
  return ParseObject<SpawnRequest>(body,
                                   [](std::string_view k, od::value& v, SpawnRequest& r) -> Status {
                                     if (k == "resource_definition_name")
                                       return Read(v, k, r.rd_name);
                                     if (k == "resource_definition_external_name")
                                       return Read(v, k, r.external_name);
                                     if (k == "volume_sizes") return Read(v, k, r.volume_sizes);
                                     if (k == "select_filter") return ReadOpt(v, k, r.filter);
                                     if (k == "partial") return Read(v, k, r.partial);
                                     if (k == "definitions_only")
                                       return Read(v, k, r.definitions_only);
                                     if (k == "resource_definition_props")
                                       return Read(v, k, r.rd_props);
                                     if (k == "peer_slots") return ReadOpt(v, k, r.peer_slots);
                                     return Status::Ok();
                                   });
}

Result<QuerySizeInfoRequest> ParseQuerySizeInfo(std::string_view body) {
  return ParseObject<QuerySizeInfoRequest>(
      body, [](std::string_view k, od::value& v, QuerySizeInfoRequest& r) -> Status {
        if (k == "select_filter") return ReadOpt(v, k, r.filter);
        return Status::Ok();
      });
}

Result<RdCreateRequest> ParseRdCreate(std::string_view body) {
  return ParseObject<RdCreateRequest>(
      body, [](std::string_view k, od::value& v, RdCreateRequest& r) -> Status {
        if (k == "drbd_port") return ReadOpt(v, k, r.port);
        if (k != "resource_definition") return Status::Ok();
        return ForEachField(v, k, [&](std::string_view rk, od::value& rv) -> Status {
          if (rk == "name") return Read(rv, rk, r.name);
          if (rk == "external_name") return Read(rv, rk, r.external_name);
          if (rk == "resource_group_name") return Read(rv, rk, r.resource_group);
          if (rk == "props") return Read(rv, rk, r.props);
          // volume_definitions is ignored: ResourceDefinitions.createResourceDefinition passes
          // an empty list ("do not allow volume definition creations").
          return Status::Ok();
        });
      });
}

Result<RdModifyRequest> ParseRdModify(std::string_view body) {
  return ParseObject<RdModifyRequest>(
      body, [](std::string_view k, od::value& v, RdModifyRequest& r) -> Status {
        bool handled = false;
        Status st = ReadPropsChange(v, k, r.props, handled);
        if (handled) return st;
        if (k == "resource_group") return ReadOpt(v, k, r.resource_group);
        if (k == "layer_stack") return ReadOpt(v, k, r.layer_stack);
        return Status::Ok();
      });
}

Result<VdSpec> ParseVdCreate(std::string_view body) {
  return ParseObject<VdSpec>(body, [](std::string_view k, od::value& v, VdSpec& r) -> Status {
    if (k == "volume_definition") return ReadVdSpec(v, k, r);
    if (k == "drbd_minor_number") return ReadOpt(v, k, r.minor);
    return Status::Ok();
  });
}

Result<VdModifyRequest> ParseVdModify(std::string_view body) {
  return ParseObject<VdModifyRequest>(
      body, [](std::string_view k, od::value& v, VdModifyRequest& r) -> Status {
        bool handled = false;
        Status st = ReadPropsChange(v, k, r.props, handled);
        if (handled) return st;
        if (k == "size_kib") return ReadOpt(v, k, r.size_kib);
        return Status::Ok();
      });
}

Result<std::vector<ResourceCreateRequest>> ParseResourceCreateList(std::string_view body) {
  std::vector<ResourceCreateRequest> out;
  Status st = WithRoot(body.empty() ? std::string_view("[]") : body, [&](od::value& root) {
    od::array arr;
    if (root.get_array().get(arr) != simdjson::SUCCESS) return TypeError("body", "array");
    for (auto item : arr) {
      od::value iv;
      if (item.get(iv) != simdjson::SUCCESS) return TypeError("body", "array of objects");
      LCSI_RETURN_IF_ERROR(ReadResourceCreate(iv, "body[]", out.emplace_back()));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<ResourceCreateRequest> ParseResourceCreate(std::string_view body) {
  ResourceCreateRequest out;
  Status st =
      WithRoot(body, [&](od::value& root) { return ReadResourceCreate(root, "body", out); });
  if (!st.ok()) return st;
  return out;
}

Result<MakeAvailableRequest> ParseMakeAvailable(std::string_view body) {
  return ParseObject<MakeAvailableRequest>(
      body, [](std::string_view k, od::value& v, MakeAvailableRequest& r) -> Status {
        if (k == "diskful") return Read(v, k, r.diskful);
        if (k == "layer_list") return Read(v, k, r.layer_list);
        return Status::Ok();
      });
}

Result<AutoplaceRequest> ParseAutoplace(std::string_view body) {
  return ParseObject<AutoplaceRequest>(
      body, [](std::string_view k, od::value& v, AutoplaceRequest& r) -> Status {
        if (k == "select_filter") return Read(v, k, r.filter);
        if (k == "diskless_on_remaining") return ReadOpt(v, k, r.diskless_on_remaining);
        if (k == "layer_list") return Read(v, k, r.layer_list);
        return Status::Ok();
      });
}

Result<SnapshotCreateRequest> ParseSnapshotCreate(std::string_view body) {
  SnapshotCreateRequest out;
  Status st = WithRoot(body, [&](od::value& root) { return ReadSnapshot(root, "body", out); });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<SnapshotCreateRequest>> ParseMultiSnapshot(std::string_view body) {
  std::vector<SnapshotCreateRequest> out;
  Status st = WithRoot(body, [&](od::value& root) {
    return ForEachField(root, "body", [&](std::string_view k, od::value& v) -> Status {
      if (k != "snapshots") return Status::Ok();
      od::array arr;
      if (v.get_array().get(arr) != simdjson::SUCCESS) return TypeError(k, "array");
      for (auto item : arr) {
        od::value iv;
        if (item.get(iv) != simdjson::SUCCESS) return TypeError(k, "array of objects");
        LCSI_RETURN_IF_ERROR(ReadSnapshot(iv, "snapshots[]", out.emplace_back()));
      }
      return Status::Ok();
    });
  });
  if (!st.ok()) return st;
  return out;
}

Result<SnapshotRestoreRequest> ParseSnapshotRestore(std::string_view body) {
  return ParseObject<SnapshotRestoreRequest>(
      body, [](std::string_view k, od::value& v, SnapshotRestoreRequest& r) -> Status {
        if (k == "to_resource") return Read(v, k, r.to_resource);
        if (k == "nodes") return Read(v, k, r.nodes);
        return Status::Ok();
      });
}

Result<CloneRequest> ParseClone(std::string_view body) {
  return ParseObject<CloneRequest>(body,
                                   [](std::string_view k, od::value& v, CloneRequest& r) -> Status {
                                     bool handled = false;
                                     Status st = ReadPropsChange(v, k, r.props, handled);
                                     if (handled) return st;
                                     if (k == "name") return Read(v, k, r.name);
                                     if (k == "external_name") return Read(v, k, r.external_name);
                                     if (k == "resource_group") return Read(v, k, r.resource_group);
                                     if (k == "layer_list") return Read(v, k, r.layer_list);
                                     return Status::Ok();
                                   });
}

Result<bool> ParseInUse(std::string_view body) {
  std::optional<bool> in_use;
  Status st = WithRoot(body, [&](od::value& root) {
    return ForEachField(root, "body", [&](std::string_view k, od::value& v) -> Status {
      if (k == "in_use") return ReadOpt(v, k, in_use);
      return Status::Ok();
    });
  });
  if (!st.ok()) return st;
  if (!in_use) return InvalidArgument("field 'in_use' is required");
  return *in_use;
}

}  // namespace lcsi::sim
