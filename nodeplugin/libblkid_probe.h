// LibblkidProbe: DeviceProbe on libblkid's low-level probe, in process (no blkid exec). It
// enables the same chains as `blkid -p`: superblocks (type, usage, version, UUID, label) and
// partition tables with entry details, and uses the safe probe, which reports several
// conflicting signatures as ambivalent instead of picking one.
//
// One prober is replaced: libblkid's zfs_member (util-linux 2.38 reads four whole 256 KiB labels
// for their uberblocks) is filtered out, and FindZfsLabel (zfs_label.h) checks the four labels'
// nvlist headers instead, one page each; a hit is reported as libblkid would (TYPE zfs_member,
// USAGE filesystem; ambivalent beside another superblock). The one difference from libblkid
// 2.38: a device whose labels keep uberblocks but no nvlist header (which ZFS cannot import
// either) reads as blank (docs/benchmarks.md, "In-process probe").
//
// A read that hangs in the kernel (a device whose I/O is blocked) blocks the calling thread; an
// exec'd blkid in that state could not be killed either (uninterruptible sleep).
#pragma once

#include "nodeplugin/device_probe.h"

namespace lcsi::node {

class LibblkidProbe final : public DeviceProbe {
 public:
  Result<ProbeResult> Probe(const std::string& device) override;
};

}  // namespace lcsi::node
