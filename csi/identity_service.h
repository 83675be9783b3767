// CSI Identity service: plugin name/version, capabilities, readiness.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "csi/csi.grpc.pb.h"
#include "base/status.h"

namespace lcsi {

class IdentityService final : public csi::v1::Identity::Service {
 public:
  // probe: OK when the plugin can serve; a non-OK status means "not ready" (its message is logged).
  using ProbeFunction = std::function<Status()>;

  IdentityService(std::string driver_name, std::vector<csi::v1::PluginCapability> capabilities,
                  ProbeFunction probe);

  grpc::Status GetPluginInfo(grpc::ServerContext*, const csi::v1::GetPluginInfoRequest*,
                             csi::v1::GetPluginInfoResponse* response) override;
  grpc::Status GetPluginCapabilities(grpc::ServerContext*,
                                     const csi::v1::GetPluginCapabilitiesRequest*,
                                     csi::v1::GetPluginCapabilitiesResponse* response) override;
  grpc::Status Probe(grpc::ServerContext*, const csi::v1::ProbeRequest*,
                     csi::v1::ProbeResponse* response) override;

 private:
  std::string driver_name_;
  std::vector<csi::v1::PluginCapability> capabilities_;
  ProbeFunction probe_;
};

csi::v1::PluginCapability ServiceCapability(csi::v1::PluginCapability::Service::Type type);
csi::v1::PluginCapability OnlineExpansionCapability();

// The plugin capabilities of this driver. The spec asks every instance of one plugin version to
// report the same set, whichever services it serves, so the controller and node binaries both
// answer with this: Controller, GroupController, topology constraints, online expansion.
std::vector<csi::v1::PluginCapability> DriverPluginCapabilities();

}  // namespace lcsi
