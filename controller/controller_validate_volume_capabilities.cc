// ValidateVolumeCapabilities: confirms what the volume supports; an unsupported request is
// answered OK without "confirmed", with a message saying why.
#include "controller/controller.h"
#include "controller/parameter_map.h"
#include "controller/volume_capabilities.h"

namespace lcsi::controller {

Status Controller::ValidateVolumeCapabilities(const csi::v1::ValidateVolumeCapabilitiesRequest& req,
                                              csi::v1::ValidateVolumeCapabilitiesResponse* resp) {
  if (req.volume_id().empty()) {
    return InvalidArgument("ValidateVolumeCapabilities: volume_id is required");
  }
  if (req.volume_capabilities().empty()) {
    return InvalidArgument("ValidateVolumeCapabilities: volume_capabilities is required");
  }
  for (const auto& cap : req.volume_capabilities()) {
    if (!cap.has_block() && !cap.has_mount()) {
      return InvalidArgument("ValidateVolumeCapabilities: a capability has no access type");
    }
    if (!cap.has_access_mode()) {
      return InvalidArgument("ValidateVolumeCapabilities: a capability has no access mode");
    }
  }
  auto rd = LoadVolume(req.volume_id());
  if (!rd.ok()) return rd.status();

  // Unsupported answers: no "confirmed", a message saying why.
  if (Status caps = CheckVolumeCapabilities(req.volume_capabilities()); !caps.ok()) {
    resp->set_message(caps.message());
    return Status::Ok();
  }
  if (auto p = ParseVolumeParameters(ToParameterMap(req.parameters()), options_.driver_name);
      !p.ok()) {
    resp->set_message(p.status().message());
    return Status::Ok();
  }
  if (auto m =
          ParseMutableParameters(ToParameterMap(req.mutable_parameters()), options_.driver_name);
      !m.ok()) {
    resp->set_message(m.status().message());
    return Status::Ok();
  }
  auto* confirmed = resp->mutable_confirmed();
  *confirmed->mutable_volume_context() = req.volume_context();
  *confirmed->mutable_volume_capabilities() = req.volume_capabilities();
  *confirmed->mutable_parameters() = req.parameters();
  *confirmed->mutable_mutable_parameters() = req.mutable_parameters();
  return Status::Ok();
}

}  // namespace lcsi::controller
