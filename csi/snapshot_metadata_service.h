// The SnapshotMetadata service, registered only to refuse clearly: LINSTOR offers no changed-
// block tracking, so the plugin does not advertise SNAPSHOT_METADATA_SERVICE, and the spec's
// error scheme wants a human-readable message even on UNIMPLEMENTED (an unregistered service
// answers with an empty one).
#pragma once

#include "csi/csi.grpc.pb.h"

namespace lcsi {

class UnofferedSnapshotMetadataService final : public csi::v1::SnapshotMetadata::Service {
 public:
  grpc::Status GetMetadataAllocated(
      grpc::ServerContext*, const csi::v1::GetMetadataAllocatedRequest*,
      grpc::ServerWriter<csi::v1::GetMetadataAllocatedResponse>*) override;
  grpc::Status GetMetadataDelta(grpc::ServerContext*, const csi::v1::GetMetadataDeltaRequest*,
                                grpc::ServerWriter<csi::v1::GetMetadataDeltaResponse>*) override;
};

}  // namespace lcsi
