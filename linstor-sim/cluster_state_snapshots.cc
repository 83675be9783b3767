// ClusterState: snapshots, multi-snapshots, restore, rollback and clone.
#include <algorithm>
#include <chrono>

#include "base/json_writer.h"
#include "linstor-sim/api_consts.h"
#include "linstor-sim/cluster_state.h"
#include "linstor-sim/cluster_state_replies.h"
#include "linstor-sim/list_util.h"
#include "linstor-sim/names.h"

namespace lcsi::sim {

namespace {

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::map<std::string, std::string> SnapRef(const std::string& rd, const std::string& snap) {
  return {{"RscDfn", rd}, {"SnapshotName", snap}};
}

Reply SnapNotFound(uint64_t mask, const std::string& rd, const std::string& snap) {
  return ErrorReply(mask | rc::kFailNotFoundSnapshotDfn,
                    "Snapshot definition '" + snap + "' of resource '" + rd + "' not found.", {},
                    SnapRef(rd, snap));
}

}  // namespace

// ---------------------------------------------------------------- helpers

Reply ClusterState::CheckSnapshot(const SnapshotCreateRequest& req, const ResourceDefinition& rd,
                                  std::vector<std::string>& nodes) const {
  const uint64_t mask = rc::kMaskSnapshot | rc::kMaskCrt;
  if (!IsValidName(req.name)) {
    return ErrorReply(mask | rc::kFailInvldSnapshotName,
                      "The specified snapshot name '" + req.name + "' is invalid.",
                      "Names are 2-48 characters of [A-Za-z0-9_-], starting with a letter or _.");
  }
  if (rd.snapshots.count(NameKey(req.name)) != 0) {
    return ErrorReply(mask | rc::kFailExistsSnapshotDfn,
                      "A snapshot definition with the name '" + req.name +
                          "' already exists in resource definition '" + rd.name + "'.",
                      {}, SnapRef(rd.name, req.name));
  }
  nodes.clear();
  if (req.nodes.empty()) {
    for (const auto& [node_key, rsc] : rd.resources)
      if (!rsc.diskless) nodes.push_back(node_key);
  } else {
    for (const auto& n : req.nodes) {
      auto it = rd.resources.find(NameKey(n));
      if (it == rd.resources.end() || it->second.diskless) {
        return ErrorReply(mask | rc::kFailNotFoundRsc,
                          "Resource '" + rd.name + "' has no diskful replica on node '" + n + "'.",
                          {}, {{"RscDfn", rd.name}, {"Node", n}});
      }
      nodes.push_back(NameKey(n));
    }
  }
  if (nodes.empty()) {
    return ErrorReply(mask | rc::kFailNotEnoughNodes,
                      "No diskful resources of '" + rd.name + "' to take a snapshot of.", {},
                      {{"RscDfn", rd.name}});
  }
  const int64_t size = TotalSizeKib(rd);
  for (const auto& node_key : nodes) {
    const Node& node = nodes_.at(node_key);
    if (!node.online) {
      return ErrorReply(mask | rc::kFailNotConnected,
                        "No active connection to satellite '" + node.name + "'.",
                        "The snapshot cannot be taken while the node is offline.");
    }
    const Resource& rsc = rd.resources.at(node_key);
    auto p = node.pools.find(NameKey(rsc.storage_pool));
    if (p != node.pools.end() && p->second.free_kib() < size) {
      return ErrorReply(mask | rc::kFailNotEnoughFreeSpace,
                        "Not enough free space in storage pool '" + rsc.storage_pool +
                            "' on node '" + node.name + "' for snapshot '" + req.name + "'.");
    }
  }
  return {0, {}};
}

Status ClusterState::TakeSnapshot(ResourceDefinition& rd, const SnapshotCreateRequest& req,
                                  const std::vector<std::string>& nodes, ApiCallRcList& rc) {
  Snapshot s;
  s.name = req.name;
  s.props = req.props;
  s.rd_props = rd.props;
  s.uuid = NewUuid();
  s.sequence = ++snapshot_seq_;
  s.create_timestamp_ms = NowMs();
  for (const auto& [nr, vd] : rd.volumes) s.volumes.push_back({nr, vd.size_kib, vd.props});
  std::vector<int32_t> done;
  for (const auto& v : s.volumes) {
    Status st = backing_->Snapshot(VolId(rd, v.number), SnapId(rd, s, v.number));
    if (!st.ok()) {
      for (int32_t nr : done) backing_->RemoveSnapshot(SnapId(rd, s, nr));
      return st;
    }
    done.push_back(v.number);
  }
  const int64_t size = TotalSizeKib(rd);
  for (const auto& node_key : nodes) {
    const Resource& rsc = rd.resources.at(node_key);
    s.nodes.push_back(rsc.node);
    s.node_pools[node_key] = rsc.storage_pool;
    ChargePool(node_key, rsc.storage_pool, size);
  }
  rc.Add(rc::kMaskSnapshot | rc::kMaskCrt | rc::kCreated,
         "New snapshot '" + s.name + "' of resource '" + rd.name + "' registered.")
      .obj_refs = SnapRef(rd.name, s.name);
  rd.snapshots[NameKey(s.name)] = std::move(s);
  return Status::Ok();
}

void ClusterState::RemoveSnapshot(ResourceDefinition& rd, std::string snap_key) {
  auto it = rd.snapshots.find(snap_key);
  if (it == rd.snapshots.end()) return;
  const Snapshot& s = it->second;
  int64_t size = 0;
  for (const auto& v : s.volumes) {
    size += v.size_kib;
    backing_->RemoveSnapshot(SnapId(rd, s, v.number));
  }
  for (const auto& [node_key, pool] : s.node_pools) ChargePool(node_key, pool, -size);
  rd.snapshots.erase(it);
}

// ---------------------------------------------------------------- snapshots

Reply ClusterState::ListSnapshots(const std::string& name) const {
  const ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(rc::kMaskSnapshot, name);
  JsonWriter w;
  w.BeginArray();
  for (const auto& [key, s] : rd->snapshots) WriteSnapshot(w, *rd, s);
  w.EndArray();
  return {200, w.Take()};
}

Reply ClusterState::GetSnapshot(const std::string& name, const std::string& snap) const {
  const ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(rc::kMaskSnapshot, name);
  auto it = rd->snapshots.find(NameKey(snap));
  if (it == rd->snapshots.end()) return SnapNotFound(rc::kMaskSnapshot, rd->name, snap);
  JsonWriter w;
  WriteSnapshot(w, *rd, it->second);
  return {200, w.Take()};
}

Reply ClusterState::CreateSnapshot(const std::string& name, const SnapshotCreateRequest& req) {
  const uint64_t mask = rc::kMaskSnapshot | rc::kMaskCrt;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(mask, name);
  std::vector<std::string> nodes;
  Reply check = CheckSnapshot(req, *rd, nodes);
  if (check.status != 0) return check;
  ApiCallRcList rc;
  Status st = TakeSnapshot(*rd, req, nodes, rc);
  if (!st.ok()) {
    return ErrorReply(mask | rc::kFailUnknownError, "Taking the snapshot failed.", st.message());
  }
  return rc.ToReply(201);
}

Reply ClusterState::CreateMultiSnapshot(const std::vector<SnapshotCreateRequest>& reqs) {
  const uint64_t mask = rc::kMaskSnapshot | rc::kMaskCrt;
  if (reqs.empty()) {
    return ErrorReply(mask | rc::kFailNotEnoughNodes, "No snapshots requested.");
  }
  std::vector<std::vector<std::string>> nodes(reqs.size());
  std::set<std::string> seen;
  for (size_t i = 0; i < reqs.size(); ++i) {
    ResourceDefinition* rd = FindRd(reqs[i].resource_name);
    if (rd == nullptr) return RdNotFound(mask, reqs[i].resource_name);
    if (!seen.insert(NameKey(rd->name)).second) {
      return ErrorReply(mask | rc::kFailExistsSnapshotDfn,
                        "Resource '" + rd->name + "' appears twice in the multi-snapshot.");
    }
    Reply check = CheckSnapshot(reqs[i], *rd, nodes[i]);
    if (check.status != 0) return check;
  }
  ApiCallRcList rc;
  for (size_t i = 0; i < reqs.size(); ++i) {
    ResourceDefinition* rd = FindRd(reqs[i].resource_name);
    Status st = TakeSnapshot(*rd, reqs[i], nodes[i], rc);
    if (!st.ok()) {
      for (size_t j = 0; j < i; ++j)
        RemoveSnapshot(*FindRd(reqs[j].resource_name), NameKey(reqs[j].name));
      return ErrorReply(mask | rc::kFailUnknownError, "Taking the snapshot failed.", st.message());
    }
  }
  return rc.ToReply(201);
}

Reply ClusterState::DeleteSnapshot(const std::string& name, const std::string& snap,
                                   const std::vector<std::string>& only_nodes) {
  const uint64_t mask = rc::kMaskSnapshot | rc::kMaskDel;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(mask, name);
  auto it = rd->snapshots.find(NameKey(snap));
  if (it == rd->snapshots.end()) {
    ApiCallRcList rc;
    rc.Add(mask | rc::kWarnNotFound,
           "Snapshot definition '" + snap + "' of resource '" + rd->name + "' not found.")
        .obj_refs = SnapRef(rd->name, snap);
    return rc.ToReply(200);
  }
  Snapshot& s = it->second;
  const std::string display = s.name;
  ApiCallRcList rc;
  if (!only_nodes.empty()) {
    int64_t size = 0;
    for (const auto& v : s.volumes) size += v.size_kib;
    for (const auto& n : only_nodes) {
      auto p = s.node_pools.find(NameKey(n));
      if (p == s.node_pools.end()) continue;
      ChargePool(p->first, p->second, -size);
      s.node_pools.erase(p);
      s.nodes.erase(std::remove_if(s.nodes.begin(), s.nodes.end(),
                                   [&](const std::string& x) { return NameKey(x) == NameKey(n); }),
                    s.nodes.end());
    }
    if (!s.node_pools.empty()) {
      rc.Add(mask | rc::kDeleted, "Snapshot '" + display + "' of resource '" + rd->name +
                                      "' deleted on the given nodes.")
          .obj_refs = SnapRef(rd->name, display);
      return rc.ToReply(200);
    }
  }
  RemoveSnapshot(*rd, NameKey(snap));
  rc.Add(mask | rc::kDeleted, "Snapshot '" + display + "' of resource '" + rd->name + "' deleted.")
      .obj_refs = SnapRef(rd->name, display);
  return rc.ToReply(200);
}

// Filters by nodes and resources only; a snapshots= parameter is not read
// (View.listSnapshots).
Reply ClusterState::ViewSnapshots(const ListQuery& q) const {
  JsonWriter w;
  w.BeginArray();
  Pager pager(q.offset, q.limit);
  auto emit_rd = [&](const ResourceDefinition& rd) {
    for (const auto& [key, s] : rd.snapshots) {
      if (pager.Done()) return;
      if (!q.nodes.empty()) {
        bool any = false;
        for (const auto& [node_key, pool] : s.node_pools)
          any = any || NameFilterMatches(q.nodes, node_key);
        if (!any) continue;
      }
      if (pager.Take()) WriteSnapshot(w, rd, s);
    }
  };
  ForEachListedRd(q.resources, pager, emit_rd);
  w.EndArray();
  return {200, w.Take()};
}

// ---------------------------------------------------------------- restore, rollback

ClusterState::RestoreLookup ClusterState::FindRestore(const std::string& name,
                                                      const std::string& snap,
                                                      const std::string& to_resource,
                                                      uint64_t mask) {
  RestoreLookup found;
  found.src = FindRd(name);
  if (found.src == nullptr) {
    found.error = RdNotFound(mask, name);
    return found;
  }
  auto it = found.src->snapshots.find(NameKey(snap));
  if (it == found.src->snapshots.end()) {
    found.error = SnapNotFound(mask, found.src->name, snap);
    return found;
  }
  found.snapshot = &it->second;
  found.dst = FindRd(to_resource);
  if (found.dst == nullptr) found.error = RdNotFound(mask, to_resource);
  return found;
}

Reply ClusterState::RestoreVolumeDefinition(const std::string& name, const std::string& snap,
                                            const SnapshotRestoreRequest& req) {
  const uint64_t mask = rc::kMaskVlmDfn | rc::kMaskCrt;
  auto [src, snapshot, dst, error] = FindRestore(name, snap, req.to_resource, mask);
  if (dst == nullptr) return error;
  if (!dst->volumes.empty()) {
    return ErrorReply(
        mask | rc::kFailExistsVlmDfn,
        "The target resource definition '" + dst->name + "' already has volume definitions.",
        "Restoring volume definitions needs a resource definition without them.",
        {{"RscDfn", dst->name}});
  }
  if (!dst->resources.empty()) {
    return ErrorReply(mask | rc::kFailExistsRsc,
                      "The target resource definition '" + dst->name + "' already has resources.");
  }
  const Snapshot& s = *snapshot;
  ApiCallRcList rc;
  for (const auto& v : s.volumes) {
    Status st = AddVolume(*dst, v.number, v.size_kib, v.vd_props);
    if (!st.ok()) {
      for (auto& [nr, vd] : dst->volumes) {
        backing_->Remove(VolId(*dst, nr));
        minors_.Release(vd.minor);
      }
      dst->volumes.clear();
      return ErrorReply(mask | rc::kFailUnknownError, "Creating the volume failed.", st.message());
    }
    rc.Add(mask | rc::kCreated, "New volume definition with number '" + std::to_string(v.number) +
                                    "' of resource definition '" + dst->name + "' restored.")
        .obj_refs = {{"RscDfn", dst->name}, {"VlmNr", std::to_string(v.number)}};
  }
  return rc.ToReply(200);
}

Reply ClusterState::RestoreResource(const std::string& name, const std::string& snap,
                                    const SnapshotRestoreRequest& req) {
  const uint64_t mask = rc::kMaskRsc | rc::kMaskCrt;
  auto [src, snapshot, dst, error] = FindRestore(name, snap, req.to_resource, mask);
  if (dst == nullptr) return error;
  const Snapshot& s = *snapshot;
  // CtrlSnapshotRestoreApiCallHandler.restoreResourceInTransaction: only into an RD without
  // resources; restoreOnNode: every volume definition of the target needs a snapshot volume of
  // exactly its size.
  if (!dst->resources.empty()) {
    return ErrorReply(mask | rc::kFailExistsRsc,
                      "Cannot restore to resource definition which already has resources", {},
                      {{"RscDfn", dst->name}});
  }
  for (const auto& [nr, vd] : dst->volumes) {
    auto v = std::find_if(s.volumes.begin(), s.volumes.end(),
                          [nr = nr](const SnapshotVolume& sv) { return sv.number == nr; });
    if (v == s.volumes.end()) {
      return ErrorReply(mask | rc::kFailNotFoundSnapshotVlmDfn,
                        "Snapshot does not contain required volume number " + std::to_string(nr));
    }
    if (v->size_kib != vd.size_kib) {
      return ErrorReply(mask | rc::kFailInvldVlmSize,
                        "Snapshot size does not match for volume number " + std::to_string(nr) +
                            "; snapshot size: " + std::to_string(v->size_kib) +
                            "KiB, required size: " + std::to_string(vd.size_kib) + "KiB");
    }
  }

  std::vector<std::string> node_keys;
  if (req.nodes.empty()) {
    for (const auto& [node_key, pool] : s.node_pools) node_keys.push_back(node_key);
  } else {
    for (const auto& n : req.nodes) {
      if (FindNode(n) == nullptr) {
        return ErrorReply(mask | rc::kFailNotFoundNode, "Node '" + n + "' not found.", {},
                          {{"Node", n}});
      }
      if (s.node_pools.count(NameKey(n)) == 0) {
        return ErrorReply(mask | rc::kFailNotFoundSnapshot,
                          "Snapshot '" + s.name + "' of resource '" + src->name +
                              "' not found on node '" + n + "'.",
                          {}, {{"RscDfn", src->name}, {"SnapshotName", s.name}, {"Node", n}});
      }
      node_keys.push_back(NameKey(n));
    }
  }
  const int64_t size = TotalSizeKib(*dst);
  for (const auto& node_key : node_keys) {
    const Node& node = nodes_.at(node_key);
    const std::string& pool = s.node_pools.at(node_key);
    auto p = node.pools.find(NameKey(pool));
    if (p == node.pools.end()) {
      return ErrorReply(mask | rc::kFailNotFoundStorPool,
                        "Storage pool '" + pool + "' on node '" + node.name + "' not found.");
    }
    if (p->second.free_kib() < size) {
      return ErrorReply(
          mask | rc::kFailNotEnoughFreeSpace,
          "Not enough free space in storage pool '" + pool + "' on node '" + node.name + "'.");
    }
  }

  ApiCallRcList rc;
  for (const auto& [nr, vd] : dst->volumes) {
    Status st = backing_->Restore(SnapId(*src, s, nr), VolId(*dst, nr));
    if (!st.ok()) {
      return ErrorReply(mask | rc::kFailUnknownError, "Restoring the snapshot data failed.",
                        st.message());
    }
  }
  // The source RD's properties as captured in the snapshot overwrite the target's
  // (CtrlPropsHelper.copy(snapshot definition's RD props, target RD props), override on).
  for (const auto& [k, v] : s.rd_props) dst->props[k] = v;
  if (dst->volumes.empty()) {
    auto& e = rc.Add(rc::kWarnNotFound, "No volumes to restore.");
    e.details =
        "The target resource definition has no volume definitions. The restored "
        "resources will be empty.";
    e.correction = "Restore the volume definitions to the target resource definition.";
  }
  for (const auto& node_key : node_keys) {
    const Node& node = nodes_.at(node_key);
    const std::string& pool = s.node_pools.at(node_key);
    AddResource(*dst, node, pool, false, false);
    rc.Add(mask | rc::kCreated, "Resource '" + dst->name + "' on node '" + node.name +
                                    "' restored from snapshot '" + s.name + "'.")
        .obj_refs = {{"RscDfn", dst->name}, {"Node", node.name}};
  }
  ReconcileTieBreaker(*dst, rc);
  return rc.ToReply(200);
}

Reply ClusterState::Rollback(const std::string& name, const std::string& snap) {
  const uint64_t mask = rc::kMaskSnapshot | rc::kMaskMod;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(mask, name);
  auto sit = rd->snapshots.find(NameKey(snap));
  if (sit == rd->snapshots.end()) return SnapNotFound(mask, rd->name, snap);
  const Snapshot& s = sit->second;
  // Since 1.31.0 (CtrlSnapshotRollbackApiCallHandler, rollback via restore) any snapshot can
  // be rolled back to; only the ZFS "ROLLBACK" strategy, not the default, needs the newest.
  for (const auto& [node_key, rsc] : rd->resources) {
    if (rsc.in_use) {
      ApiCallRcList rc;
      auto& e = rc.Add(mask | rc::kFailInUse, "Resource '" + rd->name + "' on node '" + rsc.node +
                                                  "' is in use; cannot roll back.");
      e.cause = "Resource is mounted/in use.";
      return rc.ToReply(200);
    }
  }
  for (const auto& v : s.volumes) {
    if (rd->volumes.count(v.number) == 0) continue;
    Status st = backing_->Restore(SnapId(*rd, s, v.number), VolId(*rd, v.number));
    if (!st.ok()) {
      return ErrorReply(mask | rc::kFailUnknownError, "Rolling back the data failed.",
                        st.message());
    }
  }
  ApiCallRcList rc;
  rc.Add(mask | rc::kModified,
         "Resource '" + rd->name + "' rolled back to snapshot '" + s.name + "'.")
      .obj_refs = SnapRef(rd->name, s.name);
  return rc.ToReply(200);
}

// ---------------------------------------------------------------- clone

Reply ClusterState::Clone(const std::string& name, const CloneRequest& req) {
  const uint64_t mask = rc::kMaskRscDfn | rc::kMaskCrt;
  ResourceDefinition* src = FindRd(name);
  if (src == nullptr) return RdNotFound(mask, name);
  if (!IsValidName(req.name)) {
    return ErrorReply(mask | rc::kFailInvldRscName,
                      "The specified resource name '" + req.name + "' is invalid.",
                      "Names are 2-48 characters of [A-Za-z0-9_-], starting with a letter or _.");
  }
  if (FindRd(req.name) != nullptr) {
    return ErrorReply(mask | rc::kFailExistsRscDfn,
                      "A resource definition with the name '" + req.name + "' already exists.", {},
                      {{"RscDfn", req.name}});
  }
  const std::string rg_name = req.resource_group.empty() ? src->resource_group : req.resource_group;
  const ResourceGroup* rg = FindRg(rg_name);
  if (rg == nullptr) {
    return ErrorReply(mask | rc::kFailNotFoundRscGrp, "Resource group '" + rg_name + "' not found.",
                      {}, {{"RscGrp", rg_name}});
  }
  std::vector<std::pair<std::string, std::string>> targets;  // node key, pool
  const int64_t size = TotalSizeKib(*src);
  for (const auto& [node_key, rsc] : src->resources) {
    if (rsc.diskless) continue;
    const Node& node = nodes_.at(node_key);
    auto p = node.pools.find(NameKey(rsc.storage_pool));
    if (p == node.pools.end() || p->second.free_kib() < size) {
      return ErrorReply(mask | rc::kFailNotEnoughFreeSpace,
                        "Not enough free space in storage pool '" + rsc.storage_pool +
                            "' on node '" + node.name + "' to clone '" + src->name + "'.");
    }
    targets.emplace_back(node_key, rsc.storage_pool);
  }
  if (targets.empty()) {
    return ErrorReply(mask | rc::kFailNotEnoughNodes,
                      "Resource '" + src->name + "' has no diskful replica to clone from.");
  }
  // CtrlRscDfnApiCallHandler.cloneRscDfn: the source's props, "cloned-from" (what
  // getCloneStatus looks for), then the request's changes.
  Props props = src->props;
  props[std::string(kClonedFromProp)] = src->name;
  ApplyPropsChange(props, req.props);
  const std::string rg_display = rg->name;
  const std::string src_name = src->name;
  const std::vector<std::string> stack = req.layer_list.empty() ? src->layer_stack : req.layer_list;
  std::vector<std::pair<int32_t, VolumeDefinition>> src_vols(src->volumes.begin(),
                                                             src->volumes.end());
  ResourceDefinition& dst = AddRd(req.name, rg_display, props, req.external_name);
  dst.layer_stack = stack;
  for (const auto& [nr, vd] : src_vols) {
    Status st = AddVolume(dst, nr, vd.size_kib, vd.props);
    if (st.ok()) st = backing_->Copy(VolId(*src, nr), VolId(dst, nr));
    if (!st.ok()) {
      RemoveRd(NameKey(req.name));
      return ErrorReply(mask | rc::kFailUnknownError, "Cloning the volume data failed.",
                        st.message());
    }
  }
  ApiCallRcList rc;
  rc.Add(mask | rc::kCreated,
         "New resource definition '" + dst.name + "' created as clone of '" + src_name + "'.")
      .obj_refs = {{"RscDfn", dst.name}};
  for (const auto& [node_key, pool] : targets) {
    AddResource(dst, nodes_.at(node_key), pool, false, false);
  }
  ReconcileTieBreaker(dst, rc);
  dst.clone_source = src_name;
  dst.clone_polls_left = clone_polls_;

  JsonWriter w;
  w.BeginObject()
      .Field("location", "/v1/resource-definitions/" + src_name + "/clone/" + dst.name)
      .Field("source_name", src_name)
      .Field("clone_name", dst.name)
      .Key("messages")
      .Raw(rc.ToJson())
      .EndObject();
  return {201, w.Take()};
}

// CtrlApiCallHandler.isCloneReady: the path's source is not consulted; the clone is any
// resource definition of that name with a "cloned-from" property.
Reply ClusterState::CloneStatus(const std::string& /*name*/, const std::string& clone) {
  ResourceDefinition* dst = FindRd(clone);
  if (dst == nullptr || dst->props.count(std::string(kClonedFromProp)) == 0) {
    return ErrorReply(rc::kFailNotFoundRscDfn, "Cloned resource not found.");
  }
  const char* status = "COMPLETE";
  if (dst->clone_polls_left > 0) {
    // A status poll advances the simulated copy.
    dst->clone_polls_left--;
    status = "CLONING";
  }
  JsonWriter w;
  w.BeginObject().Field("status", status).EndObject();
  return {200, w.Take()};
}

}  // namespace lcsi::sim
