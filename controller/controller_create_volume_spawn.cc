// CreateVolume of an empty volume: one spawn in the class's resource group (two requests with a
// preferred node and more than one replica), and the placement of replicas the other create paths
// share.
#include <spdlog/spdlog.h>

#include "controller/controller.h"
#include "controller/create_plan.h"
#include "controller/linstor_status.h"
#include "controller/topology_placement.h"

namespace lcsi::controller {

Result<std::vector<linstor::Node>> Controller::ListNodesForTopology() {
  auto nodes = client_->ListNodes({});
  if (!nodes.ok()) return FromLinstor(nodes, "listing LINSTOR nodes for the topology");
  return std::move(*nodes);
}

Status Controller::VerifyRequisite(const CreatePlan& plan) {
  TopologyPlacement placement;
  placement.requisite_to_verify = plan.requisite_to_verify;
  return VerifyRequisiteReachable(
      topology_, placement, [this] { return ListNodesForTopology(); }, plan.csi_name);
}

linstor::LinstorStatus Controller::SpawnInGroup(CreatePlan& plan,
                                                const linstor::ResourceGroupSpawn& spawn) {
  auto spawned = client_->Spawn(plan.rg.name, spawn);
  if (spawned.IsNotFound()) {
    // Most likely the group vanished behind the cache's back: recreate it and try once more.
    groups_.Invalidate(plan.rg.name);
    Status ensured = groups_.Ensure(plan.rg);
    if (!ensured.ok()) return spawned;
    spawned = client_->Spawn(plan.rg.name, spawn);
  }
  return spawned;
}

Status Controller::SpawnFailed(CreatePlan& plan, const linstor::LinstorStatus& spawned) {
  const std::string what = "creating volume " + plan.rd + " in resource group " + plan.rg.name;
  // Spawn is all or nothing in LINSTOR, but make sure: no half-made RD stays behind. After
  // an outage the RD may or may not exist; the retry's InspectExisting sorts that out.
  if (!spawned.error().IsRetryable()) DeleteIfOurs(plan.rd, plan.csi_name);
  if (spawned.IsNotFound()) {
    // A storage pool or node of the filter does not exist: nothing can be placed.
    return FromLinstorAs(Code::kResourceExhausted, spawned.error(), what);
  }
  return FromLinstor(spawned, what);
}

Result<Controller::CreateOutcome> Controller::CreateBySpawn(CreatePlan& plan) {
  if (plan.params.placement_policy == PlacementPolicy::kManual) return CreateManual(plan);
  if (plan.params.placement_policy == PlacementPolicy::kFollowTopology) {
    auto followed = CreateFollowingTopology(plan);
    if (!followed.ok()) return followed.status();
    if (*followed) return **followed;
  }
  if (!plan.near_nodes.empty()) {
    auto near = SpawnNearConsumer(plan);
    if (!near.ok()) return near.status();
    if (*near) return **near;
  }
  LCSI_RETURN_IF_ERROR(VerifyRequisite(plan));
  linstor::ResourceGroupSpawn spawn;
  spawn.resource_definition_name = plan.rd;
  spawn.volume_sizes = {plan.size_kib};
  spawn.resource_definition_props = plan.rd_props;
  linstor::SelectFilter filter;
  if (plan.allowed_nodes) filter.node_name_list = *plan.allowed_nodes;
  if (plan.mutable_params.placement_count) filter.place_count = plan.mutable_params.placement_count;
  if (filter != linstor::SelectFilter{}) spawn.select_filter = filter;

  auto spawned = SpawnInGroup(plan, spawn);
  if (spawned.Is(linstor::LinstorErrorKind::kAlreadyExists)) return CreateOutcome::kExists;
  if (!spawned.ok()) return SpawnFailed(plan, spawned);
  return CreateOutcome::kCreated;
}

// The first replica on a node near the consumer: a spawn restricted to those nodes with one
// replica, then an autoplace up to the wanted count. nullopt: no near node could take it (nothing
// was left behind), the caller places the volume without preference.
Result<std::optional<Controller::CreateOutcome>> Controller::SpawnNearConsumer(CreatePlan& plan) {
  const std::optional<int32_t> wanted = WantedReplicas(plan);
  linstor::ResourceGroupSpawn spawn;
  spawn.resource_definition_name = plan.rd;
  spawn.volume_sizes = {plan.size_kib};
  spawn.resource_definition_props = plan.rd_props;
  linstor::SelectFilter filter;
  filter.node_name_list = plan.near_nodes;
  filter.place_count = 1;
  // Diskless resources on the remaining nodes wait for the full count (the autoplace below
  // applies the class's setting).
  if (!wanted || *wanted > 1) filter.diskless_on_remaining = false;
  spawn.select_filter = filter;

  auto spawned = SpawnInGroup(plan, spawn);
  using Near = std::optional<CreateOutcome>;
  if (spawned.Is(linstor::LinstorErrorKind::kAlreadyExists)) return Near(CreateOutcome::kExists);
  const bool cannot_place = spawned.Is(linstor::LinstorErrorKind::kNotEnoughNodes) ||
                            spawned.Is(linstor::LinstorErrorKind::kNoSpace);
  if (cannot_place) {
    spdlog::info("volume {}: no replica fits on the preferred node(s) {} ({}); placing it anywhere",
                 plan.rd, plan.near_nodes.front(), spawned.error().message());
    return Near();
  }
  if (!spawned.ok()) return SpawnFailed(plan, spawned);
  if (wanted && *wanted <= 1) return Near(CreateOutcome::kCreated);

  Status placed = PlaceRemainingReplicas(plan, 1);
  if (placed.ok()) return Near(CreateOutcome::kCreated);
  DeleteIfOurs(plan.rd, plan.csi_name);
  if (placed.code() == Code::kResourceExhausted) {
    // The replica near the consumer left no room for the others (replicasOnSame, say).
    spdlog::info("volume {}: with a replica on {} the others do not fit ({}); placing it anywhere",
                 plan.rd, plan.near_nodes.front(), placed.message());
    return Near();
  }
  return placed;
}

std::optional<int32_t> Controller::WantedReplicas(const CreatePlan& plan) const {
  if (plan.mutable_params.placement_count) return plan.mutable_params.placement_count;
  return plan.rg.select_filter.place_count;
}

Status Controller::PlaceRemainingReplicas(CreatePlan& plan, std::optional<int32_t> diskful) {
  const std::optional<int32_t> wanted = WantedReplicas(plan);
  if (wanted && !diskful) {
    auto resources = VolumeResources(plan.rd);
    if (!resources.ok()) return resources.status();
    int32_t n = 0;
    for (const auto& r : *resources) n += (r.name == plan.rd && r.IsDiskful()) ? 1 : 0;
    diskful = n;
  }
  // LINSTOR refuses an autoplace that would have to remove replicas: only ask for more.
  if (wanted && diskful && *diskful >= *wanted) return Status::Ok();
  linstor::AutoPlaceRequest ap;
  if (plan.allowed_nodes) ap.select_filter.node_name_list = *plan.allowed_nodes;
  if (wanted) ap.select_filter.place_count = *wanted;
  auto placed = client_->AutoPlace(plan.rd, ap);
  if (!placed.ok()) return FromLinstor(placed, "placing the replicas of volume " + plan.rd);
  return Status::Ok();
}

}  // namespace lcsi::controller
