#include "controller/volume_list_cache.h"

namespace lcsi::controller {

VolumeListCache::VolumeListCache(std::chrono::milliseconds ttl, Clock clock)
    : ttl_(ttl), clock_(std::move(clock)) {}

std::chrono::steady_clock::time_point VolumeListCache::Now() const {
  return clock_ ? clock_() : std::chrono::steady_clock::now();
}

std::shared_ptr<const VolumeListCache::Snapshot> VolumeListCache::Fresh() const {
  std::lock_guard l(mu_);
  if (snapshot_ == nullptr || Now() - taken_ >= ttl_) return nullptr;
  return snapshot_;
}

void VolumeListCache::Put(std::shared_ptr<const Snapshot> snapshot) {
  if (ttl_.count() <= 0) return;
  const auto now = Now();
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
