// Loop devices and sparse files for the simulator's --backing=loop mode (root only).
// All functions are synchronous and report failures as Status; none throws.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace lcsi::sim {

// Attaches `file` to a free loop device (LOOP_CTL_GET_FREE + LOOP_CONFIGURE, falling back
// to LOOP_SET_FD + LOOP_SET_STATUS64); returns "/dev/loopN". Retries when another process
// takes the same free device first.
Result<std::string> AttachLoop(const std::string& file);

// LOOP_CLR_FD. When the device is still open elsewhere the kernel detaches it on last close.
Status DetachLoop(const std::string& device);

// Clears LO_FLAGS_AUTOCLEAR (set by a lazy detach of a busy device) so the device stays.
Status KeepLoopAttached(const std::string& device);

// LOOP_SET_CAPACITY: the device picks up the backing file's new size.
Status RefreshLoopCapacity(const std::string& device);

// Writes the device's dirty page cache into the backing file (fsync of the block device).
Status FlushLoop(const std::string& device);

// Drops the device's page cache (BLKFLSBUF) after its backing file was rewritten.
Status InvalidateLoopCache(const std::string& device);

// The backing file of a loop device per sysfs ("" when unattached or unknown).
std::string LoopBackingFile(const std::string& device);

// Loop devices whose backing file lies under `dir` (absolute, canonical).
std::vector<std::string> LoopDevicesUnder(const std::string& dir);

// Creates or truncates `path` to a sparse file of `size_bytes`.
Status CreateSparseFile(const std::string& path, int64_t size_bytes);

// Grows `path` to `size_bytes` (never shrinks).
Status GrowFile(const std::string& path, int64_t size_bytes);

// Makes `dst` hold `src`'s bytes (size = src's size): tries a reflink (FICLONE), else
// copies only the data extents (SEEK_DATA/SEEK_HOLE + copy_file_range), keeping holes.
// `dst` may exist and be attached to a loop device; its old content is discarded.
Status CopySparse(const std::string& src, const std::string& dst);

}  // namespace lcsi::sim
