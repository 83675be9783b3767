#include "nodeplugin/clock.h"

#include <thread>

namespace lcsi::node {

void SystemClock::SleepFor(std::chrono::milliseconds duration) {
  std::this_thread::sleep_for(duration);
}

Clock::TimePoint FakeClock::Now() {
  std::lock_guard lock(mu_);
  return now_;
}

void FakeClock::Advance(std::chrono::milliseconds duration) {
  std::lock_guard lock(mu_);
  now_ += duration;
  slept_ += duration;
}

std::chrono::milliseconds FakeClock::slept() const {
  std::lock_guard lock(mu_);
  return slept_;
}

}  // namespace lcsi::node
