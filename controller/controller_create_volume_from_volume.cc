// CreateVolume from a volume: LINSTOR's clone, falling back to a temporary snapshot restored
// into the new volume.
#include <spdlog/spdlog.h>

#include <chrono>

#include "controller/controller.h"
#include "controller/create_plan.h"
#include "controller/hashing.h"
#include "controller/linstor_status.h"
#include "controller/props.h"
#include "controller/volume_size.h"

namespace lcsi::controller {

Result<Controller::CreateOutcome> Controller::CreateByClone(CreatePlan& plan) {
  const std::string src_id = plan.content_source->volume().volume_id();
  auto src = LoadVolume(src_id, /*with_sizes=*/true);
  if (!src.ok()) {
    if (src.status().code() == Code::kNotFound) {
      return SourceMissing(plan.rd, plan.csi_name, "source volume " + src_id + " does not exist");
    }
    return src.status();
  }
  const int64_t src_kib = VolumeZeroKib(src->volume_definitions);
  auto size = SizeKibForRange(plan.range, src_kib, src_kib);
  if (!size.ok()) return size.status();
  plan.size_kib = *size;

  linstor::CloneRequest clone;
  clone.name = plan.rd;
  clone.resource_group = plan.rg.name;
  clone.override_props = plan.rd_props;
  clone.override_props[props::Key(props::kIncomplete)] = plan.csi_name;
  // The clone inherits the source's properties: drop the source's own bookkeeping.
  for (const auto& [k, v] : src->props) {
    if (k.rfind(props::kPluginPrefix, 0) == 0 && !clone.override_props.count(k)) {
      clone.delete_props.push_back(k);
    }
  }
  // And the DRBD options the plugin set on the source (LINSTOR's own stay).
  for (const auto& k : props::ModifiedKeys(src->props)) {
    if (src->props.count(k) && !clone.override_props.count(k)) clone.delete_props.push_back(k);
  }
  auto started = client_->StartClone(src_id, clone);
  if (started.Is(linstor::LinstorErrorKind::kAlreadyExists)) return CreateOutcome::kExists;
  if (started.IsNotFound()) return NotFound("source volume " + src_id + " does not exist");
  if (!started.ok()) {
    if (started.error().IsRetryable()) {
      return FromLinstor(started, "cloning volume " + src_id + " into " + plan.rd);
    }
    spdlog::info("volume {}: LINSTOR clone of {} refused ({}); using a snapshot instead", plan.rd,
                 src_id, started.error().message());
    DeleteIfOurs(plan.rd, plan.csi_name);
    return CloneViaSnapshot(plan, *src);
  }
  Status finished = FinishClone(plan, src_id);
  if (finished.code() == Code::kFailedPrecondition) {  // the clone itself failed
    spdlog::info("volume {}: {}; using a snapshot instead", plan.rd, finished.message());
    DeleteIfOurs(plan.rd, plan.csi_name);
    return CloneViaSnapshot(plan, *src);
  }
  if (!finished.ok()) return finished;
  return CreateOutcome::kCreated;
}

Status Controller::WaitForClone(CreatePlan& plan, const std::string& src_rd) {
  const auto deadline = clock().Now() + options_.clone_timeout;
  while (true) {
    auto status = client_->GetCloneStatus(src_rd, plan.rd);
    if (!status.ok()) {
      if (status.IsNotFound()) {
        return FailedPrecondition("LINSTOR has no clone of " + src_rd + " into " + plan.rd);
      }
      return FromLinstor(status, "waiting for the clone of " + src_rd + " into " + plan.rd);
    }
    if (status->status == linstor::CloneState::kComplete) return Status::Ok();
    if (status->status == linstor::CloneState::kFailed) {
      return FailedPrecondition("LINSTOR's clone of " + src_rd + " into " + plan.rd + " failed");
    }
    if (clock().Now() >= deadline) {
      return Aborted("the clone of " + src_rd + " into " + plan.rd +
                     " is still in progress; retry later");
    }
    clock().SleepFor(options_.poll_interval);
  }
}

// Waits for the clone, then grows it, places missing replicas and clears the incomplete mark.
// FailedPrecondition means the clone itself failed.
Status Controller::FinishClone(CreatePlan& plan, const std::string& src_rd) {
  LCSI_RETURN_IF_ERROR(WaitForClone(plan, src_rd));
  auto rd = ReadDefinitionWithSizes(plan.rd);
  if (!rd.ok()) return FromLinstorAs(Code::kAborted, rd.error(), "reading clone " + plan.rd);
  const int64_t kib = VolumeZeroKib(rd->volume_definitions);
  if (plan.size_kib > kib) {
    auto grown = client_->ResizeVolumeDefinition(plan.rd, 0, plan.size_kib);
    if (!grown.ok()) return FromLinstor(grown, "growing clone " + plan.rd);
  }
  Status placed = PlaceRemainingReplicas(plan, std::nullopt);
  if (!placed.ok() && placed.code() != Code::kResourceExhausted) return placed;
  return ClearIncomplete(plan);
}

Result<linstor::Snapshot> Controller::WaitForSnapshot(const std::string& rd,
                                                      const std::string& snap) {
  const auto deadline = clock().Now() + options_.clone_timeout;
  while (true) {
    auto s = client_->GetSnapshot(rd, snap);
    if (!s.ok()) return FromLinstor(s, "reading snapshot " + rd + "/" + snap);
    if (s->IsSuccessful()) return std::move(*s);
    if (s->IsFailed()) return Internal("snapshot " + rd + "/" + snap + " failed in LINSTOR");
    if (clock().Now() >= deadline) {
      return Aborted("snapshot " + rd + "/" + snap + " is not ready yet; retry later");
    }
    clock().SleepFor(options_.poll_interval);
  }
}

Result<Controller::CreateOutcome> Controller::CloneViaSnapshot(
    CreatePlan& plan, const linstor::ResourceDefinition& src) {
  // One temporary snapshot per target, so a retry finds and reuses it.
  const std::string tmp = "csi-tmp-" + Sha256Hex(plan.rd, 16);
  auto existing = client_->GetSnapshot(src.name, tmp);
  if (existing.IsNotFound()) {
    linstor::SnapshotCreate create;
    create.resource_name = src.name;
    create.name = tmp;
    create.props[props::Key(props::kOwner)] = options_.owner_id;
    create.props[props::Key(props::kTemporary)] = plan.rd;
    auto created = client_->CreateSnapshot(create);
    if (!created.ok() && !created.Is(linstor::LinstorErrorKind::kAlreadyExists)) {
      return FromLinstor(created, "snapshotting " + src.name + " to clone it into " + plan.rd);
    }
  } else if (!existing.ok()) {
    return FromLinstor(existing, "reading temporary snapshot " + src.name + "/" + tmp);
  }
  auto snap = WaitForSnapshot(src.name, tmp);
  if (!snap.ok()) return snap.status();

  Result<CreateOutcome> outcome = CreateEmptyDefinition(plan);
  if (outcome.ok() && *outcome == CreateOutcome::kCreated) {
    Status restored = RestoreInto(plan, src.name, *snap);
    if (!restored.ok()) {
      DeleteIfOurs(plan.rd, plan.csi_name);
      outcome = restored;
    }
  }
  if (!outcome.ok() || *outcome == CreateOutcome::kCreated) {
    auto deleted = client_->DeleteSnapshot(src.name, tmp);
    if (!deleted.ok() && !deleted.IsNotFound()) {
      spdlog::warn("could not remove temporary snapshot {}/{}: {}", src.name, tmp,
                   deleted.error().message());
    }
  }
  return outcome;
}

Status Controller::ClearIncomplete(CreatePlan& plan) {
  linstor::PropsModify m;
  m.delete_props = {props::Key(props::kIncomplete)};
  auto r = client_->ModifyResourceDefinition(plan.rd, m);
  return FromLinstor(r, "finishing volume " + plan.rd);
}

}  // namespace lcsi::controller
