// ClusterState: the resource requests (list, view, get, create, delete, make-available).
#include "base/json_writer.h"
#include "linstor-sim/api_consts.h"
#include "linstor-sim/cluster_state.h"
#include "linstor-sim/cluster_state_replies.h"
#include "linstor-sim/list_util.h"
#include "linstor-sim/names.h"
#include "linstor-sim/placement.h"

namespace lcsi::sim {

namespace {

bool IsDisklessFlag(const std::vector<std::string>& flags) {
  for (const auto& f : flags)
    if (f == "DISKLESS" || f == "DRBD_DISKLESS" || f == "NVME_INITIATOR") return true;
  return false;
}

}  // namespace

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
  if (q.resources.empty() && !q.nodes.empty()) {
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
    ForEachListedRd(q.resources, pager, emit_rd);
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
  if (rsc.in_use) return ResourceInUse(mask, rd->name, rsc.node);
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

}  // namespace lcsi::sim
