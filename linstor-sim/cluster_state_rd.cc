// ClusterState: resource definitions, volume definitions, resources, spawn and autoplace.
#include <algorithm>
#include <chrono>
#include <random>

#include "base/json_writer.h"
#include "linstor-sim/api_consts.h"
#include "linstor-sim/cluster_state.h"
#include "linstor-sim/list_util.h"
#include "linstor-sim/names.h"
#include "linstor-sim/placement.h"

namespace lcsi::sim {

namespace {

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::map<std::string, std::string> RdRef(const std::string& rd) { return {{"RscDfn", rd}}; }
std::map<std::string, std::string> RscRef(const std::string& rd, const std::string& node) {
  return {{"RscDfn", rd}, {"Node", node}};
}

Reply RdNotFound(uint64_t mask, const std::string& rd) {
  return ErrorReply(mask | rc::kFailNotFoundRscDfn, "Resource definition '" + rd + "' not found.",
                    {}, RdRef(rd));
}

Reply NodeNotFound(uint64_t mask, const std::string& node) {
  return ErrorReply(mask | rc::kFailNotFoundNode, "Node '" + node + "' not found.", {},
                    {{"Node", node}});
}

Reply InvalidName(uint64_t code, const std::string& what, const std::string& name) {
  return ErrorReply(code, "The specified " + what + " name '" + name + "' is invalid.",
                    "Names are 2-48 characters of [A-Za-z0-9_-], starting with a letter or _.");
}

bool IsDisklessFlag(const std::vector<std::string>& flags) {
  for (const auto& f : flags)
    if (f == "DISKLESS" || f == "DRBD_DISKLESS" || f == "NVME_INITIATOR") return true;
  return false;
}

std::string NotEnoughNodesDetails(const SelectFilter& f, int32_t count, int64_t size_kib) {
  std::string d = "Not enough nodes fulfilling the following auto-place criteria:\n";
  d += " * place count: " + std::to_string(count) + "\n";
  if (f.storage_pool_list && !f.storage_pool_list->empty()) {
    d += " * has a deployed storage pool named [";
    for (size_t i = 0; i < f.storage_pool_list->size(); ++i)
      d += (i ? ", " : "") + (*f.storage_pool_list)[i];
    d += "]\n";
  } else if (f.storage_pool) {
    d += " * has a deployed storage pool named '" + *f.storage_pool + "'\n";
  }
  d += " * the storage pools have to have at least '" + std::to_string(size_kib) + "' free space\n";
  d += " * the node is online\n";
  if (f.node_name_list && !f.node_name_list->empty()) d += " * node name list is restricted\n";
  if (f.replicas_on_same && !f.replicas_on_same->empty()) d += " * replicas on same\n";
  if (f.replicas_on_different && !f.replicas_on_different->empty())
    d += " * replicas on different\n";
  return d;
}

}  // namespace

// ---------------------------------------------------------------- creation helpers

ResourceDefinition& ClusterState::AddRd(const std::string& name, const std::string& rg,
                                        const Props& props, const std::string& external_name) {
  ResourceDefinition& rd = rds_[NameKey(name)];
  persist_dirty_.insert(NameKey(name));
  rd.name = name;
  rd.resource_group = rg;
  rd.props = props;
  rd.external_name = external_name;
  rd.port = AllocPort();
  rd.uuid = NewUuid();
  std::mt19937_64 rng(seed_ ^ uuid_counter_);
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (int i = 0; i < 20; ++i) rd.secret.push_back(kChars[rng() % (sizeof(kChars) - 1)]);
  return rd;
}

Status ClusterState::AddVolume(ResourceDefinition& rd, int32_t number, int64_t size_kib,
                               const Props& props) {
  VolumeDefinition vd;
  vd.number = number;
  vd.size_kib = size_kib;
  vd.props = props;
  vd.uuid = NewUuid();
  auto dev = backing_->Create(VolId(rd, number), size_kib);
  if (!dev.ok()) return dev.status();
  vd.loop_device = *dev;
  vd.minor = AllocMinor();
  rd.volumes[number] = std::move(vd);
  // Existing diskful replicas grow by the new volume.
  for (const auto& [node_key, rsc] : rd.resources)
    if (!rsc.diskless) ChargePool(node_key, rsc.storage_pool, size_kib);
  return Status::Ok();
}

Resource& ClusterState::AddResource(ResourceDefinition& rd, const Node& node,
                                    const std::string& pool, bool diskless, bool tie_breaker) {
  const std::string node_key = NameKey(node.name);
  std::set<int32_t> ids;
  for (const auto& [k, r] : rd.resources) ids.insert(r.node_id);
  int32_t id = 0;
  while (ids.count(id) != 0) ++id;
  Resource& rsc = rd.resources[node_key];
  rsc.node = node.name;
  rsc.storage_pool = pool;
  rsc.diskless = diskless;
  rsc.tie_breaker = tie_breaker;
  rsc.node_id = id;
  rsc.uuid = NewUuid();
  rsc.create_timestamp_ms = NowMs();
  rsc.props["StorPoolName"] = pool;
  if (!diskless) ChargePool(node_key, pool, TotalSizeKib(rd));
  rds_by_node_[node_key].insert(NameKey(rd.name));
  return rsc;
}

void ClusterState::MakeDiskful(ResourceDefinition& rd, Resource& rsc, const std::string& pool) {
  rsc.diskless = false;
  rsc.tie_breaker = false;
  rsc.storage_pool = pool;
  rsc.props["StorPoolName"] = pool;
  ChargePool(NameKey(rsc.node), pool, TotalSizeKib(rd));
}

void ClusterState::RemoveResource(ResourceDefinition& rd, std::string node_key) {
  auto it = rd.resources.find(node_key);
  if (it == rd.resources.end()) return;
  if (!it->second.diskless) ChargePool(node_key, it->second.storage_pool, -TotalSizeKib(rd));
  rd.resources.erase(it);
  auto idx = rds_by_node_.find(node_key);
  if (idx != rds_by_node_.end()) {
    idx->second.erase(NameKey(rd.name));
    if (idx->second.empty()) rds_by_node_.erase(idx);
  }
}

void ClusterState::RemoveRd(std::string rd_key) {
  auto it = rds_.find(rd_key);
  if (it == rds_.end()) return;
  persist_cache_.erase(rd_key);
  persist_dirty_.erase(rd_key);
  ResourceDefinition& rd = it->second;
  while (!rd.snapshots.empty()) RemoveSnapshot(rd, rd.snapshots.begin()->first);
  while (!rd.resources.empty()) RemoveResource(rd, rd.resources.begin()->first);
  for (const auto& [nr, vd] : rd.volumes) {
    backing_->Remove(VolId(rd, nr));
    free_minors_.insert(vd.minor);
  }
  free_ports_.insert(rd.port);
  rds_.erase(it);
}

std::string ClusterState::AutoplacerPoolOnNode(const ResourceDefinition& rd,
                                               const Node& node) const {
  const SelectFilter& f = RgOf(rd).filter;
  std::vector<std::string> wanted;
  if (f.storage_pool_list && !f.storage_pool_list->empty()) {
    wanted = *f.storage_pool_list;
  } else if (f.storage_pool && !f.storage_pool->empty()) {
    wanted = {*f.storage_pool};
  }
  for (const auto& w : wanted) {
    auto p = node.pools.find(NameKey(w));
    if (p != node.pools.end() && !p->second.diskless()) return p->second.name;
  }
  if (!wanted.empty()) return "";
  const StoragePool* best = nullptr;
  for (const auto& [k, p] : node.pools)
    if (!p.diskless() && (best == nullptr || p.free_kib() > best->free_kib())) best = &p;
  return best == nullptr ? "" : best->name;
}

PoolChoice ClusterState::ResolveStorPool(const ResourceDefinition& rd, const Node& node,
                                         const Props& rsc_props) const {
  PoolChoice out;
  // StorPoolName by priority: resource, volume definition, RD, RG props, node. The resource
  // group's select filter is not a property and plays no part.
  auto prop = [](const Props& p) -> std::string {
    auto it = p.find("StorPoolName");
    return it == p.end() ? "" : it->second;
  };
  std::string name = prop(rsc_props);
  out.explicit_in_request = !name.empty();
  for (const auto& [nr, vd] : rd.volumes)
    if (name.empty()) name = prop(vd.props);
  if (name.empty()) name = prop(rd.props);
  if (name.empty()) name = prop(RgOf(rd).props);
  if (name.empty()) name = prop(node.props);
  std::vector<std::string> candidates;
  if (!name.empty()) {
    candidates = {name};
  } else {
    // No name anywhere: the pools of diskful peers on other nodes, then DfltStorPool.
    for (const auto& [peer_key, peer] : rd.resources)
      if (!peer.diskless && peer_key != NameKey(node.name)) candidates.push_back(peer.storage_pool);
    candidates.push_back(kDefaultStorPoolName);
  }
  for (const auto& c : candidates) {
    auto p = node.pools.find(NameKey(c));
    if (p != node.pools.end() && !p->second.diskless()) {
      out.pool = p->second.name;
      return out;
    }
  }
  out.missing = name.empty() ? std::string(kDefaultStorPoolName) : name;
  return out;
}

void ClusterState::AddDisklessOnRemaining(ResourceDefinition& rd, ApiCallRcList& rc) {
  for (const auto& [node_key, node] : nodes_) {
    if (!node.online || rd.resources.count(node_key) != 0) continue;
    if (node.pools.count(NameKey(kDisklessPoolName)) == 0) continue;
    AddResource(rd, node, kDisklessPoolName, true, false);
    rc.Add(rc::kMaskRsc | rc::kMaskCrt | rc::kCreated,
           "Resource '" + rd.name + "' on '" + node.name + "' ready (diskless).")
        .obj_refs = RscRef(rd.name, node.name);
  }
}

// ---------------------------------------------------------------- resource definitions

Reply ClusterState::ListResourceDefinitions(const ListQuery& q) const {
  JsonWriter w;
  w.BeginArray();
  Pager pager(q.offset, q.limit);
  auto emit = [&](const ResourceDefinition& rd) {
    if (!PropsMatch(rd.props, q.props)) return;
    if (pager.Take()) WriteRd(w, rd, q.with_volume_definitions);
  };
  if (!q.resource_definitions.empty()) {
    std::set<std::string> keys;
    for (const auto& n : q.resource_definitions) keys.insert(NameKey(n));
    for (const auto& key : keys) {
      auto it = rds_.find(key);
      if (it != rds_.end() && !pager.Done()) emit(it->second);
    }
  } else {
    for (const auto& [key, rd] : rds_) {
      if (pager.Done()) break;
      emit(rd);
    }
  }
  w.EndArray();
  return {200, w.Take()};
}

Reply ClusterState::GetResourceDefinition(const std::string& name) const {
  const ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(rc::kMaskRscDfn, name);
  JsonWriter w;
  WriteRd(w, *rd, /*with_vds=*/false);
  return {200, w.Take()};
}

Reply ClusterState::CreateResourceDefinition(const RdCreateRequest& req) {
  const uint64_t mask = rc::kMaskRscDfn | rc::kMaskCrt;
  if (!IsValidName(req.name))
    return InvalidName(mask | rc::kFailInvldRscName, "resource", req.name);
  if (FindRd(req.name) != nullptr) {
    return ErrorReply(mask | rc::kFailExistsRscDfn,
                      "A resource definition with the name '" + req.name + "' already exists.", {},
                      RdRef(req.name));
  }
  const std::string rg_name =
      req.resource_group.empty() ? kDefaultResourceGroup : req.resource_group;
  const ResourceGroup* rg = FindRg(rg_name);
  if (rg == nullptr) {
    return ErrorReply(mask | rc::kFailNotFoundRscGrp, "Resource group '" + rg_name + "' not found.",
                      {}, {{"RscGrp", rg_name}});
  }
  const std::string rg_display = rg->name;
  ResourceDefinition& rd = AddRd(req.name, rg_display, req.props, req.external_name);
  rd.layer_stack = req.layer_stack;
  ApiCallRcList rc;
  rc.Add(mask | rc::kCreated, "New resource definition '" + req.name + "' created.").obj_refs =
      RdRef(req.name);
  return rc.ToReply(201);
}

Reply ClusterState::ModifyResourceDefinition(const std::string& name, const RdModifyRequest& req) {
  const uint64_t mask = rc::kMaskRscDfn | rc::kMaskMod;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(mask, name);
  if (req.resource_group) {
    const ResourceGroup* rg = FindRg(*req.resource_group);
    if (rg == nullptr) {
      return ErrorReply(mask | rc::kFailNotFoundRscGrp,
                        "Resource group '" + *req.resource_group + "' not found.", {},
                        {{"RscGrp", *req.resource_group}});
    }
    rd->resource_group = rg->name;
  }
  if (req.layer_stack) rd->layer_stack = *req.layer_stack;
  ApplyPropsChange(rd->props, req.props);
  ApiCallRcList rc;
  rc.Add(mask | rc::kModified, "Resource definition '" + rd->name + "' modified.").obj_refs =
      RdRef(rd->name);
  // Properties such as auto-add-quorum-tiebreaker may change what is needed.
  ReconcileTieBreaker(*rd, rc);
  return rc.ToReply(200);
}

Reply ClusterState::DeleteResourceDefinition(const std::string& name) {
  const uint64_t mask = rc::kMaskRscDfn | rc::kMaskDel;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) {
    ApiCallRcList rc;
    rc.Add(mask | rc::kWarnNotFound, "Resource definition '" + name + "' not found.").obj_refs =
        RdRef(name);
    return rc.ToReply(200);
  }
  if (!rd->snapshots.empty()) {
    return ErrorReply(
        mask | rc::kFailExistsSnapshotDfn,
        "Cannot delete resource definition '" + rd->name + "' because it has snapshots.", {},
        RdRef(rd->name));
  }
  for (const auto& [node_key, rsc] : rd->resources) {
    if (rsc.in_use) {
      ApiCallRcList rc;
      auto& e = rc.Add(mask | rc::kFailInUse,
                       "Resource '" + rd->name + "' on node '" + rsc.node + "' is still in use.");
      e.cause = "Resource is mounted/in use.";
      e.correction = "Un-mount resource '" + rd->name + "' on the node '" + rsc.node + "'.";
      e.obj_refs = RscRef(rd->name, rsc.node);
      return rc.ToReply(200);
    }
  }
  const std::string display = rd->name;
  const std::string uuid = rd->uuid;
  RemoveRd(NameKey(name));
  ApiCallRcList rc;
  auto& e = rc.Add(mask | rc::kDeleted, "Resource definition '" + display + "' deleted.");
  e.details = "Resource definition '" + display + "' UUID was: " + uuid;
  e.obj_refs = RdRef(display);
  return rc.ToReply(200);
}

