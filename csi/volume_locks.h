// Per-volume operation locks. CSI wants concurrent calls for one volume serialised or refused:
// we refuse (Aborted) so the CO retries, and different volumes proceed in parallel.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

namespace lcsi {

class VolumeLocks {
 public:
  class Guard {
   public:
    Guard(Guard&& other) noexcept : locks_(other.locks_), key_(std::move(other.key_)) {
      other.locks_ = nullptr;
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    Guard& operator=(Guard&&) = delete;
    ~Guard() {
      if (locks_ != nullptr) locks_->Release(key_);
    }

   private:
    friend class VolumeLocks;
    Guard(VolumeLocks* locks, std::string key) : locks_(locks), key_(std::move(key)) {}
    VolumeLocks* locks_;
    std::string key_;
  };

  // Returns a guard holding `key`, or nullopt when another operation holds it.
  std::optional<Guard> TryLock(const std::string& key);
  bool IsHeld(const std::string& key) const;
  size_t HeldCount() const;

 private:
  void Release(const std::string& key);

  mutable std::mutex mu_;
  std::unordered_set<std::string> held_;
};

}  // namespace lcsi
