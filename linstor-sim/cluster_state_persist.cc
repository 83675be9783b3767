// ClusterState persistence: the mutable state (node connection states, resource groups,
// resource definitions with their volumes, resources and snapshots, counters) as JSON.
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include "base/json_writer.h"
#include "linstor-sim/cluster_state.h"
#include "linstor-sim/names.h"

namespace lcsi::sim {

namespace {

constexpr int64_t kStateFormat = 1;

using simdjson::dom::element;

std::string Str(element e, const char* key) {
  std::string_view s;
  return e[key].get_string().get(s) == simdjson::SUCCESS ? std::string(s) : std::string();
}
int64_t Int(element e, const char* key, int64_t dflt = 0) {
  int64_t v = dflt;
  if (e[key].get_int64().get(v)) {
  }
  return v;
}
bool Bool(element e, const char* key) {
  bool v = false;
  if (e[key].get_bool().get(v)) {
  }
  return v;
}
Props PropsOf(element e, const char* key) {
  Props p;
  simdjson::dom::object obj;
  if (e[key].get_object().get(obj) != simdjson::SUCCESS) return p;
  for (auto [k, v] : obj) {
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) p[std::string(k)] = std::string(s);
  }
  return p;
}
std::vector<std::string> StrList(element e) {
  std::vector<std::string> out;
  simdjson::dom::array arr;
  if (e.get_array().get(arr) != simdjson::SUCCESS) return out;
  for (element x : arr) {
    std::string_view s;
    if (x.get_string().get(s) == simdjson::SUCCESS) out.emplace_back(s);
  }
  return out;
}

std::optional<int32_t> OptInt32(element e, const char* key) {
  int64_t v = 0;
  if (e[key].get_int64().get(v) != simdjson::SUCCESS) return std::nullopt;
  return static_cast<int32_t>(v);
}
std::optional<std::string> OptStr(element e, const char* key) {
  std::string_view s;
  if (e[key].get_string().get(s) != simdjson::SUCCESS) return std::nullopt;
  return std::string(s);
}
std::optional<std::vector<std::string>> OptList(element f, const char* key) {
  element e;
  if (f[key].get(e) != simdjson::SUCCESS) return std::nullopt;
  return StrList(e);
}

SelectFilter FilterOf(element f) {
  SelectFilter s;
  s.place_count = OptInt32(f, "place_count");
  s.additional_place_count = OptInt32(f, "additional_place_count");
  s.port_count = OptInt32(f, "port_count");
  s.node_name_list = OptList(f, "node_name_list");
  s.storage_pool_list = OptList(f, "storage_pool_list");
  s.storage_pool_diskless_list = OptList(f, "storage_pool_diskless_list");
  s.not_place_with_rsc = OptList(f, "not_place_with_rsc");
  s.replicas_on_same = OptList(f, "replicas_on_same");
  s.replicas_on_different = OptList(f, "replicas_on_different");
  s.layer_stack = OptList(f, "layer_stack");
  s.provider_list = OptList(f, "provider_list");
  s.storage_pool = OptStr(f, "storage_pool");
  s.not_place_with_rsc_regex = OptStr(f, "not_place_with_rsc_regex");
  s.diskless_type = OptStr(f, "diskless_type");
  bool b = false;
  if (f["diskless_on_remaining"].get_bool().get(b) == simdjson::SUCCESS)
    s.diskless_on_remaining = b;
  double d = 0;
  if (f["overprovision"].get_double().get(d) == simdjson::SUCCESS) s.overprovision = d;
  simdjson::dom::object m;
  if (f["x_replicas_on_different_map"].get_object().get(m) == simdjson::SUCCESS) {
    std::map<std::string, int64_t> out;
    for (auto [k, v] : m) {
      int64_t x = 0;
      if (v.get_int64().get(x) == simdjson::SUCCESS) out[std::string(k)] = x;
    }
    s.x_replicas_on_different_map = out;
  }
  return s;
}

}  // namespace

std::string ClusterState::Serialize() const {
  JsonWriter w;
  w.BeginObject()
      .Field("format", kStateFormat)
      .Field("uuid_counter", static_cast<int64_t>(uuid_counter_))
      .Field("snapshot_seq", snapshot_seq_);
  w.Key("nodes").BeginArray();
  for (const auto& [key, node] : nodes_) {
    w.BeginObject().Field("name", node.name).Field("online", node.online).EndObject();
  }
  w.EndArray();
  w.Key("resource_groups").BeginArray();
  for (const auto& [key, rg] : rgs_) {
    w.BeginObject()
        .Field("name", rg.name)
        .Field("description", rg.description)
        .Field("uuid", rg.uuid)
        .Key("props")
        .StringMap(rg.props)
        .Key("select_filter");
    WriteSelectFilter(w, rg.filter);
    if (rg.peer_slots) w.Field("peer_slots", *rg.peer_slots);
    w.EndObject();
  }
  w.EndArray();
  w.Key("resource_definitions").BeginArray();
  for (const auto& [key, rd] : rds_) {
    auto cached = persist_cache_.find(key);
    if (cached == persist_cache_.end() || persist_dirty_.count(key) != 0) {
      cached = persist_cache_.insert_or_assign(key, SerializeRd(rd)).first;
    }
    w.Raw(cached->second);
  }
  persist_dirty_.clear();
  w.EndArray().EndObject();
  return w.Take();
}

