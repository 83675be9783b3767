#include "controller/controller_service.h"

#include <algorithm>

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

void CallLimiter::Acquire() {
  std::unique_lock l(mu_);
  cv_.wait(l, [this] { return free_ > 0; });
  --free_;
  peak_ = std::max(peak_, ++in_use_);
}

void CallLimiter::Release() {
  {
    std::lock_guard l(mu_);
    ++free_;
    --in_use_;
  }
  cv_.notify_one();
}

int CallLimiter::in_use_peak() const {
  std::lock_guard l(mu_);
  return peak_;
}

#define LCSI_FORWARD(Method, Req, Resp)                                                 \
  grpc::Status ControllerService::Method(grpc::ServerContext*, const csi::v1::Req* req, \
                                         csi::v1::Resp* resp) {                         \
    CallLimiter::Slot slot(limiter_);                                                   \
    return ToGrpcStatus(c_->Method(*req, resp));                                        \
  }
#define LCSI_FORWARD_NO_RESP(Method, Req, Resp)                                         \
  grpc::Status ControllerService::Method(grpc::ServerContext*, const csi::v1::Req* req, \
                                         csi::v1::Resp*) {                              \
    CallLimiter::Slot slot(limiter_);                                                   \
    return ToGrpcStatus(c_->Method(*req));                                              \
  }

LCSI_FORWARD(CreateVolume, CreateVolumeRequest, CreateVolumeResponse)
LCSI_FORWARD_NO_RESP(DeleteVolume, DeleteVolumeRequest, DeleteVolumeResponse)
LCSI_FORWARD(ControllerPublishVolume, ControllerPublishVolumeRequest,
             ControllerPublishVolumeResponse)
LCSI_FORWARD_NO_RESP(ControllerUnpublishVolume, ControllerUnpublishVolumeRequest,
                     ControllerUnpublishVolumeResponse)
LCSI_FORWARD(ValidateVolumeCapabilities, ValidateVolumeCapabilitiesRequest,
             ValidateVolumeCapabilitiesResponse)
LCSI_FORWARD(ListVolumes, ListVolumesRequest, ListVolumesResponse)
LCSI_FORWARD(GetCapacity, GetCapacityRequest, GetCapacityResponse)
LCSI_FORWARD(CreateSnapshot, CreateSnapshotRequest, CreateSnapshotResponse)
LCSI_FORWARD_NO_RESP(DeleteSnapshot, DeleteSnapshotRequest, DeleteSnapshotResponse)
LCSI_FORWARD(ListSnapshots, ListSnapshotsRequest, ListSnapshotsResponse)
LCSI_FORWARD(GetSnapshot, GetSnapshotRequest, GetSnapshotResponse)
LCSI_FORWARD(ControllerExpandVolume, ControllerExpandVolumeRequest, ControllerExpandVolumeResponse)
LCSI_FORWARD(ControllerGetVolume, ControllerGetVolumeRequest, ControllerGetVolumeResponse)
LCSI_FORWARD_NO_RESP(ControllerModifyVolume, ControllerModifyVolumeRequest,
                     ControllerModifyVolumeResponse)

#undef LCSI_FORWARD
#undef LCSI_FORWARD_NO_RESP

grpc::Status ControllerService::ControllerGetCapabilities(
    grpc::ServerContext*, const csi::v1::ControllerGetCapabilitiesRequest*,
    csi::v1::ControllerGetCapabilitiesResponse* resp) {
  for (auto type : ControllerCapabilities()) {
    resp->add_capabilities()->mutable_rpc()->set_type(type);
  }
  return grpc::Status::OK;
}

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
