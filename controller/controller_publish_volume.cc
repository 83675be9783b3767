// ControllerPublishVolume: makes the volume available on a node (a diskless attach unless a
// diskful replica is there) and records the publication in LINSTOR, so that ListVolumes'
// published nodes survive a controller restart:
//   Aux/csi-published/<node>     = "rw" | "ro"   (every publication, diskful nodes too)
//   Aux/csi-diskless-made/<node> = "true"        (the plugin created the resource there)
//                                  "tiebreaker"  (it turned LINSTOR's tiebreaker into a client)
// ControllerUnpublishVolume (controller_unpublish_volume.cc) undoes it.
#include <algorithm>
#include <chrono>

#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/names.h"
#include "controller/parameters.h"
#include "controller/props.h"
#include "controller/remote_access_topology.h"
#include "controller/volume_capabilities.h"
#include "linstor/drbd_health.h"

namespace lcsi::controller {

namespace {

constexpr char kDevicePathKey[] = "devicePath";

std::string DevicePath(const linstor::Resource& r, const linstor::ResourceDefinition& rd) {
  if (const linstor::Volume* v = r.volume(0)) {
    if (!v->device_path.empty()) return v->device_path;
    if (v->drbd_minor) return "/dev/drbd" + std::to_string(*v->drbd_minor);
  }
  for (const auto& vd : rd.volume_definitions)
    if (vd.volume_number == 0 && vd.drbd_minor) return "/dev/drbd" + std::to_string(*vd.drbd_minor);
  return "";
}

}  // namespace

Status Controller::ControllerPublishVolume(const csi::v1::ControllerPublishVolumeRequest& req,
                                           csi::v1::ControllerPublishVolumeResponse* resp) {
  const std::string& id = req.volume_id();
  const std::string& node = req.node_id();
  if (id.empty()) return InvalidArgument("ControllerPublishVolume: volume_id is required");
  if (node.empty()) return InvalidArgument("ControllerPublishVolume: node_id is required");
  if (!req.has_volume_capability()) {
    return InvalidArgument("ControllerPublishVolume: volume_capability is required");
  }
  const auto& cap = req.volume_capability();
  if (!cap.has_block() && !cap.has_mount()) {
    return InvalidArgument("ControllerPublishVolume: volume_capability has no access type");
  }
  if (!cap.has_access_mode()) {
    return InvalidArgument("ControllerPublishVolume: volume_capability has no access mode");
  }
  auto guard = Lock("vol:" + id, "volume " + id);
  if (!guard.ok()) return guard.status();

  // Existence (volume, then node) before every other verdict.
  auto rd = LoadVolume(id);
  if (!rd.ok()) return rd.status();
  auto resources = VolumeResources(id);
  if (!resources.ok()) return resources.status();
  const linstor::Resource* here = nullptr;
  for (const auto& r : *resources)
    if (r.name == id && r.node_name == node) here = &r;
  if (here == nullptr) {
    auto n = client_->GetNode(node);
    if (n.IsNotFound()) return NotFound("node " + node + " does not exist in LINSTOR");
    if (!n.ok()) return FromLinstor(n, "reading node " + node);
  }

  LCSI_RETURN_IF_ERROR(CheckVolumeCapability(cap));
  const std::string mode = req.readonly() ? "ro" : "rw";
  const std::string published_key = props::Published(node);

  if (auto existing = props::Get(rd->props, published_key); existing && *existing != mode) {
    return AlreadyExists("volume " + id + " is already published on node " + node + " as " +
                         *existing + ", not " + mode);
  }
  if (IsSingleNodeMode(cap.access_mode().mode())) {
    for (const auto& other : PublishedNodes(rd->props)) {
      if (other != node) {
        return FailedPrecondition("volume " + id + " is published on node " + other +
                                  " and its access mode allows a single node");
      }
    }
    // May re-read the resources: `here` is looked up again.
    LCSI_RETURN_IF_ERROR(WaitUntilNotInUseElsewhere(req, &*resources));
    here = nullptr;
    for (const auto& r : *resources)
      if (r.name == id && r.node_name == node) here = &r;
  }

  linstor::PropsModify marks;
  if (!props::Get(rd->props, published_key)) marks.override_props[published_key] = mode;
  std::string device;
  if (here != nullptr && !here->IsTieBreaker()) {
    device = DevicePath(*here, *rd);
  } else {
    if (here != nullptr && !props::Get(rd->props, props::DisklessMade(node))) {
      // A tiebreaker becomes a diskless client: Unpublish removes it again (LINSTOR puts a
      // tiebreaker back where quorum needs one).
      marks.override_props[props::DisklessMade(node)] = "tiebreaker";
    }
    if (here == nullptr) {
      LCSI_RETURN_IF_ERROR(CheckRemoteAccess(*rd, *resources, node));
      // Mark before creating: a failure in between leaves a mark Unpublish knows how to handle.
      marks.override_props[props::DisklessMade(node)] = "true";
    }
    if (!marks.empty()) {
      auto marked = client_->ModifyResourceDefinition(id, marks);
      if (!marked.ok()) return FromLinstor(marked, "recording the publication of " + id);
      marks = {};
    }
    auto made = client_->MakeAvailable(id, node, linstor::ResourceMakeAvailable{});
    if (!made.ok()) return FromLinstor(made, "making volume " + id + " available on node " + node);
    // The single-resource GET carries no volumes (Json.apiToResource): the view has the device.
    linstor::ResourceViewFilter where;
    where.nodes = {node};
    where.resources = {id};
    auto viewed = client_->ViewResources(where);
    if (!viewed.ok()) return FromLinstor(viewed, "reading the resource of " + id + " on " + node);
    const linstor::Resource* made_here = nullptr;
    for (const auto& r : *viewed)
      if (r.name == id && r.node_name == node) made_here = &r;
    if (made_here == nullptr) {
      return Aborted("the resource of " + id + " on " + node +
                     " vanished right after it was made available; retry");
    }
    device = DevicePath(*made_here, *rd);
  }
  if (!marks.empty()) {
    auto marked = client_->ModifyResourceDefinition(id, marks);
    if (!marked.ok()) return FromLinstor(marked, "recording the publication of " + id);
  }
  if (device.empty()) {
    return Internal("LINSTOR reports no device path for volume " + id + " on node " + node);
  }
  (*resp->mutable_publish_context())[kDevicePathKey] = device;
  return Status::Ok();
}

Status Controller::CheckRemoteAccess(const linstor::ResourceDefinition& rd,
                                     const std::vector<linstor::Resource>& resources,
                                     const std::string& node) {
  const auto policy =
      RemoteAccessPolicy::FromCanonical(props::Get(rd.props, props::kRemoteAccess).value_or(""));
  if (policy.anywhere()) return Status::Ok();
  const std::string refused = "volume " + rd.name + " has no diskful replica on node " + node;
  if (policy.local_only()) {
    return FailedPrecondition(refused + " and its class does not allow remote volume access");
  }
  std::vector<std::string> names{node};
  for (const auto& r : resources)
    if (r.name == rd.name && r.IsDiskful()) names.push_back(r.node_name);
  auto nodes = NodesByName(names);
  if (!nodes.ok()) return nodes.status();
  auto here = nodes->find(node);
  if (here == nodes->end()) return NotFound("node " + node + " does not exist in LINSTOR");
  std::vector<Segments> replicas;
  for (size_t i = 1; i < names.size(); ++i) {
    auto it = nodes->find(names[i]);
    if (it != nodes->end()) replicas.push_back(NodeSegments(it->second));
  }
  if (policy.Allows(NodeSegments(here->second), replicas)) return Status::Ok();
  return FailedPrecondition(refused + " and its class allows remote access only from nodes " +
                            "that share a topology rule's keys with a replica (" +
                            policy.Canonical() + ")");
}

Status Controller::WaitUntilNotInUseElsewhere(const csi::v1::ControllerPublishVolumeRequest& req,
                                              std::vector<linstor::Resource>* resources) {
  const std::string& id = req.volume_id();
  std::chrono::milliseconds wait{0};
  for (const auto& key :
       {InUseWaitContextKey(options_.driver_name),
        std::string(kLinstorCsiPrefix) + "/inUseWaitTimeout", std::string("inUseWaitTimeout")}) {
    auto it = req.volume_context().find(key);
    if (it == req.volume_context().end()) continue;
    auto parsed = ParseInUseWait(key, it->second);
    if (!parsed.ok()) return parsed.status();
    wait = *parsed;
    break;
  }
  std::chrono::milliseconds waited{0};
  auto delay = options_.poll_interval;
  for (;;) {
    const auto others = linstor::InUseElsewhere(*resources, req.node_id());
    if (others.empty()) return Status::Ok();
    if (waited >= wait) {
      std::string names;
      for (const auto& n : others) names += (names.empty() ? "" : ", ") + n;
      return FailedPrecondition(
          "volume " + id + " is in use (DRBD Primary) on node " + names +
          " and its access mode allows a single node; publish it on " + req.node_id() +
          " after it is released there" +
          (wait.count() > 0 ? " (waited " + std::to_string(waited.count()) + " ms)" : ""));
    }
    const auto step = std::min(delay, wait - waited);
    clock().SleepFor(step);
    waited += step;
    delay = std::min(delay * 2, std::chrono::milliseconds(2000));
    auto fresh = VolumeResources(id);
    if (!fresh.ok()) return fresh.status();
    *resources = std::move(fresh).value();
  }
}

}  // namespace lcsi::controller
