// CreateSnapshot / DeleteSnapshot / ListSnapshots / GetSnapshot.
// snapshot_id = "<resource definition>/<snapshot name>" (names.h). A snapshot carries
// Aux/csi-owner and Aux/csi-name (the CSI snapshot name); ready_to_use only once LINSTOR flags it
// SUCCESSFUL.
#include <spdlog/spdlog.h>

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <chrono>

#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/names.h"
#include "controller/pagination.h"
#include "controller/props.h"

namespace lcsi::controller {

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void Controller::FillSnapshot(const linstor::Snapshot& snap, csi::v1::Snapshot* out) const {
  out->set_snapshot_id(EncodeSnapshotId({snap.resource_name, snap.name}));
  out->set_source_volume_id(snap.resource_name);
  for (const auto& vd : snap.volume_definitions)
    if (vd.volume_number == 0) out->set_size_bytes(KibToBytes(vd.size_kib));
  std::optional<int64_t> ms = snap.CreateTimestamp();
  if (!ms) {
    if (auto p = props::Get(snap.definition_props, props::kCreatedMs)) {
      try {
        ms = std::stoll(*p);
      } catch (const std::exception&) {
      }
    }
  }
  *out->mutable_creation_time() =
      google::protobuf::util::TimeUtil::MillisecondsToTimestamp(ms.value_or(0));
  out->set_ready_to_use(snap.IsSuccessful());
  if (props::Get(snap.definition_props, props::kGroup)) {
    out->set_group_snapshot_id(EncodeGroupSnapshotId(snap.name));
  }
}

Status Controller::CreateSnapshot(const csi::v1::CreateSnapshotRequest& req,
                                  csi::v1::CreateSnapshotResponse* resp) {
  if (req.name().empty()) return InvalidArgument("CreateSnapshot: name is required");
  if (req.source_volume_id().empty()) {
    return InvalidArgument("CreateSnapshot: source_volume_id is required");
  }
  // Parsed now, reported after the source's existence (NOT_FOUND comes before INVALID_ARGUMENT).
  auto params = ParseSnapshotParameters(
      ParameterMap(req.parameters().begin(), req.parameters().end()), options_.driver_name);
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

Status Controller::DeleteSnapshot(const csi::v1::DeleteSnapshotRequest& req) {
  if (req.snapshot_id().empty()) return InvalidArgument("DeleteSnapshot: snapshot_id is required");
  auto ref = DecodeSnapshotId(req.snapshot_id());
  if (!ref) return Status::Ok();  // not an id of ours: nothing to delete
  auto guard = Lock("snap:" + ref->snapshot, "snapshot " + req.snapshot_id());
  if (!guard.ok()) return guard.status();
  return DeleteOwnedSnapshot(ref->resource_definition, ref->snapshot,
                             /*refuse_group_member=*/true);
}

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

Status Controller::ListSnapshots(const csi::v1::ListSnapshotsRequest& req,
                                 csi::v1::ListSnapshotsResponse* resp) {
  if (req.max_entries() < 0) return InvalidArgument("ListSnapshots: max_entries is negative");
  if (!req.starting_token().empty()) {
    auto token = DecodePageToken(req.starting_token());
    if (!token.ok()) return token.status();
  }
  std::vector<linstor::Snapshot> snaps;
  if (!req.snapshot_id().empty()) {
    auto ref = DecodeSnapshotId(req.snapshot_id());
    if (!ref) return Status::Ok();  // unknown id: empty list
    if (!req.source_volume_id().empty() && req.source_volume_id() != ref->resource_definition) {
      return Status::Ok();
    }
    auto s = client_->GetSnapshot(ref->resource_definition, ref->snapshot);
    if (s.IsNotFound()) return Status::Ok();
    if (!s.ok()) return FromLinstor(s, "reading snapshot " + req.snapshot_id());
    snaps.push_back(std::move(*s));
  } else if (!req.source_volume_id().empty()) {
    auto list = client_->ListSnapshots(req.source_volume_id());
    if (list.IsNotFound()) return Status::Ok();
    if (!list.ok()) {
      return FromLinstor(list, "listing the snapshots of volume " + req.source_volume_id());
    }
    snaps = std::move(*list);
  } else {
    auto list = client_->ViewSnapshots({});
    if (!list.ok()) return FromLinstor(list, "listing snapshots");
    snaps = std::move(*list);
  }
  std::vector<std::pair<std::string, const linstor::Snapshot*>> owned;
  for (const auto& s : snaps) {
    if (!OwnsSnapshot(s) || props::Get(s.definition_props, props::kTemporary)) continue;
    owned.emplace_back(EncodeSnapshotId({s.resource_name, s.name}), &s);
  }
  std::sort(owned.begin(), owned.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> keys;
  for (const auto& [id, s] : owned) keys.push_back(id);
  auto page = Paginate(keys, req.max_entries(), req.starting_token());
  if (!page.ok()) return page.status();
  for (size_t i = page->begin; i < page->end; ++i) {
    FillSnapshot(*owned[i].second, resp->add_entries()->mutable_snapshot());
  }
  resp->set_next_token(page->next_token);
  return Status::Ok();
}

}  // namespace lcsi::controller
