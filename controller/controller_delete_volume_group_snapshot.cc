// DeleteVolumeGroupSnapshot: deletes every member snapshot of the group; an unknown group is
// already deleted.
#include "controller/controller.h"
#include "controller/names.h"

namespace lcsi::controller {

Status Controller::DeleteVolumeGroupSnapshot(const csi::v1::DeleteVolumeGroupSnapshotRequest& req) {
  const std::string& id = req.group_snapshot_id();
  if (id.empty())
    return InvalidArgument("DeleteVolumeGroupSnapshot: group_snapshot_id is required");
  auto snap = DecodeGroupSnapshotId(id);
  if (!snap) return Status::Ok();
  auto guard = Lock("snap:" + *snap, "group snapshot " + id);
  if (!guard.ok()) return guard.status();
  auto members = GroupMembers(*snap);
  if (!members.ok()) return members.status();
  if (members->empty()) return Status::Ok();
  LCSI_RETURN_IF_ERROR(CheckGroupSnapshotList(req.snapshot_ids(), *members, id));
  for (const auto& m : *members) {
    LCSI_RETURN_IF_ERROR(DeleteOwnedSnapshot(m.resource_name, m.name));
  }
  return Status::Ok();
}

}  // namespace lcsi::controller
