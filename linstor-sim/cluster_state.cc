// ClusterState core: lookups, allocation, capacity accounting, tiebreakers, nodes and storage
// pools. The other requests: cluster_state_rg.cc (resource groups, query-size-info),
// cluster_state_rd.cc, _vd.cc, _resources.cc, _placement.cc (autoplace, spawn) and
// _snapshots.cc, on cluster_state_objects.cc.
#include "linstor-sim/cluster_state.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "base/json_writer.h"
#include "linstor-sim/api_consts.h"
#include "linstor-sim/list_util.h"
#include "linstor-sim/names.h"
#include "linstor-sim/placement.h"

namespace lcsi::sim {

namespace {

uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

void SelectFilter::Overlay(const SelectFilter& o) {
  if (o.place_count) place_count = o.place_count;
  if (o.additional_place_count) additional_place_count = o.additional_place_count;
  if (o.node_name_list) node_name_list = o.node_name_list;
  if (o.storage_pool) storage_pool = o.storage_pool;
  if (o.storage_pool_list) storage_pool_list = o.storage_pool_list;
  if (o.storage_pool_diskless_list) storage_pool_diskless_list = o.storage_pool_diskless_list;
  if (o.not_place_with_rsc) not_place_with_rsc = o.not_place_with_rsc;
  if (o.not_place_with_rsc_regex) not_place_with_rsc_regex = o.not_place_with_rsc_regex;
  if (o.replicas_on_same) replicas_on_same = o.replicas_on_same;
  if (o.replicas_on_different) replicas_on_different = o.replicas_on_different;
  if (o.x_replicas_on_different_map) x_replicas_on_different_map = o.x_replicas_on_different_map;
  if (o.layer_stack) layer_stack = o.layer_stack;
  if (o.provider_list) provider_list = o.provider_list;
  if (o.diskless_on_remaining) diskless_on_remaining = o.diskless_on_remaining;
  if (o.diskless_type) diskless_type = o.diskless_type;
  if (o.overprovision) overprovision = o.overprovision;
  if (o.port_count) port_count = o.port_count;
}

ClusterState::ClusterState(ClusterConfig config, std::unique_ptr<Backing> backing, uint64_t seed)
    : backing_(std::move(backing)), seed_(seed) {
  for (auto& node : config.nodes) {
    node.uuid = NewUuid();
    for (auto& [key, pool] : node.pools) pool.uuid = NewUuid();
    nodes_[NameKey(node.name)] = std::move(node);
  }
  ResourceGroup dflt;
  dflt.name = kDefaultResourceGroup;
  dflt.filter.place_count = 2;
  dflt.uuid = NewUuid();
  rgs_[NameKey(dflt.name)] = std::move(dflt);
}

ClusterState::~ClusterState() = default;

// ---------------------------------------------------------------- helpers

const Node* ClusterState::FindNode(const std::string& name) const {
  auto it = nodes_.find(NameKey(name));
  return it == nodes_.end() ? nullptr : &it->second;
}
Node* ClusterState::FindNode(const std::string& name) {
  auto it = nodes_.find(NameKey(name));
  return it == nodes_.end() ? nullptr : &it->second;
}
const ResourceGroup* ClusterState::FindRg(const std::string& name) const {
  auto it = rgs_.find(NameKey(name));
  return it == rgs_.end() ? nullptr : &it->second;
}
ResourceGroup* ClusterState::FindRg(const std::string& name) {
  auto it = rgs_.find(NameKey(name));
  return it == rgs_.end() ? nullptr : &it->second;
}
const ResourceDefinition* ClusterState::FindRd(const std::string& name) const {
  auto it = rds_.find(NameKey(name));
  return it == rds_.end() ? nullptr : &it->second;
}
ResourceDefinition* ClusterState::FindRd(const std::string& name) {
  auto it = rds_.find(NameKey(name));
  if (it == rds_.end()) return nullptr;
  persist_dirty_.insert(it->first);  // the caller may change it
  return &it->second;
}
StoragePool* ClusterState::FindPool(const std::string& node_key, const std::string& pool) {
  auto n = nodes_.find(node_key);
  if (n == nodes_.end()) return nullptr;
  auto p = n->second.pools.find(NameKey(pool));
  return p == n->second.pools.end() ? nullptr : &p->second;
}

void ClusterState::ForEachListedRd(
    const std::vector<std::string>& names, const Pager& pager,
    const std::function<void(const ResourceDefinition&)>& each) const {
  if (names.empty()) {
    for (const auto& [key, rd] : rds_) {
      if (pager.Done()) return;
      each(rd);
    }
    return;
  }
  std::set<std::string> keys;
  for (const auto& n : names) keys.insert(NameKey(n));
  for (const auto& key : keys) {
    if (pager.Done()) return;
    if (auto it = rds_.find(key); it != rds_.end()) each(it->second);
  }
}

std::string ClusterState::NewUuid() {
  const uint64_t a = SplitMix64(seed_ ^ (2 * uuid_counter_ + 1));
  const uint64_t b = SplitMix64(~seed_ ^ (2 * uuid_counter_ + 2));
  ++uuid_counter_;
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xFFFF), static_cast<unsigned>(a & 0xFFF),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3FFF)),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
  return buf;
}

