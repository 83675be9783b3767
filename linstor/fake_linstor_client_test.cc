#include "linstor/fake_linstor_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace lcsi::linstor {
namespace {

constexpr int64_t kGiB = 1024 * 1024;  // in KiB

class FakeLinstorClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_.AddSimpleNode("alpha", "pool1", 10 * kGiB, {{"Aux/topology/zone", "a"}});
    fake_.AddSimpleNode("bravo", "pool1", 20 * kGiB, {{"Aux/topology/zone", "b"}});
    fake_.AddSimpleNode("charlie", "pool1", 30 * kGiB, {{"Aux/topology/zone", "a"}});
    Node diskless;
    diskless.name = "delta";
    fake_.AddNode(diskless);
    ResourceGroup rg;
    rg.name = "sc-fast";
    rg.select_filter.place_count = 2;
    rg.select_filter.storage_pool = "pool1";
    ASSERT_TRUE(fake_.CreateResourceGroup(rg).ok());
  }

  int64_t Free(const std::string& node) {
    auto pools = fake_.ListStoragePools({{node}, {"pool1"}, {}});
    EXPECT_TRUE(pools.ok());
    EXPECT_EQ(pools->size(), 1u);
    return pools->empty() ? -1 : *pools->front().free_capacity;
  }

  std::vector<std::string> Nodes(const std::string& rd, bool diskful) {
    std::vector<std::string> out;
    auto rs = fake_.ListResources(rd);
    EXPECT_TRUE(rs.ok());
    for (const auto& r : *rs)
      if (r.IsDiskful() == diskful) out.push_back(r.node_name);
    return out;
  }

  LinstorStatus SpawnVolume(const std::string& name, int64_t kib,
                            std::optional<SelectFilter> filter = std::nullopt) {
    ResourceGroupSpawn spawn;
    spawn.resource_definition_name = name;
    spawn.volume_sizes = {kib};
    spawn.resource_definition_props = {{"Aux/csi-owner", "test"}};
    spawn.select_filter = std::move(filter);
    return fake_.Spawn("sc-fast", spawn);
  }

  FakeLinstorClient fake_;
};

TEST_F(FakeLinstorClientTest, SpawnPlacesOnLargestPoolsAndChargesCapacity) {
  ASSERT_TRUE(SpawnVolume("pvc-1", kGiB).ok());
  auto diskful = Nodes("pvc-1", true);
  EXPECT_EQ(diskful, (std::vector<std::string>{"bravo", "charlie"}));
  EXPECT_EQ(Free("charlie"), 29 * kGiB);
  EXPECT_EQ(Free("bravo"), 19 * kGiB);
  EXPECT_EQ(Free("alpha"), 10 * kGiB);

  auto rd = fake_.GetResourceDefinition("pvc-1");
  ASSERT_TRUE(rd.ok());
  EXPECT_EQ(rd->resource_group_name, "sc-fast");
  ASSERT_EQ(rd->volume_definitions.size(), 1u);
  EXPECT_EQ(rd->volume_definitions[0].size_kib, kGiB);
  EXPECT_EQ(rd->props.at("Aux/csi-owner"), "test");

  auto view = fake_.ViewResources({{"bravo"}, {"pvc-1"}, {}, {}, 0, 0});
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->size(), 1u);
  ASSERT_EQ(view->front().volumes.size(), 1u);
  EXPECT_EQ(view->front().volumes[0].device_path, "/dev/drbd1000");
  EXPECT_EQ(view->front().volumes[0].disk_state, "UpToDate");
}

TEST_F(FakeLinstorClientTest, SpawnTwiceIsAlreadyExists) {
  ASSERT_TRUE(SpawnVolume("pvc-1", kGiB).ok());
  LinstorStatus again = SpawnVolume("pvc-1", kGiB);
  EXPECT_TRUE(again.Is(LinstorErrorKind::kAlreadyExists));
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
}

TEST_F(FakeLinstorClientTest, SpawnRejectsInvalidNamesAndUnknownGroup) {
  EXPECT_TRUE(SpawnVolume("1bad", kGiB).Is(LinstorErrorKind::kInvalidRequest));
  EXPECT_TRUE(SpawnVolume("a", kGiB).Is(LinstorErrorKind::kInvalidRequest));
  EXPECT_TRUE(SpawnVolume(std::string(49, 'a'), kGiB).Is(LinstorErrorKind::kInvalidRequest));
  ResourceGroupSpawn spawn;
  spawn.resource_definition_name = "pvc-x";
  spawn.volume_sizes = {kGiB};
  EXPECT_TRUE(fake_.Spawn("nope", spawn).IsNotFound());
}

