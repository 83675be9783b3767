// NumberPool: how the simulator hands out DRBD minors and ports.
#pragma once

#include <cstdint>
#include <set>

namespace lcsi::sim {

// Numbers from `first` upwards; a released number is handed out again (lowest first) before
// the pool grows.
class NumberPool {
 public:
  explicit NumberPool(int32_t first) : first_(first), next_(first) {}

  int32_t Take() {
    if (free_.empty()) return next_++;
    const int32_t n = *free_.begin();
    free_.erase(free_.begin());
    return n;
  }

  void Release(int32_t n) { free_.insert(n); }

  // After loading saved state: `used` are taken; the pool continues after the highest of them
  // and hands out the gaps below it first.
  void Restore(const std::set<int32_t>& used) {
    next_ = used.empty() ? first_ : *used.rbegin() + 1;
    free_.clear();
    for (int32_t n = first_; n < next_; ++n)
      if (used.count(n) == 0) free_.insert(n);
  }

 private:
  int32_t first_;
  int32_t next_;
  std::set<int32_t> free_;
};

}  // namespace lcsi::sim
