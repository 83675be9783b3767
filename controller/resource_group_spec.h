// The LINSTOR resource group a parameter set maps to: its name (explicit, or "csi-<hash>" of the
// placement settings and the owner id, so two installations never share one), select filter and
// properties, and what to change to bring an existing, owned group in line.
#pragma once

#include <optional>
#include <string>

#include "controller/parameters.h"
#include "linstor/model.h"

namespace lcsi::controller {

struct ResourceGroupSpec {
  std::string name;
  bool generated = false;
  linstor::SelectFilter select_filter;
  linstor::Props props;     // desired properties, including the ownership marks
  std::string fingerprint;  // hash of the placement settings (stored as Aux/csi-spec)
};

ResourceGroupSpec BuildResourceGroupSpec(const VolumeParameters& params,
                                         const std::string& owner_id);

// The modification that makes `existing` match `spec`, or nullopt when it already does.
// Only called for groups this plugin owns.
std::optional<linstor::ResourceGroupModify> ReconcileResourceGroup(
    const linstor::ResourceGroup& existing, const ResourceGroupSpec& spec);

// The resource group as POSTed when it is missing.
linstor::ResourceGroup NewResourceGroup(const ResourceGroupSpec& spec);

}  // namespace lcsi::controller
