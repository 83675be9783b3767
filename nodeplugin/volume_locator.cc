#include "nodeplugin/volume_locator.h"

#include <sys/sysmacros.h>

#include <cerrno>
#include <cstring>

#include "nodeplugin/stage_record.h"

namespace lcsi::node {

VolumeLocator::VolumeLocator(const PathPolicy& policy, Mounter& mounter,
                             SatelliteDirectory& directory, std::string satellite)
    : policy_(policy), mounter_(mounter), directory_(directory), satellite_(std::move(satellite)) {}

std::optional<std::string> VolumeLocator::RecordedVolume(const VolumeAtPath& at) const {
  if (auto own = ReadStageRecord(at.path); own.ok() && own->has_value()) {
    return (*own)->volume_id;
  }
  if (!at.mount || S_ISBLK(at.st.st_mode)) return std::nullopt;
  // A published path is a bind of the staging mount: same device, same root.
  auto mounts = mounter_.ListMounts();
  if (!mounts.ok()) return std::nullopt;
  for (const auto& m : *mounts) {
    if (m.major != at.mount->major || m.minor != at.mount->minor || m.root != at.mount->root ||
        m.mount_point == at.path) {
      continue;
    }
    bool ours = false;
    for (const auto& prefix : policy_.prefixes()) ours = ours || IsUnder(m.mount_point, prefix);
    if (!ours) continue;
    if (auto record = ReadStageRecord(m.mount_point); record.ok() && record->has_value()) {
      return (*record)->volume_id;
    }
  }
  return std::nullopt;
}

Status VolumeLocator::SameDevice(const std::string& volume_id, const std::string& device,
                                 const VolumeAtPath& at) const {
  struct stat dev {};
  const bool dev_known = ::stat(device.c_str(), &dev) == 0 && S_ISBLK(dev.st_mode);
  if (S_ISBLK(at.st.st_mode)) {
    if (dev_known && dev.st_rdev == at.st.st_rdev) return Status::Ok();
    return NotFound("volume_path " + at.path + " is another block device than " + device +
                    " of volume " + volume_id);
  }
  if (!at.mount) return Status::Ok();  // nothing mounted: the caller reports the lost mount
  if (at.mount->source == device) return Status::Ok();
  if (dev_known && dev.st_rdev == makedev(at.mount->major, at.mount->minor)) return Status::Ok();
  return NotFound("volume_path " + at.path + " has " + at.mount->source + " mounted, not " +
                  device + " of volume " + volume_id);
}

Result<VolumeAtPath> VolumeLocator::Locate(const std::string& volume_id, const std::string& path,
                                           Code bad_path_code) const {
  VolumeAtPath at;
  auto checked = policy_.Check(path, "volume_path");
  bool exists = false;
  if (checked.ok()) {
    at.path = *checked;
    if (::stat(at.path.c_str(), &at.st) == 0) {
      exists = true;
    } else if (errno != ENOENT && errno != ENOTDIR) {
      return Internal("stat " + at.path + ": " + std::strerror(errno));
    }
  }
  if (exists) {
    auto mount = mounter_.FindMount(at.path);
    if (!mount.ok()) return mount.status();
    at.mount = std::move(*mount);
    if (auto recorded = RecordedVolume(at)) {
      if (*recorded == volume_id) return at;
      return NotFound("volume_path " + at.path + " holds volume " + *recorded + ", not " +
                      volume_id);
    }
  }

  auto device = directory_.DevicePath(volume_id, satellite_);
  if (!device.ok()) {
    if (device.status().code() == Code::kNotFound) {
      return NotFound("volume " + volume_id + " is not on this node (satellite " + satellite_ +
                      " has no resource of it: " + device.status().message() + ")");
    }
    return device.status().WithContext("looking up volume " + volume_id);
  }
  if (!checked.ok()) return Status(bad_path_code, checked.status().message());
  if (!exists) return NotFound("volume_path " + at.path + " does not exist");
  LCSI_RETURN_IF_ERROR(SameDevice(volume_id, *device, at));
  return at;
}

}  // namespace lcsi::node
