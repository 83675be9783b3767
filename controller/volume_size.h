// The size of a volume: LINSTOR volume definition (or snapshot volume definition) number 0.
#pragma once

#include <cstdint>
#include <vector>

#include "linstor/model.h"

namespace lcsi::controller {

template <typename VolumeDefinitionT>
int64_t VolumeZeroKib(const std::vector<VolumeDefinitionT>& definitions) {
  for (const auto& vd : definitions)
    if (vd.volume_number == 0) return vd.size_kib;
  return 0;
}

}  // namespace lcsi::controller