std::string ClusterState::VolId(const ResourceDefinition& rd, int32_t vol) {
  return NameKey(rd.name) + "_" + std::to_string(vol);
}

std::string ClusterState::SnapId(const ResourceDefinition& rd, const Snapshot& s, int32_t vol) {
  return NameKey(rd.name) + "/" + NameKey(s.name) + "_" + std::to_string(vol);
}

int64_t ClusterState::TotalSizeKib(const ResourceDefinition& rd) {
  int64_t total = 0;
  for (const auto& [nr, vd] : rd.volumes) total += vd.size_kib;
  return total;
}

std::string ClusterState::DevicePath(const ResourceDefinition& rd,
                                     const VolumeDefinition& vd) const {
  if (backing_->real()) {
    std::string dev = backing_->Device(VolId(rd, vd.number));
    if (!dev.empty()) return dev;
  }
  return "/dev/drbd" + std::to_string(vd.minor);
}

const ResourceGroup& ClusterState::RgOf(const ResourceDefinition& rd) const {
  const ResourceGroup* rg = FindRg(rd.resource_group);
  if (rg == nullptr) rg = FindRg(kDefaultResourceGroup);
  return *rg;
}

std::string ClusterState::EffectiveProp(const ResourceDefinition& rd,
                                        const std::string& key) const {
  auto it = rd.props.find(key);
  if (it != rd.props.end()) return it->second;
  const ResourceGroup& rg = RgOf(rd);
  auto jt = rg.props.find(key);
  return jt == rg.props.end() ? std::string() : jt->second;
}

bool ClusterState::DrbdInStack(const ResourceDefinition& rd) const {
  std::vector<std::string> stack = rd.layer_stack;
  if (stack.empty()) {
    const ResourceGroup& rg = RgOf(rd);
    if (rg.filter.layer_stack) stack = *rg.filter.layer_stack;
  }
  if (stack.empty()) return true;
  return std::find(stack.begin(), stack.end(), "DRBD") != stack.end();
}

SelectFilter ClusterState::EffectiveFilter(const ResourceDefinition& rd,
                                           const SelectFilter& over) const {
  SelectFilter f = RgOf(rd).filter;
  f.Overlay(over);
  return f;
}

void ClusterState::ChargePool(const std::string& node_key, const std::string& pool,
                              int64_t delta_kib) {
  StoragePool* p = FindPool(node_key, pool);
  if (p != nullptr && !p->diskless()) p->used_kib += delta_kib;
}

bool ClusterState::NodeHasRscMatching(const std::string& node_key, const SelectFilter& f) const {
  auto it = rds_by_node_.find(node_key);
  if (it == rds_by_node_.end()) return false;
  if (f.not_place_with_rsc) {
    for (const auto& name : *f.not_place_with_rsc)
      if (it->second.count(NameKey(name)) != 0) return true;
  }
  if (f.not_place_with_rsc_regex && !f.not_place_with_rsc_regex->empty()) {
    std::optional<std::regex> re = CompileRegex(*f.not_place_with_rsc_regex, true);
    if (re) {
      for (const auto& rd_key : it->second) {
        const ResourceDefinition* rd = FindRd(rd_key);
        if (rd != nullptr && std::regex_search(rd->name, *re)) return true;
      }
    }
  }
  return false;
}

