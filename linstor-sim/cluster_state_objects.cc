// ClusterState: adding and removing resource definitions, volumes and resources, and the
// storage pool a new resource takes; the building blocks of the requests that create them.
#include <chrono>
#include <random>

#include "linstor-sim/api_consts.h"
#include "linstor-sim/cluster_state.h"
#include "linstor-sim/cluster_state_replies.h"
#include "linstor-sim/names.h"
#include "linstor-sim/placement.h"

namespace lcsi::sim {

namespace {

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

ResourceDefinition& ClusterState::AddRd(const std::string& name, const std::string& rg,
                                        const Props& props, const std::string& external_name) {
  ResourceDefinition& rd = rds_[NameKey(name)];
  persist_dirty_.insert(NameKey(name));
  rd.name = name;
  rd.resource_group = rg;
  rd.props = props;
  rd.external_name = external_name;
  rd.port = ports_.Take();
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
  vd.minor = minors_.Take();
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
    minors_.Release(vd.minor);
  }
  ports_.Release(rd.port);
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

}  // namespace lcsi::sim
