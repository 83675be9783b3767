#include "nodeplugin/mounter.h"

namespace lcsi::node {

Result<bool> Mounter::IsMountPoint(const std::string& path) {
  auto mount = FindMount(path);
  if (!mount.ok()) return mount.status();
  return mount->has_value();
}

Result<std::optional<MountEntry>> Mounter::FindMount(const std::string& path) {
  auto mounts = ListMounts();
  if (!mounts.ok()) return mounts.status();
  std::optional<MountEntry> found;
  for (auto& entry : *mounts) {
    if (entry.mount_point == path) found = std::move(entry);
  }
  return found;
}

}  // namespace lcsi::node
