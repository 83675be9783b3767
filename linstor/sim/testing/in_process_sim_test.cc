// InProcessTransport and InProcessSim: HttpLinstorClient's requests reach linstor-sim's router
// without a socket, with its counters, fault rules, strict schema checks and admin API.
#include "linstor/sim/testing/in_process_sim.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lcsi::sim {
namespace {

linstor::ResourceGroupSpawn SpawnOf(const std::string& rd) {
  linstor::ResourceGroupSpawn spawn;
  spawn.resource_definition_name = rd;
  spawn.volume_sizes = {4096};
  return spawn;
}

class InProcessSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(sim_.status().ok()) << sim_.status().ToString();
    linstor::ResourceGroup rg;
    rg.name = "rg";
    rg.select_filter.place_count = 1;
    ASSERT_TRUE(sim_.client().CreateResourceGroup(rg).ok());
  }
  InProcessSim sim_;
};

TEST_F(InProcessSimTest, ClientRequestsRunTheSimsRulesAndAreCounted) {
  auto version = sim_.client().GetVersion();
  ASSERT_TRUE(version.ok()) << version.error().message();
  EXPECT_FALSE(version->rest_api_version.empty());
  sim_.ResetCalls();
  ASSERT_TRUE(sim_.client().Spawn("rg", SpawnOf("pvc-1")).ok());
  auto resources = sim_.client().ListResources("pvc-1");
  ASSERT_TRUE(resources.ok());
  ASSERT_EQ(resources->size(), 1u);
  EXPECT_TRUE(resources->front().IsDiskful());
  EXPECT_EQ(sim_.Calls("POST /v1/resource-groups/{resource_group}/spawn"), 1);
  EXPECT_EQ(sim_.Calls(), 2);
  // The sim's rules answer, not a copy of them: a second spawn of the name is refused.
  auto again = sim_.client().Spawn("rg", SpawnOf("pvc-1"));
  EXPECT_TRUE(again.Is(linstor::LinstorErrorKind::kAlreadyExists)) << again.error().message();
}

TEST_F(InProcessSimTest, StreamedListsArriveInChunks) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(sim_.client().Spawn("rg", SpawnOf("pvc-" + std::to_string(i))).ok());
  }
  // Seven-byte chunks split every element across several calls of the sink.
  linstor::HttpLinstorClient chunked(std::make_unique<InProcessTransport>(sim_.server(), 7));
  std::vector<std::string> seen;
  auto st = chunked.ForEachResource({}, [&](linstor::Resource&& r) { seen.push_back(r.name); });
  ASSERT_TRUE(st.ok()) << st.error().message();
  EXPECT_EQ(seen.size(), 5u);
}

TEST_F(InProcessSimTest, StrictSchemaRefusesWhatLinstorDoesNotRead) {
  InProcessTransport transport(sim_.server());
  auto res = transport.Send("GET", "/v1/nodes", "/v1/nodes?no_such_filter=1", nullptr);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 400) << res->body;
  const std::string body = R"({"resource_definition_name":"pvc-x","no_such_field":1})";
  res = transport.Send("POST", "/v1/resource-groups/{resource_group}/spawn",
                       "/v1/resource-groups/rg/spawn", &body);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 400) << res->body;
}

TEST_F(InProcessSimTest, FaultRulesDropOrFailRequests) {
  ASSERT_TRUE(sim_.admin()
                  .AddFault(R"({"path_regex":"/spawn$","method":"POST","drop_rate":1,"count":1})")
                  .ok());
  auto dropped = sim_.client().Spawn("rg", SpawnOf("pvc-1"));
  EXPECT_TRUE(dropped.Is(linstor::LinstorErrorKind::kUnavailable)) << dropped.error().message();
  EXPECT_FALSE(sim_.client().GetResourceDefinition("pvc-1").ok()) << "dropped before it ran";
  ASSERT_TRUE(sim_.admin()
                  .AddFault(R"({"path_regex":"^/v1/nodes$","error_rate":1,"http_status":500,
                                "count":1})")
                  .ok());
  auto failed = sim_.client().ListNodes({});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().http_status(), 500);
  EXPECT_NE(failed.error().message().find("Injected fault"), std::string::npos);
  EXPECT_TRUE(sim_.client().ListNodes({}).ok()) << "count 1: the next request passes";
}

TEST_F(InProcessSimTest, AdminApiChangesWhatLinstorReports) {
  ASSERT_TRUE(sim_.admin().SetNodeOnline("sat-bravo", false).ok());
  auto node = sim_.client().GetNode("sat-bravo");
  ASSERT_TRUE(node.ok());
  EXPECT_FALSE(node->IsOnline());

  ASSERT_TRUE(sim_.client().Spawn("rg", SpawnOf("pvc-1")).ok());
  linstor::SnapshotCreate snap;
  snap.resource_name = "pvc-1";
  snap.name = "s1";
  ASSERT_TRUE(sim_.client().CreateSnapshot(snap).ok());
  EXPECT_TRUE(sim_.client().GetSnapshot("pvc-1", "s1")->IsSuccessful());
  ASSERT_TRUE(sim_.admin().SetSnapshotSuccessful("pvc-1", "s1", false).ok());
  EXPECT_FALSE(sim_.client().GetSnapshot("pvc-1", "s1")->IsSuccessful());
  EXPECT_FALSE(sim_.admin().SetSnapshotSuccessful("pvc-1", "nope", false).ok());
}

}  // namespace
}  // namespace lcsi::sim
