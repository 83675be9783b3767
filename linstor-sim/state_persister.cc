#include "linstor-sim/state_persister.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/atomic_file.h"

namespace lcsi::sim {

StatePersister::StatePersister(std::string path, std::function<std::string()> serialize,
                               std::chrono::milliseconds interval)
    : path_(std::move(path)), serialize_(std::move(serialize)), interval_(interval) {
  thread_ = std::thread([this] { Run(); });
}

StatePersister::~StatePersister() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  Status st = Flush();
  if (!st.ok()) spdlog::error("linstor-sim: final state write failed: {}", st.message());
}

void StatePersister::MarkDirty() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (dirty_) return;
    dirty_ = true;
  }
  cv_.notify_all();
}

int64_t StatePersister::writes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writes_;
}

Status StatePersister::Flush() {
  std::lock_guard<std::mutex> wlock(write_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    dirty_ = false;
  }
  Status st = WriteFileAtomically(path_, serialize_(), 0600, Durability::kSurvivesMachineCrash);
  std::lock_guard<std::mutex> lock(mu_);
  if (st.ok()) ++writes_;
  return st;
}

void StatePersister::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return dirty_ || stop_; });
    if (stop_) return;
    // Coalesce: let more changes arrive before writing. A large state writes less often so
    // that writing takes at most about a fifth of the time.
    const auto wait = std::max<std::chrono::milliseconds>(interval_, 4 * last_write_);
    cv_.wait_for(lock, wait, [this] { return stop_; });
    if (stop_) return;
    lock.unlock();
    const auto started = std::chrono::steady_clock::now();
    Status st = Flush();
    if (!st.ok()) spdlog::error("linstor-sim: state write failed: {}", st.message());
    lock.lock();
    last_write_ = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
  }
}


}  // namespace lcsi::sim