TEST_F(FakeLinstorClientTest, NotEnoughNodesLeavesNothing) {
  SelectFilter f;
  f.place_count = 4;
  LinstorStatus st = SpawnVolume("pvc-1", kGiB, f);
  EXPECT_TRUE(st.Is(LinstorErrorKind::kNotEnoughNodes));
  EXPECT_EQ(st.status().code(), Code::kResourceExhausted);
  EXPECT_TRUE(fake_.GetResourceDefinition("pvc-1").IsNotFound());
  EXPECT_EQ(Free("charlie"), 30 * kGiB);

  // Too big for all but one pool.
  EXPECT_TRUE(SpawnVolume("pvc-2", 25 * kGiB).Is(LinstorErrorKind::kNotEnoughNodes));
}

TEST_F(FakeLinstorClientTest, NodeListAndReplicasOnSameDifferent) {
  SelectFilter only;
  only.node_name_list = std::vector<std::string>{"alpha", "bravo"};
  ASSERT_TRUE(SpawnVolume("pvc-1", kGiB, only).ok());
  EXPECT_EQ(Nodes("pvc-1", true), (std::vector<std::string>{"alpha", "bravo"}));

  SelectFilter same;
  same.replicas_on_same = std::vector<std::string>{"Aux/topology/zone"};
  ASSERT_TRUE(SpawnVolume("pvc-2", kGiB, same).ok());
  EXPECT_EQ(Nodes("pvc-2", true), (std::vector<std::string>{"alpha", "charlie"}));

  SelectFilter different;
  different.replicas_on_different = std::vector<std::string>{"topology/zone"};
  ASSERT_TRUE(SpawnVolume("pvc-3", kGiB, different).ok());
  auto nodes = Nodes("pvc-3", true);
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_NE(nodes, (std::vector<std::string>{"alpha", "charlie"}));

  SelectFilter three_zones = different;
  three_zones.place_count = 3;
  EXPECT_TRUE(SpawnVolume("pvc-4", kGiB, three_zones).Is(LinstorErrorKind::kNotEnoughNodes));
}

TEST_F(FakeLinstorClientTest, NotPlaceWithRscAndDisklessOnRemaining) {
  SelectFilter one;
  one.place_count = 1;
  ASSERT_TRUE(SpawnVolume("pvc-1", kGiB, one).ok());
  SelectFilter avoid = one;
  avoid.not_place_with_rsc = std::vector<std::string>{"pvc-1"};
  avoid.diskless_on_remaining = true;
  ASSERT_TRUE(SpawnVolume("pvc-2", kGiB, avoid).ok());
  auto a = Nodes("pvc-1", true);
  auto b = Nodes("pvc-2", true);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_NE(a[0], b[0]);
  EXPECT_EQ(Nodes("pvc-2", false).size(), 3u);  // the other three nodes, delta included
}

TEST_F(FakeLinstorClientTest, DefinitionsOnlyThenAutoplace) {
  ResourceGroupSpawn spawn;
  spawn.resource_definition_name = "pvc-1";
  spawn.volume_sizes = {kGiB};
  spawn.definitions_only = true;
  ASSERT_TRUE(fake_.Spawn("sc-fast", spawn).ok());
  EXPECT_TRUE(Nodes("pvc-1", true).empty());
  AutoPlaceRequest ap;
  ap.select_filter.place_count = 3;
  ASSERT_TRUE(fake_.AutoPlace("pvc-1", ap).ok());
  EXPECT_EQ(Nodes("pvc-1", true).size(), 3u);
  // Already satisfied: no-op.
  ASSERT_TRUE(fake_.AutoPlace("pvc-1", ap).ok());
  ap.select_filter.place_count = 4;
  EXPECT_TRUE(fake_.AutoPlace("pvc-1", ap).Is(LinstorErrorKind::kNotEnoughNodes));
  EXPECT_EQ(Nodes("pvc-1", true).size(), 3u);
}

