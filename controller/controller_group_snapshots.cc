// GroupController: volume group snapshots through LINSTOR's multi-snapshot
// (POST /v1/actions/snapshot/multi), which suspends I/O on all members and snapshots them
// together: atomic across the group. Every member snapshot has the same LINSTOR name (mapped
// from the group's CSI name) and carries Aux/csi-group = <CSI group name>;
// group_snapshot_id = "group:<that name>" (names.h).
#include <spdlog/spdlog.h>

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/names.h"
#include "controller/props.h"

namespace lcsi::controller {

namespace {

std::set<std::string> MemberIds(const std::vector<linstor::Snapshot>& members) {
  std::set<std::string> ids;
  for (const auto& m : members) ids.insert(EncodeSnapshotId({m.resource_name, m.name}));
  return ids;
}

// snapshot_ids: the spec lets an SP that finds a group by its id alone ignore the list. This one
// does (members carry the group's name), so an empty list is not an error and an unknown group
// stays NOT_FOUND (Get) or OK (Delete); a given list must name exactly the group's members.
Status CheckSnapshotList(const google::protobuf::RepeatedPtrField<std::string>& given,
                         const std::vector<linstor::Snapshot>& members, const std::string& id) {
  if (given.empty()) return Status::Ok();
  const std::set<std::string> want(given.begin(), given.end());
  if (want != MemberIds(members)) {
    return InvalidArgument("snapshot_ids do not match the members of group snapshot " + id);
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<linstor::Snapshot>> Controller::GroupMembers(const std::string& snap) {
  linstor::SnapshotViewFilter filter;
  filter.snapshots = {snap};
  auto all = client_->ViewSnapshots(filter);
  if (!all.ok()) return FromLinstor(all, "looking up group snapshot " + snap);
  std::vector<linstor::Snapshot> members;
  for (auto& s : *all) {
    if (s.name == snap && OwnsSnapshot(s) && props::Get(s.definition_props, props::kGroup)) {
      members.push_back(std::move(s));
    }
  }
  std::sort(members.begin(), members.end(),
            [](const auto& a, const auto& b) { return a.resource_name < b.resource_name; });
  return members;
}

void Controller::FillGroupSnapshot(const std::string& snap,
                                   const std::vector<linstor::Snapshot>& members,
                                   csi::v1::VolumeGroupSnapshot* out) const {
  out->set_group_snapshot_id(EncodeGroupSnapshotId(snap));
  bool ready = !members.empty();
  std::optional<google::protobuf::Timestamp> earliest;
  for (const auto& m : members) {
    csi::v1::Snapshot* s = out->add_snapshots();
    FillSnapshot(m, s);
    ready = ready && s->ready_to_use();
    if (!earliest || s->creation_time() < *earliest) earliest = s->creation_time();
  }
  if (earliest) *out->mutable_creation_time() = *earliest;
  out->set_ready_to_use(ready);
}

Status Controller::CreateVolumeGroupSnapshot(const csi::v1::CreateVolumeGroupSnapshotRequest& req,
                                             csi::v1::CreateVolumeGroupSnapshotResponse* resp) {
  if (req.name().empty()) return InvalidArgument("CreateVolumeGroupSnapshot: name is required");
  if (req.source_volume_ids().empty()) {
    return InvalidArgument("CreateVolumeGroupSnapshot: source_volume_ids is required");
  }
  const std::set<std::string> sources(req.source_volume_ids().begin(),
                                      req.source_volume_ids().end());
  if (sources.size() != static_cast<size_t>(req.source_volume_ids().size())) {
    return InvalidArgument("CreateVolumeGroupSnapshot: source_volume_ids lists a volume twice");
  }
  // Parsed now, reported after the sources' existence (NOT_FOUND before INVALID_ARGUMENT).
  auto params = ParseSnapshotParameters(
      ParameterMap(req.parameters().begin(), req.parameters().end()), options_.driver_name);
  const std::string snap = LinstorNameFor(req.name());
  auto guard = Lock("snap:" + snap, "group snapshot " + req.name());
  if (!guard.ok()) return guard.status();

  linstor::SnapshotViewFilter filter;
  filter.snapshots = {snap};
  auto existing = client_->ViewSnapshots(filter);
  if (!existing.ok()) return FromLinstor(existing, "looking up group snapshot " + req.name());
  std::vector<linstor::Snapshot> members;
  std::optional<std::string> foreign;  // a same-named snapshot outside this group
  for (const auto& s : *existing) {
    if (s.name != snap) continue;
    if (!OwnsSnapshot(s) || !props::Is(s.definition_props, props::kGroup, req.name())) {
      foreign = s.resource_name;
      continue;
    }
    members.push_back(s);
  }
  std::set<std::string> have;
  for (const auto& m : members) have.insert(m.resource_name);
  if (!foreign && !members.empty() && have == sources) {
    // A repeat: answered even when a source volume has been deleted since.
    if (!params.ok()) return params.status();
    std::sort(members.begin(), members.end(),
              [](const auto& a, const auto& b) { return a.resource_name < b.resource_name; });
    FillGroupSnapshot(snap, members, resp->mutable_group_snapshot());
    return Status::Ok();
  }

  for (const auto& id : sources) {
    auto rd = LoadVolume(id);
    if (!rd.ok()) return rd.status();
  }
  if (!params.ok()) return params.status();
  if (foreign) {
    return AlreadyExists("a snapshot named " + snap + " of volume " + *foreign +
                         " exists and is not part of group snapshot " + req.name());
  }
  if (!members.empty()) {
    return AlreadyExists("group snapshot " + req.name() +
                         " already exists with a different set of volumes");
  }
  const std::string now = std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  std::vector<linstor::SnapshotCreate> creates;
  for (const auto& id : sources) {
    linstor::SnapshotCreate c;
    c.resource_name = id;
    c.name = snap;
    c.props[props::Key(props::kOwner)] = options_.owner_id;
    c.props[props::Key(props::kName)] = req.name();
    c.props[props::Key(props::kGroup)] = req.name();
    c.props[props::Key(props::kCreatedMs)] = now;
    if (!params->snapshot_name.empty()) {
      c.props[props::Key(props::kSnapshotName)] = params->snapshot_name;
    }
    if (!params->snapshot_namespace.empty()) {
      c.props[props::Key(props::kSnapshotNamespace)] = params->snapshot_namespace;
    }
    creates.push_back(std::move(c));
  }
  auto created = client_->CreateMultiSnapshot(creates);
  if (!created.ok()) {
    const std::string what = "creating group snapshot " + req.name();
    if (created.Is(linstor::LinstorErrorKind::kAlreadyExists)) {
      return FromLinstorAs(Code::kAborted, created.error(), what);
    }
    if (created.IsNotFound()) return FromLinstorAs(Code::kNotFound, created.error(), what);
    if (created.Is(linstor::LinstorErrorKind::kNotEnoughNodes)) {
      return FromLinstorAs(Code::kFailedPrecondition, created.error(), what);
    }
    return FromLinstor(created, what);
  }
  auto taken = GroupMembers(snap);
  if (!taken.ok()) return taken.status();
  FillGroupSnapshot(snap, *taken, resp->mutable_group_snapshot());
  return Status::Ok();
}

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
  LCSI_RETURN_IF_ERROR(CheckSnapshotList(req.snapshot_ids(), *members, id));
  for (const auto& m : *members) {
    LCSI_RETURN_IF_ERROR(DeleteOwnedSnapshot(m.resource_name, m.name));
  }
  return Status::Ok();
}

Status Controller::GetVolumeGroupSnapshot(const csi::v1::GetVolumeGroupSnapshotRequest& req,
                                          csi::v1::GetVolumeGroupSnapshotResponse* resp) {
  const std::string& id = req.group_snapshot_id();
  if (id.empty()) return InvalidArgument("GetVolumeGroupSnapshot: group_snapshot_id is required");
  auto snap = DecodeGroupSnapshotId(id);
  if (!snap) return NotFound("group snapshot " + id + " does not exist");
  auto members = GroupMembers(*snap);
  if (!members.ok()) return members.status();
  if (members->empty()) return NotFound("group snapshot " + id + " does not exist");
  LCSI_RETURN_IF_ERROR(CheckSnapshotList(req.snapshot_ids(), *members, id));
  FillGroupSnapshot(*snap, *members, resp->mutable_group_snapshot());
  return Status::Ok();
}

}  // namespace lcsi::controller
