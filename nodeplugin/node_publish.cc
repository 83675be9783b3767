// NodePublishVolume and NodeUnpublishVolume: bind-mount a staged volume (the staging mount, or
// the device node for block access) onto a workload's target path, and undo that.
#include "nodeplugin/node_service.h"

#include <spdlog/spdlog.h>

#include "csi/grpc_status.h"
#include "nodeplugin/post_mount.h"
#include "nodeplugin/stage_record.h"

namespace lcsi::node {
namespace {

// Device number of the block device node at `path` (following a bind mount or symlink).
std::optional<dev_t> BlockDeviceNumber(Filesystem& files, const std::string& path) {
  auto info = files.Stat(path);
  if (!info.ok() || !info->has_value() || !(*info)->IsBlockDevice()) return std::nullopt;
  return (*info)->device_number;
}

}  // namespace

Status NodeService::Publish(const csi::v1::NodePublishVolumeRequest& req) {
  if (req.volume_id().empty()) return InvalidArgument("volume_id is required");
  if (req.target_path().empty()) return InvalidArgument("target_path is required");
  if (!req.has_volume_capability()) return InvalidArgument("volume_capability is required");
  if (req.staging_target_path().empty()) {
    // The spec's "Staging target path not set" error: STAGE_UNSTAGE_VOLUME is advertised.
    return FailedPrecondition("staging_target_path is required (the plugin stages volumes)");
  }
  auto access = ParseVolumeAccess(req.volume_capability());
  if (!access.ok()) return access.status();
  auto staging = policy_.Check(req.staging_target_path(), "staging_target_path");
  if (!staging.ok()) return staging.status();
  auto target = policy_.Check(req.target_path(), "target_path");
  if (!target.ok()) return target.status();
  if (*target == *staging) {
    return InvalidArgument("target_path and staging_target_path must differ");
  }
  auto guard = Lock(req.volume_id());
  if (!guard.ok()) return guard.status();

  bool read_only = req.readonly() || access->read_only_mode;
  if (access->block) return PublishBlock(req, *staging, *target, read_only);
  return PublishMount(req, *access, *staging, *target, read_only);
}

Status NodeService::PublishMount(const csi::v1::NodePublishVolumeRequest& req,
                                 const VolumeAccess& access, const std::string& staging,
                                 const std::string& target, bool read_only) {
  auto staged = deps_.mounter.FindMount(staging);
  if (!staged.ok()) return staged.status();
  if (!staged->has_value()) {
    return FailedPrecondition("volume " + req.volume_id() + " is not staged at " + staging);
  }
  if (auto record = ReadStageRecord(deps_.files, staging);
      record.ok() && record->has_value() && (*record)->volume_id != req.volume_id()) {
    return FailedPrecondition(staging + " stages volume " + (*record)->volume_id + ", not " +
                              req.volume_id());
  }
  const MountEntry& source = **staged;

  auto existing = deps_.mounter.FindMount(target);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    const MountEntry& current = **existing;
    bool same_fs = current.major == source.major && current.minor == source.minor &&
                   current.root == source.root;
    if (!same_fs) {
      return AlreadyExists(target + " already has another mount (" + current.source + ")");
    }
    if (current.ReadOnlyMount() != read_only) {
      return AlreadyExists("volume " + req.volume_id() + " is already published at " + target +
                           (current.ReadOnlyMount() ? " read-only" : " read-write"));
    }
    return Status::Ok();
  }

  if (access.mode == csi::v1::VolumeCapability::AccessMode::SINGLE_NODE_SINGLE_WRITER) {
    auto mounts = deps_.mounter.ListMounts();
    if (!mounts.ok()) return mounts.status();
    for (const auto& m : *mounts) {
      if (m.major == source.major && m.minor == source.minor && m.root == source.root &&
          m.mount_point != staging && m.mount_point != target) {
        return FailedPrecondition("volume " + req.volume_id() +
                                  " is SINGLE_NODE_SINGLE_WRITER and already published at " +
                                  m.mount_point);
      }
    }
  }

  auto before = deps_.files.Lstat(target);
  if (!before.ok()) return before.status();
  if (before->has_value() && !(*before)->IsDirectory()) {
    return FailedPrecondition("target_path " + target + " exists and is not a directory");
  }
  LCSI_RETURN_IF_ERROR(deps_.files.MkdirAll(target, kDirectoryMode));
  std::vector<std::string> options = access.mount_flags;
  if (read_only) options.push_back("ro");
  Status bound = deps_.mounter.BindMount(staging, target, options);
  if (!bound.ok()) {
    if (!before->has_value()) RemoveCreated(target);
    return bound;
  }
  // linstor-csi's postMountXfsOpts (xfs only; a read-only mount cannot take attributes). On
  // failure the publish is undone, so that a retry runs it again.
  const std::string xfs_opts =
      ContextValue(req.volume_context(), config_.driver_name, "postMountXfsOpts");
  if (!xfs_opts.empty() && source.fs_type == "xfs" && !read_only) {
    Status ran = RunPostMountXfsOpts(deps_.exec, xfs_opts, target);
    if (!ran.ok()) {
      if (deps_.mounter.Unmount(target).ok() && !before->has_value()) RemoveCreated(target);
      return ran;
    }
  }
  return Status::Ok();
}

