// A Controller on a FakeLinstorClient with three storage nodes (alpha, bravo, charlie: zone a/b/a)
// and one diskless-only node (delta).
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "controller/controller.h"
#include "controller/controller_test_util.h"
#include "linstor/fake_linstor_client.h"

namespace lcsi::controller::testing {

inline constexpr int64_t kMiB = 1024 * 1024;
inline constexpr int64_t kGiBKib = 1024 * 1024;
inline constexpr char kDriver[] = "linstor-cpp.csi.io";
inline constexpr char kOwner[] = "test-owner";

class ControllerFakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_.AddSimpleNode("alpha", "pool1", 10 * kGiBKib, {{"Aux/topology/zone", "a"}});
    fake_.AddSimpleNode("bravo", "pool1", 20 * kGiBKib, {{"Aux/topology/zone", "b"}});
    fake_.AddSimpleNode("charlie", "pool1", 30 * kGiBKib, {{"Aux/topology/zone", "a"}});
    linstor::Node delta;
    delta.name = "delta";
    fake_.AddNode(delta);
    linstor::StoragePool dl;
    dl.node_name = "delta";
    dl.storage_pool_name = "DfltDisklessStorPool";
    dl.provider_kind = "DISKLESS";
    fake_.AddStoragePool(dl);
    MakeController();
  }

  void MakeController() {
    ControllerOptions o;
    o.driver_name = kDriver;
    o.owner_id = kOwner;
    o.poll_interval = std::chrono::milliseconds(1);
    o.clone_timeout = std::chrono::milliseconds(50);
    o.sleep = [](std::chrono::milliseconds) {};
    controller_ = std::make_unique<Controller>(o, &fake_);
  }

  csi::v1::Volume Create(const csi::v1::CreateVolumeRequest& req) {
    csi::v1::CreateVolumeResponse resp;
    Status s = controller_->CreateVolume(req, &resp);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return resp.volume();
  }

  Status CreateStatus(const csi::v1::CreateVolumeRequest& req) {
    csi::v1::CreateVolumeResponse resp;
    return controller_->CreateVolume(req, &resp);
  }

  std::vector<linstor::Resource> Resources(const std::string& rd) {
    auto r = fake_.ListResources(rd);
    return r.ok() ? *r : std::vector<linstor::Resource>{};
  }
  std::vector<std::string> DiskfulNodes(const std::string& rd) {
    std::vector<std::string> out;
    for (const auto& r : Resources(rd))
      if (r.IsDiskful()) out.push_back(r.node_name);
    std::sort(out.begin(), out.end());
    return out;
  }
  bool RdExists(const std::string& rd) { return fake_.GetResourceDefinition(rd).ok(); }
  linstor::Props RdProps(const std::string& rd) {
    auto r = fake_.GetResourceDefinition(rd);
    return r.ok() ? r->props : linstor::Props{};
  }

  linstor::FakeLinstorClient fake_;
  std::unique_ptr<Controller> controller_;
};

}  // namespace lcsi::controller::testing
