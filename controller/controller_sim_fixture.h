// A Controller on HttpLinstorClient over linstor-sim in this process (InProcessSim: no
// sockets, no threads, strict schema checks on), with three storage nodes (alpha, bravo,
// charlie: zones a/b/a, 10/20/30 GiB in pool1) and one diskless-only node (delta).
// Faults, node states and request counts go through the sim's admin API.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "controller/controller.h"
#include "controller/controller_test_util.h"
#include "linstor-sim/testing/in_process_sim.h"

namespace lcsi::controller::testing {

inline constexpr int64_t kMiB = 1024 * 1024;
inline constexpr int64_t kGiBKib = 1024 * 1024;
inline constexpr char kDriver[] = "linstor-cpp.csi.io";
inline constexpr char kOwner[] = "test-owner";

inline constexpr char kTestCluster[] = R"({"nodes": [
  {"name": "alpha", "props": {"Aux/topology/zone": "a"},
   "pools": [{"name": "pool1", "provider_kind": "LVM_THIN", "capacity_kib": 10485760}]},
  {"name": "bravo", "props": {"Aux/topology/zone": "b"},
   "pools": [{"name": "pool1", "provider_kind": "LVM_THIN", "capacity_kib": 20971520}]},
  {"name": "charlie", "props": {"Aux/topology/zone": "a"},
   "pools": [{"name": "pool1", "provider_kind": "LVM_THIN", "capacity_kib": 31457280}]},
  {"name": "delta", "diskless_only": true}]})";

// LINSTOR endpoints as the sim counts them ("METHOD /v1/template").
namespace calls {
inline constexpr char kSpawn[] = "POST /v1/resource-groups/{resource_group}/spawn";
inline constexpr char kModifyRg[] = "PUT /v1/resource-groups/{resource_group}";
inline constexpr char kListNodes[] = "GET /v1/nodes";
inline constexpr char kListRds[] = "GET /v1/resource-definitions";
inline constexpr char kModifyRd[] = "PUT /v1/resource-definitions/{resource}";
inline constexpr char kDeleteRd[] = "DELETE /v1/resource-definitions/{resource}";
inline constexpr char kResizeVd[] =
    "PUT /v1/resource-definitions/{resource}/volume-definitions/{volume_number}";
inline constexpr char kDeleteResource[] =
    "DELETE /v1/resource-definitions/{resource}/resources/{node}";
inline constexpr char kMakeAvailable[] =
    "POST /v1/resource-definitions/{resource}/resources/{node}/make-available";
inline constexpr char kViewResources[] = "GET /v1/view/resources";
inline constexpr char kRollback[] =
    "POST /v1/resource-definitions/{resource}/snapshot-rollback/{snapshot}";
inline constexpr char kClone[] = "POST /v1/resource-definitions/{resource}/clone";
inline constexpr char kMultiSnapshot[] = "POST /v1/actions/snapshot/multi";
}  // namespace calls

inline lcsi::sim::InProcessSimOptions TestClusterOptions() {
  lcsi::sim::InProcessSimOptions o;
  o.cluster_json = kTestCluster;
  return o;
}

class ControllerSimTest : public ::testing::Test {
 protected:
  ControllerSimTest() : sim_(TestClusterOptions()) {}

  // Waits (clone, snapshot, in use elsewhere) sleep on clock_, a FakeClock: a wait costs no
  // real time and ends after the same number of polls on every machine.
  ControllerOptions TestControllerOptions() {
    ControllerOptions o;
    o.driver_name = kDriver;
    o.owner_id = kOwner;
    o.poll_interval = std::chrono::milliseconds(1);
    o.clone_timeout = std::chrono::milliseconds(50);
    o.clock = &clock_;
    return o;
  }

  void SetUp() override {
    ASSERT_TRUE(sim_.status().ok()) << sim_.status().ToString();
    MakeController();
  }

  void MakeController() { MakeController(TestControllerOptions()); }
  void MakeController(ControllerOptions o) {
    controller_ = std::make_unique<Controller>(o, &client());
  }

  linstor::LinstorClient& client() { return sim_.client(); }
  lcsi::sim::SimAdminClient& admin() { return sim_.admin(); }

  // A fault rule of the sim's admin API (see linstor-sim/sim_server.h), e.g.
  // R"({"path_regex":"/spawn$","method":"POST","drop_rate":1,"count":1})".
  void Fault(const std::string& rule_json) {
    Status st = admin().AddFault(rule_json);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  // LINSTOR requests to `endpoint` (one of calls::k*) since the last reset; "" = all.
  int64_t Calls(const std::string& endpoint = "") { return sim_.Calls(endpoint); }
  void ResetCalls() { sim_.ResetCalls(); }

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
    auto r = client().ListResources(rd);
    return r.ok() ? *r : std::vector<linstor::Resource>{};
  }
  std::vector<std::string> DiskfulNodes(const std::string& rd) {
    std::vector<std::string> out;
    for (const auto& r : Resources(rd))
      if (r.IsDiskful()) out.push_back(r.node_name);
    std::sort(out.begin(), out.end());
    return out;
  }
  bool RdExists(const std::string& rd) { return client().GetResourceDefinition(rd).ok(); }
  linstor::Props RdProps(const std::string& rd) {
    auto r = client().GetResourceDefinition(rd);
    return r.ok() ? r->props : linstor::Props{};
  }
  // Volume 0's size in KiB (from the volume-definitions list).
  int64_t SizeKib(const std::string& rd) {
    auto vds = client().ListVolumeDefinitions(rd);
    if (!vds.ok()) return -1;
    for (const auto& vd : *vds)
      if (vd.volume_number == 0) return vd.size_kib;
    return -1;
  }

  FakeClock clock_;
  lcsi::sim::InProcessSim sim_;
  std::unique_ptr<Controller> controller_;
};

}  // namespace lcsi::controller::testing
