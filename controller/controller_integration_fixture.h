// Integration fixture: linstor-sim (in-process, schema-checked) <- HttpLinstorClient <-
// Controller <- the real gRPC server (CsiServer) on a unix socket <- gRPC stubs.
// Cluster: sat-alpha, sat-bravo, sat-charlie (zones a/b/c, pool1 each) and sat-delta
// (diskless only).
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "base/clock.h"
#include "controller/controller.h"
#include "controller/controller_service.h"
#include "controller/controller_test_util.h"
#include "controller/group_controller_service.h"
#include "controller/linstor_probe.h"
#include "csi/csi.grpc.pb.h"
#include "csi/endpoint.h"
#include "csi/identity_service.h"
#include "csi/server.h"
#include "linstor-sim/testing/sim_process.h"
#include "linstor/http_linstor_client.h"

namespace lcsi::controller::testing {

inline constexpr int64_t kMiB = 1024 * 1024;
inline constexpr char kDriver[] = "linstor-cpp.csi.io";
inline constexpr char kNodeKey[] = "linstor-cpp.csi.io/node";

inline constexpr char kClusterJson[] = R"({"nodes": [
  {"name": "sat-alpha", "props": {"Aux/topology/zone": "zone-a"},
   "pools": [{"name": "pool1", "provider_kind": "LVM_THIN", "capacity_kib": 10485760}]},
  {"name": "sat-bravo", "props": {"Aux/topology/zone": "zone-b"},
   "pools": [{"name": "pool1", "provider_kind": "LVM_THIN", "capacity_kib": 10485760}]},
  {"name": "sat-charlie", "props": {"Aux/topology/zone": "zone-c"},
   "pools": [{"name": "pool1", "provider_kind": "LVM_THIN", "capacity_kib": 10485760}]},
  {"name": "sat-delta", "diskless_only": true}]})";

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "lcsi-ctl-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct IntegrationOptions {
  bool loop_backing = false;
  std::string owner_id = "it-owner";
  int max_retries = 1;
  std::chrono::milliseconds clone_timeout{2000};
};

class ControllerIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }

  void Start(const IntegrationOptions& o) {
    Stop();
    dir_ = std::make_unique<TempDir>();
    const std::string cluster = dir_->path() + "/cluster.json";
    std::ofstream(cluster) << kClusterJson;
    sim::ScopedSimOptions so;
    so.cluster_file = cluster;
    so.loop_backing = o.loop_backing;
    sim_ = std::make_unique<sim::ScopedSimServer>(so);
    ASSERT_TRUE(sim_->status().ok()) << sim_->status().ToString();
    admin_ = std::make_unique<sim::SimAdminClient>(sim_->url());

    linstor::ClientConfig config;
    config.controllers = {sim_->url()};
    config.max_retries = o.max_retries;
    config.retry_backoff = std::chrono::milliseconds(20);
    config.request_timeout = std::chrono::milliseconds(5000);
    auto client = linstor::HttpLinstorClient::Create(config, nullptr, clock_);
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    client_ = std::move(*client);

    ControllerOptions co;
    co.driver_name = kDriver;
    co.owner_id = o.owner_id;
    co.poll_interval = std::chrono::milliseconds(5);
    co.clone_timeout = o.clone_timeout;
    co.clock = &clock_;
    controller_ = std::make_unique<Controller>(co, client_.get());
    probe_ = std::make_unique<LinstorProbe>(client_.get(), std::chrono::milliseconds(0));
    identity_ = std::make_unique<IdentityService>(kDriver, DriverPluginCapabilities(),
                                                  [this] { return probe_->Check(); });
    service_ = std::make_unique<ControllerService>(controller_.get());
    group_service_ = std::make_unique<GroupControllerService>(controller_.get());
    auto ep = ParseEndpoint("unix://" + dir_->path() + "/csi.sock");
    ASSERT_TRUE(ep.ok());
    server_ = std::make_unique<CsiServer>();
    ASSERT_TRUE(server_->Start(*ep, {identity_.get(), service_.get(), group_service_.get()}).ok());
    auto channel = grpc::CreateChannel(ep->GrpcUri(), grpc::InsecureChannelCredentials());
    ctl_ = csi::v1::Controller::NewStub(channel);
    group_ = csi::v1::GroupController::NewStub(channel);
    identity_stub_ = csi::v1::Identity::NewStub(channel);
  }

  void Stop() {
    if (server_) server_->Shutdown(std::chrono::milliseconds(2000));
    server_.reset();
    ctl_.reset();
    group_.reset();
    identity_stub_.reset();
    service_.reset();
    group_service_.reset();
    identity_.reset();
    probe_.reset();
    controller_.reset();
    client_.reset();
    admin_.reset();
    sim_.reset();
    dir_.reset();
  }

  void TearDown() override { Stop(); }

  // One RPC through gRPC with a deadline.
  template <typename Stub, typename Req, typename Resp>
  grpc::Status Call(Stub* stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                    const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return (stub->*method)(&ctx, req, resp);
  }

  grpc::Status CreateVolume(const csi::v1::CreateVolumeRequest& req,
                            csi::v1::CreateVolumeResponse* resp) {
    return Call(ctl_.get(), &csi::v1::Controller::Stub::CreateVolume, req, resp);
  }
  csi::v1::Volume MustCreate(const csi::v1::CreateVolumeRequest& req) {
    csi::v1::CreateVolumeResponse resp;
    grpc::Status s = CreateVolume(req, &resp);
    EXPECT_TRUE(s.ok()) << req.name() << ": " << s.error_message();
    return resp.volume();
  }
  grpc::Status DeleteVolume(const std::string& id) {
    csi::v1::DeleteVolumeRequest req;
    req.set_volume_id(id);
    csi::v1::DeleteVolumeResponse resp;
    return Call(ctl_.get(), &csi::v1::Controller::Stub::DeleteVolume, req, &resp);
  }
  grpc::Status Publish(const csi::v1::ControllerPublishVolumeRequest& req,
                       csi::v1::ControllerPublishVolumeResponse* resp) {
    return Call(ctl_.get(), &csi::v1::Controller::Stub::ControllerPublishVolume, req, resp);
  }
  grpc::Status Unpublish(const std::string& vol, const std::string& node) {
    csi::v1::ControllerUnpublishVolumeResponse resp;
    return Call(ctl_.get(), &csi::v1::Controller::Stub::ControllerUnpublishVolume,
                UnpublishReq(vol, node), &resp);
  }
  grpc::Status CreateSnapshot(const std::string& name, const std::string& vol,
                              csi::v1::CreateSnapshotResponse* resp) {
    return Call(ctl_.get(), &csi::v1::Controller::Stub::CreateSnapshot, SnapshotReq(name, vol),
                resp);
  }
  grpc::Status DeleteSnapshot(const std::string& id) {
    csi::v1::DeleteSnapshotRequest req;
    req.set_snapshot_id(id);
    csi::v1::DeleteSnapshotResponse resp;
    return Call(ctl_.get(), &csi::v1::Controller::Stub::DeleteSnapshot, req, &resp);
  }

  std::map<std::string, int64_t> Summary() {
    auto s = admin_->StateSummary();
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : std::map<std::string, int64_t>{};
  }
  int64_t Count(const std::string& key) { return Summary()[key]; }
  std::map<std::string, int64_t> Counters() {
    auto c = admin_->Counters();
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : std::map<std::string, int64_t>{};
  }
  static int64_t Total(const std::map<std::string, int64_t>& counters) {
    int64_t n = 0;
    for (const auto& [k, v] : counters) n += v;
    return n;
  }
  std::vector<std::string> DiskfulNodes(const std::string& rd) {
    std::vector<std::string> out;
    auto rs = client_->ListResources(rd);
    if (!rs.ok()) return out;
    for (const auto& r : *rs)
      if (r.IsDiskful()) out.push_back(r.node_name);
    std::sort(out.begin(), out.end());
    return out;
  }

  // The controller's waits and the client's retry back-off: polls and retries cost no real time.
  FakeClock clock_;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<sim::ScopedSimServer> sim_;
  std::unique_ptr<sim::SimAdminClient> admin_;
  std::unique_ptr<linstor::HttpLinstorClient> client_;
  std::unique_ptr<Controller> controller_;
  std::unique_ptr<LinstorProbe> probe_;
  std::unique_ptr<IdentityService> identity_;
  std::unique_ptr<ControllerService> service_;
  std::unique_ptr<GroupControllerService> group_service_;
  std::unique_ptr<CsiServer> server_;
  std::unique_ptr<csi::v1::Controller::Stub> ctl_;
  std::unique_ptr<csi::v1::GroupController::Stub> group_;
  std::unique_ptr<csi::v1::Identity::Stub> identity_stub_;
};

}  // namespace lcsi::controller::testing
