#include "linstor/encode.h"

namespace lcsi::linstor {
namespace {

void OptStrings(JsonWriter& w, const char* key, const std::optional<std::vector<std::string>>& v) {
  if (v) w.Key(key).StringArray(*v);
}

// The single create takes the RD from its path and does not read resource_name
// (Snapshots.createSnapshot); the multi create needs it per entry.
void WriteSnapshot(JsonWriter& w, const SnapshotCreate& c, bool with_resource_name) {
  w.BeginObject();
  w.Key("name").String(c.name);
  if (with_resource_name) w.Key("resource_name").String(c.resource_name);
  if (!c.nodes.empty()) w.Key("nodes").StringArray(c.nodes);
  if (!c.props.empty()) w.Key("snapshot_definition_props").StringMap(c.props);
  w.EndObject();
}

}  // namespace

void WriteSelectFilter(JsonWriter& w, const SelectFilter& f) {
  w.BeginObject();
  if (f.place_count) w.Key("place_count").Int(*f.place_count);
  if (f.additional_place_count) w.Key("additional_place_count").Int(*f.additional_place_count);
  OptStrings(w, "node_name_list", f.node_name_list);
  if (f.storage_pool) w.Key("storage_pool").String(*f.storage_pool);
  OptStrings(w, "storage_pool_list", f.storage_pool_list);
  OptStrings(w, "storage_pool_diskless_list", f.storage_pool_diskless_list);
  OptStrings(w, "not_place_with_rsc", f.not_place_with_rsc);
  if (f.not_place_with_rsc_regex) {
    w.Key("not_place_with_rsc_regex").String(*f.not_place_with_rsc_regex);
  }
  OptStrings(w, "replicas_on_same", f.replicas_on_same);
  OptStrings(w, "replicas_on_different", f.replicas_on_different);
  if (f.x_replicas_on_different_map) {
    w.Key("x_replicas_on_different_map").BeginObject();
    for (const auto& [k, n] : *f.x_replicas_on_different_map) w.Key(k).Int(n);
    w.EndObject();
  }
  OptStrings(w, "layer_stack", f.layer_stack);
  OptStrings(w, "provider_list", f.provider_list);
  if (f.diskless_on_remaining) w.Key("diskless_on_remaining").Bool(*f.diskless_on_remaining);
  if (f.diskless_type) w.Key("diskless_type").String(*f.diskless_type);
  w.EndObject();
}

std::string EncodeResourceGroup(const ResourceGroup& g) {
  JsonWriter w;
  w.BeginObject();
  w.Key("name").String(g.name);
  if (!g.description.empty()) w.Key("description").String(g.description);
  // No props: ResourceGroups.createResourceGroup drops them; they are set with a modify.
  w.Key("select_filter");
  WriteSelectFilter(w, g.select_filter);
  if (g.peer_slots) w.Key("peer_slots").Int(*g.peer_slots);
  w.EndObject();
  return w.Take();
}

std::string EncodeResourceGroupModify(const ResourceGroupModify& m) {
  JsonWriter w;
  w.BeginObject();
  if (m.description) w.Key("description").String(*m.description);
  if (!m.override_props.empty()) w.Key("override_props").StringMap(m.override_props);
  if (!m.delete_props.empty()) w.Key("delete_props").StringArray(m.delete_props);
  if (!m.delete_namespaces.empty()) w.Key("delete_namespaces").StringArray(m.delete_namespaces);
  if (m.select_filter) {
    w.Key("select_filter");
    WriteSelectFilter(w, *m.select_filter);
  }
  w.EndObject();
  return w.Take();
}

std::string EncodeSpawn(const ResourceGroupSpawn& s) {
  JsonWriter w;
  w.BeginObject();
  w.Key("resource_definition_name").String(s.resource_definition_name);
  w.Key("volume_sizes").BeginArray();
  for (int64_t kib : s.volume_sizes) w.Int(kib);
  w.EndArray();
  if (s.select_filter) {
    w.Key("select_filter");
    WriteSelectFilter(w, *s.select_filter);
  }
  if (s.partial) w.Key("partial").Bool(true);
  if (s.definitions_only) w.Key("definitions_only").Bool(true);
  if (!s.resource_definition_props.empty()) {
    w.Key("resource_definition_props").StringMap(s.resource_definition_props);
  }
  w.EndObject();
  return w.Take();
}

std::string EncodeQuerySizeInfo(const SelectFilter* filter) {
  JsonWriter w;
  w.BeginObject();
  if (filter != nullptr) {
    w.Key("select_filter");
    WriteSelectFilter(w, *filter);
  }
  w.EndObject();
  return w.Take();
}

std::string EncodeResourceDefinitionCreate(const ResourceDefinitionCreate& c) {
  JsonWriter w;
  w.BeginObject().Key("resource_definition").BeginObject();
  w.Key("name").String(c.name);
  if (!c.props.empty()) w.Key("props").StringMap(c.props);
  if (!c.resource_group_name.empty()) w.Key("resource_group_name").String(c.resource_group_name);
  w.EndObject().EndObject();
  return w.Take();
}

std::string EncodePropsModify(const PropsModify& m) {
  JsonWriter w;
  w.BeginObject();
  if (!m.override_props.empty()) w.Key("override_props").StringMap(m.override_props);
  if (!m.delete_props.empty()) w.Key("delete_props").StringArray(m.delete_props);
  if (!m.delete_namespaces.empty()) w.Key("delete_namespaces").StringArray(m.delete_namespaces);
  w.EndObject();
  return w.Take();
}

std::string EncodeVolumeDefinitionResize(int64_t size_kib) {
  JsonWriter w;
  w.BeginObject().Key("size_kib").Int(size_kib).EndObject();
  return w.Take();
}

std::string EncodeResourceCreate(const ResourceCreate& c) {
  JsonWriter w;
  w.BeginArray().BeginObject();
  w.Key("resource").BeginObject();
  // No name: Resources.createResource takes the resource definition from the path.
  w.Key("node_name").String(c.node_name);
  Props props = c.props;
  if (!c.storage_pool.empty()) props["StorPoolName"] = c.storage_pool;
  if (!props.empty()) w.Key("props").StringMap(props);
  if (c.diskless) w.Key("flags").StringArray({std::string(kFlagDrbdDiskless)});
  w.EndObject();
  if (!c.layer_list.empty()) w.Key("layer_list").StringArray(c.layer_list);
  w.EndObject().EndArray();
  return w.Take();
}

std::string EncodeMakeAvailable(const ResourceMakeAvailable& r) {
  JsonWriter w;
  w.BeginObject();
  if (!r.layer_list.empty()) w.Key("layer_list").StringArray(r.layer_list);
  w.Key("diskful").Bool(r.diskful);
  w.EndObject();
  return w.Take();
}

std::string EncodeAutoPlace(const AutoPlaceRequest& r) {
  // AutoPlace.autoplace overwrites select_filter.diskless_on_remaining and .layer_stack with
  // the top-level diskless_on_remaining and layer_list: send them there only.
  SelectFilter filter = r.select_filter;
  const std::optional<bool> diskless_on_remaining =
      r.diskless_on_remaining ? r.diskless_on_remaining : filter.diskless_on_remaining;
  std::vector<std::string> layers = r.layer_list;
  if (layers.empty() && filter.layer_stack) layers = *filter.layer_stack;
  filter.diskless_on_remaining.reset();
  filter.layer_stack.reset();
  JsonWriter w;
  w.BeginObject();
  if (diskless_on_remaining) w.Key("diskless_on_remaining").Bool(*diskless_on_remaining);
  w.Key("select_filter");
  WriteSelectFilter(w, filter);
  if (!layers.empty()) w.Key("layer_list").StringArray(layers);
  w.EndObject();
  return w.Take();
}

std::string EncodeSnapshot(const SnapshotCreate& c) {
  JsonWriter w;
  WriteSnapshot(w, c, /*with_resource_name=*/false);
  return w.Take();
}

std::string EncodeMultiSnapshot(const std::vector<SnapshotCreate>& snapshots) {
  JsonWriter w;
  w.BeginObject().Key("snapshots").BeginArray();
  for (const auto& c : snapshots) WriteSnapshot(w, c, /*with_resource_name=*/true);
  w.EndArray().EndObject();
  return w.Take();
}

std::string EncodeSnapshotRestore(const SnapshotRestore& r) {
  JsonWriter w;
  w.BeginObject();
  w.Key("to_resource").String(r.to_resource);
  if (!r.nodes.empty()) w.Key("nodes").StringArray(r.nodes);
  w.EndObject();
  return w.Take();
}

std::string EncodeSnapshotRollback() { return "{}"; }

std::string EncodeCloneRequest(const CloneRequest& r) {
  JsonWriter w;
  w.BeginObject();
  w.Key("name").String(r.name);
  if (r.use_zfs_clone) w.Key("use_zfs_clone").Bool(*r.use_zfs_clone);
  if (!r.layer_list.empty()) w.Key("layer_list").StringArray(r.layer_list);
  if (!r.resource_group.empty()) w.Key("resource_group").String(r.resource_group);
  if (!r.override_props.empty()) w.Key("override_props").StringMap(r.override_props);
  if (!r.delete_props.empty()) w.Key("delete_props").StringArray(r.delete_props);
  w.EndObject();
  return w.Take();
}

}  // namespace lcsi::linstor
