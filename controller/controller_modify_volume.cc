// ControllerModifyVolume: the mutable parameters (placement count and DRBD options) of a
// VolumeAttributesClass.
#include <algorithm>
#include <set>

#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/parameter_map.h"
#include "controller/props.h"

namespace lcsi::controller {

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
  auto params =
      ParseMutableParameters(ToParameterMap(req.mutable_parameters()), options_.driver_name);
  if (!params.ok()) return params.status();

  linstor::PropsModify drbd;
  for (const auto& [k, v] : params->drbd_props) {
    if (!props::Is(rd->props, k, v)) drbd.override_props[k] = v;
  }
  if (!drbd.empty()) {
    // Union: mutable parameters only ever set keys, so every key the plugin set stays its own.
    std::set<std::string> recorded = props::ModifiedKeys(rd->props);
    for (const auto& [k, v] : drbd.override_props) recorded.insert(k);
    drbd.override_props[props::Key(props::kModified)] = props::JoinModifiedKeys(recorded);
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
