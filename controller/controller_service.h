// gRPC adapter: csi.v1.Controller on top of Controller, one written-out method per RPC. The
// capabilities advertised here are the ones Controller implements fully. The GroupController
// adapter is group_controller_service.h.
#pragma once

#include <vector>

#include "controller/call_limiter.h"
#include "controller/controller.h"
#include "csi/csi.grpc.pb.h"
#include "csi/identity_service.h"

namespace lcsi::controller {

std::vector<csi::v1::ControllerServiceCapability::RPC::Type> ControllerCapabilities();

class ControllerService final : public csi::v1::Controller::Service {
 public:
  // `limiter` may be null (no bound).
  explicit ControllerService(Controller* controller, CallLimiter* limiter = nullptr)
      : c_(controller), limiter_(limiter) {}

  grpc::Status CreateVolume(grpc::ServerContext*, const csi::v1::CreateVolumeRequest*,
                            csi::v1::CreateVolumeResponse*) override;
  grpc::Status DeleteVolume(grpc::ServerContext*, const csi::v1::DeleteVolumeRequest*,
                            csi::v1::DeleteVolumeResponse*) override;
  grpc::Status ControllerPublishVolume(grpc::ServerContext*,
                                       const csi::v1::ControllerPublishVolumeRequest*,
                                       csi::v1::ControllerPublishVolumeResponse*) override;
  grpc::Status ControllerUnpublishVolume(grpc::ServerContext*,
                                         const csi::v1::ControllerUnpublishVolumeRequest*,
                                         csi::v1::ControllerUnpublishVolumeResponse*) override;
  grpc::Status ValidateVolumeCapabilities(grpc::ServerContext*,
                                          const csi::v1::ValidateVolumeCapabilitiesRequest*,
                                          csi::v1::ValidateVolumeCapabilitiesResponse*) override;
  grpc::Status ListVolumes(grpc::ServerContext*, const csi::v1::ListVolumesRequest*,
                           csi::v1::ListVolumesResponse*) override;
  grpc::Status GetCapacity(grpc::ServerContext*, const csi::v1::GetCapacityRequest*,
                           csi::v1::GetCapacityResponse*) override;
  grpc::Status ControllerGetCapabilities(grpc::ServerContext*,
                                         const csi::v1::ControllerGetCapabilitiesRequest*,
                                         csi::v1::ControllerGetCapabilitiesResponse*) override;
  grpc::Status CreateSnapshot(grpc::ServerContext*, const csi::v1::CreateSnapshotRequest*,
                              csi::v1::CreateSnapshotResponse*) override;
  grpc::Status DeleteSnapshot(grpc::ServerContext*, const csi::v1::DeleteSnapshotRequest*,
                              csi::v1::DeleteSnapshotResponse*) override;
  grpc::Status ListSnapshots(grpc::ServerContext*, const csi::v1::ListSnapshotsRequest*,
                             csi::v1::ListSnapshotsResponse*) override;
  grpc::Status GetSnapshot(grpc::ServerContext*, const csi::v1::GetSnapshotRequest*,
                           csi::v1::GetSnapshotResponse*) override;
  grpc::Status ControllerExpandVolume(grpc::ServerContext*,
                                      const csi::v1::ControllerExpandVolumeRequest*,
                                      csi::v1::ControllerExpandVolumeResponse*) override;
  grpc::Status ControllerGetVolume(grpc::ServerContext*, const csi::v1::ControllerGetVolumeRequest*,
                                   csi::v1::ControllerGetVolumeResponse*) override;
  grpc::Status ControllerModifyVolume(grpc::ServerContext*,
                                      const csi::v1::ControllerModifyVolumeRequest*,
                                      csi::v1::ControllerModifyVolumeResponse*) override;

 private:
  Controller* c_;
  CallLimiter* limiter_;
};

}  // namespace lcsi::controller
