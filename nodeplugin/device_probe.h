// DeviceProbe: the seam that tells what a block device holds before the node decides to format
// it. LibblkidProbe (libblkid_probe.h) is the real one, FakeDeviceProbe (fake_device_probe.h)
// answers scripted results. ClassifyProbeValues turns the probe's NAME=value pairs into the
// few kinds the format decision needs.
#pragma once

#include <map>
#include <string>

#include "base/status.h"

namespace lcsi::node {

// libblkid's TYPE for a ZFS pool member (LibblkidProbe reports its own ZFS label check so).
inline constexpr char kZfsMember[] = "zfs_member";

struct ProbeResult {
  enum class Kind {
    kBlank,           // no signature found
    kFilesystem,      // USAGE=filesystem with a TYPE
    kPartitionTable,  // PTTYPE present (dos, gpt, ...)
    kOtherSignature,  // RAID member, LUKS, swap, LVM PV, a partition entry, ...
    kAmbivalent,      // several conflicting signatures
  };
  Kind kind = Kind::kBlank;
  std::string type;    // TYPE
  std::string usage;   // USAGE
  std::string pttype;  // PTTYPE

  // "no signature (blank)", "an ext4 filesystem", "a dos partition table", "a ZFS pool label
  // (zfs_member)", ...
  std::string Describe() const;
};

class DeviceProbe {
 public:
  virtual ~DeviceProbe() = default;
  // Low-level probe of `device` for superblocks and partition tables, bypassing any cache (what
  // `blkid -p` does). NotFound when the device does not exist; Internal when it cannot be read.
  virtual Result<ProbeResult> Probe(const std::string& device) = 0;
};

// The kind for a probe that found something: a partition table wins, then a filesystem (USAGE
// filesystem with a TYPE); anything else recognised (even a bare partition entry) is "other".
ProbeResult ClassifyProbeValues(const std::map<std::string, std::string>& values);

}  // namespace lcsi::node
