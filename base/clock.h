// Clock: the one source of time for waiting and caching (polls, back-offs, TTLs, rate limits),
// so that tests can replace it. What measures or bounds real OS time (latency metrics, a
// child's timeout, the gRPC shutdown grace) reads std::chrono::steady_clock on purpose.
#pragma once

#include <chrono>
#include <mutex>
#include <vector>

namespace lcsi {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;
  virtual ~Clock() = default;
  virtual TimePoint Now() = 0;
  // Returns after `duration` (at once when it is zero or negative).
  virtual void SleepFor(Duration duration) = 0;
};

// std::chrono::steady_clock and std::this_thread::sleep_for.
class SystemClock final : public Clock {
 public:
  // The process-wide instance: what every user of a Clock gets when it is handed none.
  static SystemClock& Instance();

  TimePoint Now() override { return std::chrono::steady_clock::now(); }
  void SleepFor(Duration duration) override;
};

// Time moves only when a test advances it or something sleeps on it: SleepFor returns at once,
// having moved the time forward by the duration. Thread-safe.
class FakeClock final : public Clock {
 public:
  TimePoint Now() override;
  void SleepFor(Duration duration) override;
  // Moves the time forward without counting as a sleep.
  void Advance(Duration duration);
  // The total of all SleepFor durations so far, and each of them in order.
  Duration slept() const;
  std::vector<Duration> sleeps() const;

 private:
  mutable std::mutex mu_;
  TimePoint now_{std::chrono::hours(1)};  // not the epoch: code may treat a zero time as unset
  std::vector<Duration> sleeps_;
};

}  // namespace lcsi
