// Bounds how many Controller and GroupController calls run at once (--worker-threads).
#pragma once

#include <condition_variable>
#include <mutex>

namespace lcsi::controller {

// Further calls wait for a slot. Shared by both services.
class CallLimiter {
 public:
  explicit CallLimiter(int max_concurrent) : free_(max_concurrent) {}
  // Holds one slot for its lifetime; a null limiter means no bound.
  class Slot {
   public:
    explicit Slot(CallLimiter* limiter) : l_(limiter) {
      if (l_ != nullptr) l_->Acquire();
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() {
      if (l_ != nullptr) l_->Release();
    }

   private:
    CallLimiter* l_;
  };
  // The most slots ever held at once (for tests).
  int in_use_peak() const;

 private:
  void Acquire();
  void Release();
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int free_;
  int in_use_ = 0;
  int peak_ = 0;
};

}  // namespace lcsi::controller
