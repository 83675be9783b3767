#include "linstor/rate_limiter.h"

#include <algorithm>
#include <thread>

namespace lcsi::linstor {

RateLimiter::RateLimiter(double rate_per_second, int burst, NowFn now, SleepFn sleep)
    : rate_(rate_per_second),
      burst_(std::max(1, burst)),
      now_(now ? std::move(now) : [] { return Clock::now(); }),
      sleep_(sleep ? std::move(sleep) : [](Clock::duration d) { std::this_thread::sleep_for(d); }),
      tokens_(burst_),
      last_(now_()) {}

RateLimiter::Clock::duration RateLimiter::Acquire() {
  if (rate_ <= 0) return Clock::duration::zero();
  Clock::duration wait{};
  {
    std::lock_guard<std::mutex> lock(mu_);
    const Clock::time_point now = now_();
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    tokens_ = std::min(burst_, tokens_ + std::max(0.0, elapsed) * rate_);
    // Reserve the token now (tokens may go negative): later callers queue behind us.
    tokens_ -= 1;
    if (tokens_ < 0) {
      wait = std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(-tokens_ / rate_));
    }
  }
  if (wait > Clock::duration::zero()) sleep_(wait);
  return wait;
}

}  // namespace lcsi::linstor