Status NodeService::PublishBlock(const csi::v1::NodePublishVolumeRequest& req,
                                 const std::string& staging, const std::string& target,
                                 bool read_only) {
  auto record = ReadStageRecord(deps_.files, staging);
  if (!record.ok()) return record.status();
  if (!record->has_value() || !(*record)->block || (*record)->volume_id != req.volume_id()) {
    return FailedPrecondition("volume " + req.volume_id() + " is not staged as a block volume at " +
                              staging);
  }
  const std::string device = (*record)->device;
  LCSI_RETURN_IF_ERROR(WaitForBlockDevice(deps_.devices, deps_.clock, device,
                                          config_.device_wait_timeout,
                                          config_.device_poll_interval));

  auto existing = deps_.mounter.FindMount(target);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    auto published = BlockDeviceNumber(deps_.files, target);
    if (!published || published != BlockDeviceNumber(deps_.files, device)) {
      return AlreadyExists(target + " already has another mount");
    }
    if ((*existing)->ReadOnlyMount() != read_only) {
      return AlreadyExists("volume " + req.volume_id() + " is already published at " + target +
                           ((*existing)->ReadOnlyMount() ? " read-only" : " read-write"));
    }
    return Status::Ok();
  }

  if ((*record)->access_mode == csi::v1::VolumeCapability::AccessMode::SINGLE_NODE_SINGLE_WRITER) {
    auto other = OtherBlockPublish(device, target);
    if (!other.ok()) return other.status();
    if (!other->empty()) {
      return FailedPrecondition("volume " + req.volume_id() +
                                " is SINGLE_NODE_SINGLE_WRITER and already published at " + *other);
    }
  }

  auto before = deps_.files.Lstat(target);
  if (!before.ok()) return before.status();
  if (before->has_value() && !(*before)->IsRegular()) {
    return FailedPrecondition("target_path " + target +
                              " exists and is not a regular file (block volumes are published "
                              "on a file)");
  }
  if (!before->has_value()) {
    LCSI_RETURN_IF_ERROR(deps_.files.MkdirAll(ParentDirectory(target), kDirectoryMode));
    LCSI_RETURN_IF_ERROR(deps_.files.Create(target, kBlockTargetMode));
  }
  Status bound = deps_.mounter.BindMount(
      device, target, read_only ? std::vector<std::string>{"ro"} : std::vector<std::string>{});
  if (!bound.ok()) {
    if (!before->has_value()) RemoveCreated(target);
    return bound;
  }
  return Status::Ok();
}

Result<std::string> NodeService::OtherBlockPublish(const std::string& device,
                                                   const std::string& target) {
  auto device_number = BlockDeviceNumber(deps_.files, device);
  if (!device_number) return std::string();
  auto mounts = deps_.mounter.ListMounts();
  if (!mounts.ok()) return mounts.status();
  for (const auto& m : *mounts) {
    // A published block volume is a device node bind-mounted below an allowed prefix; device
    // nodes live on devtmpfs or tmpfs, whose stat never blocks (unlike a hung network mount).
    if (m.mount_point == target || (m.fs_type != "devtmpfs" && m.fs_type != "tmpfs")) continue;
    bool ours = false;
    for (const auto& prefix : policy_.prefixes()) ours = ours || IsUnder(m.mount_point, prefix);
    if (ours && BlockDeviceNumber(deps_.files, m.mount_point) == device_number)
      return m.mount_point;
  }
  return std::string();
}

Status NodeService::Unpublish(const csi::v1::NodeUnpublishVolumeRequest& req) {
  if (req.volume_id().empty()) return InvalidArgument("volume_id is required");
  if (req.target_path().empty()) return InvalidArgument("target_path is required");
  auto target = policy_.Check(req.target_path(), "target_path");
  if (!target.ok()) return target.status();
  auto guard = Lock(req.volume_id());
  if (!guard.ok()) return guard.status();

  LCSI_RETURN_IF_ERROR(UnmountAll(*target));
  auto info = deps_.files.Lstat(*target);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return Status::Ok();
  if ((*info)->IsDirectory()) {
    if (Status removed = deps_.files.Remove(*target); !removed.ok()) {
      return FailedPrecondition("cannot remove " + *target +
                                " after unmounting: " + removed.message());
    }
  } else if ((*info)->IsRegular() && (*info)->size == 0) {
    if (Status removed = deps_.files.Remove(*target); !removed.ok()) {
      return Internal("cannot remove " + *target + ": " + removed.message());
    }
  } else {
    return FailedPrecondition(*target + " is not a directory or an empty file; not removing it");
  }
  return Status::Ok();
}

void NodeService::RemoveCreated(const std::string& target) {
  if (Status removed = deps_.files.Remove(target); !removed.ok()) {
    spdlog::warn("cannot remove {} after a failed bind mount: {}", target, removed.message());
  }
}

grpc::Status NodeService::NodePublishVolume(grpc::ServerContext*,
                                            const csi::v1::NodePublishVolumeRequest* req,
                                            csi::v1::NodePublishVolumeResponse*) {
  return ToGrpcStatus(Publish(*req));
}

grpc::Status NodeService::NodeUnpublishVolume(grpc::ServerContext*,
                                              const csi::v1::NodeUnpublishVolumeRequest* req,
                                              csi::v1::NodeUnpublishVolumeResponse*) {
  return ToGrpcStatus(Unpublish(*req));
}

}  // namespace lcsi::node
