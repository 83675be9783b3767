// DeleteVolume: idempotent. Without snapshots the RD goes at once. With snapshots (CSI snapshots
// outlive their volumes) the RD is hidden (Aux/csi-deleted) and its resources removed; the RD
// itself goes with its last snapshot (DeleteSnapshot calls CleanupDeletedVolume).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/names.h"
#include "controller/props.h"

namespace lcsi::controller {

Status Controller::DeleteVolume(const csi::v1::DeleteVolumeRequest& req) {
  const std::string& id = req.volume_id();
  if (id.empty()) return InvalidArgument("DeleteVolume: volume_id is required");
  if (!IsValidLinstorName(id)) return Status::Ok();  // never a volume of ours
  auto guard = Lock("vol:" + id, "volume " + id);
  if (!guard.ok()) return guard.status();

  auto rd = client_->GetResourceDefinition(id);
  if (rd.IsNotFound()) return Status::Ok();
  if (!rd.ok()) return FromLinstor(rd, "reading volume " + id);
  if (!Owns(rd->props)) {
    return FailedPrecondition("volume " + id +
                              ": the LINSTOR resource definition is not owned by this plugin "
                              "(owner id " +
                              options_.owner_id + "); refusing to delete it");
  }
  auto snaps = client_->ListSnapshots(id);
  if (snaps.IsNotFound()) return Status::Ok();
  if (!snaps.ok()) return FromLinstor(snaps, "listing the snapshots of volume " + id);

  if (snaps->empty()) {
    auto deleted = client_->DeleteResourceDefinition(id);
    if (deleted.ok() || deleted.IsNotFound()) return Status::Ok();
    if (deleted.Is(linstor::LinstorErrorKind::kInUse)) {
      return FromLinstorAs(Code::kFailedPrecondition, deleted.error(),
                           "volume " + id + " is in use");
    }
    if (deleted.Is(linstor::LinstorErrorKind::kAlreadyExists)) {
      // A snapshot appeared meanwhile: the retry takes the hide path.
      return FromLinstorAs(Code::kAborted, deleted.error(), "deleting volume " + id);
    }
    return FromLinstor(deleted, "deleting volume " + id);
  }

  // Snapshots remain: hide the volume first (it vanishes from the CO's view at once), then
  // free its replicas. A retry after a failure continues from here.
  if (!props::Get(rd->props, props::kDeleted)) {
    linstor::PropsModify hide;
    hide.override_props[props::Key(props::kDeleted)] = "true";
    auto hidden = client_->ModifyResourceDefinition(id, hide);
    if (!hidden.ok()) return FromLinstor(hidden, "marking volume " + id + " deleted");
    spdlog::info("volume {} deleted; its resource definition stays for {} snapshot(s)", id,
                 snaps->size());
  }
  auto resources = client_->ListResources(id);
  if (resources.IsNotFound()) return Status::Ok();
  if (!resources.ok()) return FromLinstor(resources, "listing the resources of volume " + id);
  // Clients first: LINSTOR refuses to remove the last disk while diskless resources use it.
  std::stable_partition(resources->begin(), resources->end(),
                        [](const linstor::Resource& r) { return r.IsDiskless(); });
  for (const auto& r : *resources) {
    auto deleted = client_->DeleteResource(id, r.node_name);
    if (deleted.ok() || deleted.IsNotFound()) continue;
    if (deleted.Is(linstor::LinstorErrorKind::kInUse)) {
      return FromLinstorAs(Code::kFailedPrecondition, deleted.error(),
                           "volume " + id + " is in use on node " + r.node_name);
    }
    return FromLinstor(deleted, "removing the replica of volume " + id + " on " + r.node_name);
  }
  return Status::Ok();
}

}  // namespace lcsi::controller
