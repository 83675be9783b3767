// NodeServiceTest: the node service over fakes (FakeFilesystem, FakeMounter, FakeExec,
// FakeDeviceProbe, FakeBlockDevices, FakeClock, FakeSatelliteDirectory), shared by the node
// service's unit tests.
#pragma once

#include <sys/sysmacros.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "nodeplugin/fake_device_probe.h"
#include "nodeplugin/fake_exec.h"
#include "nodeplugin/fake_filesystem.h"
#include "nodeplugin/fake_mounter.h"
#include "nodeplugin/node_service.h"
#include "nodeplugin/satellite_check.h"
#include "nodeplugin/test_support.h"

namespace lcsi::node {

inline constexpr const char* kDriver = "linstor-cpp.csi.io";
inline constexpr const char* kDevice = "/dev/drbd1000";

class NodeServiceTest : public ::testing::Test {
 protected:
  using Mode = csi::v1::VolumeCapability::AccessMode;

  NodeServiceTest()
      : check_("sat-1", "node name", directory_, clock_),
        root_("/var/lib/kubelet"),
        staging_(root_ + "/plugins/pv1/globalmount"),
        target_(root_ + "/pods/uid/volumes/pv1/mount") {
    EXPECT_TRUE(files_.MkdirAll(root_, 0750).ok());
    directory_.AddSatellite("sat-1", {{"Aux/topology/topology.kubernetes.io/zone", "z1"},
                                      {"Aux/topology/rack", "r7"},
                                      {"Aux/other", "x"}});
    directory_.AddSatellite("sat-2");
    devices_.Add(kDevice, 1 << 30);
    for (const char* volume : {"pv1", "pv2"}) {
      directory_.SetResources(volume, {testing::DrbdReplica(volume, "sat-1")});
    }
    NodeServiceConfig config;
    config.driver_name = kDriver;
    config.satellite = "sat-1";
    config.allowed_path_prefixes = {root_};
    config.max_volumes_per_node = 12;
    config.device_wait_timeout = std::chrono::milliseconds(1000);
    config.device_poll_interval = std::chrono::milliseconds(100);
    service_ = std::make_unique<NodeService>(
        config,
        NodeDependencies{mounter_, exec_, prober_, devices_, clock_, directory_, check_, files_});
  }

  csi::v1::NodeStageVolumeRequest StageRequest(const std::string& fs = "ext4",
                                               Mode::Mode mode = Mode::SINGLE_NODE_WRITER) {
    csi::v1::NodeStageVolumeRequest req;
    req.set_volume_id("pv1");
    req.set_staging_target_path(staging_);
    (*req.mutable_publish_context())[kDevicePathKey] = kDevice;
    req.mutable_volume_capability()->mutable_mount()->set_fs_type(fs);
    req.mutable_volume_capability()->mutable_access_mode()->set_mode(mode);
    return req;
  }

  csi::v1::NodePublishVolumeRequest PublishRequest(bool readonly = false) {
    csi::v1::NodePublishVolumeRequest req;
    req.set_volume_id("pv1");
    req.set_staging_target_path(staging_);
    req.set_target_path(target_);
    req.set_readonly(readonly);
    req.mutable_volume_capability()->mutable_mount()->set_fs_type("ext4");
    req.mutable_volume_capability()->mutable_access_mode()->set_mode(Mode::SINGLE_NODE_WRITER);
    return req;
  }

  bool Exists(const std::string& path) {
    auto info = files_.Lstat(path);
    return info.ok() && info->has_value();
  }

  FakeFilesystem files_;
  FakeMounter mounter_{files_};
  FakeExec exec_;
  FakeDeviceProbe prober_;
  FakeBlockDevices devices_;
  FakeClock clock_;
  FakeSatelliteDirectory directory_;
  SatelliteCheck check_;
  std::string root_;
  std::string staging_;
  std::string target_;
  std::unique_ptr<NodeService> service_;
};

}  // namespace lcsi::node
