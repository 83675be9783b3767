// ClusterState's JSON views: LINSTOR's REST shapes for nodes, storage pools, resource
// groups, resource/volume definitions, resources (ResourceWithVolumes) and snapshots.
#include <climits>

#include "base/json_writer.h"
#include "linstor-sim/cluster_state.h"
#include "linstor-sim/drbd_state.h"
#include "linstor-sim/names.h"

namespace lcsi::sim {

namespace {

// DrbdRscDfnPojo's fields, the same in a resource definition's layer_data and in a resource's
// drbd_resource_definition.
void WriteDrbdRdData(JsonWriter& w, const ResourceDefinition& rd, int peer_slots) {
  w.BeginObject()
      .Field("resource_name_suffix", "")
      .Field("peer_slots", peer_slots)
      .Field("al_stripes", 1)
      .Field("al_stripe_size_kib", int64_t{32})
      .Field("port", rd.port)
      .Field("transport_type", "IP")
      .Field("secret", rd.secret)
      .Field("down", false)
      .EndObject();
}

// Json.pojoToDrbdVolumeDefinition: the same in a volume definition's layer_data and in each DRBD
// volume of a resource.
void WriteDrbdVlmDfnData(JsonWriter& w, const VolumeDefinition& vd) {
  w.BeginObject()
      .Field("resource_name_suffix", "")
      .Field("volume_number", vd.number)
      .Field("minor_number", vd.minor)
      .EndObject();
}

// The placement rules every select-filter view carries, in LINSTOR's field order.
void WritePlacementRules(JsonWriter& w, const SelectFilter& f) {
  if (f.not_place_with_rsc) w.Key("not_place_with_rsc").StringArray(*f.not_place_with_rsc);
  if (f.not_place_with_rsc_regex) w.Field("not_place_with_rsc_regex", *f.not_place_with_rsc_regex);
  if (f.replicas_on_same) w.Key("replicas_on_same").StringArray(*f.replicas_on_same);
  if (f.replicas_on_different) w.Key("replicas_on_different").StringArray(*f.replicas_on_different);
  if (f.x_replicas_on_different_map) {
    w.Key("x_replicas_on_different_map").BeginObject();
    for (const auto& [k, v] : *f.x_replicas_on_different_map) w.Field(k, v);
    w.EndObject();
  }
  if (f.layer_stack) w.Key("layer_stack").StringArray(*f.layer_stack);
  if (f.provider_list) w.Key("provider_list").StringArray(*f.provider_list);
  if (f.diskless_on_remaining) w.Field("diskless_on_remaining", *f.diskless_on_remaining);
}

}  // namespace

void WriteSelectFilter(JsonWriter& w, const SelectFilter& f) {
  w.BeginObject();
  if (f.place_count) w.Field("place_count", *f.place_count);
  if (f.additional_place_count) w.Field("additional_place_count", *f.additional_place_count);
  if (f.node_name_list) w.Key("node_name_list").StringArray(*f.node_name_list);
  if (f.storage_pool) w.Field("storage_pool", *f.storage_pool);
  if (f.storage_pool_list) w.Key("storage_pool_list").StringArray(*f.storage_pool_list);
  if (f.storage_pool_diskless_list)
    w.Key("storage_pool_diskless_list").StringArray(*f.storage_pool_diskless_list);
  WritePlacementRules(w, f);
  if (f.diskless_type) w.Field("diskless_type", *f.diskless_type);
  if (f.overprovision) w.Field("overprovision", *f.overprovision);
  if (f.port_count) w.Field("port_count", *f.port_count);
  w.EndObject();
}

void ClusterState::WriteNode(JsonWriter& w, const Node& node) const {
  std::set<std::string> providers = {"DISKLESS"};
  for (const auto& [k, p] : node.pools) providers.insert(p.provider_kind);
  Props props = node.props;
  props["CurStltConnName"] = "default";
  props["NodeUname"] = node.name;
  w.BeginObject()
      .Field("name", node.name)
      .Field("type", "SATELLITE")
      .Key("flags")
      .BeginArray()
      .EndArray()
      .Key("props")
      .StringMap(props)
      .Key("net_interfaces")
      .BeginArray()
      .BeginObject()
      .Field("name", "default")
      .Field("address", node.address)
      .Field("satellite_port", 3366)
      .Field("satellite_encryption_type", "PLAIN")
      .Field("is_active", true)
      .Field("uuid", node.uuid)
      .EndObject()
      .EndArray()
      .Field("connection_status", node.online ? "ONLINE" : "OFFLINE")
      .Field("uuid", node.uuid)
      .Key("storage_providers")
      .StringArray(std::vector<std::string>(providers.begin(), providers.end()))
      .Key("resource_layers")
      .StringArray({"DRBD", "STORAGE"})
      .EndObject();
}

void ClusterState::WritePool(JsonWriter& w, const Node& node, const StoragePool& pool) const {
  const bool thin = pool.provider_kind.find("THIN") != std::string::npos;
  w.BeginObject()
      .Field("storage_pool_name", pool.name)
      .Field("node_name", node.name)
      .Field("provider_kind", pool.provider_kind)
      .Key("props")
      .StringMap(pool.props)
      .Key("static_traits")
      .BeginObject();
  if (!pool.diskless()) w.Field("Provisioning", thin ? "Thin" : "Fat");
  w.Field("SupportsSnapshots", pool.diskless() ? "false" : "true").EndObject();
  if (pool.diskless()) {
    w.Field("free_capacity", int64_t{INT64_MAX}).Field("total_capacity", int64_t{INT64_MAX});
  } else {
    w.Field("free_capacity", pool.free_kib()).Field("total_capacity", pool.total_kib);
  }
  w.Field("free_space_mgr_name", node.name + ";" + pool.name)
      .Field("uuid", pool.uuid)
      .Field("supports_snapshots", !pool.diskless())
      .Field("external_locking", false);
  if (!node.online) {
    ApiCallRcList reports;
    reports.Add(0x8000000000000000ULL | 1002,
                "No active connection to satellite '" + node.name + "'");
    w.Key("reports").Raw(reports.ToJson());
  }
  w.EndObject();
}

namespace {

// Json.apiToResourceGroup writes only these select filter fields: node_name_list,
// storage_pool_diskless_list, additional_place_count, diskless_type and port_count are kept
// but never shown. storage_pool is the pool list's only entry (AutoSelectFilterData turns a
// storage_pool without storage_pool_list into a one-entry list).
void WriteRgSelectFilterView(JsonWriter& w, const SelectFilter& f) {
  std::optional<std::vector<std::string>> pools = f.storage_pool_list;
  if ((!pools || pools->empty()) && f.storage_pool)
    pools = std::vector<std::string>{*f.storage_pool};
  w.BeginObject();
  if (f.place_count) w.Field("place_count", *f.place_count);
  if (pools && pools->size() == 1) w.Field("storage_pool", pools->front());
  if (pools && !pools->empty()) w.Key("storage_pool_list").StringArray(*pools);
  WritePlacementRules(w, f);
  w.EndObject();
}

}  // namespace

// Json.apiToResourceGroup: no peer_slots in the answer.
void ClusterState::WriteRg(JsonWriter& w, const ResourceGroup& rg) const {
  w.BeginObject().Field("name", rg.name).Field("description", rg.description);
  w.Key("props").StringMap(rg.props);
  w.Key("select_filter");
  WriteRgSelectFilterView(w, rg.filter);
  w.Field("uuid", rg.uuid);
  w.EndObject();
}

void ClusterState::WriteRd(JsonWriter& w, const ResourceDefinition& rd, bool with_vds) const {
  w.BeginObject().Field("name", rd.name);
  if (!rd.external_name.empty()) w.Field("external_name", rd.external_name);
  w.Key("props").StringMap(rd.props);
  w.Key("flags").BeginArray();
  if (rd.clone_polls_left > 0) w.String("CLONING");
  w.EndArray();
  w.Key("layer_data").BeginArray();
  if (DrbdInStack(rd)) {
    w.BeginObject().Field("type", "DRBD").Key("data");
    WriteDrbdRdData(w, rd, RgOf(rd).peer_slots.value_or(7));
    w.EndObject();
  }
  w.BeginObject().Field("type", "STORAGE").EndObject();
  w.EndArray();
  w.Field("uuid", rd.uuid).Field("resource_group_name", rd.resource_group);
  if (with_vds) {
    w.Key("volume_definitions").BeginArray();
    for (const auto& [nr, vd] : rd.volumes) WriteVd(w, rd, vd);
    w.EndArray();
  }
  w.EndObject();
}

void ClusterState::WriteVd(JsonWriter& w, const ResourceDefinition& rd,
                           const VolumeDefinition& vd) const {
  w.BeginObject()
      .Field("volume_number", vd.number)
      .Field("size_kib", vd.size_kib)
      .Key("props")
      .StringMap(vd.props)
      .Key("flags")
      .BeginArray()
      .EndArray()
      .Key("layer_data")
      .BeginArray();
  if (DrbdInStack(rd)) {
    w.BeginObject().Field("type", "DRBD").Key("data");
    WriteDrbdVlmDfnData(w, vd);
    w.EndObject();
  }
  w.BeginObject().Field("type", "STORAGE").EndObject();
  w.EndArray().Field("uuid", vd.uuid).EndObject();
}

void ClusterState::WriteResource(JsonWriter& w, const ResourceDefinition& rd,
                                 const std::string& node_key, const Resource& rsc,
                                 bool with_volumes) const {
  const Node& node = nodes_.at(node_key);
  const bool drbd = DrbdInStack(rd);
  const StoragePool* pool = nullptr;
  if (auto p = node.pools.find(NameKey(rsc.storage_pool)); p != node.pools.end()) pool = &p->second;
  const std::string provider = pool != nullptr ? pool->provider_kind : "DISKLESS";
  const std::string vg = [&]() -> std::string {
    if (pool == nullptr) return "linstor_vg";
    auto it = pool->props.find("StorDriver/LvmVg");
    return it != pool->props.end() ? it->second : "linstor_vg";
  }();
  auto disk_state = [&]() { return DrbdDiskState(rsc, node.online); };
  auto link_up = [&](const std::string& peer_key, const Resource& peer) {
    return DrbdLinkUp(rsc, node.online, peer, nodes_.at(peer_key).online);
  };
  auto backing_path = [&](const VolumeDefinition& vd) {
    char suffix[8];
    std::snprintf(suffix, sizeof(suffix), "_%05d", vd.number);
    return "/dev/" + vg + "/" + rd.name + suffix;
  };

  w.BeginObject().Field("name", rd.name).Field("node_name", rsc.node);
  w.Key("props").StringMap(rsc.props);
  w.Key("flags").BeginArray();
  if (rsc.diskless) w.String("DISKLESS").String("DRBD_DISKLESS");
  if (rsc.tie_breaker) w.String("TIE_BREAKER");
  w.EndArray();

  // Json.apiToStorageVolume: the same in the STORAGE layer's storage_volumes and in each
  // volume's layer_data_list.
  auto write_storage_volume = [&](const VolumeDefinition& vd) {
    w.BeginObject().Field("volume_number", vd.number);
    if (!rsc.diskless) w.Field("device_path", backing_path(vd));
    w.Field("allocated_size_kib", rsc.diskless ? int64_t{0} : vd.size_kib)
        .Field("usable_size_kib", rsc.diskless ? int64_t{0} : vd.size_kib)
        .EndObject();
  };

  // Json.pojoToDrbdVolume: the same in the DRBD layer's drbd_volumes and in each volume's
  // layer_data_list. A diskless replica has no backing device or meta disk (null, not written).
  auto write_drbd_volume = [&](const VolumeDefinition& vd) {
    w.BeginObject().Key("drbd_volume_definition");
    WriteDrbdVlmDfnData(w, vd);
    w.Field("device_path", DevicePath(rd, vd));
    if (!rsc.diskless) w.Field("backing_device", backing_path(vd)).Field("meta_disk", "internal");
    w.Field("allocated_size_kib", rsc.diskless ? int64_t{0} : vd.size_kib)
        .Field("usable_size_kib", vd.size_kib)
        .Field("disk_state", disk_state())
        .EndObject();
  };

  // layer_object: DRBD over STORAGE (or STORAGE alone).
  auto write_storage_layer = [&]() {
    w.BeginObject()
        .Key("children")
        .BeginArray()
        .EndArray()
        .Field("resource_name_suffix", "")
        .Field("type", "STORAGE")
        .Key("storage")
        .BeginObject()
        .Key("storage_volumes")
        .BeginArray();
    for (const auto& [nr, vd] : rd.volumes) write_storage_volume(vd);
    w.EndArray().EndObject().EndObject();
  };
  w.Key("layer_object");
  if (drbd) {
    w.BeginObject().Key("children").BeginArray();
    write_storage_layer();
    w.EndArray()
        .Field("resource_name_suffix", "")
        .Field("type", "DRBD")
        .Key("drbd")
        .BeginObject()
        .Key("drbd_resource_definition");
    WriteDrbdRdData(w, rd, RgOf(rd).peer_slots.value_or(7));
    w.Field("node_id", rsc.node_id)
        .Key("tcp_ports")
        .BeginArray()
        .Int(rd.port)
        .EndArray()
        .Field("peer_slots", RgOf(rd).peer_slots.value_or(7))
        .Field("al_stripes", 1)
        .Field("al_size", int64_t{32})
        .Key("flags")
        .BeginArray();
    if (rsc.diskless) w.String("DISKLESS");
    w.EndArray().Key("drbd_volumes").BeginArray();
    for (const auto& [nr, vd] : rd.volumes) write_drbd_volume(vd);
    w.EndArray().Key("connections").BeginObject();
    for (const auto& [peer_key, peer] : rd.resources) {
      if (peer_key == node_key) continue;
      const bool up = link_up(peer_key, peer);
      w.Key(peer.node)
          .BeginObject()
          .Field("connected", up)
          .Field("message", DrbdConnectionMessage(up, node.online))
          .EndObject();
    }
    const int32_t promotion_score = DrbdPromotionScore(rsc, node.online);
    w.EndObject()
        .Field("promotion_score", promotion_score)
        .Field("may_promote", promotion_score > 0)
        .EndObject()
        .EndObject();
  } else {
    write_storage_layer();
  }

  w.Key("state").BeginObject();
  if (node.online) w.Field("in_use", rsc.in_use);
  w.EndObject();
  w.Field("uuid", rsc.uuid).Field("create_timestamp", rsc.create_timestamp_ms);
  if (!with_volumes) {
    w.EndObject();
    return;
  }

  w.Key("volumes").BeginArray();
  for (const auto& [nr, vd] : rd.volumes) {
    const std::string device = drbd || backing_->real() ? DevicePath(rd, vd) : backing_path(vd);
    w.BeginObject()
        .Field("volume_number", nr)
        .Field("storage_pool_name", rsc.storage_pool)
        .Field("provider_kind", provider)
        .Field("device_path", device)
        // Json.apiToVolume: no usable_size_kib at this level (only in layer_data_list).
        .Field("allocated_size_kib", rsc.diskless ? int64_t{0} : vd.size_kib)
        .Key("props")
        .StringMap(vd.props)
        .Key("flags")
        .BeginArray()
        .EndArray()
        .Key("state")
        .BeginObject()
        .Field("disk_state", disk_state());
    if (drbd && node.online) {
      // Json.apiToVolumeState: one entry per peer the satellite reports a replication state for.
      w.Key("replication_states").BeginObject();
      for (const auto& [peer_key, peer] : rd.resources) {
        if (peer_key == node_key) continue;
        DrbdReplication repl = DrbdReplicationState(rsc, peer, link_up(peer_key, peer));
        w.Key(peer.node).BeginObject().Field("replication_state", repl.state);
        if (repl.done) w.Field("done_percentage", *repl.done);
        w.EndObject();
      }
      w.EndObject();
    }
    w.EndObject().Key("layer_data_list").BeginArray();
    if (drbd) {
      w.BeginObject().Field("type", "DRBD").Key("data");
      write_drbd_volume(vd);
      w.EndObject();
    }
    w.BeginObject().Field("type", "STORAGE").Key("data");
    write_storage_volume(vd);
    w.EndObject();
    w.EndArray().Field("uuid", vd.uuid).EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void ClusterState::WriteSnapshot(JsonWriter& w, const ResourceDefinition& rd,
                                 const Snapshot& s) const {
  // `props` (deprecated) = the captured RD props overlaid with the snapshot definition's own
  // (Json.apiToSnapshot).
  Props merged = s.rd_props;
  for (const auto& [k, v] : s.props) merged[k] = v;
  w.BeginObject()
      .Field("name", s.name)
      .Field("resource_name", rd.name)
      .Key("nodes")
      .StringArray(s.nodes)
      .Key("props")
      .StringMap(merged)
      .Key("snapshot_definition_props")
      .StringMap(s.props)
      .Key("resource_definition_props")
      .StringMap(s.rd_props)
      .Key("flags")
      .StringArray(s.successful ? std::vector<std::string>{"SUCCESSFUL"}
                                : std::vector<std::string>{})
      .Key("volume_definitions")
      .BeginArray();
  for (const auto& v : s.volumes) {
    w.BeginObject()
        .Field("volume_number", v.number)
        .Field("size_kib", v.size_kib)
        .Key("snapshot_volume_definition_props")
        .BeginObject()
        .EndObject()
        .Key("volume_definition_props")
        .StringMap(v.vd_props)
        .EndObject();
  }
  w.EndArray().Field("uuid", s.uuid).Key("snapshots").BeginArray();
  for (const auto& node : s.nodes) {
    w.BeginObject()
        .Field("snapshot_name", s.name)
        .Field("node_name", node)
        .Field("create_timestamp", s.create_timestamp_ms)
        .Key("flags")
        .BeginArray()
        .EndArray()
        .Field("uuid", s.uuid)
        .Key("snapshot_volumes")
        .BeginArray();
    for (const auto& v : s.volumes) {
      w.BeginObject()
          .Field("uuid", s.uuid)
          .Field("vlm_nr", v.number)
          .Field("state", "Successful")
          .EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
}

}  // namespace lcsi::sim
