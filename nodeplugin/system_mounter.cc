#include "nodeplugin/system_mounter.h"

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "nodeplugin/mount_options.h"

namespace lcsi::node {
namespace {

// Per-mount flags a bind remount may carry (MS_REMOUNT|MS_BIND changes only these).
constexpr unsigned long kPerMountFlags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME |
                                         MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME;

Status ErrnoStatus(int err, const std::string& what) {
  std::string message = what + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return NotFound(message);
    case EBUSY:
    case EINVAL:
    case EROFS:
      return FailedPrecondition(message);
    case EPERM:
    case EACCES:
      return Status(Code::kPermissionDenied, message);
    default:
      return Internal(message);
  }
}

Result<unsigned long> CurrentPerMountFlags(Mounter& mounter, const std::string& target) {
  auto mount = mounter.FindMount(target);
  if (!mount.ok()) return mount.status();
  if (!mount->has_value()) return FailedPrecondition(target + " is not a mount point");
  auto parsed = ParseMountOptions({(*mount)->mount_options});
  if (!parsed.ok()) return parsed.status();
  return parsed->flags & kPerMountFlags;
}

}  // namespace

SystemMounter::SystemMounter(std::string mountinfo_path)
    : mountinfo_path_(std::move(mountinfo_path)) {}

Status SystemMounter::Mount(const std::string& device, const std::string& target,
                            const std::string& fs_type, const std::vector<std::string>& options) {
  auto parsed = ParseMountOptions(options);
  if (!parsed.ok()) return parsed.status();
  if (::mount(device.c_str(), target.c_str(), fs_type.c_str(), parsed->flags,
              parsed->data.empty() ? nullptr : parsed->data.c_str()) != 0) {
    return ErrnoStatus(errno, "mount " + device + " on " + target + " (" + fs_type + ")");
  }
  return Status::Ok();
}

Status SystemMounter::BindMount(const std::string& source, const std::string& target,
                                const std::vector<std::string>& options) {
  auto parsed = ParseMountOptions(options);
  if (!parsed.ok()) return parsed.status();
  if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0) {
    return ErrnoStatus(errno, "bind mount " + source + " on " + target);
  }
  unsigned long requested = parsed->flags & kPerMountFlags;
  if (requested == 0) return Status::Ok();
  // A bind remount replaces all per-mount flags: keep those the new bind mount inherited,
  // except the atime mode when the caller chose one.
  constexpr unsigned long kAtimeBits = MS_RELATIME | MS_STRICTATIME | MS_NOATIME;
  auto inherited = CurrentPerMountFlags(*this, target);
  unsigned long keep = inherited.ok() ? *inherited : 0;
  if (requested & kAtimeBits) keep &= ~kAtimeBits;
  unsigned long flags = keep | requested;
  if (::mount(nullptr, target.c_str(), nullptr, MS_REMOUNT | MS_BIND | flags, nullptr) != 0) {
    int err = errno;
    ::umount2(target.c_str(), UMOUNT_NOFOLLOW);
    return ErrnoStatus(err, "bind remount " + target);
  }
  return Status::Ok();
}

Status SystemMounter::RemountReadOnly(const std::string& target) {
  auto inherited = CurrentPerMountFlags(*this, target);
  if (!inherited.ok()) return inherited.status();
  if (::mount(nullptr, target.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | *inherited,
              nullptr) != 0) {
    return ErrnoStatus(errno, "remount read-only " + target);
  }
  return Status::Ok();
}

Status SystemMounter::Unmount(const std::string& target) {
  if (::umount2(target.c_str(), UMOUNT_NOFOLLOW) != 0) {
    int err = errno;
    if (err == EINVAL) return FailedPrecondition(target + " is not a mount point");
    return ErrnoStatus(err, "unmount " + target);
  }
  return Status::Ok();
}

Result<std::vector<MountEntry>> SystemMounter::ListMounts() {
  std::ifstream in(mountinfo_path_);
  if (!in) return Internal("cannot read " + mountinfo_path_ + ": " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseMountInfo(buffer.str());
}

}  // namespace lcsi::node
