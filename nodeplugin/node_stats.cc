// NodeGetVolumeStats: usage of the filesystem (or size of the block device) at a volume path,
// and the volume's condition: mount gone, device missing, remounted read-only, DRBD unhealthy.
#include "nodeplugin/node_service.h"

#include <spdlog/spdlog.h>

#include "csi/grpc_status.h"
#include "linstor/drbd_health.h"

namespace lcsi::node {

Result<csi::v1::NodeGetVolumeStatsResponse> NodeService::GetVolumeStats(
    const csi::v1::NodeGetVolumeStatsRequest& req) {
  if (req.volume_id().empty()) return InvalidArgument("volume_id is required");
  if (req.volume_path().empty()) return InvalidArgument("volume_path is required");
  // The spec's one error here is NOT_FOUND: the volume is not at volume_path (a relative or
  // refused path cannot hold one either).
  auto located = locator_.Locate(req.volume_id(), req.volume_path(), Code::kNotFound);
  if (!located.ok()) return located.status();
  const std::string* path = &located->path;

  csi::v1::NodeGetVolumeStatsResponse resp;
  auto* condition = resp.mutable_volume_condition();
  if (located->info.IsBlockDevice()) {
    auto size = deps_.devices.SizeBytes(*path);
    if (!size.ok()) return size.status();
    auto* bytes = resp.add_usage();
    bytes->set_unit(csi::v1::VolumeUsage::BYTES);
    bytes->set_total(*size);
    condition->set_abnormal(false);
    condition->set_message("block device is present");
    AddDrbdCondition(req.volume_id(), condition);
    return resp;
  }

  const std::optional<MountEntry>* mount = &located->mount;
  auto* bytes = resp.add_usage();
  bytes->set_unit(csi::v1::VolumeUsage::BYTES);
  auto* inodes = resp.add_usage();
  inodes->set_unit(csi::v1::VolumeUsage::INODES);
  if (!mount->has_value()) {
    // Reporting the usage of whatever filesystem holds the empty directory would mislead.
    condition->set_abnormal(true);
    condition->set_message("nothing is mounted at " + *path + " (the volume's mount is gone)");
    return resp;
  }
  auto fs = deps_.files.Statfs(*path);
  if (!fs.ok()) return Internal(fs.status().message());
  const int64_t block = fs->block_size;
  bytes->set_total(static_cast<int64_t>(fs->blocks) * block);
  bytes->set_available(static_cast<int64_t>(fs->blocks_available) * block);
  bytes->set_used(static_cast<int64_t>(fs->blocks - fs->blocks_free) * block);
  inodes->set_total(static_cast<int64_t>(fs->files));
  inodes->set_available(static_cast<int64_t>(fs->files_free));
  inodes->set_used(static_cast<int64_t>(fs->files - fs->files_free));

  const MountEntry& m = **mount;
  if (m.source.rfind("/dev/", 0) == 0 && !deps_.devices.IsBlockDevice(m.source)) {
    condition->set_abnormal(true);
    condition->set_message("device " + m.source + " is missing");
  } else if (m.ReadOnlySuperblock() && !m.ReadOnlyMount()) {
    condition->set_abnormal(true);
    condition->set_message("filesystem on " + m.source +
                           " is read-only although mounted read-write (remounted read-only "
                           "after an error?)");
  } else {
    condition->set_abnormal(false);
    condition->set_message("filesystem is mounted and healthy");
    AddDrbdCondition(req.volume_id(), condition);
  }
  return resp;
}

void NodeService::AddDrbdCondition(const std::string& volume_id,
                                   csi::v1::VolumeCondition* condition) {
  auto resources = deps_.directory.VolumeResources(volume_id);
  auto nodes = resources.ok() ? deps_.directory.Nodes()
                              : Result<std::map<std::string, linstor::Node>>(resources.status());
  if (!nodes.ok()) {
    spdlog::warn("volume {}: DRBD state unknown (LINSTOR: {})", volume_id,
                 nodes.status().message());
    return;
  }
  if (resources->empty()) return;  // not a LINSTOR volume (or already gone)
  linstor::VolumeHealth health = linstor::EvaluateVolumeHealth(*resources, *nodes);
  if (health.abnormal) condition->set_abnormal(true);
  condition->set_message(health.abnormal ? "DRBD: " + health.message
                                         : condition->message() + "; DRBD: " + health.message);
}

grpc::Status NodeService::NodeGetVolumeStats(grpc::ServerContext*,
                                             const csi::v1::NodeGetVolumeStatsRequest* req,
                                             csi::v1::NodeGetVolumeStatsResponse* resp) {
  auto result = GetVolumeStats(*req);
  if (!result.ok()) return ToGrpcStatus(result.status());
  *resp = std::move(result).value();
  return grpc::Status::OK;
}

}  // namespace lcsi::node
