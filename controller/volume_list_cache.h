// The last full ListVolumes read. A listing's first page (no starting_token) reads LINSTOR once
// (owned resource definitions, their resources, the nodes) and keeps the finished entries here;
// the pages that follow (a starting_token) are cut from that read while it is younger than the
// TTL. Paging through N volumes thus costs LINSTOR one full read instead of one per page.
// Pages stay stable either way (a token names the last volume id returned); a continued listing
// does not see changes younger than the TTL, the next listing (no token) does.
// Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"

namespace lcsi::controller {

class VolumeListCache {
 public:
  struct Snapshot {
    std::vector<std::string> keys;     // volume ids, sorted ascending, unique
    std::vector<std::string> entries;  // serialized csi.v1.ListVolumesResponse.Entry, same order
  };

  // ttl 0 disables the cache. The age of the kept read is measured on `clock`.
  explicit VolumeListCache(std::chrono::milliseconds ttl, Clock& clock = SystemClock::Instance());

  // The kept read, or nullptr when there is none or it is older than the TTL.
  std::shared_ptr<const Snapshot> Fresh() const;
  void Put(std::shared_ptr<const Snapshot> snapshot);
  // Forgets the kept read (its listing reached the last page), so an idle controller does not
  // hold it.
  void Drop();

 private:
  const std::chrono::milliseconds ttl_;
  Clock& clock_;
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> snapshot_;
  Clock::TimePoint taken_{};
};

}  // namespace lcsi::controller
