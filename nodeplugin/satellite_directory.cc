#include "nodeplugin/satellite_directory.h"

namespace lcsi::node {

void FakeSatelliteDirectory::AddSatellite(const std::string& name,
                                          std::map<std::string, std::string> props) {
  std::lock_guard lock(mu_);
  satellites_[name] = std::move(props);
}

void FakeSatelliteDirectory::SetDevicePath(const std::string& resource,
                                           const std::string& satellite,
                                           const std::string& device) {
  std::lock_guard lock(mu_);
  devices_[{resource, satellite}] = device;
}

void FakeSatelliteDirectory::SetResources(const std::string& resource,
                                          std::vector<linstor::Resource> resources) {
  std::lock_guard lock(mu_);
  resources_[resource] = std::move(resources);
}

void FakeSatelliteDirectory::SetOnline(const std::string& satellite, bool online) {
  std::lock_guard lock(mu_);
  offline_[satellite] = !online;
}

int FakeSatelliteDirectory::resource_reads() const {
  std::lock_guard lock(mu_);
  return resource_reads_;
}

void FakeSatelliteDirectory::SetFailure(Status status) {
  std::lock_guard lock(mu_);
  failure_ = std::move(status);
}

void FakeSatelliteDirectory::SetVersionStatus(Status status) {
  std::lock_guard lock(mu_);
  version_status_ = std::move(status);
}

Status FakeSatelliteDirectory::CheckLinstorVersion() {
  std::lock_guard lock(mu_);
  ++calls_;
  if (!failure_.ok()) return failure_;
  return version_status_;
}

int FakeSatelliteDirectory::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

Result<std::vector<std::string>> FakeSatelliteDirectory::ListSatellites() {
  std::lock_guard lock(mu_);
  ++calls_;
  if (!failure_.ok()) return failure_;
  std::vector<std::string> names;
  for (const auto& [name, props] : satellites_) names.push_back(name);
  return names;
}

Result<std::map<std::string, std::string>> FakeSatelliteDirectory::SatelliteProps(
    const std::string& satellite) {
  std::lock_guard lock(mu_);
  ++calls_;
  if (!failure_.ok()) return failure_;
  auto it = satellites_.find(satellite);
  if (it == satellites_.end()) return NotFound("node '" + satellite + "' not found");
  return it->second;
}

Result<std::string> FakeSatelliteDirectory::DevicePath(const std::string& resource,
                                                       const std::string& satellite) {
  std::lock_guard lock(mu_);
  ++calls_;
  if (!failure_.ok()) return failure_;
  auto it = devices_.find({resource, satellite});
  if (it == devices_.end()) {
    return NotFound("resource '" + resource + "' is not on satellite '" + satellite + "'");
  }
  return it->second;
}

Result<std::vector<linstor::Resource>> FakeSatelliteDirectory::VolumeResources(
    const std::string& resource) {
  std::lock_guard lock(mu_);
  ++calls_;
  ++resource_reads_;
  if (!failure_.ok()) return failure_;
  auto it = resources_.find(resource);
  if (it == resources_.end()) return std::vector<linstor::Resource>{};
  return it->second;
}

Result<std::map<std::string, linstor::Node>> FakeSatelliteDirectory::Nodes() {
  std::lock_guard lock(mu_);
  ++calls_;
  if (!failure_.ok()) return failure_;
  std::map<std::string, linstor::Node> nodes;
  for (const auto& [name, props] : satellites_) {
    linstor::Node node;
    node.name = name;
    node.props = linstor::Props(props.begin(), props.end());
    auto off = offline_.find(name);
    node.connection_status = (off != offline_.end() && off->second) ? "OFFLINE" : "ONLINE";
    nodes[name] = std::move(node);
  }
  return nodes;
}

}  // namespace lcsi::node