// ---------------------------------------------------------------- volume definitions

Reply ClusterState::ListVolumeDefinitions(const std::string& name, const ListQuery& q) const {
  const ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(rc::kMaskVlmDfn, name);
  JsonWriter w;
  w.BeginArray();
  Pager pager(q.offset, q.limit);
  for (const auto& [nr, vd] : rd->volumes) {
    if (pager.Done()) break;
    if (pager.Take()) WriteVd(w, *rd, vd);
  }
  w.EndArray();
  return {200, w.Take()};
}

Reply ClusterState::CreateVolumeDefinition(const std::string& name, const VdSpec& req) {
  const uint64_t mask = rc::kMaskVlmDfn | rc::kMaskCrt;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(mask, name);
  if (req.size_kib <= 0) {
    return ErrorReply(mask | rc::kFailInvldVlmSize,
                      "Invalid volume size " + std::to_string(req.size_kib) + " KiB.");
  }
  int32_t nr = 0;
  if (req.number) {
    nr = *req.number;
    if (nr < 0) return ErrorReply(mask | rc::kFailInvldVlmNr, "Invalid volume number.");
  } else {
    while (rd->volumes.count(nr) != 0) ++nr;
  }
  if (rd->volumes.count(nr) != 0) {
    return ErrorReply(mask | rc::kFailExistsVlmDfn,
                      "A volume definition with the number " + std::to_string(nr) +
                          " already exists in resource definition '" + rd->name + "'.");
  }
  for (const auto& [node_key, rsc] : rd->resources) {
    if (rsc.diskless) continue;
    const StoragePool* p = FindPool(node_key, rsc.storage_pool);
    if (p != nullptr && p->free_kib() < req.size_kib) {
      return ErrorReply(mask | rc::kFailNotEnoughFreeSpace,
                        "Not enough free space in storage pool '" + rsc.storage_pool +
                            "' on node '" + rsc.node + "'.");
    }
  }
  Status st = AddVolume(*rd, nr, req.size_kib, req.props);
  if (!st.ok()) {
    return ErrorReply(mask | rc::kFailUnknownError, "Creating the volume failed.", st.message());
  }
  ApiCallRcList rc;
  rc.Add(mask | rc::kCreated, "New volume definition with number '" + std::to_string(nr) +
                                  "' of resource definition '" + rd->name + "' created.")
      .obj_refs = {{"RscDfn", rd->name}, {"VlmNr", std::to_string(nr)}};
  return rc.ToReply(200);
}

