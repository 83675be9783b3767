// StatePersister: writes the simulator's state file (DATA_DIR/state.json) atomically with
// base/atomic_file.h (temp file + fsync + rename + fsync of the directory).
//
// Durability contract: the simulator acknowledges a request once the change is in memory.
// MarkDirty() schedules a write; a background thread coalesces changes and writes at most
// once per interval (longer for a large state: writing takes at most ~20% of the time), so
// a crash (SIGKILL) can lose the changes of the last interval.
// Flush() and the destructor (graceful shutdown) write synchronously.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "base/status.h"

namespace lcsi::sim {

class StatePersister {
 public:
  // `serialize` produces the state JSON; it is called from the writer thread and from
  // Flush() and must do its own locking.
  StatePersister(std::string path, std::function<std::string()> serialize,
                 std::chrono::milliseconds interval);
  ~StatePersister();
  StatePersister(const StatePersister&) = delete;
  StatePersister& operator=(const StatePersister&) = delete;

  void MarkDirty();
  // Writes the current state now.
  Status Flush();
  int64_t writes() const;

 private:
  void Run();

  const std::string path_;
  const std::function<std::string()> serialize_;
  const std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  std::mutex write_mu_;  // one writer at a time
  std::condition_variable cv_;
  bool dirty_ = false;
  bool stop_ = false;
  int64_t writes_ = 0;
  std::chrono::milliseconds last_write_{0};
  std::thread thread_;
};

}  // namespace lcsi::sim
