// LibblkidProbe: DeviceProbe on libblkid's low-level probe, in process (no blkid exec). It
// enables the same chains as `blkid -p`: superblocks (type, usage, version, UUID, label) and
// partition tables with entry details, and uses the safe probe, which reports several
// conflicting signatures as ambivalent instead of picking one.
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
