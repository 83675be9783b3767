// The volume condition of ListVolumes and ControllerGetVolume: the classifier in
// linstor/drbd_health.h, which the node's NodeGetVolumeStats uses too (one definition of a
// healthy volume: every diskful replica UpToDate, every node online, every DRBD connection up,
// quorum kept, I/O not suspended).
#pragma once

#include "linstor/drbd_health.h"

namespace lcsi::controller {

using linstor::EvaluateVolumeHealth;
using linstor::VolumeHealth;

}  // namespace lcsi::controller