// ---------------------------------------------------------------- tiebreaker

void ClusterState::ReconcileTieBreaker(ResourceDefinition& rd, ApiCallRcList& rc) {
  if (!DrbdInStack(rd)) return;
  const std::string auto_tb = EffectiveProp(rd, "DrbdOptions/auto-add-quorum-tiebreaker");
  int diskful = 0, diskless = 0;
  std::string tb_key;
  for (const auto& [node_key, rsc] : rd.resources) {
    if (rsc.tie_breaker) {
      tb_key = node_key;
    } else if (rsc.diskless) {
      ++diskless;
    } else {
      ++diskful;
    }
  }
  const bool wanted = auto_tb != "false" && diskful == 2 && diskless == 0;
  if (wanted && tb_key.empty()) {
    std::vector<std::pair<uint64_t, std::string>> candidates;
    for (const auto& [node_key, node] : nodes_) {
      if (!node.online || rd.resources.count(node_key) != 0) continue;
      if (node.pools.count(NameKey(kDisklessPoolName)) == 0) continue;
      candidates.emplace_back(SeededNodeHash(seed_, node_key), node_key);
    }
    if (candidates.empty()) return;
    std::sort(candidates.begin(), candidates.end());
    const Node& node = nodes_.at(candidates.front().second);
    AddResource(rd, node, kDisklessPoolName, true, true);
    auto& e = rc.Add(rc::kInfoTieBreakerCreated,
                     "Tie breaker resource '" + rd.name + "' created on " + node.name);
    e.obj_refs = {{"RscDfn", rd.name}, {"Node", node.name}};
  } else if (!wanted && !tb_key.empty()) {
    const Resource& tb = rd.resources.at(tb_key);
    if (tb.in_use) return;
    auto& e = rc.Add(rc::kInfoTieBreakerDeleting, "Tie breaker resource '" + rd.name +
                                                      "' on node '" + tb.node +
                                                      "' is no longer needed and will be deleted.");
    e.obj_refs = {{"RscDfn", rd.name}, {"Node", tb.node}};
    RemoveResource(rd, tb_key);
  }
}

// ---------------------------------------------------------------- controller, nodes, pools

Reply ClusterState::Version() const {
  JsonWriter w;
  w.BeginObject()
      .Field("version", reported_version_)
      .Field("git_hash", std::string("linstor-sim-") + LCSI_VERSION)
      .Field("build_time", std::string(__DATE__) + " " + __TIME__)
      .Field("rest_api_version", reported_rest_api_version_)
      .EndObject();
  return {200, w.Take()};
}

Reply ClusterState::ListNodes(const ListQuery& q) const {
  JsonWriter w;
  w.BeginArray();
  Pager pager(q.offset, q.limit);
  for (const auto& [key, node] : nodes_) {
    if (!NameFilterMatches(q.nodes, key) || !PropsMatch(node.props, q.props)) continue;
    if (pager.Done()) break;
    if (pager.Take()) WriteNode(w, node);
  }
  w.EndArray();
  return {200, w.Take()};
}

Reply ClusterState::GetNode(const std::string& name) const {
  const Node* node = FindNode(name);
  if (node == nullptr) {
    return ErrorReply(rc::kMaskNode | rc::kFailNotFoundNode, "Node '" + name + "' not found.", {},
                      {{"Node", name}});
  }
  JsonWriter w;
  WriteNode(w, *node);
  return {200, w.Take()};
}

Reply ClusterState::ListStoragePools(const ListQuery& q) const {
  JsonWriter w;
  w.BeginArray();
  Pager pager(q.offset, q.limit);
  for (const auto& [key, node] : nodes_) {
    if (!NameFilterMatches(q.nodes, key)) continue;
    for (const auto& [pool_key, pool] : node.pools) {
      if (!NameFilterMatches(q.storage_pools, pool_key) || !PropsMatch(pool.props, q.props)) {
        continue;
      }
      if (pager.Done()) break;
      if (pager.Take()) WritePool(w, node, pool);
    }
  }
  w.EndArray();
  return {200, w.Take()};
}

