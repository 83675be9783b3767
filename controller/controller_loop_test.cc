// Data checks with linstor-sim in loop mode (each volume a sparse file on a loop device): what a
// restore or clone holds is what the source held at that moment, from any snapshot, not only
// the newest. Needs root and /dev/loop-control; every loop device is released at the end.
#include <gtest/gtest.h>

#include "controller/controller_integration_fixture.h"
#include "linstor-sim/testing/block_io.h"

namespace lcsi::controller::testing {
namespace {

using ::lcsi::sim::testing::CanUseLoop;
using ::lcsi::sim::testing::DeviceBytes;
using ::lcsi::sim::testing::Pattern;
using ::lcsi::sim::testing::ReadAt;
using ::lcsi::sim::testing::WriteAt;

class ControllerLoopTest : public ControllerIntegrationTest {
 protected:
  void SetUp() override {
    if (!CanUseLoop()) GTEST_SKIP() << "needs root and /dev/loop-control";
    IntegrationOptions o;
    o.loop_backing = true;
    Start(o);
  }
  void TearDown() override {
    if (sim_) {
      // Clean up through the plugin, then check that no loop device or file is left.
      for (const auto& id : volumes_) {
        Unpublish(id, "sat-delta");
        DeleteVolume(id);
      }
      for (const auto& id : snapshots_) DeleteSnapshot(id);
      auto summary = Summary();
      EXPECT_EQ(summary["resource_definitions"], 0);
      EXPECT_EQ(summary["loop_devices"], 0);
      EXPECT_EQ(summary["backing_files"], 0);
    }
    Stop();
  }

  // Creates a block volume and publishes it on the diskless node: returns its device.
  std::string Attach(const csi::v1::CreateVolumeRequest& req) {
    auto v = MustCreate(req);
    volumes_.push_back(v.volume_id());
    csi::v1::ControllerPublishVolumeResponse pub;
    auto preq = PublishReq(v.volume_id(), "sat-delta");
    *preq.mutable_volume_capability() = BlockCap();
    grpc::Status s = Publish(preq, &pub);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return pub.publish_context().count("devicePath") ? pub.publish_context().at("devicePath") : "";
  }
  std::string Snapshot(const std::string& name, const std::string& vol) {
    csi::v1::CreateSnapshotResponse resp;
    grpc::Status s = CreateSnapshot(name, vol, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(resp.snapshot().ready_to_use());
    snapshots_.push_back(resp.snapshot().snapshot_id());
    return resp.snapshot().snapshot_id();
  }
  static csi::v1::CreateVolumeRequest Block(const std::string& name, int64_t bytes) {
    auto req = CreateReq(name, bytes);
    *req.mutable_volume_capabilities(0) = BlockCap();
    return req;
  }

  std::vector<std::string> volumes_;
  std::vector<std::string> snapshots_;
};

TEST_F(ControllerLoopTest, RestoresAndClonesCarryTheRightData) {
  constexpr size_t kChunk = 64 * 1024;
  const off_t kTail = 8 * kMiB - kChunk;
  const std::string dev = Attach(Block("pvc-data", 8 * kMiB));
  ASSERT_EQ(dev.rfind("/dev/loop", 0), 0u) << dev;
  const std::string a = Pattern('a', kChunk), b = Pattern('b', kChunk), c = Pattern('c', kChunk);
  WriteAt(dev, 0, a);
  WriteAt(dev, kTail, a);
  const std::string s1 = Snapshot("snap-1", "pvc-data");
  WriteAt(dev, 0, b);
  WriteAt(dev, kTail, b);
  const std::string s2 = Snapshot("snap-2", "pvc-data");
  WriteAt(dev, 0, c);
  WriteAt(dev, kTail, c);

  // The older snapshot, into a volume twice as large.
  auto r1 = Block("pvc-from-old", 16 * kMiB);
  r1.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(s1);
  const std::string dev1 = Attach(r1);
  ASSERT_FALSE(dev1.empty());
  EXPECT_NE(dev1, dev);
  EXPECT_EQ(ReadAt(dev1, 0, kChunk), a);
  EXPECT_EQ(ReadAt(dev1, kTail, kChunk), a);
  EXPECT_EQ(DeviceBytes(dev1), static_cast<uint64_t>(16 * kMiB));

  // The newer snapshot.
  auto r2 = Block("pvc-from-new", 8 * kMiB);
  r2.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(s2);
  const std::string dev2 = Attach(r2);
  EXPECT_EQ(ReadAt(dev2, 0, kChunk), b);

  // A clone sees the current data; the source is unchanged by it.
  auto cl = Block("pvc-clone", 8 * kMiB);
  cl.mutable_volume_content_source()->mutable_volume()->set_volume_id("pvc-data");
  const std::string dev3 = Attach(cl);
  EXPECT_EQ(ReadAt(dev3, 0, kChunk), c);
  EXPECT_EQ(ReadAt(dev3, kTail, kChunk), c);
  WriteAt(dev3, 0, a);
  EXPECT_EQ(ReadAt(dev, 0, kChunk), c);

  // The snapshot fallback of a clone gives the same bytes.
  ASSERT_TRUE(
      admin_
          ->AddFault(R"({"path_regex":"/clone$","method":"POST","error_rate":1,"http_status":400})")
          .ok());
  auto fb = Block("pvc-clone-fallback", 8 * kMiB);
  fb.mutable_volume_content_source()->mutable_volume()->set_volume_id("pvc-data");
  const std::string dev4 = Attach(fb);
  EXPECT_EQ(ReadAt(dev4, kTail, kChunk), c);
  ASSERT_TRUE(admin_->ClearFaults().ok());

  // Expansion grows the device.
  csi::v1::ControllerExpandVolumeRequest exp;
  exp.set_volume_id("pvc-data");
  exp.mutable_capacity_range()->set_required_bytes(12 * kMiB);
  *exp.mutable_volume_capability() = BlockCap();
  csi::v1::ControllerExpandVolumeResponse eresp;
  ASSERT_TRUE(
      Call(ctl_.get(), &csi::v1::Controller::Stub::ControllerExpandVolume, exp, &eresp).ok());
  EXPECT_FALSE(eresp.node_expansion_required());
  EXPECT_EQ(DeviceBytes(dev), static_cast<uint64_t>(12 * kMiB));
  EXPECT_EQ(ReadAt(dev, kTail, kChunk), c);
}

}  // namespace
}  // namespace lcsi::controller::testing
