#include "controller/volume_list_cache.h"

namespace lcsi::controller {

VolumeListCache::VolumeListCache(std::chrono::milliseconds ttl, Clock& clock)
    : ttl_(ttl), clock_(clock) {}

std::shared_ptr<const VolumeListCache::Snapshot> VolumeListCache::Fresh() const {
  std::lock_guard l(mu_);
  if (snapshot_ == nullptr || clock_.Now() - taken_ >= ttl_) return nullptr;
  return snapshot_;
}

void VolumeListCache::Put(std::shared_ptr<const Snapshot> snapshot) {
  if (ttl_.count() <= 0) return;
  const auto now = clock_.Now();
  std::lock_guard l(mu_);
  snapshot_ = std::move(snapshot);
  taken_ = now;
}

void VolumeListCache::Drop() {
  std::shared_ptr<const Snapshot> old;
  std::lock_guard l(mu_);
  old.swap(snapshot_);
}

}  // namespace lcsi::controller
