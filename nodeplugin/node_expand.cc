// NodeExpandVolume: grow the filesystem on a volume's device once the device has grown
// (resize2fs, xfs_growfs); for block access only check the device's size.
#include "nodeplugin/node_service.h"

#include <spdlog/spdlog.h>

#include "csi/grpc_status.h"
#include "nodeplugin/capabilities.h"
#include "nodeplugin/tool_output.h"

namespace lcsi::node {

Result<csi::v1::NodeExpandVolumeResponse> NodeService::Expand(
    const csi::v1::NodeExpandVolumeRequest& req) {
  if (req.volume_id().empty()) return InvalidArgument("volume_id is required");
  if (req.volume_path().empty()) return InvalidArgument("volume_path is required");
  auto guard = Lock(req.volume_id());
  if (!guard.ok()) return guard.status();
  // Existence first: an unknown volume is NOT_FOUND whatever volume_path says.
  auto located = locator_.Locate(req.volume_id(), req.volume_path(), Code::kInvalidArgument);
  if (!located.ok()) return located.status();
  const std::string* path = &located->path;
  std::optional<std::string> staging;
  if (!req.staging_target_path().empty()) {
    auto checked = policy_.Check(req.staging_target_path(), "staging_target_path");
    if (!checked.ok()) return checked.status();
    staging = *checked;
  }
  std::optional<VolumeAccess> access;
  if (req.has_volume_capability()) {
    auto parsed = ParseVolumeAccess(req.volume_capability());
    if (!parsed.ok()) return parsed.status();
    access = *parsed;
  }
  int64_t required = req.has_capacity_range() ? req.capacity_range().required_bytes() : 0;
  csi::v1::NodeExpandVolumeResponse resp;

  if (located->info.IsBlockDevice() || (access && access->block)) {
    auto size = deps_.devices.SizeBytes(*path);
    if (!size.ok()) return size.status();
    if (*size < required) {
      return Unavailable("device at " + *path + " has " + std::to_string(*size) +
                         " bytes, less than the required " + std::to_string(required));
    }
    resp.set_capacity_bytes(*size);
    return resp;
  }

  const std::optional<MountEntry>* mount = &located->mount;
  if (!mount->has_value()) return NotFound("no volume is mounted at " + *path);
  const std::string device = (*mount)->source;
  const std::string fs_type = (*mount)->fs_type;
  auto size = deps_.devices.SizeBytes(device);
  if (!size.ok()) return size.status().WithContext("volume " + req.volume_id());
  if (*size < required) {
    // The controller grew the LINSTOR volume, but this node's device has not caught up yet.
    return Unavailable("device " + device + " has " + std::to_string(*size) +
                       " bytes, less than the required " + std::to_string(required) +
                       "; retry when it has grown");
  }
  std::string mount_point = *path;
  if (staging) {
    auto staged = deps_.mounter.IsMountPoint(*staging);
    if (staged.ok() && *staged) mount_point = *staging;
  }
  auto grow = GrowCommand(fs_type, device, mount_point, config_.tool_timeouts.grow);
  if (!grow.ok()) return grow.status();
  auto run = deps_.exec.Run(*grow);
  if (!run.ok()) return run.status();
  if (run->exit_code != 0) {
    std::string hint;
    if (grow->program == "resize2fs" && HasEffectiveCapability(kCapSysResource) == false) {
      hint =
          " (ext4 online resize needs CAP_SYS_RESOURCE, which this plugin lacks: run the "
          "container privileged)";
    }
    return Internal(grow->ToString() + " failed with exit code " + std::to_string(run->exit_code) +
                    hint + ": " + SummarizeToolOutput(run->err, run->out));
  }
  spdlog::info("volume {}: grew {} on {} to {} bytes", req.volume_id(), fs_type, device, *size);
  resp.set_capacity_bytes(*size);
  return resp;
}

grpc::Status NodeService::NodeExpandVolume(grpc::ServerContext*,
                                           const csi::v1::NodeExpandVolumeRequest* req,
                                           csi::v1::NodeExpandVolumeResponse* resp) {
  auto result = Expand(*req);
  if (!result.ok()) return ToGrpcStatus(result.status());
  *resp = std::move(result).value();
  return grpc::Status::OK;
}

}  // namespace lcsi::node