TEST_F(FakeLinstorClientTest, MakeAvailableAndDeleteInUse) {
  ASSERT_TRUE(SpawnVolume("pvc-1", kGiB).ok());
  ASSERT_TRUE(fake_.MakeAvailable("pvc-1", "delta", {}).ok());
  auto r = fake_.GetResource("pvc-1", "delta");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->IsDiskless());
  EXPECT_EQ(r->volumes.at(0).device_path, "/dev/drbd1000");
  // Idempotent.
  ASSERT_TRUE(fake_.MakeAvailable("pvc-1", "delta", {}).ok());
  EXPECT_TRUE(fake_.MakeAvailable("pvc-1", "nonode", {}).IsNotFound());
  EXPECT_TRUE(fake_.MakeAvailable("nord", "delta", {}).IsNotFound());

  fake_.SetInUse("pvc-1", "delta", true);
  EXPECT_TRUE(fake_.DeleteResource("pvc-1", "delta").Is(LinstorErrorKind::kInUse));
  EXPECT_TRUE(fake_.DeleteResourceDefinition("pvc-1").Is(LinstorErrorKind::kInUse));
  fake_.SetInUse("pvc-1", "delta", false);
  EXPECT_TRUE(fake_.DeleteResource("pvc-1", "delta").ok());
  EXPECT_TRUE(fake_.DeleteResource("pvc-1", "delta").ok());  // gone: success, as LINSTOR
  EXPECT_TRUE(fake_.DeleteResource("pvc-1", "nonode").IsNotFound());
  EXPECT_TRUE(fake_.DeleteResource("nord", "delta").IsNotFound());
}

TEST_F(FakeLinstorClientTest, MakeAvailableTurnsTieBreakerIntoDiskless) {
  fake_.SetAutoTieBreaker(true);
  ASSERT_TRUE(SpawnVolume("pvc-1", kGiB).ok());
  std::string tb_node;
  for (const auto& r : *fake_.ListResources("pvc-1"))
    if (r.IsTieBreaker()) tb_node = r.node_name;
  ASSERT_FALSE(tb_node.empty());
  ASSERT_TRUE(fake_.MakeAvailable("pvc-1", tb_node, {}).ok());
  auto r = fake_.GetResource("pvc-1", tb_node);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->IsDiskless());
  EXPECT_FALSE(r->IsTieBreaker());
}

TEST_F(FakeLinstorClientTest, PropsFiltersAndPagination) {
  ASSERT_TRUE(SpawnVolume("pvc-a", kGiB).ok());
  ASSERT_TRUE(SpawnVolume("pvc-b", kGiB).ok());
  ResourceDefinitionCreate other{"other", "", {{"Aux/csi-owner", "someone-else"}}};
  ASSERT_TRUE(fake_.CreateResourceDefinition(other).ok());
  ResourceDefinitionFilter f;
  f.props = {"Aux/csi-owner=test"};
  auto mine = fake_.ListResourceDefinitions(f);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_TRUE(mine->front().volume_definitions.empty());
  f.limit = 1;
  f.offset = 1;
  f.with_volume_definitions = true;
  auto page = fake_.ListResourceDefinitions(f);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ(page->front().name, "pvc-b");
  EXPECT_EQ(page->front().volume_definitions.size(), 1u);

  PropsModify mod;
  mod.override_props = {{"Aux/csi-deleted", "true"}};
  mod.delete_props = {"Aux/csi-owner"};
  ASSERT_TRUE(fake_.ModifyResourceDefinition("pvc-a", mod).ok());
  auto rd = fake_.GetResourceDefinition("pvc-a");
  EXPECT_EQ(rd->props.count("Aux/csi-owner"), 0u);
  EXPECT_EQ(rd->props.at("Aux/csi-deleted"), "true");
}

