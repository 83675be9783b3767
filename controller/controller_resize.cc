// ControllerExpandVolume (grow volume definition 0, online) and ControllerModifyVolume
// (placement count and DRBD options).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/props.h"
#include "controller/volume_size.h"

namespace lcsi::controller {

Status Controller::ControllerExpandVolume(const csi::v1::ControllerExpandVolumeRequest& req,
                                          csi::v1::ControllerExpandVolumeResponse* resp) {
  const std::string& id = req.volume_id();
  if (id.empty()) return InvalidArgument("ControllerExpandVolume: volume_id is required");
  if (!req.has_capacity_range()) {
    return InvalidArgument("ControllerExpandVolume: capacity_range is required");
  }
  if (req.has_volume_capability()) {
    if (!req.volume_capability().has_block() && !req.volume_capability().has_mount()) {
      return InvalidArgument("ControllerExpandVolume: volume_capability has no access type");
    }
  }
  auto guard = Lock("vol:" + id, "volume " + id);
  if (!guard.ok()) return guard.status();
  auto rd = LoadVolume(id, /*with_sizes=*/true);
  if (!rd.ok()) return rd.status();
  const int64_t current = VolumeZeroKib(rd->volume_definitions);

  const auto& range = req.capacity_range();
  if (range.limit_bytes() > 0 && range.limit_bytes() < KibToBytes(current)) {
    return OutOfRange("volume " + id + " is " + std::to_string(KibToBytes(current)) +
                      " bytes; it cannot shrink to limit_bytes " +
                      std::to_string(range.limit_bytes()));
  }
  auto want = SizeKibForRange(&range, current, current);
  if (!want.ok()) return want.status();
  if (*want > current) {
    auto resized = client_->ResizeVolumeDefinition(id, 0, *want);
    if (!resized.ok()) {
      return FromLinstor(
          resized, "growing volume " + id + " to " + std::to_string(KibToBytes(*want)) + " bytes");
    }
    spdlog::info("volume {} grown from {} to {} KiB", id, current, *want);
  }
  resp->set_capacity_bytes(KibToBytes(std::max(current, *want)));
  // A filesystem must be grown by the node; a block volume is done.
  resp->set_node_expansion_required(
      !(req.has_volume_capability() && req.volume_capability().has_block()));
  return Status::Ok();
}

Status Controller::ControllerModifyVolume(const csi::v1::ControllerModifyVolumeRequest& req) {
  const std::string& id = req.volume_id();
  if (id.empty()) return InvalidArgument("ControllerModifyVolume: volume_id is required");
  // Existence before the parameters: an unknown volume is NOT_FOUND whatever they hold.
  auto guard = Lock("vol:" + id, "volume " + id);
  if (!guard.ok()) return guard.status();
  auto rd = LoadVolume(id);
  if (!rd.ok()) return rd.status();
  // A proto3 map cannot be absent: an empty one asks for no change (e.g. a VolumeAttributesClass
  // without parameters for this driver).
  if (req.mutable_parameters().empty()) return Status::Ok();
  auto params = ParseMutableParameters(
      ParameterMap(req.mutable_parameters().begin(), req.mutable_parameters().end()),
      options_.driver_name);
  if (!params.ok()) return params.status();

  linstor::PropsModify drbd;
  for (const auto& [k, v] : params->drbd_props) {
    if (!props::Is(rd->props, k, v)) drbd.override_props[k] = v;
  }
  if (!drbd.empty()) {
    auto modified = client_->ModifyResourceDefinition(id, drbd);
    if (!modified.ok()) return FromLinstor(modified, "setting DRBD options on volume " + id);
  }
  if (!params->placement_count) return Status::Ok();

  const int32_t want = *params->placement_count;
  auto resources = VolumeResources(id);
  if (!resources.ok()) return resources.status();
  std::vector<const linstor::Resource*> diskful;
  for (const auto& r : *resources)
    if (r.name == id && r.IsDiskful()) diskful.push_back(&r);
  const int32_t have = static_cast<int32_t>(diskful.size());
  if (want > have) {
    linstor::AutoPlaceRequest ap;
    ap.select_filter.place_count = want;
    auto placed = client_->AutoPlace(id, ap);
    if (!placed.ok()) {
      return FromLinstor(placed, "placing " + std::to_string(want) + " replicas of volume " + id);
    }
    return Status::Ok();
  }
  if (want == have) return Status::Ok();
  // Fewer replicas: remove the ones nobody uses, never a published or in-use one.
  std::vector<const linstor::Resource*> removable;
  for (const auto* r : diskful) {
    if (r->in_use.value_or(false)) continue;
    if (props::Get(rd->props, props::Published(r->node_name))) continue;
    removable.push_back(r);
  }
  const size_t excess = static_cast<size_t>(have - want);
  if (removable.size() < excess) {
    return FailedPrecondition("volume " + id + " has " + std::to_string(have) +
                              " diskful replicas but only " + std::to_string(removable.size()) +
                              " of them are neither published nor in use; cannot go down to " +
                              std::to_string(want));
  }
  std::sort(removable.begin(), removable.end(),
            [](const auto* a, const auto* b) { return a->node_name > b->node_name; });
  for (size_t i = 0; i < excess; ++i) {
    auto deleted = client_->DeleteResource(id, removable[i]->node_name);
    if (!deleted.ok() && !deleted.IsNotFound()) {
      return FromLinstor(deleted,
                         "removing the replica of volume " + id + " on " + removable[i]->node_name);
    }
  }
  return Status::Ok();
}

}  // namespace lcsi::controller
