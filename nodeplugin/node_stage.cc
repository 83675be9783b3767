// NodeStageVolume and NodeUnstageVolume: format-if-blank, fsck and mount a volume at the
// staging path (or only record it, for block access), and undo that.
#include "nodeplugin/node_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "base/duration.h"
#include "csi/grpc_status.h"
#include "nodeplugin/mount_options.h"
#include "nodeplugin/replica_wait.h"
#include "nodeplugin/stage_record.h"
#include "nodeplugin/stage_steps.h"

namespace lcsi::node {
namespace {

bool IsSingleNodeMode(int mode) {
  using Mode = csi::v1::VolumeCapability::AccessMode;
  return mode == Mode::SINGLE_NODE_WRITER || mode == Mode::SINGLE_NODE_READER_ONLY ||
         mode == Mode::SINGLE_NODE_SINGLE_WRITER || mode == Mode::SINGLE_NODE_MULTI_WRITER;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// Compares what a previous Stage recorded with what this request wants.
Status CompareStaging(const StageRecord& record, const std::string& volume_id,
                      const VolumeAccess& access, const std::string& staging) {
  if (record.volume_id != volume_id) {
    return AlreadyExists(staging + " already stages volume " + record.volume_id);
  }
  if (record.block != access.block) {
    return AlreadyExists("volume " + volume_id + " is staged as " +
                         (record.block ? "a block device" : "a filesystem") + " at " + staging);
  }
  if (!access.block && !access.fs_type.empty() && access.fs_type != record.fs_type) {
    return AlreadyExists("volume " + volume_id + " is staged with fs_type " + record.fs_type +
                         ", not " + access.fs_type);
  }
  if (record.access_mode != access.mode) {
    return AlreadyExists("volume " + volume_id + " is staged with access mode " +
                         std::to_string(record.access_mode) + ", not " +
                         std::to_string(access.mode));
  }
  if (Sorted(record.mount_flags) != Sorted(access.mount_flags)) {
    return AlreadyExists("volume " + volume_id + " is staged with different mount flags");
  }
  return Status::Ok();
}

}  // namespace

Status NodeService::Stage(const csi::v1::NodeStageVolumeRequest& req) {
  if (req.volume_id().empty()) return InvalidArgument("volume_id is required");
  if (req.staging_target_path().empty()) return InvalidArgument("staging_target_path is required");
  if (!req.has_volume_capability()) return InvalidArgument("volume_capability is required");
  auto access = ParseVolumeAccess(req.volume_capability());
  if (!access.ok()) return access.status();
  auto staging = policy_.Check(req.staging_target_path(), "staging_target_path");
  if (!staging.ok()) return staging.status();
  // volume_context options are reported once the volume is found (NOT_FOUND comes first).
  auto fs_opts = ParseFsOpts(ContextValue(req.volume_context(), config_.driver_name, "fsOpts"));
  auto mount_opts =
      SplitOptionList(ContextValue(req.volume_context(), config_.driver_name, "mountOpts"));
  Status options = fs_opts.status();
  if (auto parsed = ParseMountOptions(mount_opts); options.ok() && !parsed.ok()) {
    options = parsed.status().WithContext("mountOpts");
  }
  std::chrono::milliseconds in_use_wait{0};
  if (auto text = ContextValue(req.volume_context(), config_.driver_name, kInUseWaitKey);
      !text.empty()) {
    auto parsed = ParseDuration(text);
    if (!parsed.ok()) return parsed.status().WithContext(kInUseWaitKey);
    in_use_wait = *parsed;
  }
  auto guard = Lock(req.volume_id());
  if (!guard.ok()) return guard.status();
  const std::string& volume_id = req.volume_id();

  auto record = ReadStageRecord(deps_.files, *staging);
  std::optional<StageRecord> previous;
  if (record.ok()) {
    previous = *record;
  } else {
    spdlog::warn("ignoring unreadable stage record of {}: {}", *staging, record.status().message());
  }
  auto mount = deps_.mounter.FindMount(*staging);
  if (!mount.ok()) return mount.status();

  if (mount->has_value()) {
    LCSI_RETURN_IF_ERROR(options);
    const MountEntry& current = **mount;
    if (access->block) {
      return AlreadyExists(*staging + " has a " + current.fs_type +
                           " filesystem mounted; cannot stage it as a block volume");
    }
    if (previous) return CompareStaging(*previous, volume_id, *access, *staging);
    // Mounted but unrecorded (the record was lost): accept a compatible mount and record it.
    if (!access->fs_type.empty() && current.fs_type != access->fs_type) {
      return AlreadyExists(*staging + " has " + current.fs_type + " mounted, not " +
                           access->fs_type);
    }
    StageRecord adopted{volume_id,           current.source,        false,
                        current.fs_type,     access->fs_type,       access->mode,
                        access->mount_flags, access->read_only_mode};
    return WriteStageRecord(deps_.files, *staging, adopted);
  }
  if (previous && previous->block) {
    // Block staging mounts nothing; the record is the state.
    LCSI_RETURN_IF_ERROR(options);
    return CompareStaging(*previous, volume_id, *access, *staging);
  }
  // Not staged (a record without its mount is stale, e.g. after a reboot): stage now.

  auto device = LocateDevice(volume_id, req.publish_context());
  if (!device.ok()) return device.status();
  ReplicaWaitOptions replica_wait;
  replica_wait.timeout = config_.replica_wait_timeout;
  replica_wait.first_poll = config_.replica_poll_interval;
  replica_wait.single_node = IsSingleNodeMode(access->mode);
  replica_wait.in_use_wait = in_use_wait;
  {
    StageStep step("replica_wait");
    LCSI_RETURN_IF_ERROR(WaitForUsableReplica(deps_.directory, deps_.clock, volume_id,
                                              config_.satellite, replica_wait));
  }
  {
    StageStep step("device_wait");
    LCSI_RETURN_IF_ERROR(WaitForBlockDevice(deps_.devices, deps_.clock, *device,
                                            config_.device_wait_timeout,
                                            config_.device_poll_interval));
  }
  LCSI_RETURN_IF_ERROR(options);
  if (access->block) {
    LCSI_RETURN_IF_ERROR(deps_.files.MkdirAll(ParentDirectory(*staging), kDirectoryMode));
    StageRecord block_record{volume_id, *device,      true, "",
                             "",        access->mode, {},   access->read_only_mode};
    LCSI_RETURN_IF_ERROR(WriteStageRecord(deps_.files, *staging, block_record));
    spdlog::info("staged volume {} as block device {}", volume_id, *device);
    return Status::Ok();
  }
  return StageFilesystem(volume_id, *staging, *device, *access, *fs_opts, mount_opts);
}

Status NodeService::StageFilesystem(const std::string& volume_id, const std::string& staging,
                                    const std::string& device, const VolumeAccess& access,
                                    const std::vector<std::string>& fs_opts,
                                    const std::vector<std::string>& mount_opts) {
  TimedProbe prober(deps_.prober);
  TimedExec exec(deps_.exec);
  auto prepared = PrepareFilesystem(prober, exec, device, access.fs_type, access.read_only_mode,
                                    fs_opts, config_.tool_timeouts);
  if (!prepared.ok()) return prepared.status().WithContext("volume " + volume_id);
  if (!prepared->warning.empty()) spdlog::warn("volume {}: {}", volume_id, prepared->warning);
  if (prepared->formatted) {
    spdlog::info("volume {}: created {} on blank device {}", volume_id, prepared->fs_type, device);
  }

  LCSI_RETURN_IF_ERROR(deps_.files.MkdirAll(staging, kDirectoryMode));
  std::vector<std::string> options = mount_opts;
  options.insert(options.end(), access.mount_flags.begin(), access.mount_flags.end());
  if (access.read_only_mode) options.push_back("ro");
  // Restored snapshots share the source's XFS UUID; without nouuid the second mount on one node
  // fails.
  if (prepared->fs_type == "xfs") options.push_back("nouuid");
  {
    StageStep step("mount");
    LCSI_RETURN_IF_ERROR(deps_.mounter.Mount(device, staging, prepared->fs_type, options));
  }

  StageRecord record{volume_id,
                     device,
                     false,
                     prepared->fs_type,
                     access.fs_type,
                     access.mode,
                     access.mount_flags,
                     access.read_only_mode};
  if (Status s = WriteStageRecord(deps_.files, staging, record); !s.ok()) {
    Status undo = deps_.mounter.Unmount(staging);
    if (!undo.ok()) spdlog::error("cannot undo mount of {}: {}", staging, undo.message());
    return s;
  }
  spdlog::info("staged volume {}: {} ({}) at {}", volume_id, device, prepared->fs_type, staging);
  return Status::Ok();
}

Status NodeService::Unstage(const csi::v1::NodeUnstageVolumeRequest& req) {
  if (req.volume_id().empty()) return InvalidArgument("volume_id is required");
  if (req.staging_target_path().empty()) return InvalidArgument("staging_target_path is required");
  auto staging = policy_.Check(req.staging_target_path(), "staging_target_path");
  if (!staging.ok()) return staging.status();
  auto guard = Lock(req.volume_id());
  if (!guard.ok()) return guard.status();

  LCSI_RETURN_IF_ERROR(UnmountAll(*staging));
  LCSI_RETURN_IF_ERROR(RemoveStageRecord(deps_.files, *staging));
  spdlog::info("unstaged volume {} from {}", req.volume_id(), *staging);
  return Status::Ok();
}

grpc::Status NodeService::NodeStageVolume(grpc::ServerContext*,
                                          const csi::v1::NodeStageVolumeRequest* req,
                                          csi::v1::NodeStageVolumeResponse*) {
  return ToGrpcStatus(Stage(*req));
}

grpc::Status NodeService::NodeUnstageVolume(grpc::ServerContext*,
                                            const csi::v1::NodeUnstageVolumeRequest* req,
                                            csi::v1::NodeUnstageVolumeResponse*) {
  return ToGrpcStatus(Unstage(*req));
}

}  // namespace lcsi::node