TEST_F(FakeLinstorClientTest, SnapshotRulesAndRestore) {
  ASSERT_TRUE(SpawnVolume("pvc-1", kGiB).ok());
  const int64_t before = Free("charlie");
  ASSERT_TRUE(fake_.CreateSnapshot({"pvc-1", "snap1", {}, {{"Aux/csi-snap", "s1"}}}).ok());
  ASSERT_TRUE(fake_.CreateSnapshot({"pvc-1", "snap2", {}, {}}).ok());
  EXPECT_EQ(Free("charlie"), before - 2 * kGiB);
  EXPECT_TRUE(
      fake_.CreateSnapshot({"pvc-1", "snap1", {}, {}}).Is(LinstorErrorKind::kAlreadyExists));

  auto snap = fake_.GetSnapshot("pvc-1", "snap1");
  ASSERT_TRUE(snap.ok());
  EXPECT_TRUE(snap->IsSuccessful());
  EXPECT_EQ(snap->nodes.size(), 2u);
  EXPECT_EQ(snap->volume_definitions.at(0).size_kib, kGiB);
  EXPECT_TRUE(snap->CreateTimestamp().has_value());

  EXPECT_TRUE(fake_.DeleteResourceDefinition("pvc-1").Is(LinstorErrorKind::kAlreadyExists));
  EXPECT_FALSE(fake_.RollbackSnapshot("pvc-1", "snap1").ok());
  EXPECT_TRUE(fake_.RollbackSnapshot("pvc-1", "snap2").ok());

  // Restore needs the target RD.
  EXPECT_TRUE(fake_.RestoreVolumeDefinition("pvc-1", "snap1", "pvc-2").IsNotFound());
  ASSERT_TRUE(fake_.CreateResourceDefinition({"pvc-2", "sc-fast", {}}).ok());
  ASSERT_TRUE(fake_.RestoreVolumeDefinition("pvc-1", "snap1", "pvc-2").ok());
  ASSERT_TRUE(fake_.RestoreSnapshot("pvc-1", "snap1", {"pvc-2", {}}).ok());
  EXPECT_EQ(Nodes("pvc-2", true).size(), 2u);
  auto vds = fake_.ListVolumeDefinitions("pvc-2");
  ASSERT_TRUE(vds.ok());
  EXPECT_EQ(vds->at(0).size_kib, kGiB);

  SnapshotViewFilter vf;
  vf.snapshots = {"snap2"};
  auto view = fake_.ViewSnapshots(vf);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->size(), 1u);
  EXPECT_EQ(view->front().resource_name, "pvc-1");

  ASSERT_TRUE(fake_.DeleteSnapshot("pvc-1", "snap1").ok());
  ASSERT_TRUE(fake_.DeleteSnapshot("pvc-1", "snap2").ok());
  EXPECT_TRUE(fake_.DeleteSnapshot("pvc-1", "snap2").ok());  // gone: success, as LINSTOR
  EXPECT_TRUE(fake_.DeleteSnapshot("nope", "snap2").IsNotFound());
  EXPECT_EQ(Free("charlie"), before - kGiB);  // pvc-2's replica remains
  EXPECT_TRUE(fake_.DeleteResourceDefinition("pvc-1").ok());
}

TEST_F(FakeLinstorClientTest, MultiSnapshotIsAllOrNothing) {
  ASSERT_TRUE(SpawnVolume("pvc-1", kGiB).ok());
  ASSERT_TRUE(SpawnVolume("pvc-2", kGiB).ok());
  EXPECT_TRUE(
      fake_.CreateMultiSnapshot({{"pvc-1", "g1", {}, {}}, {"pvc-9", "g1", {}, {}}}).IsNotFound());
  EXPECT_TRUE(fake_.ListSnapshots("pvc-1")->empty());
  ASSERT_TRUE(fake_.CreateMultiSnapshot({{"pvc-1", "g1", {}, {}}, {"pvc-2", "g1", {}, {}}}).ok());
  EXPECT_EQ(fake_.ListSnapshots("pvc-2")->size(), 1u);
  EXPECT_EQ(fake_.CallCount("CreateMultiSnapshot"), 2);
  EXPECT_EQ(fake_.CallCount("CreateSnapshot"), 0);
}

TEST_F(FakeLinstorClientTest, ResizeGrowsAndChecksSpace) {
  ASSERT_TRUE(SpawnVolume("pvc-1", kGiB).ok());
  ASSERT_TRUE(fake_.ResizeVolumeDefinition("pvc-1", 0, 2 * kGiB).ok());
  EXPECT_EQ(Free("charlie"), 28 * kGiB);
  EXPECT_EQ(fake_.GetResource("pvc-1", "charlie")->volumes.at(0).allocated_size_kib, 2 * kGiB);
  EXPECT_TRUE(fake_.ResizeVolumeDefinition("pvc-1", 0, kGiB).Is(LinstorErrorKind::kInvalidRequest));
  EXPECT_TRUE(fake_.ResizeVolumeDefinition("pvc-1", 0, 100 * kGiB).Is(LinstorErrorKind::kNoSpace));
  EXPECT_TRUE(fake_.ResizeVolumeDefinition("pvc-1", 3, 4 * kGiB).IsNotFound());
}

TEST_F(FakeLinstorClientTest, QuerySizeInfoFollowsPlaceCountAndNodes) {
  auto info = fake_.QuerySizeInfo("sc-fast", nullptr);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->max_vlm_size_in_kib, 20 * kGiB);  // second largest pool, place_count 2
  EXPECT_EQ(info->capacity_in_kib, 60 * kGiB);
  SelectFilter zone;
  zone.node_name_list = std::vector<std::string>{"alpha"};
  zone.place_count = 1;
  auto one = fake_.QuerySizeInfo("sc-fast", &zone);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->max_vlm_size_in_kib, 10 * kGiB);
  EXPECT_TRUE(fake_.QuerySizeInfo("nope", nullptr).IsNotFound());
}

