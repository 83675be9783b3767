// FakeClock moves only when advanced or slept on, from any thread; SystemClock is the real time.
#include "base/clock.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace lcsi {
namespace {

using std::chrono::milliseconds;

TEST(FakeClockTest, TimeMovesOnlyWhenAdvancedOrSleptOn) {
  FakeClock clock;
  const Clock::TimePoint start = clock.Now();
  EXPECT_NE(start, Clock::TimePoint{}) << "not the epoch, which code may treat as unset";
  EXPECT_EQ(clock.Now(), start);

  clock.SleepFor(milliseconds(250));
  EXPECT_EQ(clock.Now() - start, milliseconds(250));
  clock.Advance(milliseconds(1000));
  EXPECT_EQ(clock.Now() - start, milliseconds(1250));
  EXPECT_EQ(clock.slept(), milliseconds(250)) << "advancing is not sleeping";

  clock.SleepFor(milliseconds(0));
  clock.SleepFor(milliseconds(-5));
  clock.Advance(milliseconds(-5));
  EXPECT_EQ(clock.Now() - start, milliseconds(1250)) << "time never runs backwards";
  const std::vector<Clock::Duration> want = {milliseconds(250), milliseconds(0), milliseconds(-5)};
  EXPECT_EQ(clock.sleeps(), want);
}

TEST(FakeClockTest, ThreadsSleepingTogetherAddUp) {
  FakeClock clock;
  const Clock::TimePoint start = clock.Now();
  constexpr int kThreads = 8;
  constexpr int kSleeps = 1000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      Clock::TimePoint last = clock.Now();
      for (int i = 0; i < kSleeps; ++i) {
        clock.SleepFor(milliseconds(1));
        const Clock::TimePoint now = clock.Now();
        EXPECT_GT(now, last);
        last = now;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(clock.Now() - start, milliseconds(kThreads * kSleeps));
  EXPECT_EQ(clock.slept(), milliseconds(kThreads * kSleeps));
  EXPECT_EQ(clock.sleeps().size(), static_cast<size_t>(kThreads * kSleeps));
}

TEST(SystemClockTest, IsTheRealTimeAndOneInstance) {
  SystemClock& clock = SystemClock::Instance();
  EXPECT_EQ(&clock, &SystemClock::Instance());
  const auto before = std::chrono::steady_clock::now();
  const Clock::TimePoint start = clock.Now();
  EXPECT_GE(start, before);
  clock.SleepFor(milliseconds(5));
  const Clock::TimePoint end = clock.Now();
  EXPECT_GE(end - start, milliseconds(5));
  EXPECT_LE(end, std::chrono::steady_clock::now());
}

}  // namespace
}  // namespace lcsi
