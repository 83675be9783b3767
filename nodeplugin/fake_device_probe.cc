#include "nodeplugin/fake_device_probe.h"

namespace lcsi::node {

void FakeDeviceProbe::Set(const std::string& device, Result<ProbeResult> result) {
  std::lock_guard lock(mu_);
  results_.insert_or_assign(device, std::move(result));
}

void FakeDeviceProbe::SetFilesystem(const std::string& device, const std::string& type) {
  Set(device, ClassifyProbeValues({{"TYPE", type}, {"USAGE", "filesystem"}}));
}

Result<ProbeResult> FakeDeviceProbe::Probe(const std::string& device) {
  std::lock_guard lock(mu_);
  probed_.push_back(device);
  auto it = results_.find(device);
  if (it == results_.end()) return Internal("FakeDeviceProbe: unexpected probe of " + device);
  return it->second;
}

std::vector<std::string> FakeDeviceProbe::probed() const {
  std::lock_guard lock(mu_);
  return probed_;
}

}  // namespace lcsi::node
