// GetSnapshot: one snapshot this plugin owns, by id.
#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/names.h"

namespace lcsi::controller {

Status Controller::GetSnapshot(const csi::v1::GetSnapshotRequest& req,
                               csi::v1::GetSnapshotResponse* resp) {
  if (req.snapshot_id().empty()) return InvalidArgument("GetSnapshot: snapshot_id is required");
  auto ref = DecodeSnapshotId(req.snapshot_id());
  if (!ref) return NotFound("snapshot " + req.snapshot_id() + " does not exist");
  auto s = client_->GetSnapshot(ref->resource_definition, ref->snapshot);
  if (s.IsNotFound() || (s.ok() && !OwnsSnapshot(*s))) {
    return NotFound("snapshot " + req.snapshot_id() + " does not exist");
  }
  if (!s.ok()) return FromLinstor(s, "reading snapshot " + req.snapshot_id());
  FillSnapshot(*s, resp->mutable_snapshot());
  return Status::Ok();
}

}  // namespace lcsi::controller