Reply ClusterState::ModifyVolumeDefinition(const std::string& name,
                                           const std::string& volume_number,
                                           const VdModifyRequest& req) {
  const uint64_t mask = rc::kMaskVlmDfn | rc::kMaskMod;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(mask, name);
  int32_t nr = -1;
  try {
    size_t used = 0;
    nr = std::stoi(volume_number, &used);
    if (used != volume_number.size()) nr = -1;
  } catch (...) {
    nr = -1;
  }
  auto it = rd->volumes.find(nr);
  if (it == rd->volumes.end()) {
    return ErrorReply(mask | rc::kFailNotFoundVlmDfn,
                      "Volume definition with number '" + volume_number +
                          "' of resource definition '" + rd->name + "' not found.",
                      {}, {{"RscDfn", rd->name}, {"VlmNr", volume_number}});
  }
  VolumeDefinition& vd = it->second;
  ApiCallRcList rc;
  if (req.size_kib && *req.size_kib == vd.size_kib) {
    // CtrlVlmDfnModifyApiCallHandler: the same size is a warning, nothing is resized.
    rc.Add(rc::kWarnVlmDfnResizeSameSize,
           "VolumeDefinition already has the expected size, no satellite update will be "
           "triggered.");
  }
  if (req.size_kib && *req.size_kib != vd.size_kib) {
    const int64_t delta = *req.size_kib - vd.size_kib;
    // CtrlVlmDfnModifyApiCallHandler.ensureShrinkingIsSupported: only deployed resources with
    // a layer that cannot shrink (DRBD; the default stack is DRBD,STORAGE) refuse it.
    const bool drbd =
        rd->layer_stack.empty() ||
        std::find(rd->layer_stack.begin(), rd->layer_stack.end(), "DRBD") != rd->layer_stack.end();
    if (delta < 0 && drbd && !rd->resources.empty()) {
      return ErrorReply(mask | rc::kFailInvldVlmSize,
                        "Shrinking volume definition " + std::to_string(nr) + " of '" + rd->name +
                            "' from " + std::to_string(vd.size_kib) + " KiB to " +
                            std::to_string(*req.size_kib) + " KiB is not supported.");
    }
    for (const auto& [node_key, rsc] : rd->resources) {
      if (rsc.diskless) continue;
      const StoragePool* p = FindPool(node_key, rsc.storage_pool);
      if (p != nullptr && p->free_kib() < delta) {
        return ErrorReply(mask | rc::kFailNotEnoughFreeSpace,
                          "Not enough free space in storage pool '" + rsc.storage_pool +
                              "' on node '" + rsc.node + "' to grow by " + std::to_string(delta) +
                              " KiB.");
      }
    }
    Status st = backing_->Resize(VolId(*rd, nr), *req.size_kib);
    if (!st.ok()) {
      return ErrorReply(mask | rc::kFailUnknownError, "Resizing the volume failed.", st.message());
    }
    for (const auto& [node_key, rsc] : rd->resources)
      if (!rsc.diskless) ChargePool(node_key, rsc.storage_pool, delta);
    vd.size_kib = *req.size_kib;
  }
  // VolumeDefinitions.modifyVolumeDefinition passes override_props and delete_props only.
  PropsChange change = req.props;
  change.delete_namespaces.clear();
  ApplyPropsChange(vd.props, change);
  rc.Add(mask | rc::kModified, "Volume definition with number '" + std::to_string(nr) +
                                   "' of resource definition '" + rd->name + "' modified.")
      .obj_refs = {{"RscDfn", rd->name}, {"VlmNr", std::to_string(nr)}};
  return rc.ToReply(200);
}

