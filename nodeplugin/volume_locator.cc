#include "nodeplugin/volume_locator.h"

#include <sys/sysmacros.h>

#include "nodeplugin/stage_record.h"

namespace lcsi::node {

VolumeLocator::VolumeLocator(const PathPolicy& policy, Filesystem& files, Mounter& mounter,
                             SatelliteDirectory& directory, std::string satellite)
    : policy_(policy),
      files_(files),
      mounter_(mounter),
      directory_(directory),
      satellite_(std::move(satellite)) {}

std::optional<std::string> VolumeLocator::RecordedVolume(const VolumeAtPath& at) const {
  if (auto own = ReadStageRecord(files_, at.path); own.ok() && own->has_value()) {
    return (*own)->volume_id;
  }
  if (!at.mount || at.info.IsBlockDevice()) return std::nullopt;
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
    if (auto record = ReadStageRecord(files_, m.mount_point); record.ok() && record->has_value()) {
      return (*record)->volume_id;
    }
  }
  return std::nullopt;
}

Status VolumeLocator::SameDevice(const std::string& volume_id, const std::string& device,
                                 const VolumeAtPath& at) const {
  auto dev = files_.Stat(device);
  const bool dev_known = dev.ok() && dev->has_value() && (*dev)->IsBlockDevice();
  if (at.info.IsBlockDevice()) {
    if (dev_known && (*dev)->device_number == at.info.device_number) return Status::Ok();
    return NotFound("volume_path " + at.path + " is another block device than " + device +
                    " of volume " + volume_id);
  }
  if (!at.mount) return Status::Ok();  // nothing mounted: the caller reports the lost mount
  if (at.mount->source == device) return Status::Ok();
  if (dev_known && (*dev)->device_number == makedev(at.mount->major, at.mount->minor))
    return Status::Ok();
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
    auto info = files_.Stat(at.path);
    if (!info.ok()) return info.status();
    if (info->has_value()) {
      exists = true;
      at.info = **info;
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