TEST_F(FakeLinstorClientTest, ResourceGroupLifecycle) {
  EXPECT_TRUE(fake_.GetResourceGroup("sc-fast").ok());
  ResourceGroupModify mod;
  mod.override_props = {{"DrbdOptions/Net/protocol", "C"}};
  SelectFilter sf;
  sf.place_count = 3;
  mod.select_filter = sf;
  ASSERT_TRUE(fake_.ModifyResourceGroup("sc-fast", mod).ok());
  auto rg = fake_.GetResourceGroup("sc-fast");
  EXPECT_EQ(rg->select_filter.place_count, 3);
  EXPECT_EQ(rg->select_filter.storage_pool, "pool1");  // merged, not replaced
  EXPECT_EQ(rg->props.at("DrbdOptions/Net/protocol"), "C");
  ResourceGroupFilter filter;
  filter.props = {"DrbdOptions/Net/protocol=C"};
  EXPECT_EQ(fake_.ListResourceGroups(filter)->size(), 1u);

  ASSERT_TRUE(SpawnVolume("pvc-1", kGiB).ok());
  EXPECT_TRUE(fake_.DeleteResourceGroup("sc-fast").Is(LinstorErrorKind::kInUse));
  ASSERT_TRUE(fake_.DeleteResourceDefinition("pvc-1").ok());
  EXPECT_EQ(Free("charlie"), 30 * kGiB);
  EXPECT_TRUE(fake_.DeleteResourceGroup("sc-fast").ok());
  EXPECT_TRUE(fake_.GetResourceGroup("sc-fast").IsNotFound());
  EXPECT_TRUE(fake_.DeleteResourceGroup("sc-fast").ok());  // gone: success, as LINSTOR
  EXPECT_TRUE(fake_.DeleteResourceDefinition("pvc-1").ok());
}

TEST_F(FakeLinstorClientTest, CloneCopiesVolumesAndReportsStatus) {
  ASSERT_TRUE(SpawnVolume("pvc-1", kGiB).ok());
  CloneRequest req;
  req.name = "pvc-2";
  req.override_props = {{"Aux/csi-name", "clone"}};
  auto started = fake_.StartClone("pvc-1", req);
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(started->location, "/v1/resource-definitions/pvc-1/clone/pvc-2");
  auto st = fake_.GetCloneStatus("pvc-1", "pvc-2");
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->status, CloneState::kComplete);
  EXPECT_EQ(Nodes("pvc-2", true).size(), 2u);
  EXPECT_EQ(fake_.GetResourceDefinition("pvc-2")->props.at("Aux/csi-name"), "clone");
  EXPECT_TRUE(fake_.StartClone("pvc-1", req).Is(LinstorErrorKind::kAlreadyExists));
  EXPECT_TRUE(fake_.GetCloneStatus("pvc-1", "zzz").IsNotFound());
}

TEST_F(FakeLinstorClientTest, InjectedErrorsAndCallCounts) {
  fake_.ResetCallCounts();
  fake_.InjectError("GetNode", LinstorError::Transport("connection refused", "GET"), 2);
  EXPECT_TRUE(fake_.GetNode("alpha").Is(LinstorErrorKind::kUnavailable));
  EXPECT_TRUE(fake_.GetNode("alpha").Is(LinstorErrorKind::kUnavailable));
  auto n = fake_.GetNode("alpha");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->props.at("Aux/topology/zone"), "a");
  EXPECT_TRUE(fake_.GetNode("zulu").IsNotFound());
  EXPECT_EQ(fake_.CallCount("GetNode"), 4);
  EXPECT_EQ(fake_.CallCount(), 4);
  fake_.SetNodeOnline("charlie", false);
  EXPECT_FALSE(fake_.GetNode("charlie")->IsOnline());
  ASSERT_TRUE(SpawnVolume("pvc-1", kGiB).ok());
  EXPECT_EQ(Nodes("pvc-1", true), (std::vector<std::string>{"alpha", "bravo"}));
}

TEST_F(FakeLinstorClientTest, ConcurrentSpawnsAreSafe) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        if (SpawnVolume("pvc-" + std::to_string(t) + "-" + std::to_string(i), 1024).ok()) ok++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 160);
  EXPECT_EQ(fake_.ListResourceDefinitions({})->size(), 160u);
}

}  // namespace
}  // namespace lcsi::linstor
