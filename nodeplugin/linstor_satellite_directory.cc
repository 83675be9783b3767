#include "nodeplugin/linstor_satellite_directory.h"

#include "linstor/linstor_version.h"

namespace lcsi::node {

Result<std::vector<std::string>> LinstorSatelliteDirectory::ListSatellites() {
  auto nodes = client_.ListNodes({});
  if (!nodes.ok()) return nodes.status();
  std::vector<std::string> names;
  for (const auto& node : *nodes) names.push_back(node.name);
  return names;
}

Result<std::map<std::string, std::string>> LinstorSatelliteDirectory::SatelliteProps(
    const std::string& satellite) {
  auto node = client_.GetNode(satellite);
  if (!node.ok()) return node.status();
  return std::map<std::string, std::string>(node->props.begin(), node->props.end());
}

Result<std::string> LinstorSatelliteDirectory::DevicePath(const std::string& resource,
                                                          const std::string& satellite) {
  linstor::ResourceViewFilter filter;
  filter.nodes = {satellite};
  filter.resources = {resource};
  auto resources = client_.ViewResources(filter);
  if (!resources.ok()) return resources.status();
  for (const auto& r : *resources) {
    if (r.name != resource || r.node_name != satellite) continue;
    const linstor::Volume* volume = r.volume(0);
    if (volume != nullptr && !volume->device_path.empty()) return volume->device_path;
    return NotFound("resource '" + resource + "' on satellite '" + satellite +
                    "' has no device path yet");
  }
  return NotFound("resource '" + resource + "' is not on satellite '" + satellite + "'");
}

Status LinstorSatelliteDirectory::CheckLinstorVersion() {
  auto version = client_.GetVersion();
  if (!version.ok()) return version.status();
  return linstor::CheckLinstorVersion(*version);
}

Result<std::vector<linstor::Resource>> LinstorSatelliteDirectory::VolumeResources(
    const std::string& resource) {
  linstor::ResourceViewFilter filter;
  filter.resources = {resource};
  auto resources = client_.ViewResources(filter);
  if (!resources.ok()) return resources.status();
  std::vector<linstor::Resource> mine;
  for (auto& r : *resources)
    if (r.name == resource) mine.push_back(std::move(r));
  return mine;
}

Result<std::map<std::string, linstor::Node>> LinstorSatelliteDirectory::Nodes() {
  auto nodes = client_.ListNodes({});
  if (!nodes.ok()) return nodes.status();
  std::map<std::string, linstor::Node> by_name;
  for (auto& node : *nodes) by_name[node.name] = std::move(node);
  return by_name;
}

}  // namespace lcsi::node
