// Readiness against LINSTOR: GET /v1/controller/version, cached for a short while so that
// frequent Probe calls (livenessprobe sidecar, kubelet) cost at most one request per second.
#pragma once

#include <chrono>
#include <mutex>

#include "csi/status.h"
#include "linstor/linstor_client.h"

namespace lcsi::controller {

class LinstorProbe {
 public:
  explicit LinstorProbe(linstor::LinstorClient* client,
                        std::chrono::milliseconds ttl = std::chrono::seconds(1));
  // OK when LINSTOR answered recently; Unavailable (with LINSTOR's reason) otherwise.
  Status Check();

 private:
  linstor::LinstorClient* client_;
  std::chrono::milliseconds ttl_;
  std::mutex mu_;
  bool has_result_ = false;
  std::chrono::steady_clock::time_point checked_at_;
  Status last_;
};

}  // namespace lcsi::controller
