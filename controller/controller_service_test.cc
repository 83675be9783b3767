#include "controller/controller_service.h"
#include "controller/group_controller_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace lcsi::controller {
namespace {

TEST(CallLimiterTest, BoundsConcurrentCalls) {
  CallLimiter limiter(2);
  std::atomic<int> inside{0};
  std::atomic<int> max_inside{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      CallLimiter::Slot slot(&limiter);
      const int now = ++inside;
      int seen = max_inside.load();
      while (now > seen && !max_inside.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      --inside;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(max_inside.load(), 2);
  EXPECT_EQ(limiter.in_use_peak(), 2);
  CallLimiter::Slot unbounded(nullptr);  // a null limiter never blocks
}

TEST(ControllerServiceTest, AdvertisesEveryImplementedCapability) {
  ControllerOptions o;
  Controller controller(o, nullptr);
  ControllerService service(&controller);
  csi::v1::ControllerGetCapabilitiesResponse resp;
  ASSERT_TRUE(service.ControllerGetCapabilities(nullptr, nullptr, &resp).ok());
  EXPECT_EQ(resp.capabilities_size(), static_cast<int>(ControllerCapabilities().size()));
  EXPECT_EQ(resp.capabilities_size(), 15);
  GroupControllerService group(&controller);
  csi::v1::GroupControllerGetCapabilitiesResponse gresp;
  ASSERT_TRUE(group.GroupControllerGetCapabilities(nullptr, nullptr, &gresp).ok());
  ASSERT_EQ(gresp.capabilities_size(), 1);
  EXPECT_EQ(
      gresp.capabilities(0).rpc().type(),
      csi::v1::GroupControllerServiceCapability::RPC::CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT);
  EXPECT_EQ(DriverPluginCapabilities().size(), 4u);
}

}  // namespace
}  // namespace lcsi::controller
