#include "controller/controller_service.h"

#include "csi/grpc_status.h"

namespace lcsi::controller {

using RpcType = csi::v1::ControllerServiceCapability::RPC;

std::vector<RpcType::Type> ControllerCapabilities() {
  return {RpcType::CREATE_DELETE_VOLUME,
          RpcType::PUBLISH_UNPUBLISH_VOLUME,
          RpcType::LIST_VOLUMES,
          RpcType::GET_CAPACITY,
          RpcType::CREATE_DELETE_SNAPSHOT,
          RpcType::LIST_SNAPSHOTS,
          RpcType::CLONE_VOLUME,
          RpcType::PUBLISH_READONLY,
          RpcType::EXPAND_VOLUME,
          RpcType::LIST_VOLUMES_PUBLISHED_NODES,
          RpcType::VOLUME_CONDITION,
          RpcType::GET_VOLUME,
          RpcType::SINGLE_NODE_MULTI_WRITER,
          RpcType::MODIFY_VOLUME,
          RpcType::GET_SNAPSHOT};
}

grpc::Status ControllerService::CreateVolume(grpc::ServerContext*,
                                             const csi::v1::CreateVolumeRequest* req,
                                             csi::v1::CreateVolumeResponse* resp) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->CreateVolume(*req, resp));
}

grpc::Status ControllerService::DeleteVolume(grpc::ServerContext*,
                                             const csi::v1::DeleteVolumeRequest* req,
                                             csi::v1::DeleteVolumeResponse*) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->DeleteVolume(*req));
}

grpc::Status ControllerService::ControllerPublishVolume(
    grpc::ServerContext*, const csi::v1::ControllerPublishVolumeRequest* req,
    csi::v1::ControllerPublishVolumeResponse* resp) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->ControllerPublishVolume(*req, resp));
}

grpc::Status ControllerService::ControllerUnpublishVolume(
    grpc::ServerContext*, const csi::v1::ControllerUnpublishVolumeRequest* req,
    csi::v1::ControllerUnpublishVolumeResponse*) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->ControllerUnpublishVolume(*req));
}

grpc::Status ControllerService::ValidateVolumeCapabilities(
    grpc::ServerContext*, const csi::v1::ValidateVolumeCapabilitiesRequest* req,
    csi::v1::ValidateVolumeCapabilitiesResponse* resp) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->ValidateVolumeCapabilities(*req, resp));
}

grpc::Status ControllerService::ListVolumes(grpc::ServerContext*,
                                            const csi::v1::ListVolumesRequest* req,
                                            csi::v1::ListVolumesResponse* resp) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->ListVolumes(*req, resp));
}

grpc::Status ControllerService::GetCapacity(grpc::ServerContext*,
                                            const csi::v1::GetCapacityRequest* req,
                                            csi::v1::GetCapacityResponse* resp) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->GetCapacity(*req, resp));
}

grpc::Status ControllerService::CreateSnapshot(grpc::ServerContext*,
                                               const csi::v1::CreateSnapshotRequest* req,
                                               csi::v1::CreateSnapshotResponse* resp) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->CreateSnapshot(*req, resp));
}

grpc::Status ControllerService::DeleteSnapshot(grpc::ServerContext*,
                                               const csi::v1::DeleteSnapshotRequest* req,
                                               csi::v1::DeleteSnapshotResponse*) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->DeleteSnapshot(*req));
}

grpc::Status ControllerService::ListSnapshots(grpc::ServerContext*,
                                              const csi::v1::ListSnapshotsRequest* req,
                                              csi::v1::ListSnapshotsResponse* resp) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->ListSnapshots(*req, resp));
}

grpc::Status ControllerService::GetSnapshot(grpc::ServerContext*,
                                            const csi::v1::GetSnapshotRequest* req,
                                            csi::v1::GetSnapshotResponse* resp) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->GetSnapshot(*req, resp));
}

grpc::Status ControllerService::ControllerExpandVolume(
    grpc::ServerContext*, const csi::v1::ControllerExpandVolumeRequest* req,
    csi::v1::ControllerExpandVolumeResponse* resp) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->ControllerExpandVolume(*req, resp));
}

grpc::Status ControllerService::ControllerGetVolume(grpc::ServerContext*,
                                                    const csi::v1::ControllerGetVolumeRequest* req,
                                                    csi::v1::ControllerGetVolumeResponse* resp) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->ControllerGetVolume(*req, resp));
}

grpc::Status ControllerService::ControllerModifyVolume(
    grpc::ServerContext*, const csi::v1::ControllerModifyVolumeRequest* req,
    csi::v1::ControllerModifyVolumeResponse*) {
  CallLimiter::Slot slot(limiter_);
  return ToGrpcStatus(c_->ControllerModifyVolume(*req));
}

grpc::Status ControllerService::ControllerGetCapabilities(
    grpc::ServerContext*, const csi::v1::ControllerGetCapabilitiesRequest*,
    csi::v1::ControllerGetCapabilitiesResponse* resp) {
  for (auto type : ControllerCapabilities()) {
    resp->add_capabilities()->mutable_rpc()->set_type(type);
  }
  return grpc::Status::OK;
}

}  // namespace lcsi::controller
