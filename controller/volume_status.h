// The status part of ListVolumes' entries and of ControllerGetVolume's answer: published nodes
// and volume condition (both responses have their own VolumeStatus message with these fields).
#pragma once

#include <string>
#include <vector>

#include "controller/volume_condition.h"

namespace lcsi::controller {

template <typename VolumeStatus>
void FillVolumeStatus(const std::vector<std::string>& published, const VolumeHealth& health,
                      VolumeStatus* status) {
  for (const auto& n : published) status->add_published_node_ids(n);
  status->mutable_volume_condition()->set_abnormal(health.abnormal);
  status->mutable_volume_condition()->set_message(health.message);
}

}  // namespace lcsi::controller
