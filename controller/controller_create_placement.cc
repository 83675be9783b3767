// CreateVolume's manual placement (linstor-csi's nodeList/clientList) and its answer: the
// volume context for the node plugin and the topology the volume serves.
#include <algorithm>

#include "controller/capacity.h"
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

void Controller::FillVolumeContext(const CreatePlan& plan, csi::v1::Volume* v) const {
  auto& ctx = *v->mutable_volume_context();
  const VolumeParameters& p = plan.params;
  if (!p.fs_opts.empty()) ctx[FsOptsContextKey(options_.driver_name)] = p.fs_opts;
  if (!p.mount_opts.empty()) ctx[MountOptsContextKey(options_.driver_name)] = p.mount_opts;
  if (!p.in_use_wait.empty()) ctx[InUseWaitContextKey(options_.driver_name)] = p.in_use_wait;
  if (!p.post_mount_xfs_opts.empty()) {
    ctx[PostMountXfsOptsContextKey(options_.driver_name)] = p.post_mount_xfs_opts;
  }
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

Status Controller::RespondCreated(CreatePlan& plan, csi::v1::CreateVolumeResponse* resp) {
  csi::v1::Volume* v = resp->mutable_volume();
  v->set_volume_id(plan.rd);
  v->set_capacity_bytes(KibToBytes(plan.size_kib));
  if (plan.content_source) *v->mutable_content_source() = *plan.content_source;
  FillVolumeContext(plan, v);
  if (plan.params.remote_access.anywhere()) return Status::Ok();
  // Usable only near a diskful replica: one read of where they landed (and, for rules, one
  // read of those nodes' topology).
  auto resources = VolumeResources(plan.rd);
  if (!resources.ok()) return resources.status();
  std::vector<std::string> diskful;
  for (const auto& r : *resources)
    if (r.name == plan.rd && r.IsDiskful()) diskful.push_back(r.node_name);
  auto nodes = NodesForServedTopology(plan.rd_props, *resources);
  if (!nodes.ok()) return nodes.status();
  for (auto& t : ServedTopologies(topology_, plan.params.remote_access, diskful, *nodes)) {
    *v->add_accessible_topology() = std::move(t);
  }
  return Status::Ok();
}

}  // namespace lcsi::controller
