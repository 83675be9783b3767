#include "linstor/rate_limiter.h"

#include <algorithm>

namespace lcsi::linstor {

RateLimiter::RateLimiter(double rate_per_second, int burst, Clock& clock)
    : rate_(rate_per_second),
      burst_(std::max(1, burst)),
      clock_(clock),
      tokens_(burst_),
      last_(clock_.Now()) {}

Clock::Duration RateLimiter::Acquire() {
  if (rate_ <= 0) return Clock::Duration::zero();
  Clock::Duration wait{};
  {
    std::lock_guard<std::mutex> lock(mu_);
    const Clock::TimePoint now = clock_.Now();
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    tokens_ = std::min(burst_, tokens_ + std::max(0.0, elapsed) * rate_);
    // Reserve the token now (tokens may go negative): later callers queue behind us.
    tokens_ -= 1;
    if (tokens_ < 0) {
      wait = std::chrono::duration_cast<Clock::Duration>(
          std::chrono::duration<double>(-tokens_ / rate_));
    }
  }
  if (wait > Clock::Duration::zero()) clock_.SleepFor(wait);
  return wait;
}

}  // namespace lcsi::linstor
