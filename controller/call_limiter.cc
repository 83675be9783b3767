#include "controller/call_limiter.h"

#include <algorithm>

namespace lcsi::controller {

void CallLimiter::Acquire() {
  std::unique_lock l(mu_);
  cv_.wait(l, [this] { return free_ > 0; });
  --free_;
  peak_ = std::max(peak_, ++in_use_);
}

void CallLimiter::Release() {
  {
    std::lock_guard l(mu_);
    ++free_;
    --in_use_;
  }
  cv_.notify_one();
}

int CallLimiter::in_use_peak() const {
  std::lock_guard l(mu_);
  return peak_;
}

}  // namespace lcsi::controller