// ---------------------------------------------------------------- resources

Reply ClusterState::ListResources(const std::string& name, const ListQuery& q) const {
  const ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(rc::kMaskRsc, name);
  JsonWriter w;
  w.BeginArray();
  Pager pager(q.offset, q.limit);
  for (const auto& [node_key, rsc] : rd->resources) {
    if (!NameFilterMatches(q.nodes, node_key) || !PropsMatch(rsc.props, q.props)) continue;
    if (pager.Done()) break;
    if (pager.Take()) WriteResource(w, *rd, node_key, rsc, /*with_volumes=*/false);
  }
  w.EndArray();
  return {200, w.Take()};
}

Reply ClusterState::GetResource(const std::string& name, const std::string& node) const {
  const ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(rc::kMaskRsc, name);
  auto it = rd->resources.find(NameKey(node));
  if (it == rd->resources.end()) {
    return ErrorReply(rc::kMaskRsc | rc::kFailNotFoundRsc,
                      "Resource '" + rd->name + "' on node '" + node + "' not found.", {},
                      RscRef(rd->name, node));
  }
  JsonWriter w;
  WriteResource(w, *rd, it->first, it->second, /*with_volumes=*/false);
  return {200, w.Take()};
}

Reply ClusterState::CreateResources(const std::string& name,
                                    const std::vector<ResourceCreateRequest>& reqs) {
  const uint64_t mask = rc::kMaskRsc | rc::kMaskCrt;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(mask, name);

  // Check everything first.
  struct Plan {
    const Node* node;
    bool diskless;
    std::string pool;
    bool takeover;
    Props props;
  };
  std::vector<Plan> plans;
  std::map<std::string, int64_t> charge;  // "NODE/POOL" -> KiB
  std::set<std::string> seen;
  for (const auto& req : reqs) {
    const Node* node = FindNode(req.node);
    if (req.node.empty() || node == nullptr) return NodeNotFound(mask, req.node);
    const std::string node_key = NameKey(node->name);
    if (!seen.insert(node_key).second) {
      return ErrorReply(
          mask | rc::kFailExistsRsc,
          "Resource '" + rd->name + "' requested twice on node '" + node->name + "'.");
    }
    bool takeover = false;
    auto existing = rd->resources.find(node_key);
    if (existing != rd->resources.end()) {
      if (!existing->second.tie_breaker) {
        return ErrorReply(mask | rc::kFailExistsRsc,
                          "A resource with the name '" + rd->name + "' on node '" + node->name +
                              "' already exists.",
                          {}, RscRef(rd->name, node->name));
      }
      takeover = true;
    }
    Plan plan{node, IsDisklessFlag(req.flags), kDisklessPoolName, takeover, req.props};
    if (!plan.diskless) {
      PoolChoice choice = ResolveStorPool(*rd, *node, req.props);
      if (choice.pool.empty() && choice.explicit_in_request) {
        return ErrorReply(
            mask | rc::kFailNotFoundStorPool,
            "Storage pool '" + choice.missing + "' on node '" + node->name + "' not found.", {},
            {{"Node", node->name}, {"StorPool", choice.missing}});
      }
      if (choice.pool.empty()) {
        return ErrorReply(mask | rc::kFailNotFoundDfltStorPool,
                          "The storage pool '" + choice.missing + "' for resource '" + rd->name +
                              "' for volume number '0' is not deployed on node '" + node->name +
                              "'.",
                          "The storage pool name for this new volume was looked for, in order, "
                          "in: the properties of the resource, volume definition, resource "
                          "definition and node, and finally in a system wide default storage "
                          "pool name defined by the LINSTOR Controller.",
                          {{"Node", node->name}, {"StorPool", choice.missing}});
      }
      plan.pool = choice.pool;
      const std::string charge_key = node_key + "/" + NameKey(plan.pool);
      charge[charge_key] += TotalSizeKib(*rd);
      const StoragePool& pool = node->pools.at(NameKey(plan.pool));
      if (pool.free_kib() < charge[charge_key]) {
        return ErrorReply(mask | rc::kFailNotEnoughFreeSpace,
                          "Not enough free space in storage pool '" + plan.pool + "' on node '" +
                              node->name + "'.");
      }
    }
    plans.push_back(std::move(plan));
  }

  ApiCallRcList rc;
  for (const auto& plan : plans) {
    const std::string node_key = NameKey(plan.node->name);
    Resource* rsc = nullptr;
    if (plan.takeover) {
      rsc = &rd->resources.at(node_key);
      rsc->tie_breaker = false;
      if (!plan.diskless) MakeDiskful(*rd, *rsc, plan.pool);
      rc.Add(rc::kInfoTieBreakerTakeover, "Tie breaker resource '" + rd->name + "' on node '" +
                                              plan.node->name + "' taken over.")
          .obj_refs = RscRef(rd->name, plan.node->name);
    } else {
      rsc = &AddResource(*rd, *plan.node, plan.pool, plan.diskless, false);
    }
    for (const auto& [k, v] : plan.props) rsc->props[k] = v;
    rc.Add(mask | rc::kCreated,
           "New resource '" + rd->name + "' on node '" + plan.node->name + "' registered.")
        .obj_refs = RscRef(rd->name, plan.node->name);
    if (!plan.node->online) {
      rc.Add(mask | rc::kWarnNotConnected,
             "No active connection to satellite '" + plan.node->name + "'.")
          .details = "The resource will be deployed when the satellite connects.";
    }
  }
  ReconcileTieBreaker(*rd, rc);
  return rc.ToReply(201);
}

