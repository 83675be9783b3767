// ControllerExpandVolume: grows volume definition 0, online; a filesystem volume is then grown
// by the node (NodeExpandVolume).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "controller/controller.h"
#include "controller/linstor_status.h"
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

}  // namespace lcsi::controller
