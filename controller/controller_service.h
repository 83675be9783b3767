// gRPC adapters: csi.v1.Controller and csi.v1.GroupController on top of Controller.
// The capabilities advertised here are the ones Controller implements fully.
#pragma once

#include <vector>

#include "controller/controller.h"
#include "csi/csi.grpc.pb.h"
#include "csi/identity_service.h"

namespace lcsi::controller {

std::vector<csi::v1::ControllerServiceCapability::RPC::Type> ControllerCapabilities();
// Identity's plugin capabilities for the controller binary.
std::vector<csi::v1::PluginCapability> ControllerPluginCapabilities();

class ControllerService final : public csi::v1::Controller::Service {
 public:
  explicit ControllerService(Controller* controller) : c_(controller) {}

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
};

class GroupControllerService final : public csi::v1::GroupController::Service {
 public:
  explicit GroupControllerService(Controller* controller) : c_(controller) {}

  grpc::Status GroupControllerGetCapabilities(
      grpc::ServerContext*, const csi::v1::GroupControllerGetCapabilitiesRequest*,
      csi::v1::GroupControllerGetCapabilitiesResponse*) override;
  grpc::Status CreateVolumeGroupSnapshot(grpc::ServerContext*,
                                         const csi::v1::CreateVolumeGroupSnapshotRequest*,
                                         csi::v1::CreateVolumeGroupSnapshotResponse*) override;
  grpc::Status DeleteVolumeGroupSnapshot(grpc::ServerContext*,
                                         const csi::v1::DeleteVolumeGroupSnapshotRequest*,
                                         csi::v1::DeleteVolumeGroupSnapshotResponse*) override;
  grpc::Status GetVolumeGroupSnapshot(grpc::ServerContext*,
                                      const csi::v1::GetVolumeGroupSnapshotRequest*,
                                      csi::v1::GetVolumeGroupSnapshotResponse*) override;

 private:
  Controller* c_;
};

}  // namespace lcsi::controller
