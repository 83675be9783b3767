#include "nodeplugin/node_service.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "csi/flags.h"
#include "csi/grpc_status.h"
#include "linstor/drbd_health.h"
#include "nodeplugin/capabilities.h"
#include "nodeplugin/mount_options.h"
#include "nodeplugin/post_mount.h"
#include "nodeplugin/replica_wait.h"
#include "nodeplugin/stage_record.h"
#include "nodeplugin/tool_output.h"

namespace lcsi::node {
namespace {

using csi::v1::NodeServiceCapability;

constexpr int kMaxStackedUnmounts = 8;

std::string ErrnoText() { return std::strerror(errno); }

bool IsSingleNodeMode(int mode) {
  using Mode = csi::v1::VolumeCapability::AccessMode;
  return mode == Mode::SINGLE_NODE_WRITER || mode == Mode::SINGLE_NODE_READER_ONLY ||
         mode == Mode::SINGLE_NODE_SINGLE_WRITER || mode == Mode::SINGLE_NODE_MULTI_WRITER;
}

// Creates `path` and its missing parents (mode 0750). The path was checked by the PathPolicy.
Status MkdirAll(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Status::Ok();
    return FailedPrecondition(path + " exists and is not a directory");
  }
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    std::string prefix = path.substr(0, end);
    if (::mkdir(prefix.c_str(), 0750) != 0 && errno != EEXIST) {
      return Internal("mkdir " + prefix + ": " + ErrnoText());
    }
    pos = end + 1;
  }
  return Status::Ok();
}

std::string ParentOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == 0 ? "/" : path.substr(0, slash);
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

struct PathInfo {
  bool exists = false;
  struct stat st {};
};

Result<PathInfo> Lstat(const std::string& path) {
  PathInfo info;
  if (::lstat(path.c_str(), &info.st) == 0) {
    info.exists = true;
    return info;
  }
  if (errno == ENOENT) return info;
  return Internal("lstat " + path + ": " + ErrnoText());
}

// Device number of the block device node at `path` (following a bind mount or symlink).
std::optional<dev_t> BlockDeviceNumber(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISBLK(st.st_mode)) return std::nullopt;
  return st.st_rdev;
}

template <typename F>
grpc::Status Wrap(F&& fn) {
  return ToGrpcStatus(fn());
}

}  // namespace

std::map<std::string, std::string> TopologySegments(
    const std::string& driver_name, const std::string& satellite,
    const std::map<std::string, std::string>& node_props) {
  std::map<std::string, std::string> segments;
  const std::string prefix = kTopologyPropPrefix;
  for (const auto& [key, value] : node_props) {
    if (key.rfind(prefix, 0) != 0 || key.size() == prefix.size()) continue;
    std::string name = key.substr(prefix.size());
    segments[name.find('/') != std::string::npos ? name : driver_name + "/" + name] = value;
  }
  segments[driver_name + "/node"] = satellite;
  return segments;
}

NodeService::NodeService(NodeServiceConfig config, NodeDependencies deps)
    : config_(std::move(config)),
      deps_(deps),
      policy_(config_.allowed_path_prefixes),
      locator_(policy_, deps_.mounter, deps_.directory, config_.satellite) {}

Result<VolumeLocks::Guard> NodeService::Lock(const std::string& volume_id) {
  auto guard = locks_.TryLock(volume_id);
  if (!guard) return Aborted("an operation on volume " + volume_id + " is already in progress");
  return std::move(*guard);
}

Result<std::string> NodeService::LocateDevice(
    const std::string& volume_id, const google::protobuf::Map<std::string, std::string>& ctx) {
  auto it = ctx.find(kDevicePathKey);
  if (it != ctx.end() && !it->second.empty()) return it->second;
  auto device = deps_.directory.DevicePath(volume_id, config_.satellite);
  if (device.ok()) return device;
  if (device.status().code() == Code::kNotFound) {
    return NotFound("volume " + volume_id + " has no device on satellite " + config_.satellite +
                    " (publish_context has no " + kDevicePathKey +
                    " and LINSTOR says: " + device.status().message() + ")");
  }
  return device.status().WithContext("looking up the device of volume " + volume_id);
}

Status NodeService::UnmountAll(const std::string& path) {
  for (int i = 0; i < kMaxStackedUnmounts; ++i) {
    auto mounted = deps_.mounter.IsMountPoint(path);
    if (!mounted.ok()) return mounted.status();
    if (!*mounted) return Status::Ok();
    LCSI_RETURN_IF_ERROR(deps_.mounter.Unmount(path));
  }
  return Internal(path + " is still mounted after " + std::to_string(kMaxStackedUnmounts) +
                  " unmounts");
}

