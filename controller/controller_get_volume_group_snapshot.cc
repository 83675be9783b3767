// GetVolumeGroupSnapshot: a group snapshot with its members, by id.
#include "controller/controller.h"
#include "controller/names.h"

namespace lcsi::controller {

Status Controller::GetVolumeGroupSnapshot(const csi::v1::GetVolumeGroupSnapshotRequest& req,
                                          csi::v1::GetVolumeGroupSnapshotResponse* resp) {
  const std::string& id = req.group_snapshot_id();
  if (id.empty()) return InvalidArgument("GetVolumeGroupSnapshot: group_snapshot_id is required");
  auto snap = DecodeGroupSnapshotId(id);
  if (!snap) return NotFound("group snapshot " + id + " does not exist");
  auto members = GroupMembers(*snap);
  if (!members.ok()) return members.status();
  if (members->empty()) return NotFound("group snapshot " + id + " does not exist");
  LCSI_RETURN_IF_ERROR(CheckGroupSnapshotList(req.snapshot_ids(), *members, id));
  FillGroupSnapshot(*snap, *members, resp->mutable_group_snapshot());
  return Status::Ok();
}

}  // namespace lcsi::controller
