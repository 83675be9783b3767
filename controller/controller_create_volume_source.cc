// CreateVolume's content source, checked for existence before the request's other verdicts
// (unsupported capabilities or parameters, topology, capacity): the spec's order is required
// fields, then NOT_FOUND, then the rest. The create paths (controller_create_volume_*.cc) read the
// source again when they use it.
#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/names.h"
#include "controller/parameter_map.h"
#include "controller/props.h"

namespace lcsi::controller {

Status Controller::CheckContentSourceExists(const csi::v1::CreateVolumeRequest& req) {
  if (!req.has_volume_content_source()) return Status::Ok();
  const auto& src = req.volume_content_source();
  std::string source;  // as recorded in Aux/csi-source
  Status missing;
  if (src.has_snapshot() && !src.snapshot().snapshot_id().empty()) {
    const std::string& id = src.snapshot().snapshot_id();
    source = "snapshot:" + id;
    if (auto ref = DecodeSnapshotId(id)) {
      auto snap = client_->GetSnapshot(ref->resource_definition, ref->snapshot);
      if (snap.ok() && OwnsSnapshot(*snap)) return Status::Ok();
      if (!snap.ok() && !snap.IsNotFound()) {
        return FromLinstor(snap, "reading source snapshot " + id);
      }
    }
    missing = NotFound("source snapshot " + id + " does not exist");
  } else if (src.has_volume() && !src.volume().volume_id().empty()) {
    const std::string& id = src.volume().volume_id();
    source = "volume:" + id;
    auto volume = LoadVolume(id);
    if (volume.ok()) return Status::Ok();
    if (volume.status().code() != Code::kNotFound) return volume.status();
    missing = NotFound("source volume " + id + " does not exist");
  } else {
    return Status::Ok();  // a malformed source is judged with the other fields
  }
  // A repeat of a create that succeeded answers the volume even if its source is gone since.
  auto params = ParseVolumeParameters(ToParameterMap(req.parameters()), options_.driver_name);
  const std::string rd =
      params.ok() ? VolumeNameFor(req.name(), *params) : LinstorNameFor(req.name());
  auto existing = client_->GetResourceDefinition(rd);
  if (existing.ok() && Owns(existing->props) &&
      props::Is(existing->props, props::kName, req.name()) &&
      props::Is(existing->props, props::kSource, source)) {
    return Status::Ok();
  }
  return missing;
}

Result<Controller::CreateOutcome> Controller::SourceMissing(const std::string& rd,
                                                            const std::string& csi_name,
                                                            const std::string& message) {
  auto existing = client_->GetResourceDefinition(rd);
  if (existing.ok() && Owns(existing->props) &&
      props::Is(existing->props, props::kName, csi_name)) {
    return CreateOutcome::kExists;
  }
  return NotFound(message);
}

}  // namespace lcsi::controller
