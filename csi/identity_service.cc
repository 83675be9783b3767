#include "csi/identity_service.h"

#include <spdlog/spdlog.h>

namespace lcsi {

IdentityService::IdentityService(std::string driver_name,
                                 std::vector<csi::v1::PluginCapability> capabilities,
                                 ProbeFunction probe)
    : driver_name_(std::move(driver_name)),
      capabilities_(std::move(capabilities)),
      probe_(std::move(probe)) {}

grpc::Status IdentityService::GetPluginInfo(grpc::ServerContext*,
                                            const csi::v1::GetPluginInfoRequest*,
                                            csi::v1::GetPluginInfoResponse* response) {
  response->set_name(driver_name_);
  response->set_vendor_version(LCSI_VERSION);
  return grpc::Status::OK;
}

grpc::Status IdentityService::GetPluginCapabilities(
    grpc::ServerContext*, const csi::v1::GetPluginCapabilitiesRequest*,
    csi::v1::GetPluginCapabilitiesResponse* response) {
  for (const auto& cap : capabilities_) *response->add_capabilities() = cap;
  return grpc::Status::OK;
}

grpc::Status IdentityService::Probe(grpc::ServerContext*, const csi::v1::ProbeRequest*,
                                    csi::v1::ProbeResponse* response) {
  Status ready = probe_ ? probe_() : Status::Ok();
  if (!ready.ok()) spdlog::debug("probe: not ready: {}", ready.message());
  response->mutable_ready()->set_value(ready.ok());
  return grpc::Status::OK;
}

csi::v1::PluginCapability ServiceCapability(csi::v1::PluginCapability::Service::Type type) {
  csi::v1::PluginCapability cap;
  cap.mutable_service()->set_type(type);
  return cap;
}

csi::v1::PluginCapability OnlineExpansionCapability() {
  csi::v1::PluginCapability cap;
  cap.mutable_volume_expansion()->set_type(csi::v1::PluginCapability::VolumeExpansion::ONLINE);
  return cap;
}

std::vector<csi::v1::PluginCapability> DriverPluginCapabilities() {
  using Service = csi::v1::PluginCapability::Service;
  return {ServiceCapability(Service::CONTROLLER_SERVICE),
          ServiceCapability(Service::VOLUME_ACCESSIBILITY_CONSTRAINTS),
          ServiceCapability(Service::GROUP_CONTROLLER_SERVICE), OnlineExpansionCapability()};
}

}  // namespace lcsi
