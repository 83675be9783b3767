#include "base/clock.h"

#include <thread>

namespace lcsi {

SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

void SystemClock::SleepFor(Duration duration) {
  if (duration > Duration::zero()) std::this_thread::sleep_for(duration);
}

Clock::TimePoint FakeClock::Now() {
  std::lock_guard lock(mu_);
  return now_;
}

void FakeClock::SleepFor(Duration duration) {
  std::lock_guard lock(mu_);
  sleeps_.push_back(duration);
  if (duration > Duration::zero()) now_ += duration;
}

void FakeClock::Advance(Duration duration) {
  std::lock_guard lock(mu_);
  if (duration > Duration::zero()) now_ += duration;
}

Clock::Duration FakeClock::slept() const {
  std::lock_guard lock(mu_);
  Duration total{0};
  for (Duration d : sleeps_) {
    if (d > Duration::zero()) total += d;
  }
  return total;
}

std::vector<Clock::Duration> FakeClock::sleeps() const {
  std::lock_guard lock(mu_);
  return sleeps_;
}

}  // namespace lcsi
