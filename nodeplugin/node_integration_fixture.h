// NodeIntegrationTest: the node service over its real parts (loop devices, libblkid, mkfs,
// mount(2), bind mounts) behind a real gRPC server on a unix socket, shared by the node's
// integration tests. Needs root; TearDown checks that no mount is left below the temp directory.
#pragma once

#include <grpcpp/grpcpp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "csi/endpoint.h"
#include "csi/identity_service.h"
#include "csi/server.h"
#include "nodeplugin/block_devices.h"
#include "nodeplugin/capabilities.h"
#include "nodeplugin/libblkid_probe.h"
#include "nodeplugin/node_service.h"
#include "nodeplugin/posix_filesystem.h"
#include "nodeplugin/satellite_check.h"
#include "nodeplugin/satellite_directory.h"
#include "nodeplugin/spawn_exec.h"
#include "nodeplugin/stage_record.h"
#include "nodeplugin/system_mounter.h"
#include "nodeplugin/test_support.h"

namespace lcsi::node {

inline constexpr const char* kDriver = "linstor-cpp.csi.io";
inline constexpr int64_t kMiB = 1 << 20;
using Mode = csi::v1::VolumeCapability::AccessMode;

inline csi::v1::VolumeCapability MountCap(const std::string& fs,
                                          Mode::Mode mode = Mode::SINGLE_NODE_WRITER) {
  csi::v1::VolumeCapability cap;
  cap.mutable_mount()->set_fs_type(fs);
  cap.mutable_access_mode()->set_mode(mode);
  return cap;
}

inline csi::v1::VolumeCapability BlockCap(Mode::Mode mode = Mode::SINGLE_NODE_WRITER) {
  csi::v1::VolumeCapability cap;
  cap.mutable_block();
  cap.mutable_access_mode()->set_mode(mode);
  return cap;
}

class NodeIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (loop devices, mounts)";
    ASSERT_FALSE(dir_.path().empty());
    root_ = dir_.Sub("kubelet");
    ASSERT_EQ(::mkdir(root_.c_str(), 0750), 0);
    directory_.AddSatellite("sat-1", {{"Aux/topology/topology.kubernetes.io/zone", "zone-a"}});
    StartServer();
  }

  void TearDown() override {
    StopServer();
    if (!dir_.path().empty()) {
      EXPECT_THAT(testing::MountsUnder(dir_.path()), ::testing::IsEmpty())
          << "a mount was left behind";
    }
  }

  void StartServer() {
    NodeServiceConfig config;
    config.driver_name = kDriver;
    config.satellite = "sat-1";
    config.allowed_path_prefixes = {root_};
    config.device_wait_timeout = std::chrono::milliseconds(300);
    config.device_poll_interval = std::chrono::milliseconds(20);
    service_ = std::make_unique<NodeService>(
        config,
        NodeDependencies{mounter_, exec_, prober_, devices_, clock_, directory_, check_, files_});
    identity_ = std::make_unique<IdentityService>(kDriver, std::vector<csi::v1::PluginCapability>{},
                                                  [this] { return check_.Check(); });
    auto endpoint = ParseEndpoint("unix://" + dir_.Sub("csi.sock"));
    ASSERT_TRUE(endpoint.ok());
    server_ = std::make_unique<CsiServer>();
    Status started = server_->Start(*endpoint, {service_.get(), identity_.get()});
    ASSERT_TRUE(started.ok()) << started.ToString();
    auto channel = grpc::CreateChannel(endpoint->GrpcUri(), grpc::InsecureChannelCredentials());
    node_ = csi::v1::Node::NewStub(channel);
    identity_stub_ = csi::v1::Identity::NewStub(channel);
  }

  void StopServer() {
    if (server_) server_->Shutdown(std::chrono::milliseconds(2000));
    server_.reset();
  }

  // A fresh service instance on the same machine state, as after a plugin restart.
  void RestartServer() {
    StopServer();
    StartServer();
  }

  std::unique_ptr<testing::LoopDevice> MakeLoop(int64_t size) {
    auto loop = std::make_unique<testing::LoopDevice>(
        dir_.Sub("disk" + std::to_string(++disks_) + ".img"), size);
    EXPECT_TRUE(loop->ok()) << loop->error();
    return loop;
  }

  std::string Staging(const std::string& volume) {
    return root_ + "/plugins/kubernetes.io/csi/" + kDriver + "/" + volume + "/globalmount";
  }
  std::string Target(const std::string& volume, const std::string& pod) {
    return root_ + "/pods/" + pod + "/volumes/kubernetes.io~csi/" + volume + "/mount";
  }

  // A stage request for `volume` on `device`; LINSTOR (the fake directory) reports an UpToDate
  // replica of it on this node unless the test set other resources first.
  csi::v1::NodeStageVolumeRequest StageReq(const std::string& volume, const std::string& device,
                                           const csi::v1::VolumeCapability& cap) {
    if (!replicas_set_.count(volume)) {
      directory_.SetResources(volume, {testing::DrbdReplica(volume, "sat-1")});
      replicas_set_.insert(volume);
    }
    csi::v1::NodeStageVolumeRequest req;
    req.set_volume_id(volume);
    req.set_staging_target_path(Staging(volume));
    (*req.mutable_publish_context())[kDevicePathKey] = device;
    *req.mutable_volume_capability() = cap;
    return req;
  }
  csi::v1::NodePublishVolumeRequest PublishReq(const std::string& volume, const std::string& target,
                                               const csi::v1::VolumeCapability& cap,
                                               bool readonly) {
    csi::v1::NodePublishVolumeRequest req;
    req.set_volume_id(volume);
    req.set_staging_target_path(Staging(volume));
    req.set_target_path(target);
    req.set_readonly(readonly);
    *req.mutable_volume_capability() = cap;
    return req;
  }

  grpc::Status Stage(const csi::v1::NodeStageVolumeRequest& req) {
    grpc::ClientContext ctx;
    csi::v1::NodeStageVolumeResponse resp;
    return node_->NodeStageVolume(&ctx, req, &resp);
  }
  grpc::Status Unstage(const std::string& volume) {
    grpc::ClientContext ctx;
    csi::v1::NodeUnstageVolumeRequest req;
    req.set_volume_id(volume);
    req.set_staging_target_path(Staging(volume));
    csi::v1::NodeUnstageVolumeResponse resp;
    return node_->NodeUnstageVolume(&ctx, req, &resp);
  }
  grpc::Status Publish(const csi::v1::NodePublishVolumeRequest& req) {
    grpc::ClientContext ctx;
    csi::v1::NodePublishVolumeResponse resp;
    return node_->NodePublishVolume(&ctx, req, &resp);
  }
  grpc::Status Unpublish(const std::string& volume, const std::string& target) {
    grpc::ClientContext ctx;
    csi::v1::NodeUnpublishVolumeRequest req;
    req.set_volume_id(volume);
    req.set_target_path(target);
    csi::v1::NodeUnpublishVolumeResponse resp;
    return node_->NodeUnpublishVolume(&ctx, req, &resp);
  }
  grpc::Status Expand(const std::string& volume, const std::string& path,
                      csi::v1::NodeExpandVolumeResponse* resp, int64_t required = 0) {
    grpc::ClientContext ctx;
    csi::v1::NodeExpandVolumeRequest req;
    req.set_volume_id(volume);
    req.set_volume_path(path);
    req.set_staging_target_path(Staging(volume));
    if (required > 0) req.mutable_capacity_range()->set_required_bytes(required);
    return node_->NodeExpandVolume(&ctx, req, resp);
  }
  grpc::Status Stats(const std::string& volume, const std::string& path,
                     csi::v1::NodeGetVolumeStatsResponse* resp) {
    grpc::ClientContext ctx;
    csi::v1::NodeGetVolumeStatsRequest req;
    req.set_volume_id(volume);
    req.set_volume_path(path);
    return node_->NodeGetVolumeStats(&ctx, req, resp);
  }

  // Stages `volume` from `device` and publishes it read-write at `target`.
  ::testing::AssertionResult StageAndPublish(const std::string& volume, const std::string& device,
                                             const csi::v1::VolumeCapability& cap,
                                             const std::string& target) {
    if (grpc::Status s = Stage(StageReq(volume, device, cap)); !s.ok()) {
      return ::testing::AssertionFailure() << "NodeStageVolume: " << s.error_message();
    }
    if (grpc::Status s = Publish(PublishReq(volume, target, cap, false)); !s.ok()) {
      return ::testing::AssertionFailure() << "NodePublishVolume: " << s.error_message();
    }
    return ::testing::AssertionSuccess();
  }
  // Unpublishes `volume` from `target` and unstages it.
  ::testing::AssertionResult UnpublishAndUnstage(const std::string& volume,
                                                 const std::string& target) {
    if (grpc::Status s = Unpublish(volume, target); !s.ok()) {
      return ::testing::AssertionFailure() << "NodeUnpublishVolume: " << s.error_message();
    }
    if (grpc::Status s = Unstage(volume); !s.ok()) {
      return ::testing::AssertionFailure() << "NodeUnstageVolume: " << s.error_message();
    }
    return ::testing::AssertionSuccess();
  }

  // Stage + publish rw + write + publish ro + unpublish + unstage + stage again: data survives.
  void RunFilesystemLifecycle(const std::string& fs, int64_t size);

  testing::TempDir dir_;
  std::string root_;
  int disks_ = 0;
  std::set<std::string> replicas_set_;
  PosixFilesystem files_;
  SystemMounter mounter_;
  SpawnExec exec_;
  LibblkidProbe prober_;
  SystemBlockDevices devices_;
  FakeClock clock_;  // device and replica waits poll without sleeping in real time
  FakeSatelliteDirectory directory_;
  SatelliteCheck check_{"sat-1", "--satellite-name", directory_, clock_};
  std::unique_ptr<NodeService> service_;
  std::unique_ptr<IdentityService> identity_;
  std::unique_ptr<CsiServer> server_;
  std::unique_ptr<csi::v1::Node::Stub> node_;
  std::unique_ptr<csi::v1::Identity::Stub> identity_stub_;
};

}  // namespace lcsi::node