// ---------------------------------------------------------------- NodeStageVolume

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

  auto record = ReadStageRecord(*staging);
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
    return WriteStageRecord(*staging, adopted);
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
  LCSI_RETURN_IF_ERROR(WaitForUsableReplica(deps_.directory, deps_.clock, volume_id,
                                            config_.satellite, replica_wait));
  LCSI_RETURN_IF_ERROR(WaitForBlockDevice(deps_.devices, deps_.clock, *device,
                                          config_.device_wait_timeout,
                                          config_.device_poll_interval));
  LCSI_RETURN_IF_ERROR(options);
  if (access->block) {
    LCSI_RETURN_IF_ERROR(MkdirAll(ParentOf(*staging)));
    StageRecord block_record{volume_id, *device,      true, "",
                             "",        access->mode, {},   access->read_only_mode};
    LCSI_RETURN_IF_ERROR(WriteStageRecord(*staging, block_record));
    spdlog::info("staged volume {} as block device {}", volume_id, *device);
    return Status::Ok();
  }
  return StageFilesystem(volume_id, *staging, *device, *access, *fs_opts, mount_opts);
}

Status NodeService::StageFilesystem(const std::string& volume_id, const std::string& staging,
                                    const std::string& device, const VolumeAccess& access,
                                    const std::vector<std::string>& fs_opts,
                                    const std::vector<std::string>& mount_opts) {
  auto prepared = PrepareFilesystem(deps_.prober, deps_.exec, device, access.fs_type,
                                    access.read_only_mode, fs_opts, config_.tool_timeouts);
  if (!prepared.ok()) return prepared.status().WithContext("volume " + volume_id);
  if (!prepared->warning.empty()) spdlog::warn("volume {}: {}", volume_id, prepared->warning);
  if (prepared->formatted) {
    spdlog::info("volume {}: created {} on blank device {}", volume_id, prepared->fs_type, device);
  }

  LCSI_RETURN_IF_ERROR(MkdirAll(staging));
  std::vector<std::string> options = mount_opts;
  options.insert(options.end(), access.mount_flags.begin(), access.mount_flags.end());
  if (access.read_only_mode) options.push_back("ro");
  // Restored snapshots share the source's XFS UUID; without nouuid the second mount on one node
  // fails.
  if (prepared->fs_type == "xfs") options.push_back("nouuid");
  LCSI_RETURN_IF_ERROR(deps_.mounter.Mount(device, staging, prepared->fs_type, options));

  StageRecord record{volume_id,
                     device,
                     false,
                     prepared->fs_type,
                     access.fs_type,
                     access.mode,
                     access.mount_flags,
                     access.read_only_mode};
  if (Status s = WriteStageRecord(staging, record); !s.ok()) {
    Status undo = deps_.mounter.Unmount(staging);
    if (!undo.ok()) spdlog::error("cannot undo mount of {}: {}", staging, undo.message());
    return s;
  }
  spdlog::info("staged volume {}: {} ({}) at {}", volume_id, device, prepared->fs_type, staging);
  return Status::Ok();
}

// ---------------------------------------------------------------- NodeUnstageVolume

Status NodeService::Unstage(const csi::v1::NodeUnstageVolumeRequest& req) {
  if (req.volume_id().empty()) return InvalidArgument("volume_id is required");
  if (req.staging_target_path().empty()) return InvalidArgument("staging_target_path is required");
  auto staging = policy_.Check(req.staging_target_path(), "staging_target_path");
  if (!staging.ok()) return staging.status();
  auto guard = Lock(req.volume_id());
  if (!guard.ok()) return guard.status();

  LCSI_RETURN_IF_ERROR(UnmountAll(*staging));
  LCSI_RETURN_IF_ERROR(RemoveStageRecord(*staging));
  spdlog::info("unstaged volume {} from {}", req.volume_id(), *staging);
  return Status::Ok();
}

// ---------------------------------------------------------------- NodePublishVolume

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
  if (auto record = ReadStageRecord(staging);
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

  auto before = Lstat(target);
  if (!before.ok()) return before.status();
  if (before->exists && !S_ISDIR(before->st.st_mode)) {
    return FailedPrecondition("target_path " + target + " exists and is not a directory");
  }
  LCSI_RETURN_IF_ERROR(MkdirAll(target));
  std::vector<std::string> options = access.mount_flags;
  if (read_only) options.push_back("ro");
  Status bound = deps_.mounter.BindMount(staging, target, options);
  if (!bound.ok()) {
    if (!before->exists) ::rmdir(target.c_str());
    return bound;
  }
  // linstor-csi's postMountXfsOpts (xfs only; a read-only mount cannot take attributes). On
  // failure the publish is undone, so that a retry runs it again.
  const std::string xfs_opts =
      ContextValue(req.volume_context(), config_.driver_name, "postMountXfsOpts");
  if (!xfs_opts.empty() && source.fs_type == "xfs" && !read_only) {
    Status ran = RunPostMountXfsOpts(deps_.exec, xfs_opts, target);
    if (!ran.ok()) {
      if (deps_.mounter.Unmount(target).ok() && !before->exists) ::rmdir(target.c_str());
      return ran;
    }
  }
  return Status::Ok();
}

