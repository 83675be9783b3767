// ZFS label check of the node's probe, in place of libblkid's zfs_member prober (LibblkidProbe
// filters that prober out: in util-linux 2.38 it reads four whole 256 KiB labels to scan their
// uberblock rings, 1-3 ms of a cold probe; docs/benchmarks.md, "A cheaper probe").
//
// Layout, as OpenZFS writes it (learned from github.com/openzfs/zfs):
//  - include/sys/vdev_impl.h, vdev_label_t: a label is 256 KiB: 8 KiB pad, 8 KiB boot
//    environment block, then vdev_phys_t (112 KiB) whose vp_nvlist holds the packed label nvlist,
//    then the 128 KiB uberblock ring. VDEV_LABELS = 4.
//  - module/zfs/vdev_label.c, vdev_label_offset(): labels 0 and 1 at 0 and 256 KiB, labels 2
//    and 3 in the last 512 KiB of the device size aligned down to 256 KiB (callers align it with
//    P2ALIGN_TYPED(size, sizeof (vdev_label_t)), e.g. lib/libzutil/zutil_import.c,
//    zpool_read_label_slow(), which imports by unpacking each label's vp_nvlist).
//  - module/zfs/vdev_label.c, vdev_label_init() and vdev_label_sync(): the label nvlist is packed
//    with nvlist_pack(..., NV_ENCODE_XDR).
//  - module/nvpair/nvpair.c, nvlist_common(): a packed nvlist starts with nvs_header_t
//    {nvh_encoding, nvh_endian (1 little, 0 big), 0, 0}; nvs_xdr_nvlist() then encodes
//    nvl_version and nvl_nvflag as two big-endian XDR ints (include/sys/nvpair.h: NV_VERSION 0,
//    NV_UNIQUE_NAME 1, NV_UNIQUE_NAME_TYPE 2; labels are allocated with NV_UNIQUE_NAME).
//
// A device counts as a ZFS member when any of the four labels begins its nvlist with that
// 12-byte header. This follows util-linux 2.41 ("libblkid: zfs: Use nvlist for detection instead
// of Uber blocks"), which detects ZFS by the label nvlist, as ZFS itself does when it imports,
// rather than by uberblocks.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>

#include "base/status.h"

namespace lcsi::node {

inline constexpr int kZfsLabels = 4;
inline constexpr int64_t kZfsLabelSize = 256 << 10;
// vl_pad1 (8 KiB) + vl_be (8 KiB): where vdev_phys_t, and so the nvlist, starts in a label.
inline constexpr int64_t kZfsNvlistOffsetInLabel = 16 << 10;
// Each label's check reads one page at its nvlist start (the header needs 12 bytes).
inline constexpr int64_t kZfsLabelReadSize = 4096;

// Where label `label` (0-3) of a device of `device_size` bytes starts its nvlist, or nullopt when
// the label cannot be there: its page would not fit on the device, or (labels 2 and 3) the
// aligned size holds fewer than four labels, so ZFS could not have placed them.
std::optional<int64_t> ZfsNvlistOffset(int64_t device_size, int label);

// Whether `bytes` starts with the header of an XDR-packed nvlist as ZFS writes it in a label:
// encoding 1, endian 0 or 1, two zero bytes, version 0 and nvflag 1 or 2 (big-endian).
bool IsZfsNvlistHeader(std::string_view bytes);

struct ZfsLabelScan {
  bool found = false;
  int label = -1;       // the first label that carries the header
  int64_t offset = -1;  // its nvlist's byte offset on the device
};

// Reads exactly `buffer.size()` bytes at `offset`, or fails.
using BlockReader = std::function<Status(int64_t offset, std::span<char> buffer)>;

// Reads each label position that fits on the device (one page each, labels 0 to 3) and stops at
// the first that carries the header.
Result<ZfsLabelScan> FindZfsLabel(int64_t device_size, const BlockReader& read);

// BlockReader over an open device: pread of whole pages, through the page cache.
BlockReader PreadReader(int fd);

}  // namespace lcsi::node
