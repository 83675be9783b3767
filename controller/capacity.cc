#include "controller/capacity.h"

#include <algorithm>
#include <limits>
#include <string>

namespace lcsi::controller {

namespace {

int64_t CeilKib(int64_t bytes) { return bytes / kKiB + (bytes % kKiB != 0 ? 1 : 0); }

}  // namespace

Result<int64_t> SizeKibForRange(const csi::v1::CapacityRange* range, int64_t default_kib,
                                int64_t minimum_kib) {
  const int64_t required = range != nullptr ? range->required_bytes() : 0;
  const int64_t limit = range != nullptr ? range->limit_bytes() : 0;
  if (required < 0 || limit < 0) {
    return InvalidArgument("capacity_range: required_bytes and limit_bytes must not be negative");
  }
  if (limit > 0 && required > limit) {
    return OutOfRange("capacity_range: required_bytes " + std::to_string(required) +
                      " exceeds limit_bytes " + std::to_string(limit));
  }
  int64_t kib;
  if (required == 0) {
    kib = std::max(default_kib, minimum_kib);
    if (limit > 0) kib = std::max(std::min(kib, limit / kKiB), minimum_kib);
  } else {
    kib = std::max(CeilKib(required), minimum_kib);
  }
  if (kib <= 0) {
    return OutOfRange("capacity_range: limit_bytes " + std::to_string(limit) +
                      " is smaller than the 1 KiB granularity");
  }
  if (limit > 0 && kib > limit / kKiB) {
    return OutOfRange(
        "capacity_range: the volume needs " + std::to_string(kib * kKiB) +
        " bytes (1 KiB granularity" +
        (minimum_kib > 0 ? ", source size " + std::to_string(minimum_kib * kKiB) : std::string()) +
        ") but limit_bytes is " + std::to_string(limit));
  }
  if (kib > std::numeric_limits<int64_t>::max() / kKiB) {
    return OutOfRange("capacity_range: size too large");
  }
  return kib;
}

Result<int64_t> SizeKibForFilesystem(const csi::v1::CapacityRange* range, int64_t default_kib,
                                     const std::string& fs_type, int64_t fs_min_kib) {
  const int64_t limit = range != nullptr ? range->limit_bytes() : 0;
  if (fs_min_kib > 0 && limit > 0 && limit / kKiB < fs_min_kib) {
    return OutOfRange("capacity_range: limit_bytes " + std::to_string(limit) +
                      " is below the smallest " + fs_type + " filesystem, " +
                      std::to_string(fs_min_kib * kKiB) + " bytes (mkfs." + fs_type +
                      " refuses smaller devices); allow at least that much or use another "
                      "filesystem");
  }
  return SizeKibForRange(range, default_kib, fs_min_kib);
}

bool SizeSatisfies(const csi::v1::CapacityRange* range, int64_t size_kib) {
  if (range == nullptr) return true;
  const int64_t bytes = KibToBytes(size_kib);
  if (range->required_bytes() > 0 && bytes < range->required_bytes()) return false;
  if (range->limit_bytes() > 0 && bytes > range->limit_bytes()) return false;
  return true;
}

int64_t KibToBytes(int64_t kib) { return kib * kKiB; }

}  // namespace lcsi::controller
