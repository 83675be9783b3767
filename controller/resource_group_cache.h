// Makes sure the resource group of a parameter set exists, at most once per process and spec:
// the warm CreateVolume path costs no LINSTOR request for it.
//   - missing: created with the spec and marked owned (Aux/csi-owner = owner id);
//   - present and owned: reconciled to the spec when its Aux/csi-spec fingerprint differs;
//   - present and not owned: used as it is, never modified.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "controller/resource_group_spec.h"
#include "base/status.h"
#include "linstor/linstor_client.h"

namespace lcsi::controller {

class ResourceGroupCache {
 public:
  ResourceGroupCache(linstor::LinstorClient* client, std::string owner_id);

  Status Ensure(const ResourceGroupSpec& spec);
  // Forget a group (e.g. spawn said it does not exist any more).
  void Invalidate(const std::string& name);
  bool IsCached(const std::string& name) const;

 private:
  Status EnsureUncached(const ResourceGroupSpec& spec);

  linstor::LinstorClient* client_;
  std::string owner_id_;
  mutable std::mutex mu_;
  std::map<std::string, std::string> ensured_;  // name -> spec fingerprint
  std::mutex cold_mu_;                          // one cold-path ensure at a time
};

}  // namespace lcsi::controller
