#include "csi/volume_locks.h"

namespace lcsi {

std::optional<VolumeLocks::Guard> VolumeLocks::TryLock(const std::string& key) {
  std::lock_guard lock(mu_);
  if (!held_.insert(key).second) return std::nullopt;
  return Guard(this, key);
}

bool VolumeLocks::IsHeld(const std::string& key) const {
  std::lock_guard lock(mu_);
  return held_.count(key) != 0;
}

size_t VolumeLocks::HeldCount() const {
  std::lock_guard lock(mu_);
  return held_.size();
}

void VolumeLocks::Release(const std::string& key) {
  std::lock_guard lock(mu_);
  held_.erase(key);
}

}  // namespace lcsi
