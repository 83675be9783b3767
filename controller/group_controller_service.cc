#include "controller/group_controller_service.h"

#include "csi/grpc_status.h"

namespace lcsi::controller {

grpc::Status GroupControllerService::GroupControllerGetCapabilities(
    grpc::ServerContext*, const csi::v1::GroupControllerGetCapabilitiesRequest*,
    csi::v1::GroupControllerGetCapabilitiesResponse* resp) {
  resp->add_capabilities()->mutable_rpc()->set_type(
      csi::v1::GroupControllerServiceCapability::RPC::CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT);
  return grpc::Status::OK;
}

grpc::Status GroupControllerService::CreateVolumeGroupSnapshot(
    grpc::ServerContext*, const csi::v1::CreateVolumeGroupSnapshotRequest* req,
    csi::v1::CreateVolumeGroupSnapshotResponse* resp) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->CreateVolumeGroupSnapshot(*req, resp));
}

grpc::Status GroupControllerService::DeleteVolumeGroupSnapshot(
    grpc::ServerContext*, const csi::v1::DeleteVolumeGroupSnapshotRequest* req,
    csi::v1::DeleteVolumeGroupSnapshotResponse*) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->DeleteVolumeGroupSnapshot(*req));
}

grpc::Status GroupControllerService::GetVolumeGroupSnapshot(
    grpc::ServerContext*, const csi::v1::GetVolumeGroupSnapshotRequest* req,
    csi::v1::GetVolumeGroupSnapshotResponse* resp) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->GetVolumeGroupSnapshot(*req, resp));
}

}  // namespace lcsi::controller
