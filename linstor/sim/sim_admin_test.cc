// The admin API: fault injection, node offline/online, request counters, state summary.
#include <gtest/gtest.h>

#include <chrono>

#include "linstor/sim/api_consts.h"
#include "linstor/sim/sim_test_util.h"

namespace lcsi::sim::testing {
namespace {

class AdminTest : public SimFixture {
 protected:
  void SetUp() override {
    SimFixture::SetUp();
    admin_ = std::make_unique<SimAdminClient>(sim_->url());
  }
  std::unique_ptr<SimAdminClient> admin_;
};

TEST_F(AdminTest, ErrorFaultWithStatusAndCount) {
  ASSERT_TRUE(admin_
                  ->AddFault(R"({"path_regex":"/v1/nodes$","method":"GET","error_rate":1.0,)"
                             R"("http_status":503,"count":2})")
                  .ok());
  auto a = http_->Get("/v1/nodes");
  EXPECT_EQ(a.status, 503);
  EXPECT_TRUE(rc::IsError(FirstRetCode(a.body)));
  EXPECT_EQ(http_->Get("/v1/nodes").status, 503);
  EXPECT_EQ(http_->Get("/v1/nodes").status, 200) << "count exhausted";
  EXPECT_EQ(http_->Get("/v1/controller/version").status, 200) << "other paths unaffected";
  ASSERT_TRUE(
      admin_->AddFault(R"({"path_regex":"version","error_rate":1,"http_status":500})").ok());
  EXPECT_EQ(http_->Get("/v1/controller/version").status, 500);
  ASSERT_TRUE(admin_->ClearFaults().ok());
  EXPECT_EQ(http_->Get("/v1/controller/version").status, 200);
}

TEST_F(AdminTest, DroppedConnection) {
  ASSERT_TRUE(
      admin_->AddFault(R"({"path_regex":"/v1/resource-groups","drop_rate":1.0,"count":1})").ok());
  auto dropped = http_->Get("/v1/resource-groups");
  EXPECT_EQ(dropped.status, 0) << "expected a connection error, got " << dropped.body;
  EXPECT_FALSE(dropped.error.empty());
  EXPECT_EQ(http_->Get("/v1/resource-groups").status, 200);
}

TEST_F(AdminTest, FaultAfterExecutionKeepsTheChange) {
  ASSERT_TRUE(admin_
                  ->AddFault(R"({"path_regex":"/v1/resource-groups$","method":"POST",)"
                             R"("error_rate":1,"http_status":503,"phase":"after","count":1})")
                  .ok());
  auto r = http_->Post("/v1/resource-groups", R"({"name":"rg1"})");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(http_->Get("/v1/resource-groups/rg1").status, 200) << "the change happened";
  auto retry = http_->Post("/v1/resource-groups", R"({"name":"rg1"})");
  EXPECT_EQ(FirstRetCode(retry.body) & rc::kMaskBitsCode, 522u);
}

TEST_F(AdminTest, LatencyIsAdded) {
  ASSERT_TRUE(admin_->AddFault(R"({"path_regex":"version","latency_ms":150})").ok());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(http_->Get("/v1/controller/version").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
}

TEST_F(AdminTest, FaultsAreSeededAndRepeatable) {
  auto run = [&](uint64_t seed) {
    EXPECT_TRUE(admin_->ClearFaults().ok());
    EXPECT_TRUE(admin_
                    ->AddFault(R"({"path_regex":"version","error_rate":0.5,"seed":)" +
                               std::to_string(seed) + "}")
                    .ok());
    std::string pattern;
    for (int i = 0; i < 40; ++i)
      pattern += http_->Get("/v1/controller/version").status == 200 ? '.' : 'X';
    return pattern;
  };
  const std::string a = run(42), b = run(42), c = run(7);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a.find('X'), std::string::npos);
  EXPECT_NE(a.find('.'), std::string::npos);
}

TEST_F(AdminTest, BadFaultRulesAreRejected) {
  EXPECT_FALSE(admin_->AddFault(R"({"error_rate":2})").ok());
  EXPECT_FALSE(admin_->AddFault(R"({"path_regex":"("})").ok());
  EXPECT_FALSE(admin_->AddFault(R"({"bogus":1})").ok());
  EXPECT_FALSE(admin_->AddFault("not json").ok());
}

TEST_F(AdminTest, NodeOfflineAndOnline) {
  CreateRg("rg1", R"({"place_count":2})");
  Spawn("rg1", "vol1");
  const std::string node =
      Field(http_->Get("/v1/view/resources?resources=vol1").body, "node_name").at(0);
  ASSERT_TRUE(admin_->SetNodeOnline(node, false).ok());
  Json n(http_->Get("/v1/nodes/" + node).body);
  EXPECT_EQ(std::string(n.root()["connection_status"].get_string().value()), "OFFLINE");
  Json view(http_->Get("/v1/view/resources?resources=vol1&nodes=" + node).body);
  auto r = view.root().at(0);
  EXPECT_EQ(std::string(r["volumes"].at(0)["state"]["disk_state"].get_string().value()), "Unknown");
  EXPECT_NE(r["state"]["in_use"].error(), simdjson::SUCCESS) << "unknown while offline";
  // Peers see the connection down.
  Json peers(http_->Get("/v1/view/resources?resources=vol1").body);
  for (auto p : peers.root().get_array()) {
    if (p["node_name"].get_string().value() == node) continue;
    EXPECT_FALSE(p["layer_object"]["drbd"]["connections"][node]["connected"].get_bool().value());
  }
  // Placement avoids the offline node; with 2 of 3 online, 3 replicas are impossible.
  auto three = http_->Post("/v1/resource-groups/rg1/spawn",
                           R"({"resource_definition_name":"vol2","volume_sizes":[1],)"
                           R"("select_filter":{"place_count":3}})");
  EXPECT_EQ(FirstRetCode(three.body) & rc::kMaskBitsCode, 996u);
  auto snap = http_->Post("/v1/resource-definitions/vol1/snapshots", R"({"name":"s1"})");
  EXPECT_EQ(FirstRetCode(snap.body) & rc::kMaskBitsCode, 995u) << snap.body;
  ASSERT_TRUE(admin_->SetNodeOnline(node, true).ok());
  EXPECT_EQ(http_->Post("/v1/resource-definitions/vol1/snapshots", R"({"name":"s1"})").status, 201);
  EXPECT_FALSE(admin_->SetNodeOnline("nope", false).ok());
}

TEST_F(AdminTest, CountersPerEndpointTemplate) {
  ASSERT_TRUE(admin_->ResetCounters().ok());
  CreateRg("rg1", R"({"place_count":2})");
  Spawn("rg1", "vol1");
  Spawn("rg1", "vol2");
  http_->Get("/v1/resource-definitions/vol1");
  http_->Get("/v1/nodes/sat-alpha");
  auto counters = admin_->Counters();
  ASSERT_TRUE(counters.ok());
  EXPECT_EQ((*counters)["POST /v1/resource-groups/{resource_group}/spawn"], 2);
  EXPECT_EQ((*counters)["POST /v1/resource-groups"], 1);
  EXPECT_EQ((*counters)["GET /v1/resource-definitions/{resource}"], 1);
  EXPECT_EQ((*counters)["GET /v1/nodes/{node}"], 1);
  ASSERT_TRUE(admin_->ResetCounters().ok());
  auto empty = admin_->Counters();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  http_->Get("/v1/nodes");
  auto before = *admin_->Counters();
  http_->Get("/v1/nodes");
  http_->Get("/v1/view/resources");
  EXPECT_EQ(CounterDelta(before, *admin_->Counters()),
            (std::map<std::string, int64_t>{{"GET /v1/nodes", 1}, {"GET /v1/view/resources", 1}}));
}

TEST_F(AdminTest, StateSummary) {
  CreateRg("rg1", R"({"place_count":2})");
  Spawn("rg1", "vol1");
  ASSERT_EQ(http_->Post("/v1/resource-definitions/vol1/snapshots", R"({"name":"s1"})").status, 201);
  auto s = admin_->StateSummary();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)["resource_groups"], 1);
  EXPECT_EQ((*s)["resource_definitions"], 1);
  EXPECT_EQ((*s)["resources"], 3);
  EXPECT_EQ((*s)["diskful_resources"], 2);
  EXPECT_EQ((*s)["tie_breakers"], 1);
  EXPECT_EQ((*s)["snapshots"], 1);
  EXPECT_EQ((*s)["loop_devices"], 0);
}

TEST_F(AdminTest, ReportedVersionIsSettable) {
  auto initial = http_->Get("/v1/controller/version");
  ASSERT_EQ(initial.status, 200);
  EXPECT_NE(initial.body.find(R"("rest_api_version":"1.28.0")"), std::string::npos) << initial.body;
  ASSERT_TRUE(admin_->SetReportedVersion("1.31.1", "1.25.1").ok());
  auto old = http_->Get("/v1/controller/version");
  EXPECT_NE(old.body.find(R"("version":"1.31.1")"), std::string::npos) << old.body;
  EXPECT_NE(old.body.find(R"("rest_api_version":"1.25.1")"), std::string::npos) << old.body;
  EXPECT_EQ(http_->Put("/admin/v1/settings", R"({"version":"1.31.1"})").status, 400)
      << "version and rest_api_version go together";
  EXPECT_EQ(http_->Put("/admin/v1/settings", R"({"bogus":1})").status, 400);
  EXPECT_EQ(http_->Put("/admin/v1/settings", R"({"clone_polls":2})").status, 200);
}

TEST_F(AdminTest, SnapshotSuccessfulFlag) {
  CreateRg("rg1", R"({"place_count":1})");
  Spawn("rg1", "vol1");
  ASSERT_EQ(http_->Post("/v1/resource-definitions/vol1/snapshots", R"({"name":"s1"})").status, 201);
  auto flags = [&] {
    auto r = http_->Get("/v1/resource-definitions/vol1/snapshots/s1");
    return r.body.find(R"("flags":["SUCCESSFUL"])") != std::string::npos;
  };
  EXPECT_TRUE(flags());
  ASSERT_TRUE(admin_->SetSnapshotSuccessful("vol1", "s1", false).ok());
  EXPECT_FALSE(flags());
  ASSERT_TRUE(admin_->SetSnapshotSuccessful("vol1", "s1", true).ok());
  EXPECT_TRUE(flags());
  EXPECT_FALSE(admin_->SetSnapshotSuccessful("vol1", "nope", false).ok());
  EXPECT_FALSE(admin_->SetSnapshotSuccessful("nope", "s1", false).ok());
}

}  // namespace
}  // namespace lcsi::sim::testing
