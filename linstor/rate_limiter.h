// RateLimiter: a token bucket (rate tokens per second, up to 'burst' saved up).
// Acquire() blocks until a token is available. Thread-safe. Time comes from a Clock
// (base/clock.h), so tests run without real waiting.
#pragma once

#include <mutex>

#include "base/clock.h"

namespace lcsi::linstor {

class RateLimiter {
 public:
  // rate_per_second <= 0 disables limiting.
  RateLimiter(double rate_per_second, int burst, Clock& clock = SystemClock::Instance());

  // Takes one token, sleeping as long as needed. Returns the time waited.
  Clock::Duration Acquire();

 private:
  const double rate_;
  const double burst_;
  Clock& clock_;
  std::mutex mu_;
  double tokens_;
  Clock::TimePoint last_;
};

}  // namespace lcsi::linstor
