#include "nodeplugin/device_probe.h"

namespace lcsi::node {

std::string ProbeResult::Describe() const {
  switch (kind) {
    case Kind::kBlank:
      return "no signature (blank)";
    case Kind::kFilesystem:
      if (type == kZfsMember) return "a ZFS pool label (zfs_member)";
      return "an " + type + " filesystem";
    case Kind::kPartitionTable:
      return "a " + pttype + " partition table";
    case Kind::kOtherSignature:
      return "a " + (type.empty() ? std::string("partition or unknown") : type) + " signature" +
             (usage.empty() ? "" : " (" + usage + ")");
    case Kind::kAmbivalent:
      return "several conflicting signatures";
  }
  return "?";
}

ProbeResult ClassifyProbeValues(const std::map<std::string, std::string>& values) {
  auto value = [&](const char* key) {
    auto it = values.find(key);
    return it == values.end() ? std::string() : it->second;
  };
  ProbeResult probe;
  probe.type = value("TYPE");
  probe.usage = value("USAGE");
  probe.pttype = value("PTTYPE");
  if (!probe.pttype.empty()) {
    probe.kind = ProbeResult::Kind::kPartitionTable;
  } else if (!probe.type.empty() && probe.usage == "filesystem") {
    probe.kind = ProbeResult::Kind::kFilesystem;
  } else {
    // The probe recognised something; whatever it is, it is not ours to format.
    probe.kind = ProbeResult::Kind::kOtherSignature;
  }
  return probe;
}

}  // namespace lcsi::node
