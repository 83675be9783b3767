// DeleteSnapshot, and the deletion of one owned snapshot that DeleteVolumeGroupSnapshot uses
// for each member. A volume deleted while its snapshots kept it goes with its last snapshot.
#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/names.h"
#include "controller/props.h"

namespace lcsi::controller {

Status Controller::DeleteSnapshot(const csi::v1::DeleteSnapshotRequest& req) {
  if (req.snapshot_id().empty()) return InvalidArgument("DeleteSnapshot: snapshot_id is required");
  auto ref = DecodeSnapshotId(req.snapshot_id());
  if (!ref) return Status::Ok();  // not an id of ours: nothing to delete
  auto guard = Lock("snap:" + ref->snapshot, "snapshot " + req.snapshot_id());
  if (!guard.ok()) return guard.status();
  return DeleteOwnedSnapshot(ref->resource_definition, ref->snapshot,
                             /*refuse_group_member=*/true);
}

Status Controller::DeleteOwnedSnapshot(const std::string& rd, const std::string& snap,
                                       bool refuse_group_member) {
  auto s = client_->GetSnapshot(rd, snap);
  if (s.ok()) {
    if (!OwnsSnapshot(*s)) {
      return FailedPrecondition("snapshot " + rd + "/" + snap +
                                " is not owned by this plugin (owner id " + options_.owner_id +
                                "); refusing to delete it");
    }
    if (auto group = s->definition_props.find(props::Key(props::kGroup));
        refuse_group_member && group != s->definition_props.end()) {
      return InvalidArgument("snapshot " + rd + "/" + snap + " is part of group snapshot " +
                             group->second +
                             "; delete the group snapshot (DeleteVolumeGroupSnapshot) instead");
    }
    auto deleted = client_->DeleteSnapshot(rd, snap);
    if (!deleted.ok() && !deleted.IsNotFound()) {
      if (deleted.Is(linstor::LinstorErrorKind::kInUse)) {
        return FromLinstorAs(Code::kFailedPrecondition, deleted.error(),
                             "snapshot " + rd + "/" + snap + " is in use");
      }
      return FromLinstor(deleted, "deleting snapshot " + rd + "/" + snap);
    }
  } else if (!s.IsNotFound()) {
    return FromLinstor(s, "reading snapshot " + rd + "/" + snap);
  }
  return CleanupDeletedVolume(rd);
}

}  // namespace lcsi::controller