Reply ClusterState::DeleteResource(const std::string& name, const std::string& node_name) {
  const uint64_t mask = rc::kMaskRsc | rc::kMaskDel;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(mask, name);
  const Node* node = FindNode(node_name);
  if (node == nullptr) return NodeNotFound(mask, node_name);
  const std::string node_key = NameKey(node_name);
  auto it = rd->resources.find(node_key);
  if (it == rd->resources.end()) {
    ApiCallRcList rc;
    rc.Add(mask | rc::kWarnNotFound,
           "Resource '" + rd->name + "' on node '" + node->name + "' not found.")
        .obj_refs = RscRef(rd->name, node->name);
    return rc.ToReply(200);
  }
  const Resource& rsc = it->second;
  if (rsc.in_use) {
    ApiCallRcList rc;
    auto& e = rc.Add(mask | rc::kFailInUse,
                     "Resource '" + rd->name + "' on node '" + rsc.node + "' is still in use.");
    e.cause = "Resource is mounted/in use.";
    e.correction = "Un-mount resource '" + rd->name + "' on the node '" + rsc.node + "'.";
    e.obj_refs = RscRef(rd->name, rsc.node);
    return rc.ToReply(200);
  }
  if (!rsc.diskless) {
    int diskful = 0;
    bool diskless_users = false;
    for (const auto& [k, r] : rd->resources) {
      if (!r.diskless) ++diskful;
      if (r.diskless && !r.tie_breaker) diskless_users = true;
    }
    if (diskful == 1 && diskless_users) {
      ApiCallRcList rc;
      auto& e =
          rc.Add(mask | rc::kFailInUse, "Last resource of '" + rd->name +
                                            "' with disk still has diskless resources attached.");
      e.cause = "Resource still has diskless users.";
      e.correction = "Before deleting this resource, delete the diskless resources attached to it.";
      e.obj_refs = RscRef(rd->name, rsc.node);
      return rc.ToReply(200);
    }
  }
  const bool was_tie_breaker = rsc.tie_breaker;
  const std::string display = rsc.node;
  const std::string uuid = rsc.uuid;
  RemoveResource(*rd, node_key);
  ApiCallRcList rc;
  auto& e =
      rc.Add(mask | rc::kDeleted, "Resource '" + rd->name + "' on node '" + display + "' deleted.");
  e.details = "Resource UUID was: " + uuid;
  e.obj_refs = RscRef(rd->name, display);
  if (!was_tie_breaker) ReconcileTieBreaker(*rd, rc);
  return rc.ToReply(200);
}

