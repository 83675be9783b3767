// CapacityRange arithmetic. LINSTOR sizes volume definitions in KiB, so the plugin's
// granularity is 1 KiB: a request rounds up to the next KiB and never past limit_bytes.
#pragma once

#include <cstdint>
#include <string>

#include "csi/csi.pb.h"
#include "base/status.h"

namespace lcsi::controller {

inline constexpr int64_t kKiB = 1024;
inline constexpr int64_t kDefaultVolumeSizeKib = 1024 * 1024;  // 1 GiB

// The size (KiB) to create for `range` (nullptr = no range given).
//  - required and limit unset: `default_kib`, capped by nothing;
//  - only limit set: min(default_kib, limit rounded down to KiB);
//  - otherwise required rounded up to KiB, at least `minimum_kib` (e.g. the size of a source
//    snapshot), and never more than limit.
// Negative values: InvalidArgument. A range that cannot be met: OutOfRange.
Result<int64_t> SizeKibForRange(const csi::v1::CapacityRange* range, int64_t default_kib,
                                int64_t minimum_kib = 0);

// The size (KiB) of a new empty volume that will hold a filesystem of at least `fs_min_kib`
// (0: none): SizeKibForRange, rounded up to that minimum when the range allows it, else
// OutOfRange naming the minimum and `fs_type`.
Result<int64_t> SizeKibForFilesystem(const csi::v1::CapacityRange* range, int64_t default_kib,
                                     const std::string& fs_type, int64_t fs_min_kib);

// True when an existing volume of `size_kib` satisfies `range` (idempotent CreateVolume).
bool SizeSatisfies(const csi::v1::CapacityRange* range, int64_t size_kib);

int64_t KibToBytes(int64_t kib);

}  // namespace lcsi::controller
