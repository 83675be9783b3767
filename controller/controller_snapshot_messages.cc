// The CSI Snapshot and VolumeGroupSnapshot messages of LINSTOR snapshots.
// snapshot_id = "<resource definition>/<snapshot name>", group_snapshot_id = "group:<name>"
// (names.h); ready_to_use only once LINSTOR flags the snapshot SUCCESSFUL.
#include <google/protobuf/util/time_util.h>

#include "base/parse_int.h"
#include "controller/controller.h"
#include "controller/names.h"
#include "controller/props.h"

namespace lcsi::controller {

void Controller::FillSnapshot(const linstor::Snapshot& snap, csi::v1::Snapshot* out) const {
  out->set_snapshot_id(EncodeSnapshotId({snap.resource_name, snap.name}));
  out->set_source_volume_id(snap.resource_name);
  for (const auto& vd : snap.volume_definitions)
    if (vd.volume_number == 0) out->set_size_bytes(KibToBytes(vd.size_kib));
  std::optional<int64_t> ms = snap.CreateTimestamp();
  if (!ms) {
    if (auto p = props::Get(snap.definition_props, props::kCreatedMs)) ms = ParseInt<int64_t>(*p);
  }
  *out->mutable_creation_time() =
      google::protobuf::util::TimeUtil::MillisecondsToTimestamp(ms.value_or(0));
  out->set_ready_to_use(snap.IsSuccessful());
  if (props::Get(snap.definition_props, props::kGroup)) {
    out->set_group_snapshot_id(EncodeGroupSnapshotId(snap.name));
  }
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

}  // namespace lcsi::controller