Reply ClusterState::MakeAvailable(const std::string& name, const std::string& node_name,
                                  const MakeAvailableRequest& req) {
  const uint64_t mask = rc::kMaskRsc | rc::kMaskCrt;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(mask, name);
  const Node* node = FindNode(node_name);
  if (node == nullptr) return NodeNotFound(mask, node_name);
  const std::string node_key = NameKey(node->name);
  ApiCallRcList rc;
  auto existing = rd->resources.find(node_key);
  std::string pool;
  if (req.diskful && (existing == rd->resources.end() || existing->second.diskless)) {
    pool = AutoplacerPoolOnNode(*rd, *node);
    if (pool.empty()) {
      return ErrorReply(mask | rc::kFailNotEnoughNodes, "Cannot make resource '" + rd->name +
                                                            "' available with a disk on node '" +
                                                            node->name + "': no storage pool.");
    }
    if (node->pools.at(NameKey(pool)).free_kib() < TotalSizeKib(*rd)) {
      return ErrorReply(
          mask | rc::kFailNotEnoughFreeSpace,
          "Not enough free space in storage pool '" + pool + "' on node '" + node->name + "'.");
    }
  }
  if (existing != rd->resources.end()) {
    Resource& rsc = existing->second;
    if (rsc.tie_breaker) {
      rsc.tie_breaker = false;
      rc.Add(rc::kInfoTieBreakerTakeover, "Tie breaker resource '" + rd->name + "' on node '" +
                                              node->name + "' is now a diskless resource.")
          .obj_refs = RscRef(rd->name, node->name);
    }
    if (!pool.empty()) {
      MakeDiskful(*rd, rsc, pool);
      rc.Add(rc::kMaskRsc | rc::kMaskMod | rc::kModified,
             "Resource '" + rd->name + "' on node '" + node->name + "' now has a disk.")
          .obj_refs = RscRef(rd->name, node->name);
    } else if (rc.empty()) {
      rc.Add(mask | rc::kInfoRscAlreadyExists,
             "Resource '" + rd->name + "' is already available on node '" + node->name + "'.")
          .obj_refs = RscRef(rd->name, node->name);
    }
  } else {
    const bool diskless = pool.empty();
    AddResource(*rd, *node, diskless ? std::string(kDisklessPoolName) : pool, diskless, false);
    rc.Add(mask | rc::kCreated, "New resource '" + rd->name + "' on node '" + node->name +
                                    "' registered" + (diskless ? " (diskless)." : "."))
        .obj_refs = RscRef(rd->name, node->name);
  }
  ReconcileTieBreaker(*rd, rc);
  return rc.ToReply(200);
}

