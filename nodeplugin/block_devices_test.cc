#include "nodeplugin/block_devices.h"

#include <gtest/gtest.h>

#include "nodeplugin/test_support.h"

namespace lcsi::node {
namespace {

using std::chrono::milliseconds;

TEST(WaitForBlockDeviceTest, WaitsBoundedWithTheClock) {
  FakeBlockDevices devices;
  FakeClock clock;
  devices.AppearAfterPolls("/dev/drbd1000", 1 << 20, 5);
  EXPECT_TRUE(
      WaitForBlockDevice(devices, clock, "/dev/drbd1000", milliseconds(1000), milliseconds(100))
          .ok());
  EXPECT_EQ(clock.slept(), milliseconds(400));

  Status timeout =
      WaitForBlockDevice(devices, clock, "/dev/drbd1001", milliseconds(1000), milliseconds(100));
  EXPECT_EQ(timeout.code(), Code::kUnavailable);
  EXPECT_NE(timeout.message().find("/dev/drbd1001 did not appear within 1000 ms"),
            std::string::npos);
}

TEST(WaitForBlockDeviceTest, OnlyDevPaths) {
  FakeBlockDevices devices;
  FakeClock clock;
  for (const char* bad : {"/etc/passwd", "dev/sda", "/dev/../etc/x", ""}) {
    EXPECT_EQ(WaitForBlockDevice(devices, clock, bad, milliseconds(10), milliseconds(1)).code(),
              Code::kInvalidArgument)
        << bad;
  }
}

TEST(SystemBlockDevicesTest, RealLoopDevice) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  testing::TempDir dir;
  testing::LoopDevice loop(dir.Sub("disk.img"), 8 << 20);
  ASSERT_TRUE(loop.ok()) << loop.error();
  SystemBlockDevices devices;
  EXPECT_TRUE(devices.IsBlockDevice(loop.path()));
  EXPECT_FALSE(devices.IsBlockDevice(loop.backing_file()));
  EXPECT_EQ(*devices.SizeBytes(loop.path()), 8 << 20);
  ASSERT_TRUE(loop.Grow(12 << 20));
  EXPECT_EQ(*devices.SizeBytes(loop.path()), 12 << 20);
  EXPECT_EQ(devices.SizeBytes(loop.backing_file()).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(devices.SizeBytes("/dev/lcsi-missing").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace lcsi::node
