// gRPC adapter: csi.v1.GroupController (volume group snapshots) on top of Controller.
#pragma once

#include "controller/call_limiter.h"
#include "controller/controller.h"
#include "csi/csi.grpc.pb.h"

namespace lcsi::controller {

class GroupControllerService final : public csi::v1::GroupController::Service {
 public:
  explicit GroupControllerService(Controller* controller, CallLimiter* limiter = nullptr)
      : c_(controller), limiter_(limiter) {}

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
  CallLimiter* limiter_;
};

}  // namespace lcsi::controller