Status NodeService::PublishBlock(const csi::v1::NodePublishVolumeRequest& req,
                                 const std::string& staging, const std::string& target,
                                 bool read_only) {
  auto record = ReadStageRecord(staging);
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
    auto published = BlockDeviceNumber(target);
    if (!published || published != BlockDeviceNumber(device)) {
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

  auto before = Lstat(target);
  if (!before.ok()) return before.status();
  if (before->exists && !S_ISREG(before->st.st_mode)) {
    return FailedPrecondition("target_path " + target +
                              " exists and is not a regular file (block volumes are published "
                              "on a file)");
  }
  if (!before->exists) {
    LCSI_RETURN_IF_ERROR(MkdirAll(ParentOf(target)));
    int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (fd < 0) return Internal("create " + target + ": " + ErrnoText());
    ::close(fd);
  }
  Status bound = deps_.mounter.BindMount(
      device, target, read_only ? std::vector<std::string>{"ro"} : std::vector<std::string>{});
  if (!bound.ok()) {
    if (!before->exists) ::unlink(target.c_str());
    return bound;
  }
  return Status::Ok();
}

Result<std::string> NodeService::OtherBlockPublish(const std::string& device,
                                                   const std::string& target) {
  auto device_number = BlockDeviceNumber(device);
  if (!device_number) return std::string();
  auto mounts = deps_.mounter.ListMounts();
  if (!mounts.ok()) return mounts.status();
  for (const auto& m : *mounts) {
    // A published block volume is a device node bind-mounted below an allowed prefix; device
    // nodes live on devtmpfs or tmpfs, whose stat never blocks (unlike a hung network mount).
    if (m.mount_point == target || (m.fs_type != "devtmpfs" && m.fs_type != "tmpfs")) continue;
    bool ours = false;
    for (const auto& prefix : policy_.prefixes()) ours = ours || IsUnder(m.mount_point, prefix);
    if (ours && BlockDeviceNumber(m.mount_point) == device_number) return m.mount_point;
  }
  return std::string();
}

// ---------------------------------------------------------------- NodeUnpublishVolume

Status NodeService::Unpublish(const csi::v1::NodeUnpublishVolumeRequest& req) {
  if (req.volume_id().empty()) return InvalidArgument("volume_id is required");
  if (req.target_path().empty()) return InvalidArgument("target_path is required");
  auto target = policy_.Check(req.target_path(), "target_path");
  if (!target.ok()) return target.status();
  auto guard = Lock(req.volume_id());
  if (!guard.ok()) return guard.status();

  LCSI_RETURN_IF_ERROR(UnmountAll(*target));
  auto info = Lstat(*target);
  if (!info.ok()) return info.status();
  if (!info->exists) return Status::Ok();
  if (S_ISDIR(info->st.st_mode)) {
    if (::rmdir(target->c_str()) != 0 && errno != ENOENT) {
      return FailedPrecondition("cannot remove " + *target + " after unmounting: " + ErrnoText());
    }
  } else if (S_ISREG(info->st.st_mode) && info->st.st_size == 0) {
    if (::unlink(target->c_str()) != 0 && errno != ENOENT) {
      return Internal("cannot remove " + *target + ": " + ErrnoText());
    }
  } else {
    return FailedPrecondition(*target + " is not a directory or an empty file; not removing it");
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- NodeGetVolumeStats

Result<csi::v1::NodeGetVolumeStatsResponse> NodeService::GetVolumeStats(
    const csi::v1::NodeGetVolumeStatsRequest& req) {
  if (req.volume_id().empty()) return InvalidArgument("volume_id is required");
  if (req.volume_path().empty()) return InvalidArgument("volume_path is required");
  // The spec's one error here is NOT_FOUND: the volume is not at volume_path (a relative or
  // refused path cannot hold one either).
  auto located = locator_.Locate(req.volume_id(), req.volume_path(), Code::kNotFound);
  if (!located.ok()) return located.status();
  const std::string* path = &located->path;
  const struct stat& st = located->st;

  csi::v1::NodeGetVolumeStatsResponse resp;
  auto* condition = resp.mutable_volume_condition();
  if (S_ISBLK(st.st_mode)) {
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
  struct statfs fs;
  if (::statfs(path->c_str(), &fs) != 0) return Internal("statfs " + *path + ": " + ErrnoText());
  int64_t block = static_cast<int64_t>(fs.f_frsize ? fs.f_frsize : fs.f_bsize);
  bytes->set_total(static_cast<int64_t>(fs.f_blocks) * block);
  bytes->set_available(static_cast<int64_t>(fs.f_bavail) * block);
  bytes->set_used(static_cast<int64_t>(fs.f_blocks - fs.f_bfree) * block);
  inodes->set_total(static_cast<int64_t>(fs.f_files));
  inodes->set_available(static_cast<int64_t>(fs.f_ffree));
  inodes->set_used(static_cast<int64_t>(fs.f_files - fs.f_ffree));

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

// ---------------------------------------------------------------- NodeExpandVolume

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
  const struct stat& st = located->st;
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

  if (S_ISBLK(st.st_mode) || (access && access->block)) {
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

// ---------------------------------------------------------------- NodeGetInfo

Result<csi::v1::NodeGetInfoResponse> NodeService::GetInfo() {
  LCSI_RETURN_IF_ERROR(deps_.satellite_check.Check());
  auto props = deps_.directory.SatelliteProps(config_.satellite);
  if (!props.ok()) {
    return props.status().WithContext("reading LINSTOR node " + config_.satellite);
  }
  csi::v1::NodeGetInfoResponse resp;
  resp.set_node_id(config_.satellite);
  if (config_.max_volumes_per_node > 0) {
    resp.set_max_volumes_per_node(config_.max_volumes_per_node);
  }
  auto* segments = resp.mutable_accessible_topology()->mutable_segments();
  for (const auto& [key, value] :
       TopologySegments(config_.driver_name, config_.satellite, *props)) {
    (*segments)[key] = value;
  }
  return resp;
}

// ---------------------------------------------------------------- gRPC wrappers

grpc::Status NodeService::NodeStageVolume(grpc::ServerContext*,
                                          const csi::v1::NodeStageVolumeRequest* req,
                                          csi::v1::NodeStageVolumeResponse*) {
  return Wrap([&] { return Stage(*req); });
}

grpc::Status NodeService::NodeUnstageVolume(grpc::ServerContext*,
                                            const csi::v1::NodeUnstageVolumeRequest* req,
                                            csi::v1::NodeUnstageVolumeResponse*) {
  return Wrap([&] { return Unstage(*req); });
}

grpc::Status NodeService::NodePublishVolume(grpc::ServerContext*,
                                            const csi::v1::NodePublishVolumeRequest* req,
                                            csi::v1::NodePublishVolumeResponse*) {
  return Wrap([&] { return Publish(*req); });
}

grpc::Status NodeService::NodeUnpublishVolume(grpc::ServerContext*,
                                              const csi::v1::NodeUnpublishVolumeRequest* req,
                                              csi::v1::NodeUnpublishVolumeResponse*) {
  return Wrap([&] { return Unpublish(*req); });
}

grpc::Status NodeService::NodeGetVolumeStats(grpc::ServerContext*,
                                             const csi::v1::NodeGetVolumeStatsRequest* req,
                                             csi::v1::NodeGetVolumeStatsResponse* resp) {
  auto result = GetVolumeStats(*req);
  if (!result.ok()) return ToGrpcStatus(result.status());
  *resp = std::move(result).value();
  return grpc::Status::OK;
}

grpc::Status NodeService::NodeExpandVolume(grpc::ServerContext*,
                                           const csi::v1::NodeExpandVolumeRequest* req,
                                           csi::v1::NodeExpandVolumeResponse* resp) {
  auto result = Expand(*req);
  if (!result.ok()) return ToGrpcStatus(result.status());
  *resp = std::move(result).value();
  return grpc::Status::OK;
}

grpc::Status NodeService::NodeGetCapabilities(grpc::ServerContext*,
                                              const csi::v1::NodeGetCapabilitiesRequest*,
                                              csi::v1::NodeGetCapabilitiesResponse* resp) {
  for (auto type :
       {NodeServiceCapability::RPC::STAGE_UNSTAGE_VOLUME,
        NodeServiceCapability::RPC::GET_VOLUME_STATS, NodeServiceCapability::RPC::EXPAND_VOLUME,
        NodeServiceCapability::RPC::VOLUME_CONDITION,
        NodeServiceCapability::RPC::SINGLE_NODE_MULTI_WRITER}) {
    resp->add_capabilities()->mutable_rpc()->set_type(type);
  }
  return grpc::Status::OK;
}

grpc::Status NodeService::NodeGetInfo(grpc::ServerContext*, const csi::v1::NodeGetInfoRequest*,
                                      csi::v1::NodeGetInfoResponse* resp) {
  auto result = GetInfo();
  if (!result.ok()) return ToGrpcStatus(result.status());
  *resp = std::move(result).value();
  return grpc::Status::OK;
}

}  // namespace lcsi::node
