// Readiness against LINSTOR: GET /v1/controller/version, cached for a short while so that
// frequent Probe calls (livenessprobe sidecar, kubelet) cost at most one request per second.
// Ready means LINSTOR answers and is recent enough for this plugin (linstor/linstor_version.h).
// A change of outcome is logged once (why it is not ready, or that it is ready again).
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "linstor/linstor_client.h"

namespace lcsi::controller {

class LinstorProbe {
 public:
  // The age of the cached answer is measured on `clock`.
  explicit LinstorProbe(linstor::LinstorClient* client,
                        std::chrono::milliseconds ttl = std::chrono::seconds(1),
                        Clock& clock = SystemClock::Instance());
  // OK when LINSTOR answered recently and is recent enough; Unavailable (with LINSTOR's
  // reason) when it cannot be reached; FailedPrecondition (naming the LINSTOR version needed
  // and why) when it is too old.
  Status Check();

 private:
  Status Query();

  linstor::LinstorClient* client_;
  std::chrono::milliseconds ttl_;
  Clock& clock_;
  std::mutex mu_;
  bool has_result_ = false;
  Clock::TimePoint checked_at_;
  Status last_;
  bool has_logged_ = false;
  std::string last_logged_;  // the outcome last logged ("" = ready)
};

}  // namespace lcsi::controller
