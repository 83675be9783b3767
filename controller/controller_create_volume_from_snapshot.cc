// CreateVolume from a snapshot: an empty RD in the class's group, restore of the volume
// definition and resources, then the remaining replicas. Works from any snapshot, not only the
// newest. The clone fallback (controller_create_volume_from_volume.cc) restores this way too.
#include <spdlog/spdlog.h>

#include "controller/controller.h"
#include "controller/create_plan.h"
#include "controller/linstor_status.h"
#include "controller/names.h"
#include "controller/props.h"
#include "controller/topology_placement.h"
#include "controller/volume_size.h"

namespace lcsi::controller {

Result<Controller::CreateOutcome> Controller::CreateFromSnapshot(CreatePlan& plan) {
  const std::string id = plan.content_source->snapshot().snapshot_id();
  auto ref = DecodeSnapshotId(id);
  if (!ref)
    return SourceMissing(plan.rd, plan.csi_name, "source snapshot " + id + " does not exist");
  auto snap = client_->GetSnapshot(ref->resource_definition, ref->snapshot);
  if (snap.IsNotFound()) {
    return SourceMissing(plan.rd, plan.csi_name, "source snapshot " + id + " does not exist");
  }
  if (!snap.ok()) return FromLinstor(snap, "reading source snapshot " + id);
  if (!OwnsSnapshot(*snap)) {
    return SourceMissing(plan.rd, plan.csi_name,
                         "source snapshot " + id + " does not exist for this plugin (not owned)");
  }
  if (!snap->IsSuccessful()) {
    return Unavailable("source snapshot " + id + " is not ready yet");
  }
  const int64_t snap_kib = VolumeZeroKib(snap->volume_definitions);
  auto size = SizeKibForRange(plan.range, snap_kib, snap_kib);
  if (!size.ok()) return size.status();
  plan.size_kib = *size;

  auto outcome = CreateEmptyDefinition(plan);
  if (!outcome.ok() || *outcome == CreateOutcome::kExists) return outcome;
  Status restored = RestoreInto(plan, ref->resource_definition, *snap);
  if (!restored.ok()) {
    DeleteIfOurs(plan.rd, plan.csi_name);
    return restored;
  }
  return CreateOutcome::kCreated;
}

Result<Controller::CreateOutcome> Controller::CreateEmptyDefinition(CreatePlan& plan) {
  linstor::ResourceDefinitionCreate create;
  create.name = plan.rd;
  create.resource_group_name = plan.rg.name;
  create.props = plan.rd_props;
  // The marker names the CSI volume: a restore overwrites Aux/csi-name with the source's, and a
  // retry must still recognise its own unfinished volume.
  create.props[props::Key(props::kIncomplete)] = plan.csi_name;
  auto created = client_->CreateResourceDefinition(create);
  if (created.IsNotFound()) {
    groups_.Invalidate(plan.rg.name);
    LCSI_RETURN_IF_ERROR(groups_.Ensure(plan.rg));
    created = client_->CreateResourceDefinition(create);
  }
  if (created.Is(linstor::LinstorErrorKind::kAlreadyExists)) return CreateOutcome::kExists;
  if (!created.ok()) return FromLinstor(created, "creating volume " + plan.rd);
  return CreateOutcome::kCreated;
}

Status Controller::RestoreInto(CreatePlan& plan, const std::string& src_rd,
                               const linstor::Snapshot& snap) {
  const std::string what = "restoring snapshot " + src_rd + "/" + snap.name + " into " + plan.rd;
  auto nodes = snap.nodes;
  if (plan.allowed_nodes) {
    nodes = IntersectNodes(nodes, *plan.allowed_nodes);
    if (nodes.empty()) {
      return ResourceExhausted(what + ": the snapshot lives on nodes none of which is in the " +
                               "requisite topology");
    }
  }
  // As many replicas as the class wants (all of the snapshot's when that is unknown).
  if (auto wanted = WantedReplicas(plan); wanted && static_cast<int32_t>(nodes.size()) > *wanted) {
    nodes.resize(static_cast<size_t>(*wanted));
  }
  auto vd = client_->RestoreVolumeDefinition(src_rd, snap.name, plan.rd);
  if (!vd.ok()) return FromLinstor(vd, what + " (volume definition)");
  // LINSTOR restores only into volume definitions of the snapshot's size
  // (CtrlSnapshotRestoreApiCallHandler.restoreOnNode): restore, then grow.
  linstor::SnapshotRestore restore;
  restore.to_resource = plan.rd;
  restore.nodes = nodes;
  auto resources = client_->RestoreSnapshot(src_rd, snap.name, restore);
  if (!resources.ok()) return FromLinstor(resources, what + " (resources)");
  const int64_t snap_kib = VolumeZeroKib(snap.volume_definitions);
  if (plan.size_kib > snap_kib) {
    auto grown = client_->ResizeVolumeDefinition(plan.rd, 0, plan.size_kib);
    if (!grown.ok()) return FromLinstor(grown, what + " (growing to the requested size)");
  }
  Status placed = PlaceRemainingReplicas(plan, static_cast<int32_t>(nodes.size()));
  if (!placed.ok()) {
    // The restored replicas hold the data; fewer of them than asked is not fatal.
    if (placed.code() != Code::kResourceExhausted) return placed;
    spdlog::warn("volume {}: {}", plan.rd, placed.message());
  }
  return FinishRestoredProperties(plan, snap);
}

// The restore copied the source volume's properties, as captured in the snapshot, over the new
// RD's: its owner, CSI name, parameters, publications, the DRBD options set through mutable
// parameters... One PUT puts this volume's own back, drops the source's plugin marks and the
// source's recorded DRBD options (props::kModified) and ends the incomplete state.
Status Controller::FinishRestoredProperties(CreatePlan& plan, const linstor::Snapshot& snap) {
  linstor::PropsModify m;
  m.override_props = plan.rd_props;
  m.delete_props.push_back(props::Key(props::kIncomplete));
  for (const auto& [k, v] : snap.resource_definition_props) {
    if (k.rfind(props::kPluginPrefix, 0) == 0 && !plan.rd_props.count(k) &&
        k != props::kIncomplete) {
      m.delete_props.push_back(k);
    }
  }
  // The DRBD options the plugin set on the source; LINSTOR's own (auto-quorum...) stay.
  for (const auto& k : props::ModifiedKeys(snap.resource_definition_props)) {
    if (snap.resource_definition_props.count(k) && !plan.rd_props.count(k)) {
      m.delete_props.push_back(k);
    }
  }
  auto r = client_->ModifyResourceDefinition(plan.rd, m);
  return FromLinstor(r, "setting the properties of restored volume " + plan.rd);
}

}  // namespace lcsi::controller
