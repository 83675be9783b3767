// RateLimiter: a token bucket (rate tokens per second, up to 'burst' saved up).
// Acquire() blocks until a token is available. Thread-safe. The clock and the
// sleep are injectable so tests run without real waiting.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>

namespace lcsi::linstor {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  using NowFn = std::function<Clock::time_point()>;
  using SleepFn = std::function<void(Clock::duration)>;

  // rate_per_second <= 0 disables limiting.
  RateLimiter(double rate_per_second, int burst, NowFn now = nullptr, SleepFn sleep = nullptr);

  // Takes one token, sleeping as long as needed. Returns the time waited.
  Clock::duration Acquire();

 private:
  const double rate_;
  const double burst_;
  NowFn now_;
  SleepFn sleep_;
  std::mutex mu_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace lcsi::linstor
