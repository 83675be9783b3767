// Clock: time for device polling and back-off, replaceable in tests.
#pragma once

#include <chrono>
#include <mutex>

namespace lcsi::node {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint Now() = 0;
  virtual void SleepFor(std::chrono::milliseconds duration) = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() override { return std::chrono::steady_clock::now(); }
  void SleepFor(std::chrono::milliseconds duration) override;
};

// Time moves only when a test advances it or something sleeps.
class FakeClock final : public Clock {
 public:
  TimePoint Now() override;
  void SleepFor(std::chrono::milliseconds duration) override { Advance(duration); }
  void Advance(std::chrono::milliseconds duration);
  std::chrono::milliseconds slept() const;

 private:
  mutable std::mutex mu_;
  TimePoint now_{std::chrono::hours(1)};
  std::chrono::milliseconds slept_{0};
};

}  // namespace lcsi::node
