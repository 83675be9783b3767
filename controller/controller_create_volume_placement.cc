// CreateVolume's manual placement (linstor-csi's nodeList/clientList), and the nodes whose
// topology a volume with remote access by rules serves.
#include <algorithm>

#include "controller/controller.h"
#include "controller/create_plan.h"
#include "controller/linstor_status.h"
#include "controller/remote_access_topology.h"

namespace lcsi::controller {

// One spawn with exactly the nodeList nodes and one replica each: LINSTOR puts a diskful
// replica on every one of them or on none (NOT_ENOUGH_NODES). Then one diskless resource per
// clientList node.
Result<Controller::CreateOutcome> Controller::CreateManual(CreatePlan& plan) {
  linstor::ResourceGroupSpawn spawn;
  spawn.resource_definition_name = plan.rd;
  spawn.volume_sizes = {plan.size_kib};
  spawn.resource_definition_props = plan.rd_props;
  linstor::SelectFilter filter;
  filter.node_name_list = plan.params.node_list;
  filter.place_count = static_cast<int32_t>(plan.params.node_list.size());
  filter.diskless_on_remaining = false;  // linstor-csi creates the listed resources only
  spawn.select_filter = filter;
  auto spawned = SpawnInGroup(plan, spawn);
  if (spawned.Is(linstor::LinstorErrorKind::kAlreadyExists)) return CreateOutcome::kExists;
  if (!spawned.ok()) return SpawnFailed(plan, spawned);
  Status clients = CreateClientResources(plan);
  if (!clients.ok()) {
    DeleteIfOurs(plan.rd, plan.csi_name);
    return clients;
  }
  return CreateOutcome::kCreated;
}

Status Controller::CreateClientResources(CreatePlan& plan) {
  for (const auto& node : plan.params.client_list) {
    linstor::ResourceCreate create;
    create.node_name = node;
    create.diskless = true;
    if (!plan.params.diskless_storage_pools.empty()) {
      create.storage_pool = plan.params.diskless_storage_pools.front();
    }
    auto made = client_->CreateResource(plan.rd, create);
    if (made.Is(linstor::LinstorErrorKind::kAlreadyExists)) continue;
    if (made.IsNotFound()) {
      return FromLinstorAs(Code::kResourceExhausted, made.error(),
                           "creating the clientList resource of volume " + plan.rd + " on " + node);
    }
    if (!made.ok()) {
      return FromLinstor(made,
                         "creating the clientList resource of volume " + plan.rd + " on " + node);
    }
  }
  return Status::Ok();
}

Result<std::map<std::string, linstor::Node>> Controller::NodesForServedTopology(
    const linstor::Props& rd_props, const std::vector<linstor::Resource>& resources) {
  const auto policy =
      RemoteAccessPolicy::FromCanonical(props::Get(rd_props, props::kRemoteAccess).value_or(""));
  if (policy.anywhere() || policy.local_only()) return std::map<std::string, linstor::Node>{};
  std::vector<std::string> names;
  for (const auto& r : resources)
    if (r.IsDiskful()) names.push_back(r.node_name);
  return NodesByName(names);
}

}  // namespace lcsi::controller
