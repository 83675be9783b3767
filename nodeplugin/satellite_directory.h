// SatelliteDirectory: the few LINSTOR reads the Node service needs, behind a narrow seam.
// LinstorSatelliteDirectory adapts a linstor::LinstorClient; FakeSatelliteDirectory is for tests.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "csi/status.h"
#include "linstor/model.h"

namespace lcsi::node {

class SatelliteDirectory {
 public:
  virtual ~SatelliteDirectory() = default;
  // Names of all nodes LINSTOR knows. Unavailable when LINSTOR cannot be reached.
  virtual Result<std::vector<std::string>> ListSatellites() = 0;
  // The node's properties. NotFound when LINSTOR does not know `satellite`.
  virtual Result<std::map<std::string, std::string>> SatelliteProps(
      const std::string& satellite) = 0;
  // Device path of volume 0 of resource `resource` on `satellite`. NotFound when that resource
  // is not on the satellite (or has no device yet).
  virtual Result<std::string> DevicePath(const std::string& resource,
                                         const std::string& satellite) = 0;
  // OK when the LINSTOR controller is recent enough for this plugin; FailedPrecondition
  // naming the LINSTOR version needed and why; Unavailable when LINSTOR cannot be asked.
  virtual Status CheckLinstorVersion() = 0;
  // Every resource of `resource` on every node, with volume and DRBD states (LINSTOR's view);
  // an empty list when LINSTOR knows none.
  virtual Result<std::vector<linstor::Resource>> VolumeResources(const std::string& resource) = 0;
  // LINSTOR's nodes by name (connection status for the volume condition).
  virtual Result<std::map<std::string, linstor::Node>> Nodes() = 0;
};

class FakeSatelliteDirectory final : public SatelliteDirectory {
 public:
  void AddSatellite(const std::string& name, std::map<std::string, std::string> props = {});
  void SetDevicePath(const std::string& resource, const std::string& satellite,
                     const std::string& device);
  // The resources VolumeResources answers for `resource` (replaces earlier ones).
  void SetResources(const std::string& resource, std::vector<linstor::Resource> resources);
  // Nodes() reports added satellites ONLINE unless set otherwise here.
  void SetOnline(const std::string& satellite, bool online);
  // Every call fails with `status` while it is not OK.
  void SetFailure(Status status);
  // What CheckLinstorVersion answers (default OK).
  void SetVersionStatus(Status status);
  int calls() const;

  Result<std::vector<std::string>> ListSatellites() override;
  Result<std::map<std::string, std::string>> SatelliteProps(const std::string& satellite) override;
  Result<std::string> DevicePath(const std::string& resource,
                                 const std::string& satellite) override;
  Status CheckLinstorVersion() override;
  Result<std::vector<linstor::Resource>> VolumeResources(const std::string& resource) override;
  Result<std::map<std::string, linstor::Node>> Nodes() override;
  int resource_reads() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, std::string>> satellites_;
  std::map<std::pair<std::string, std::string>, std::string> devices_;
  std::map<std::string, std::vector<linstor::Resource>> resources_;
  std::map<std::string, bool> offline_;
  int resource_reads_ = 0;
  Status failure_;
  Status version_status_;
  int calls_ = 0;
};

}  // namespace lcsi::node
