// LinstorSatelliteDirectory: SatelliteDirectory on a linstor::LinstorClient.
#pragma once

#include "linstor/linstor_client.h"
#include "nodeplugin/satellite_directory.h"

namespace lcsi::node {

class LinstorSatelliteDirectory final : public SatelliteDirectory {
 public:
  explicit LinstorSatelliteDirectory(linstor::LinstorClient& client) : client_(client) {}

  // GET /v1/nodes
  Result<std::vector<std::string>> ListSatellites() override;
  // GET /v1/nodes/{node}
  Result<std::map<std::string, std::string>> SatelliteProps(const std::string& satellite) override;
  // GET /v1/view/resources?nodes=<satellite>&resources=<resource>: volume 0's device_path.
  Result<std::string> DevicePath(const std::string& resource,
                                 const std::string& satellite) override;
  // GET /v1/controller/version, judged by linstor/linstor_version.h.
  Status CheckLinstorVersion() override;
  // GET /v1/view/resources?resources=<resource>
  Result<std::vector<linstor::Resource>> VolumeResources(const std::string& resource) override;
  // GET /v1/nodes
  Result<std::map<std::string, linstor::Node>> Nodes() override;

 private:
  linstor::LinstorClient& client_;
};

}  // namespace lcsi::node
