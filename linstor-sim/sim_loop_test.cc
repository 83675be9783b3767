// --backing=loop: volumes are sparse files on loop devices; bytes written to a device
// survive snapshot + restore, clone and rollback; deleting everything leaves no loop device
// and no file. Needs root and /dev/loop-control; skipped otherwise.
#include <gtest/gtest.h>

#include <filesystem>

#include "linstor-sim/loop_device.h"
#include "linstor-sim/sim_test_util.h"
#include "linstor-sim/testing/block_io.h"

namespace lcsi::sim::testing {
namespace {

// device_path of volume 0 on every resource of `rd`.
std::vector<std::string> DevicePaths(SimHttp& http, const std::string& rd) {
  std::vector<std::string> out;
  Json j(http.Get("/v1/view/resources?resources=" + rd).body);
  for (auto r : j.root().get_array()) {
    out.emplace_back(r["volumes"].get_array().at(0)["device_path"].get_string().value());
  }
  return out;
}

class LoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanUseLoop()) GTEST_SKIP() << "needs root and /dev/loop-control";
    SimProcessOptions o;
    o.loop_backing = true;
    auto sim = SimProcess::Start(o);
    ASSERT_TRUE(sim.ok()) << sim.status().ToString();
    sim_ = std::move(*sim);
    http_ = std::make_unique<SimHttp>(sim_->url());
    ASSERT_EQ(
        http_->Post("/v1/resource-groups", R"({"name":"rg1","select_filter":{"place_count":2}})")
            .status,
        201);
  }
  std::string Device(const std::string& rd) {
    auto paths = DevicePaths(*http_, rd);
    if (paths.empty()) return "";
    for (const auto& p : paths) EXPECT_EQ(p, paths[0]) << "every node reports the same device";
    return paths[0];
  }
  int64_t Summary(const char* key) {
    auto s = SimAdminClient(sim_->url()).StateSummary();
    return s.ok() ? (*s)[key] : -1;
  }
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<SimHttp> http_;
};

TEST_F(LoopTest, SnapshotRestoreCloneRollbackKeepBytes) {
  ASSERT_EQ(http_
                ->Post("/v1/resource-groups/rg1/spawn",
                       R"({"resource_definition_name":"src","volume_sizes":[8192]})")
                .status,
            201);
  const std::string dev = Device("src");
  ASSERT_EQ(dev.rfind("/dev/loop", 0), 0u) << dev;
  EXPECT_EQ(DevicePaths(*http_, "src").size(), 3u) << "two replicas and a tiebreaker";
  EXPECT_EQ(DeviceBytes(dev), 8192u * 1024);
  EXPECT_EQ(LoopBackingFile(dev).rfind(std::filesystem::canonical(sim_->data_dir()).string(), 0),
            0u);

  const std::string first = Pattern('a', 64 * 1024), second = Pattern('q', 4096);
  WriteAt(dev, 0, first);
  WriteAt(dev, 5 * 1024 * 1024, second);
  ASSERT_EQ(http_->Post("/v1/resource-definitions/src/snapshots", R"({"name":"s1"})").status, 201);
  WriteAt(dev, 0, Pattern('z', 64 * 1024));  // changes after the snapshot

  // Restore into a new RD.
  ASSERT_EQ(http_
                ->Post("/v1/resource-definitions",
                       R"({"resource_definition":{"name":"dst","resource_group_name":"rg1"}})")
                .status,
            201);
  ASSERT_EQ(http_
                ->Post("/v1/resource-definitions/src/snapshot-restore-volume-definition/s1",
                       R"({"to_resource":"dst"})")
                .status,
            200);
  ASSERT_EQ(http_
                ->Post("/v1/resource-definitions/src/snapshot-restore-resource/s1",
                       R"({"to_resource":"dst"})")
                .status,
            200);
  const std::string restored = Device("dst");
  ASSERT_EQ(restored.rfind("/dev/loop", 0), 0u);
  EXPECT_NE(restored, dev);
  EXPECT_EQ(ReadAt(restored, 0, first.size()), first);
  EXPECT_EQ(ReadAt(restored, 5 * 1024 * 1024, second.size()), second);

  // Clone copies the current data.
  ASSERT_EQ(http_->Post("/v1/resource-definitions/src/clone", R"({"name":"copy"})").status, 201);
  EXPECT_EQ(ReadAt(Device("copy"), 0, 64 * 1024), Pattern('z', 64 * 1024));

  // Rollback brings the snapshot's bytes back into the source device.
  ASSERT_EQ(http_->Post("/v1/resource-definitions/src/snapshot-rollback/s1", "{}").status, 200);
  EXPECT_EQ(ReadAt(dev, 0, first.size()), first);

  // Resize grows the device.
  ASSERT_EQ(http_->Put("/v1/resource-definitions/dst/volume-definitions/0", R"({"size_kib":16384})")
                .status,
            200);
  EXPECT_EQ(DeviceBytes(restored), 16384u * 1024);
  EXPECT_EQ(ReadAt(restored, 0, first.size()), first);

  EXPECT_EQ(Summary("loop_devices"), 3);
  EXPECT_EQ(Summary("backing_files"), 4) << "3 volumes + 1 snapshot";

  // Delete everything: no loop device and no file remain.
  ASSERT_EQ(http_->Delete("/v1/resource-definitions/src/snapshots/s1").status, 200);
  for (const char* rd : {"src", "dst", "copy"}) {
    ASSERT_EQ(http_->Delete(std::string("/v1/resource-definitions/") + rd).status, 200);
  }
  EXPECT_EQ(Summary("loop_devices"), 0);
  EXPECT_EQ(Summary("backing_files"), 0);
  EXPECT_TRUE(LoopDevicesUnder(std::filesystem::canonical(sim_->data_dir()).string()).empty());
  EXPECT_TRUE(LoopBackingFile(dev).empty() ||
              LoopBackingFile(dev).find(sim_->data_dir()) == std::string::npos);
}