Reply ClusterState::Autoplace(const std::string& name, const AutoplaceRequest& req) {
  const uint64_t mask = rc::kMaskRscDfn | rc::kMaskCrt;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(mask, name);
  // AutoPlace.autoplace overwrites select_filter.diskless_on_remaining and .layer_stack with
  // the top-level diskless_on_remaining and layer_list.
  SelectFilter request_filter = req.filter;
  request_filter.diskless_on_remaining = req.diskless_on_remaining.value_or(false);
  request_filter.layer_stack.reset();
  if (!req.layer_list.empty()) request_filter.layer_stack = req.layer_list;
  SelectFilter f = EffectiveFilter(*rd, request_filter);
  if (f.place_count && *f.place_count < 1) {
    return ErrorReply(mask | rc::kFailInvldPlaceCount, "Invalid place count.");
  }
  int32_t diskful = 0;
  for (const auto& [k, r] : rd->resources) diskful += r.diskless ? 0 : 1;
  int32_t count = 0;
  if (f.additional_place_count && *f.additional_place_count > 0) {
    count = *f.additional_place_count;
  } else {
    const int32_t target = f.place_count.value_or(2);
    if (diskful > target) {
      // CtrlRscAutoPlaceApiCallHandler.makePlaceCountTooLowResponse: a warning, not an error,
      // so the answer is the success status; nothing is placed.
      std::string placed;
      for (const auto& [k, r] : rd->resources)
        placed += (placed.empty() ? "'" : ", '") + r.node + "'";
      ApiCallRcList warn;
      warn.Add(mask | rc::kWarnRscAlreadyDeployed,
               "The resource '" + rd->name + "' was already deployed on " +
                   std::to_string(rd->resources.size()) + " nodes: " + placed +
                   ". The resource would have to be deleted from nodes to reach the "
                   "placement count.")
          .obj_refs = RdRef(rd->name);
      return warn.ToReply(201);
    }
    count = target - diskful;
  }
  const bool diskless_on_remaining = f.diskless_on_remaining.value_or(false);
  ApiCallRcList rc;
  if (count <= 0) {
    rc.Add(mask | rc::kWarnRscAlreadyDeployed, "Resource '" + rd->name +
                                                   "' is already deployed on " +
                                                   std::to_string(diskful) + " nodes as requested.")
        .obj_refs = RdRef(rd->name);
    if (diskless_on_remaining) AddDisklessOnRemaining(*rd, rc);
    ReconcileTieBreaker(*rd, rc);
    return rc.ToReply(201);
  }
  PlacementRequest pr;
  pr.nodes = &nodes_;
  pr.rd = rd;
  pr.filter = f;
  pr.count = count;
  pr.size_kib = TotalSizeKib(*rd);
  pr.seed = seed_;
  pr.excluded_by_rsc = [&](const std::string& node_key) { return NodeHasRscMatching(node_key, f); };
  PlacementResult placed = Place(pr);
  if (!placed.ok) {
    ApiCallRcList err;
    auto& e = err.Add(mask | rc::kFailNotEnoughNodes, "Not enough available nodes");
    e.details = NotEnoughNodesDetails(f, count, pr.size_kib);
    e.obj_refs = RdRef(rd->name);
    return err.ToReply(201);
  }
  for (const auto& c : placed.chosen) {
    const Node& node = nodes_.at(c.node_key);
    auto existing = rd->resources.find(c.node_key);
    if (existing != rd->resources.end()) {  // a tiebreaker: take it over
      MakeDiskful(*rd, existing->second, c.pool);
      rc.Add(rc::kInfoTieBreakerTakeover,
             "Tie breaker resource '" + rd->name + "' on node '" + node.name + "' taken over.")
          .obj_refs = RscRef(rd->name, node.name);
    } else {
      AddResource(*rd, node, c.pool, false, false);
    }
    rc.Add(rc::kMaskRsc | rc::kMaskCrt | rc::kCreated,
           "Resource '" + rd->name + "' on '" + node.name + "' ready")
        .obj_refs = RscRef(rd->name, node.name);
  }
  if (diskless_on_remaining) AddDisklessOnRemaining(*rd, rc);
  rc.Add(mask | rc::kCreated, "Resource '" + rd->name + "' successfully autoplaced on " +
                                  std::to_string(placed.chosen.size()) + " nodes")
      .obj_refs = RdRef(rd->name);
  ReconcileTieBreaker(*rd, rc);
  return rc.ToReply(201);
}

Reply ClusterState::ViewResources(const ListQuery& q) const {
  JsonWriter w;
  w.BeginArray();
  Pager pager(q.offset, q.limit);
  auto emit_rd = [&](const ResourceDefinition& rd) {
    for (const auto& [node_key, rsc] : rd.resources) {
      if (pager.Done()) return;
      if (!NameFilterMatches(q.nodes, node_key)) continue;
      if (!q.storage_pools.empty() &&
          !NameFilterMatches(q.storage_pools, NameKey(rsc.storage_pool)))
        continue;
      if (!PropsMatch(rsc.props, q.props)) continue;
      if (pager.Take()) WriteResource(w, rd, node_key, rsc, /*with_volumes=*/true);
    }
  };
  if (!q.resources.empty()) {
    std::set<std::string> keys;
    for (const auto& n : q.resources) keys.insert(NameKey(n));
    for (const auto& key : keys) {
      auto it = rds_.find(key);
      if (it != rds_.end()) emit_rd(it->second);
    }
  } else if (!q.nodes.empty()) {
    // Only RDs with a resource on the requested nodes (index), in name order.
    std::set<std::string> keys;
    for (const auto& n : q.nodes) {
      auto it = rds_by_node_.find(NameKey(n));
      if (it != rds_by_node_.end()) keys.insert(it->second.begin(), it->second.end());
    }
    for (const auto& key : keys) {
      if (pager.Done()) break;
      emit_rd(rds_.at(key));
    }
  } else {
    for (const auto& [key, rd] : rds_) {
      if (pager.Done()) break;
      emit_rd(rd);
    }
  }
  w.EndArray();
  return {200, w.Take()};
}

