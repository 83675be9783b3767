// CreateSnapshot: a LINSTOR snapshot of the volume's resource definition. It carries
// Aux/csi-owner and Aux/csi-name (the CSI snapshot name); a repeat is answered with the
// snapshot LINSTOR has.
#include <spdlog/spdlog.h>

#include <chrono>

#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/names.h"
#include "controller/parameter_map.h"
#include "controller/props.h"

namespace lcsi::controller {

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Status Controller::CreateSnapshot(const csi::v1::CreateSnapshotRequest& req,
                                  csi::v1::CreateSnapshotResponse* resp) {
  if (req.name().empty()) return InvalidArgument("CreateSnapshot: name is required");
  if (req.source_volume_id().empty()) {
    return InvalidArgument("CreateSnapshot: source_volume_id is required");
  }
  // Parsed now, reported after the source's existence (NOT_FOUND comes before INVALID_ARGUMENT).
  auto params = ParseSnapshotParameters(ToParameterMap(req.parameters()), options_.driver_name);
  const std::string snap = LinstorNameFor(req.name());
  const std::string& src = req.source_volume_id();
  auto guard = Lock("snap:" + snap, "snapshot " + req.name());
  if (!guard.ok()) return guard.status();

  // A retry: the snapshot is there, on this volume, with this CSI name (one read).
  if (IsValidLinstorName(src)) {
    auto same = client_->GetSnapshot(src, snap);
    if (same.ok() && OwnsSnapshot(*same) &&
        props::Is(same->definition_props, props::kName, req.name()) && !same->IsFailed()) {
      if (!params.ok()) return params.status();
      FillSnapshot(*same, resp->mutable_snapshot());
      return Status::Ok();
    }
  }
  // The same CSI name may already exist on any volume: idempotent on the same source,
  // AlreadyExists on another. LINSTOR's snapshot view has no name filter: the client streams
  // it and keeps this name only.
  linstor::SnapshotViewFilter filter;
  filter.snapshots = {snap};
  auto existing = client_->ViewSnapshots(filter);
  if (!existing.ok()) return FromLinstor(existing, "looking up snapshot " + req.name());
  for (const auto& s : *existing) {
    // A repeat: answered even when the source volume has been deleted since.
    if (s.name == snap && s.resource_name == src && OwnsSnapshot(s) &&
        props::Is(s.definition_props, props::kName, req.name()) && !s.IsFailed()) {
      if (!params.ok()) return params.status();
      FillSnapshot(s, resp->mutable_snapshot());
      return Status::Ok();
    }
  }

  auto rd = LoadVolume(src);
  if (!rd.ok()) return rd.status();
  if (!params.ok()) return params.status();
  for (const auto& s : *existing) {
    if (s.name != snap) continue;
    if (s.resource_name != src) {
      return AlreadyExists("snapshot " + req.name() + " already exists for volume " +
                           s.resource_name + ", not " + src);
    }
    if (!OwnsSnapshot(s) || !props::Is(s.definition_props, props::kName, req.name())) {
      return AlreadyExists("snapshot " + snap + " of volume " + src +
                           " already exists and does not belong to CSI snapshot " + req.name());
    }
  }
  const std::string what = "snapshot " + req.name() + " of volume " + src;
  for (const auto& s : *existing) {
    if (s.name == snap && s.resource_name == src && s.IsFailed()) {
      spdlog::warn("{} failed in LINSTOR; taking it again", what);
      auto deleted = client_->DeleteSnapshot(src, snap);
      if (!deleted.ok() && !deleted.IsNotFound())
        return FromLinstor(deleted, "removing failed " + what);
    }
  }
  linstor::SnapshotCreate create;
  create.resource_name = src;
  create.name = snap;
  create.props[props::Key(props::kOwner)] = options_.owner_id;
  create.props[props::Key(props::kName)] = req.name();
  create.props[props::Key(props::kCreatedMs)] = std::to_string(NowMs());
  if (!params->snapshot_name.empty()) {
    create.props[props::Key(props::kSnapshotName)] = params->snapshot_name;
  }
  if (!params->snapshot_namespace.empty()) {
    create.props[props::Key(props::kSnapshotNamespace)] = params->snapshot_namespace;
  }
  if (!params->snapshot_content_name.empty()) {
    create.props[props::Key(props::kSnapshotContentName)] = params->snapshot_content_name;
  }
  auto created = client_->CreateSnapshot(create);
  if (!created.ok()) {
    if (created.Is(linstor::LinstorErrorKind::kAlreadyExists)) {
      return FromLinstorAs(Code::kAborted, created.error(), "creating " + what);
    }
    if (created.IsNotFound()) return FromLinstorAs(Code::kNotFound, created.error(), what);
    if (created.Is(linstor::LinstorErrorKind::kNotEnoughNodes)) {
      return FromLinstorAs(Code::kFailedPrecondition, created.error(),
                           "creating " + what + " (no diskful replica to snapshot)");
    }
    return FromLinstor(created, "creating " + what);
  }
  auto taken = client_->GetSnapshot(src, snap);
  if (!taken.ok()) return FromLinstorAs(Code::kAborted, taken.error(), "reading " + what);
  FillSnapshot(*taken, resp->mutable_snapshot());
  return Status::Ok();
}

}  // namespace lcsi::controller