TEST_F(LoopTest, RestartReattachesDevicesWithData) {
  ASSERT_EQ(http_
                ->Post("/v1/resource-groups/rg1/spawn",
                       R"({"resource_definition_name":"keep","volume_sizes":[4096]})")
                .status,
            201);
  const std::string data = Pattern('k', 8192);
  WriteAt(Device("keep"), 4096, data);
  ASSERT_TRUE(SimAdminClient(sim_->url()).Flush().ok());

  // After a crash the devices stay attached and are re-used.
  const std::string before = Device("keep");
  ASSERT_TRUE(sim_->Kill().ok());
  ASSERT_TRUE(sim_->Restart().ok());
  EXPECT_EQ(Device("keep"), before);
  EXPECT_EQ(ReadAt(Device("keep"), 4096, data.size()), data);

  // A graceful stop detaches them; the next start attaches the files again.
  ASSERT_TRUE(sim_->Stop().ok());
  EXPECT_TRUE(LoopDevicesUnder(std::filesystem::canonical(sim_->data_dir()).string()).empty());
  ASSERT_TRUE(sim_->Restart().ok());
  const std::string after = Device("keep");
  ASSERT_EQ(after.rfind("/dev/loop", 0), 0u);
  EXPECT_EQ(ReadAt(after, 4096, data.size()), data);
  EXPECT_EQ(Summary("loop_devices"), 1);
}

TEST_F(LoopTest, StaleFilesAreCollectedAtStart) {
  // A volume created but never persisted (crash right after the answer) is removed again.
  ASSERT_TRUE(SimAdminClient(sim_->url()).Flush().ok());
  ASSERT_TRUE(sim_->Kill().ok());
  const std::string stray = sim_->data_dir() + "/volumes/STRAY_0.img";
  ASSERT_TRUE(CreateSparseFile(stray, 1 << 20).ok());
  auto dev = AttachLoop(stray);
  ASSERT_TRUE(dev.ok()) << dev.status().ToString();
  ASSERT_TRUE(sim_->Restart().ok());
  EXPECT_FALSE(std::filesystem::exists(stray));
  EXPECT_TRUE(LoopBackingFile(*dev).empty()) << *dev << " still attached";
  if (!LoopBackingFile(*dev).empty()) (void)DetachLoop(*dev);
}

}  // namespace
}  // namespace lcsi::sim::testing
