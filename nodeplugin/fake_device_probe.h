// FakeDeviceProbe: answers scripted probe results per device and records every probe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "nodeplugin/device_probe.h"

namespace lcsi::node {

class FakeDeviceProbe final : public DeviceProbe {
 public:
  // Every later probe of `device` answers `result` (a ProbeResult or an error Status).
  void Set(const std::string& device, Result<ProbeResult> result);
  void SetBlank(const std::string& device) { Set(device, ProbeResult{}); }
  void SetFilesystem(const std::string& device, const std::string& type);

  // A device without a scripted answer is Internal (and recorded).
  Result<ProbeResult> Probe(const std::string& device) override;
  std::vector<std::string> probed() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Result<ProbeResult>> results_;
  std::vector<std::string> probed_;
};

}  // namespace lcsi::node
