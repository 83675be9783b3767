#include "linstor/rate_limiter.h"

#include <gtest/gtest.h>

namespace lcsi::linstor {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiterTest, BurstThenRate) {
  FakeClock clock;
  RateLimiter limiter(10.0, 3, clock);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Acquire(), Clock::Duration::zero());
  EXPECT_TRUE(clock.sleeps().empty());
  // The 4th waits one token interval (100 ms at 10/s), on the clock.
  auto waited = limiter.Acquire();
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(waited).count(), 100);
  EXPECT_EQ(clock.slept(), waited);
  // After a long pause the bucket refills up to the burst only.
  clock.Advance(std::chrono::seconds(10));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Acquire(), Clock::Duration::zero());
  EXPECT_GT(limiter.Acquire(), Clock::Duration::zero());
}

TEST(RateLimiterTest, DisabledNeverWaits) {
  FakeClock clock;
  RateLimiter limiter(0, 1, clock);
  for (int i = 0; i < 100; ++i) limiter.Acquire();
  EXPECT_TRUE(clock.sleeps().empty());
}

}  // namespace
}  // namespace lcsi::linstor
