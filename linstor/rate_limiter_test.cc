#include "linstor/rate_limiter.h"

#include <gtest/gtest.h>

#include <vector>

namespace lcsi::linstor {
namespace {

using std::chrono::milliseconds;

// A manual clock: sleeping advances it.
struct ManualClock {
  RateLimiter::Clock::time_point now{};
  std::vector<RateLimiter::Clock::duration> sleeps;
  RateLimiter::NowFn now_fn() {
    return [this] { return now; };
  }
  RateLimiter::SleepFn sleep_fn() {
    return [this](RateLimiter::Clock::duration d) {
      sleeps.push_back(d);
      now += d;
    };
  }
};

TEST(RateLimiterTest, BurstThenRate) {
  ManualClock clock;
  RateLimiter limiter(10.0, 3, clock.now_fn(), clock.sleep_fn());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Acquire(), RateLimiter::Clock::duration::zero());
  EXPECT_TRUE(clock.sleeps.empty());
  // The 4th waits one token interval (100 ms at 10/s).
  auto waited = limiter.Acquire();
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(waited).count(), 100);
  // After a long pause the bucket refills up to the burst only.
  clock.now += std::chrono::seconds(10);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Acquire(), RateLimiter::Clock::duration::zero());
  EXPECT_GT(limiter.Acquire(), RateLimiter::Clock::duration::zero());
}

TEST(RateLimiterTest, DisabledNeverWaits) {
  ManualClock clock;
  RateLimiter limiter(0, 1, clock.now_fn(), clock.sleep_fn());
  for (int i = 0; i < 100; ++i) limiter.Acquire();
  EXPECT_TRUE(clock.sleeps.empty());
}

}  // namespace
}  // namespace lcsi::linstor
