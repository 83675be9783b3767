// The health of a volume as LINSTOR sees it (ListVolumes / ControllerGetVolume
// volume_condition). Abnormal when:
//   - there is no diskful replica;
//   - a node holding a resource is not ONLINE (or unknown);
//   - a diskful replica's disk is not UpToDate;
//   - a resource reports that it lost quorum (it sees at most half of its DRBD peers).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "linstor/model.h"

namespace lcsi::controller {

struct VolumeHealth {
  bool abnormal = false;
  std::string message;
};

// `nodes` by name; a resource on a node missing from the map counts as on an unknown node.
VolumeHealth EvaluateVolumeHealth(const std::vector<linstor::Resource>& resources,
                                  const std::map<std::string, linstor::Node>& nodes);

}  // namespace lcsi::controller
