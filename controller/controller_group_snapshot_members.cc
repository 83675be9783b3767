// The member snapshots of a volume group snapshot, and the check of a request's snapshot_ids
// against them (DeleteVolumeGroupSnapshot, GetVolumeGroupSnapshot).
#include <algorithm>
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

// snapshot_ids: the spec lets an SP that finds a group by its id alone ignore the list. This one
// does (members carry the group's name), so an empty list is not an error and an unknown group
// stays NOT_FOUND (Get) or OK (Delete); a given list must name exactly the group's members.
Status Controller::CheckGroupSnapshotList(
    const google::protobuf::RepeatedPtrField<std::string>& given,
    const std::vector<linstor::Snapshot>& members, const std::string& id) {
  if (given.empty()) return Status::Ok();
  const std::set<std::string> want(given.begin(), given.end());
  if (want != MemberIds(members)) {
    return InvalidArgument("snapshot_ids do not match the members of group snapshot " + id);
  }
  return Status::Ok();
}

}  // namespace lcsi::controller
