// ControllerGetVolume: one volume with its published nodes and condition.
#include "controller/controller.h"
#include "controller/volume_status.h"

namespace lcsi::controller {

Status Controller::ControllerGetVolume(const csi::v1::ControllerGetVolumeRequest& req,
                                       csi::v1::ControllerGetVolumeResponse* resp) {
  if (req.volume_id().empty()) return InvalidArgument("ControllerGetVolume: volume_id is required");
  auto rd = LoadVolume(req.volume_id(), /*with_sizes=*/true);
  if (!rd.ok()) return rd.status();
  auto resources = VolumeResources(rd->name);
  if (!resources.ok()) return resources.status();
  std::vector<std::string> node_names;
  for (const auto& r : *resources) node_names.push_back(r.node_name);
  auto nodes = NodesByName(node_names);
  if (!nodes.ok()) return nodes.status();
  FillVolume(*rd, &*resources, resp->mutable_volume(), &*nodes);
  FillVolumeStatus(PublishedNodes(rd->props), EvaluateVolumeHealth(*resources, *nodes),
                   resp->mutable_status());
  return Status::Ok();
}

}  // namespace lcsi::controller
