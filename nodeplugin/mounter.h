// Mounter: the seam between the Node service and the kernel's mount table.
// The real implementation (SystemMounter) uses mount(2)/umount2(2) and /proc/self/mountinfo,
// never the mount binary; FakeMounter keeps an in-memory table and an action log.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "nodeplugin/mountinfo.h"

namespace lcsi::node {

class Mounter {
 public:
  virtual ~Mounter() = default;

  // Mounts block device `device` with filesystem `fs_type` at directory `target`. `options` are
  // mount(8)-style words (see ParseMountOptions); a bad word is InvalidArgument.
  virtual Status Mount(const std::string& device, const std::string& target,
                       const std::string& fs_type, const std::vector<std::string>& options) = 0;
  // Bind-mounts `source` (directory or device node) onto `target`. Flag words in `options`
  // ("ro", "nosuid", "noatime", ...) are applied with a bind remount, so "ro" is enforced by the
  // kernel; filesystem data words are ignored (they belong to the original mount). If the
  // remount fails the bind mount is undone.
  virtual Status BindMount(const std::string& source, const std::string& target,
                           const std::vector<std::string>& options) = 0;
  // Makes the mount at `target` read-only (bind remount), keeping its other per-mount flags.
  virtual Status RemountReadOnly(const std::string& target) = 0;
  // Unmounts the topmost mount at `target` (no symlink following). Not mounted is
  // FailedPrecondition, a busy mount FailedPrecondition, a missing path NotFound.
  virtual Status Unmount(const std::string& target) = 0;
  // The current mount table, in mountinfo order (later entries are mounted on top).
  virtual Result<std::vector<MountEntry>> ListMounts() = 0;

  // True when something is mounted exactly at `path` (compared as given: pass canonical paths).
  virtual Result<bool> IsMountPoint(const std::string& path);
  // The topmost mount at `path`, if any.
  Result<std::optional<MountEntry>> FindMount(const std::string& path);
};

}  // namespace lcsi::node
