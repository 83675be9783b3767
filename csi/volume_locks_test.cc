#include "csi/volume_locks.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace lcsi {
namespace {

TEST(VolumeLocks, SecondHolderIsRefusedUntilRelease) {
  VolumeLocks locks;
  {
    auto a = locks.TryLock("vol-1");
    ASSERT_TRUE(a.has_value());
    EXPECT_FALSE(locks.TryLock("vol-1").has_value());
    EXPECT_TRUE(locks.TryLock("vol-2").has_value());
    EXPECT_TRUE(locks.IsHeld("vol-1"));
  }
  EXPECT_FALSE(locks.IsHeld("vol-1"));
  EXPECT_TRUE(locks.TryLock("vol-1").has_value());
  EXPECT_EQ(locks.HeldCount(), 0u);
}

TEST(VolumeLocks, ConcurrentTryLockGrantsExactlyOne) {
  VolumeLocks locks;
  std::atomic<int> granted{0};
  std::atomic<bool> go{false};
  std::vector<std::optional<VolumeLocks::Guard>> held(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      while (!go) {
      }
      auto g = locks.TryLock("same");
      if (g) {
        ++granted;
        held[i].emplace(std::move(*g));
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted.load(), 1);
}

}  // namespace
}  // namespace lcsi
