// CreateVolumeGroupSnapshot: LINSTOR's multi-snapshot (POST /v1/actions/snapshot/multi), which
// suspends I/O on all members and snapshots them together: atomic across the group. Every member
// snapshot has the same LINSTOR name (mapped from the group's CSI name) and carries
// Aux/csi-group = <CSI group name>; group_snapshot_id = "group:<that name>" (names.h).
#include <algorithm>
#include <chrono>
#include <set>

#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/names.h"
#include "controller/parameter_map.h"
#include "controller/props.h"

namespace lcsi::controller {

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
  auto params = ParseSnapshotParameters(ToParameterMap(req.parameters()), options_.driver_name);
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

}  // namespace lcsi::controller
