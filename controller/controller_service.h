// gRPC adapters: csi.v1.Controller and csi.v1.GroupController on top of Controller.
// The capabilities advertised here are the ones Controller implements fully.
#pragma once

#include <condition_variable>
#include <mutex>
#include <vector>

#include "controller/controller.h"
#include "csi/csi.grpc.pb.h"
#include "csi/identity_service.h"

namespace lcsi::controller {

std::vector<csi::v1::ControllerServiceCapability::RPC::Type> ControllerCapabilities();

// Bounds the number of Controller/GroupController calls worked on at once (--worker-threads);
// further calls wait for a slot. Shared by both services.
class CallLimiter {
 public:
  explicit CallLimiter(int max_concurrent) : free_(max_concurrent) {}
  // Holds one slot for its lifetime; a null limiter means no bound.
  class Slot {
   public:
    explicit Slot(CallLimiter* limiter) : l_(limiter) {
      if (l_ != nullptr) l_->Acquire();
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() {
      if (l_ != nullptr) l_->Release();
    }

   private:
    CallLimiter* l_;
  };
  // The most slots ever held at once (for tests).
  int in_use_peak() const;

 private:
  void Acquire();
  void Release();
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int free_;
  int in_use_ = 0;
  int peak_ = 0;
};

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
