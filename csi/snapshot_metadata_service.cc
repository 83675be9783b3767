#include "csi/snapshot_metadata_service.h"

namespace lcsi {

namespace {

grpc::Status NotOffered(const char* rpc) {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                      std::string(rpc) +
                          ": this plugin does not offer the SnapshotMetadata service (LINSTOR "
                          "has no changed-block tracking; SNAPSHOT_METADATA_SERVICE is not "
                          "advertised)");
}

}  // namespace

grpc::Status UnofferedSnapshotMetadataService::GetMetadataAllocated(
    grpc::ServerContext*, const csi::v1::GetMetadataAllocatedRequest*,
    grpc::ServerWriter<csi::v1::GetMetadataAllocatedResponse>*) {
  return NotOffered("GetMetadataAllocated");
}

grpc::Status UnofferedSnapshotMetadataService::GetMetadataDelta(
    grpc::ServerContext*, const csi::v1::GetMetadataDeltaRequest*,
    grpc::ServerWriter<csi::v1::GetMetadataDeltaResponse>*) {
  return NotOffered("GetMetadataDelta");
}

}  // namespace lcsi