Reply ClusterState::NodeStoragePools(const std::string& node_name, const ListQuery& q) const {
  if (FindNode(node_name) == nullptr) {
    return ErrorReply(rc::kMaskNode | rc::kFailNotFoundNode, "Node '" + node_name + "' not found.",
                      {}, {{"Node", node_name}});
  }
  ListQuery nq = q;
  nq.nodes = {node_name};
  return ListStoragePools(nq);
}

// ---------------------------------------------------------------- admin

Reply ClusterState::SetNodeOnline(const std::string& name, bool online) {
  Node* node = FindNode(name);
  if (node == nullptr) {
    return ErrorReply(rc::kMaskNode | rc::kFailNotFoundNode, "Node '" + name + "' not found.");
  }
  node->online = online;
  ApiCallRcList rc;
  rc.Add(rc::kMaskNode | rc::kMaskMod | rc::kModified,
         "Node '" + node->name + "' is now " + (online ? "ONLINE" : "OFFLINE") + ".");
  return rc.ToReply(200);
}

ClusterState::ReplicaLookup ClusterState::FindReplica(const std::string& rd_name,
                                                      const std::string& node_name) {
  ReplicaLookup found;
  found.rd = FindRd(rd_name);
  if (found.rd == nullptr) {
    found.error = ErrorReply(rc::kMaskRscDfn | rc::kFailNotFoundRscDfn,
                             "Resource definition '" + rd_name + "' not found.");
    return found;
  }
  auto it = found.rd->resources.find(NameKey(node_name));
  if (it == found.rd->resources.end()) {
    found.error = ErrorReply(rc::kMaskRsc | rc::kFailNotFoundRsc,
                             "Resource '" + rd_name + "' on node '" + node_name + "' not found.");
    return found;
  }
  found.rsc = &it->second;
  return found;
}

Reply ClusterState::SetInUse(const std::string& rd_name, const std::string& node_name,
                             bool in_use) {
  auto [rd, rsc, error] = FindReplica(rd_name, node_name);
  if (rsc == nullptr) return error;
  rsc->in_use = in_use;
  ApiCallRcList rc;
  rc.Add(rc::kMaskRsc | rc::kMaskMod | rc::kModified,
         "Resource '" + rd->name + "' on node '" + rsc->node +
             "' in_use=" + (in_use ? "true" : "false") + ".");
  return rc.ToReply(200);
}

Reply ClusterState::SetSnapshotSuccessful(const std::string& rd_name, const std::string& snap_name,
                                          bool successful) {
  ResourceDefinition* rd = FindRd(rd_name);
  if (rd == nullptr) {
    return ErrorReply(rc::kMaskRscDfn | rc::kFailNotFoundRscDfn,
                      "Resource definition '" + rd_name + "' not found.");
  }
  auto it = rd->snapshots.find(NameKey(snap_name));
  if (it == rd->snapshots.end()) {
    return ErrorReply(rc::kMaskSnapshot | rc::kFailNotFoundSnapshotDfn,
                      "Snapshot '" + snap_name + "' of '" + rd_name + "' not found.");
  }
  it->second.successful = successful;
  ApiCallRcList rc;
  rc.Add(rc::kMaskSnapshot | rc::kMaskMod | rc::kModified,
         "Snapshot '" + it->second.name + "' successful=" + (successful ? "true" : "false") + ".");
  return rc.ToReply(200);
}

StateSummary ClusterState::Summary() const {
  StateSummary s;
  s.nodes = static_cast<int64_t>(nodes_.size());
  for (const auto& [k, n] : nodes_) s.nodes_online += n.online ? 1 : 0;
  s.resource_groups = static_cast<int64_t>(rgs_.size()) - 1;
  s.resource_definitions = static_cast<int64_t>(rds_.size());
  for (const auto& [k, rd] : rds_) {
    s.volume_definitions += static_cast<int64_t>(rd.volumes.size());
    s.resources += static_cast<int64_t>(rd.resources.size());
    for (const auto& [nk, r] : rd.resources) {
      s.diskful_resources += r.diskless ? 0 : 1;
      s.tie_breakers += r.tie_breaker ? 1 : 0;
    }
    s.snapshots += static_cast<int64_t>(rd.snapshots.size());
  }
  s.loop_devices = backing_->AttachedCount();
  s.backing_files = backing_->FileCount();
  return s;
}

}  // namespace lcsi::sim