// ---------------------------------------------------------------- spawn

Reply ClusterState::Spawn(const std::string& rg_name, const SpawnRequest& req) {
  const uint64_t mask = rc::kMaskRscDfn | rc::kMaskCrt;
  const ResourceGroup* rg = FindRg(rg_name);
  if (rg == nullptr) {
    return ErrorReply(mask | rc::kFailNotFoundRscGrp, "Resource group '" + rg_name + "' not found.",
                      {}, {{"RscGrp", rg_name}});
  }
  if (!IsValidName(req.rd_name)) {
    return InvalidName(mask | rc::kFailInvldRscName, "resource", req.rd_name);
  }
  if (FindRd(req.rd_name) != nullptr) {
    return ErrorReply(mask | rc::kFailExistsRscDfn,
                      "A resource definition with the name '" + req.rd_name + "' already exists.",
                      {}, RdRef(req.rd_name));
  }
  int64_t total = 0;
  for (int64_t size : req.volume_sizes) {
    if (size <= 0) {
      return ErrorReply(mask | rc::kFailInvldVlmSize,
                        "Invalid volume size " + std::to_string(size) + " KiB.");
    }
    total += size;
  }
  SelectFilter f = rg->filter;
  if (req.filter) f.Overlay(*req.filter);
  if (f.place_count && *f.place_count < 1) {
    return ErrorReply(mask | rc::kFailInvldPlaceCount, "Invalid place count.");
  }
  if (f.not_place_with_rsc_regex && !CompileRegex(*f.not_place_with_rsc_regex, true)) {
    return ErrorReply(mask | rc::kFailInvldProp,
                      "Invalid regex '" + *f.not_place_with_rsc_regex + "'.");
  }

  PlacementResult placed;
  const int32_t count = f.place_count.value_or(2);
  if (!req.definitions_only) {
    PlacementRequest pr;
    pr.nodes = &nodes_;
    pr.filter = f;
    pr.count = count;
    pr.size_kib = total;
    pr.seed = seed_;
    pr.excluded_by_rsc = [&](const std::string& node_key) {
      return NodeHasRscMatching(node_key, f);
    };
    placed = Place(pr);
    if (!placed.ok && !(req.partial && !placed.chosen.empty())) {
      ApiCallRcList err;
      auto& e = err.Add(mask | rc::kFailNotEnoughNodes, "Not enough available nodes");
      e.details = NotEnoughNodesDetails(f, count, total);
      e.obj_refs = RdRef(req.rd_name);
      return err.ToReply(201);
    }
  }

  const std::string rg_display = rg->name;
  const bool diskless_on_remaining = f.diskless_on_remaining.value_or(false);
  ResourceDefinition& rd = AddRd(req.rd_name, rg_display, req.rd_props, req.external_name);
  if (f.layer_stack) rd.layer_stack = *f.layer_stack;
  ApiCallRcList rc;
  rc.Add(mask | rc::kCreated, "New resource definition '" + rd.name + "' created.").obj_refs =
      RdRef(rd.name);
  for (size_t i = 0; i < req.volume_sizes.size(); ++i) {
    Status st = AddVolume(rd, static_cast<int32_t>(i), req.volume_sizes[i], {});
    if (!st.ok()) {
      RemoveRd(NameKey(req.rd_name));
      return ErrorReply(mask | rc::kFailUnknownError, "Creating the volume failed.", st.message());
    }
    rc.Add(rc::kMaskVlmDfn | rc::kMaskCrt | rc::kCreated,
           "New volume definition with number '" + std::to_string(i) +
               "' of resource definition '" + rd.name + "' created.")
        .obj_refs = {{"RscDfn", rd.name}, {"VlmNr", std::to_string(i)}};
  }
  if (!req.definitions_only) {
    for (const auto& c : placed.chosen) {
      const Node& node = nodes_.at(c.node_key);
      AddResource(rd, node, c.pool, false, false);
      rc.Add(rc::kMaskRsc | rc::kMaskCrt | rc::kCreated,
             "Resource '" + rd.name + "' on '" + node.name + "' ready")
          .obj_refs = RscRef(rd.name, node.name);
    }
    if (!placed.ok) {
      rc.Add(mask | rc::kMaskWarn | (rc::kFailNotEnoughNodes & rc::kMaskBitsCode),
             "Only " + std::to_string(placed.chosen.size()) + " of " + std::to_string(count) +
                 " replicas could be placed (partial spawn).");
    }
    if (diskless_on_remaining) AddDisklessOnRemaining(rd, rc);
    rc.Add(mask | rc::kCreated, "Resource '" + rd.name + "' successfully autoplaced on " +
                                    std::to_string(placed.chosen.size()) + " nodes")
        .obj_refs = RdRef(rd.name);
    ReconcileTieBreaker(rd, rc);
  }
  return rc.ToReply(201);
}

}  // namespace lcsi::sim