std::string ClusterState::SerializeRd(const ResourceDefinition& rd) const {
  JsonWriter w;
  w.BeginObject()
      .Field("name", rd.name)
      .Field("external_name", rd.external_name)
      .Field("resource_group", rd.resource_group)
      .Field("uuid", rd.uuid)
      .Field("port", rd.port)
      .Field("secret", rd.secret)
      .Field("clone_source", rd.clone_source)
      .Field("clone_polls_left", rd.clone_polls_left)
      .Key("props")
      .StringMap(rd.props)
      .Key("layer_stack")
      .StringArray(rd.layer_stack);
  w.Key("volumes").BeginArray();
  for (const auto& [nr, vd] : rd.volumes) {
    w.BeginObject()
        .Field("number", vd.number)
        .Field("size_kib", vd.size_kib)
        .Field("minor", vd.minor)
        .Field("uuid", vd.uuid)
        .Field("loop_device", backing_->Device(VolId(rd, nr)))
        .Key("props")
        .StringMap(vd.props)
        .EndObject();
  }
  w.EndArray().Key("resources").BeginArray();
  for (const auto& [node_key, r] : rd.resources) {
    w.BeginObject()
        .Field("node", r.node)
        .Field("storage_pool", r.storage_pool)
        .Field("diskless", r.diskless)
        .Field("tie_breaker", r.tie_breaker)
        .Field("in_use", r.in_use)
        .Field("node_id", r.node_id)
        .Field("uuid", r.uuid)
        .Field("create_timestamp", r.create_timestamp_ms)
        .Key("props")
        .StringMap(r.props)
        .EndObject();
  }
  w.EndArray().Key("snapshots").BeginArray();
  for (const auto& [snap_key, s] : rd.snapshots) {
    w.BeginObject()
        .Field("name", s.name)
        .Field("uuid", s.uuid)
        .Field("sequence", s.sequence)
        .Field("successful", s.successful)
        .Field("create_timestamp", s.create_timestamp_ms)
        .Key("props")
        .StringMap(s.props)
        .Key("rd_props")
        .StringMap(s.rd_props)
        .Key("nodes")
        .StringArray(s.nodes)
        .Key("node_pools")
        .StringMap(s.node_pools)
        .Key("volumes")
        .BeginArray();
    for (const auto& v : s.volumes) {
      w.BeginObject()
          .Field("number", v.number)
          .Field("size_kib", v.size_kib)
          .Key("vd_props")
          .StringMap(v.vd_props)
          .EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

Status ClusterState::Load(std::string_view json) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    return Status(Code::kDataLoss, "state file is not valid JSON");
  }
  if (Int(root, "format") != kStateFormat)
    return Status(Code::kDataLoss, "unknown state file format");
  uuid_counter_ = static_cast<uint64_t>(Int(root, "uuid_counter"));
  snapshot_seq_ = Int(root, "snapshot_seq");

  simdjson::dom::array arr;
  if (root["nodes"].get_array().get(arr) == simdjson::SUCCESS) {
    for (element n : arr) {
      if (Node* node = FindNode(Str(n, "name"))) node->online = Bool(n, "online");
    }
  }
  if (root["resource_groups"].get_array().get(arr) == simdjson::SUCCESS) {
    for (element e : arr) {
      ResourceGroup rg;
      rg.name = Str(e, "name");
      rg.description = Str(e, "description");
      rg.uuid = Str(e, "uuid");
      rg.props = PropsOf(e, "props");
      element f;
      if (e["select_filter"].get(f) == simdjson::SUCCESS) rg.filter = FilterOf(f);
      rg.peer_slots = OptInt32(e, "peer_slots");
      if (!rg.name.empty()) rgs_[NameKey(rg.name)] = std::move(rg);
    }
  }

  std::set<std::string> live_volumes, live_snapshots;
  std::set<int32_t> used_minors, used_ports;
  if (root["resource_definitions"].get_array().get(arr) == simdjson::SUCCESS) {
    for (element e : arr) {
      ResourceDefinition rd;
      rd.name = Str(e, "name");
      if (rd.name.empty()) continue;
      rd.external_name = Str(e, "external_name");
      rd.resource_group = Str(e, "resource_group");
      rd.uuid = Str(e, "uuid");
      rd.port = static_cast<int32_t>(Int(e, "port"));
      rd.secret = Str(e, "secret");
      rd.clone_source = Str(e, "clone_source");
      rd.clone_polls_left = static_cast<int32_t>(Int(e, "clone_polls_left"));
      rd.props = PropsOf(e, "props");
      element ls;
      if (e["layer_stack"].get(ls) == simdjson::SUCCESS) rd.layer_stack = StrList(ls);
      used_ports.insert(rd.port);
      const std::string rd_key = NameKey(rd.name);

      simdjson::dom::array items;
      if (e["volumes"].get_array().get(items) == simdjson::SUCCESS) {
        for (element v : items) {
          VolumeDefinition vd;
          vd.number = static_cast<int32_t>(Int(v, "number"));
          vd.size_kib = Int(v, "size_kib");
          vd.minor = static_cast<int32_t>(Int(v, "minor"));
          vd.uuid = Str(v, "uuid");
          vd.props = PropsOf(v, "props");
          const std::string vol_id = VolId(rd, vd.number);
          auto dev = backing_->Reattach(vol_id, Str(v, "loop_device"), vd.size_kib);
          if (!dev.ok()) {
            spdlog::error("linstor-sim: cannot re-attach volume {}: {}", vol_id,
                          dev.status().message());
          } else {
            vd.loop_device = *dev;
          }
          live_volumes.insert(vol_id);
          used_minors.insert(vd.minor);
          rd.volumes[vd.number] = std::move(vd);
        }
      }
      const int64_t size = TotalSizeKib(rd);
      if (e["resources"].get_array().get(items) == simdjson::SUCCESS) {
        for (element r : items) {
          Resource rsc;
          rsc.node = Str(r, "node");
          const Node* node = FindNode(rsc.node);
          if (node == nullptr) {
            spdlog::warn("linstor-sim: dropping resource {} on unknown node {}", rd.name, rsc.node);
            continue;
          }
          rsc.node = node->name;
          rsc.storage_pool = Str(r, "storage_pool");
          rsc.diskless = Bool(r, "diskless");
          rsc.tie_breaker = Bool(r, "tie_breaker");
          rsc.in_use = Bool(r, "in_use");
          rsc.node_id = static_cast<int32_t>(Int(r, "node_id"));
          rsc.uuid = Str(r, "uuid");
          rsc.create_timestamp_ms = Int(r, "create_timestamp");
          rsc.props = PropsOf(r, "props");
          const std::string node_key = NameKey(node->name);
          if (!rsc.diskless) ChargePool(node_key, rsc.storage_pool, size);
          rds_by_node_[node_key].insert(rd_key);
          rd.resources[node_key] = std::move(rsc);
        }
      }
      if (e["snapshots"].get_array().get(items) == simdjson::SUCCESS) {
        for (element s : items) {
          Snapshot snap;
          snap.name = Str(s, "name");
          snap.uuid = Str(s, "uuid");
          snap.sequence = Int(s, "sequence");
          bool successful = true;
          if (s["successful"].get_bool().get(successful) == simdjson::SUCCESS) {
            snap.successful = successful;
          }
          snap.create_timestamp_ms = Int(s, "create_timestamp");
          snap.props = PropsOf(s, "props");
          snap.rd_props = PropsOf(s, "rd_props");
          element nodes;
          if (s["nodes"].get(nodes) == simdjson::SUCCESS) snap.nodes = StrList(nodes);
          snap.node_pools = PropsOf(s, "node_pools");
          simdjson::dom::array vols;
          int64_t snap_size = 0;
          if (s["volumes"].get_array().get(vols) == simdjson::SUCCESS) {
            for (element v : vols) {
              SnapshotVolume sv;
              sv.number = static_cast<int32_t>(Int(v, "number"));
              sv.size_kib = Int(v, "size_kib");
              sv.vd_props = PropsOf(v, "vd_props");
              snap_size += sv.size_kib;
              snap.volumes.push_back(std::move(sv));
            }
          }
          for (const auto& [node_key, pool] : snap.node_pools)
            ChargePool(node_key, pool, snap_size);
          for (const auto& v : snap.volumes) live_snapshots.insert(SnapId(rd, snap, v.number));
          rd.snapshots[NameKey(snap.name)] = std::move(snap);
        }
      }
      rds_[rd_key] = std::move(rd);
    }
  }
  minors_.Restore(used_minors);
  ports_.Restore(used_ports);
  backing_->CollectGarbage(live_volumes, live_snapshots);
  return Status::Ok();
}

}  // namespace lcsi::sim
