// CreateVolume's placements from linstor-csi: manual (nodeList/clientList) and FollowTopology;
// and the nodes whose topology a volume with remote access by rules serves.
#include <spdlog/spdlog.h>

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

// linstor-csi's followtopology.Create: a diskful replica on the node of each preferred, then
// requisite, topology in turn until the class's count (a node that cannot take one is
// skipped); the first by a spawn restricted to that node, the others by make-available with a
// disk. No replica with a requisite topology: ResourceExhausted. LINSTOR places the rest.
Result<std::optional<Controller::CreateOutcome>> Controller::CreateFollowingTopology(
    CreatePlan& plan) {
  using Followed = std::optional<CreateOutcome>;
  const int32_t wanted = WantedReplicas(plan).value_or(kDefaultPlacementCount);
  int32_t placed = 0;
  for (const auto& node : plan.follow_nodes) {
    if (placed >= wanted) break;
    if (placed == 0) {
      linstor::ResourceGroupSpawn spawn;
      spawn.resource_definition_name = plan.rd;
      spawn.volume_sizes = {plan.size_kib};
      spawn.resource_definition_props = plan.rd_props;
      linstor::SelectFilter filter;
      filter.node_name_list = std::vector<std::string>{node};
      filter.place_count = 1;
      filter.diskless_on_remaining = false;
      spawn.select_filter = filter;
      auto spawned = SpawnInGroup(plan, spawn);
      if (spawned.Is(linstor::LinstorErrorKind::kAlreadyExists))
        return Followed(CreateOutcome::kExists);
      if (spawned.Is(linstor::LinstorErrorKind::kNotEnoughNodes) ||
          spawned.Is(linstor::LinstorErrorKind::kNoSpace) || spawned.IsNotFound()) {
        spdlog::info("volume {}: no replica fits on topology node {} ({}); trying the next",
                     plan.rd, node, spawned.error().message());
        continue;
      }
      if (!spawned.ok()) return SpawnFailed(plan, spawned);
      placed = 1;
      continue;
    }
    linstor::ResourceMakeAvailable disk;
    disk.diskful = true;
    auto made = client_->MakeAvailable(plan.rd, node, disk);
    if (made.ok()) {
      ++placed;
    } else {
      spdlog::info("volume {}: no replica on topology node {} ({}); trying the next", plan.rd, node,
                   made.error().message());
    }
  }
  if (placed == 0) {
    if (plan.follow_requisite) {
      return ResourceExhausted("none of the requisite topologies of volume " + plan.csi_name +
                               " names a node that can take a replica");
    }
    return Followed();
  }
  Status rest = PlaceRemainingReplicas(plan, placed);
  if (!rest.ok()) {
    DeleteIfOurs(plan.rd, plan.csi_name);
    return rest;
  }
  return Followed(CreateOutcome::kCreated);
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
