// LINSTOR rules the simulator keeps: names, snapshots block RD deletion, rollback to any
// snapshot, make-available, in-use, capacity accounting, restore preconditions,
// tiebreakers, clone.
#include <gtest/gtest.h>

#include <set>

#include "linstor-sim/api_consts.h"
#include "linstor-sim/sim_test_util.h"

namespace lcsi::sim::testing {
namespace {

class RulesTest : public SimFixture {
 protected:
  void SetUp() override {
    SimFixture::SetUp();
    CreateRg("rg1", R"({"place_count":2,"storage_pool":"pool1"})");
  }
  std::vector<std::string> Flags(const std::string& rd, const std::string& node) {
    auto r = http_->Get("/v1/resource-definitions/" + rd + "/resources/" + node);
    std::vector<std::string> out;
    if (r.status != 200) return {"<missing>"};
    Json j(r.body);
    for (auto f : j.root()["flags"].get_array()) out.emplace_back(f.get_string().value());
    return out;
  }
  std::string TieBreakerNode(const std::string& rd) {
    Json j(http_->Get("/v1/resource-definitions/" + rd + "/resources").body);
    for (auto r : j.root().get_array())
      for (auto f : r["flags"].get_array())
        if (f.get_string().value() == "TIE_BREAKER")
          return std::string(r["node_name"].get_string().value());
    return "";
  }
  HttpReply Snapshot(const std::string& rd, const std::string& name) {
    return http_->Post("/v1/resource-definitions/" + rd + "/snapshots",
                       R"({"name":")" + name + R"("})");
  }
};

TEST_F(RulesTest, NameRules) {
  struct Case {
    std::string name;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"ab", true},     {"_x", true},
      {"a-b_c9", true}, {std::string(48, 'a'), true},
      {"a", false},     {"9abc", false},
      {"-abc", false},  {"a.b", false},
      {"a b", false},   {std::string(49, 'a'), false},
      {"pvc-ä", false},
  };
  for (const auto& c : cases) {
    auto r = http_->Post("/v1/resource-definitions",
                         R"({"resource_definition":{"name":")" + c.name + R"("}})");
    if (c.valid) {
      EXPECT_EQ(r.status, 201) << c.name << ": " << r.body;
    } else {
      EXPECT_EQ(r.status, 500) << c.name;
      EXPECT_EQ(FirstRetCode(r.body), rc::kMaskRscDfn | rc::kMaskCrt | rc::kFailInvldRscName)
          << c.name;
    }
    auto g = http_->Post("/v1/resource-groups", R"({"name":")" + c.name + R"(x"})");
    if (!c.valid && c.name.size() < 48 && c.name != "a") {
      EXPECT_EQ(g.status, 500) << c.name;
    }
  }
  Spawn("rg1", "vol1");
  auto bad_snap = Snapshot("vol1", "1snap");
  EXPECT_EQ(bad_snap.status, 500);
  EXPECT_EQ(FirstRetCode(bad_snap.body),
            rc::kMaskSnapshot | rc::kMaskCrt | rc::kFailInvldSnapshotName);
}

TEST_F(RulesTest, ResourceDefinitionWithSnapshotsCannotBeDeleted) {
  Spawn("rg1", "vol1");
  ASSERT_EQ(Snapshot("vol1", "snap1").status, 201);
  auto del = http_->Delete("/v1/resource-definitions/vol1");
  EXPECT_EQ(del.status, 500);
  EXPECT_EQ(FirstRetCode(del.body), rc::kMaskRscDfn | rc::kMaskDel | rc::kFailExistsSnapshotDfn);
  EXPECT_EQ(http_->Get("/v1/resource-definitions/vol1").status, 200);
  ASSERT_EQ(http_->Delete("/v1/resource-definitions/vol1/snapshots/snap1").status, 200);
  EXPECT_EQ(http_->Delete("/v1/resource-definitions/vol1").status, 200);
  EXPECT_EQ(http_->Get("/v1/resource-definitions/vol1").status, 404);
}

TEST_F(RulesTest, SnapshotsAreSuccessfulAndListed) {
  Spawn("rg1", "vol1", 2048);
  auto s = Snapshot("vol1", "snap1");
  ASSERT_EQ(s.status, 201) << s.body;
  EXPECT_EQ(FirstRetCode(s.body), rc::kMaskSnapshot | rc::kMaskCrt | rc::kCreated);
  auto dup = Snapshot("vol1", "SNAP1");
  EXPECT_EQ(dup.status, 500);
  EXPECT_EQ(FirstRetCode(dup.body), rc::kMaskSnapshot | rc::kMaskCrt | rc::kFailExistsSnapshotDfn);

  auto get = http_->Get("/v1/resource-definitions/vol1/snapshots/snap1");
  ASSERT_EQ(get.status, 200);
  Json j(get.body);
  EXPECT_EQ(std::string(j.root()["flags"].get_array().at(0).get_string().value()), "SUCCESSFUL");
  EXPECT_EQ(j.root()["nodes"].get_array().size(), 2u);
  EXPECT_EQ(j.root()["volume_definitions"].get_array().at(0)["size_kib"].get_int64().value(), 2048);
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions/vol1/snapshots").body), 1u);
  auto missing = http_->Get("/v1/resource-definitions/vol1/snapshots/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(FirstRetCode(missing.body), rc::kMaskSnapshot | rc::kFailNotFoundSnapshotDfn);
  EXPECT_EQ(Snapshot("nope", "snap1").status, 404);
  auto del_missing = http_->Delete("/v1/resource-definitions/vol1/snapshots/nope");
  EXPECT_EQ(del_missing.status, 200);
  EXPECT_EQ(FirstRetCode(del_missing.body), rc::kMaskSnapshot | rc::kMaskDel | rc::kWarnNotFound);
}

TEST_F(RulesTest, MultiSnapshotIsAllOrNothing) {
  Spawn("rg1", "vol1");
  Spawn("rg1", "vol2");
  auto bad = http_->Post("/v1/actions/snapshot/multi",
                         R"({"snapshots":[{"name":"g1","resource_name":"vol1"},)"
                         R"({"name":"g1","resource_name":"nope"}]})");
  EXPECT_EQ(bad.status, 404);
  EXPECT_EQ(ArraySize(http_->Get("/v1/view/snapshots").body), 0u);
  auto ok = http_->Post("/v1/actions/snapshot/multi",
                        R"({"snapshots":[{"name":"g1","resource_name":"vol1"},)"
                        R"({"name":"g1","resource_name":"vol2"}]})");
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(Field(http_->Get("/v1/view/snapshots").body, "resource_name"),
            (std::vector<std::string>{"vol1", "vol2"}));
}

// Since LINSTOR 1.31.0 (rollback via restore) an older snapshot is a valid target too.
TEST_F(RulesTest, RollbackToAnySnapshot) {
  Spawn("rg1", "vol1");
  ASSERT_EQ(Snapshot("vol1", "s1").status, 201);
  ASSERT_EQ(Snapshot("vol1", "s2").status, 201);
  auto old = http_->Post("/v1/resource-definitions/vol1/snapshot-rollback/s1", "{}");
  EXPECT_EQ(old.status, 200) << old.body;
  EXPECT_EQ(FirstRetCode(old.body), rc::kMaskSnapshot | rc::kMaskMod | rc::kModified);
  auto newest = http_->Post("/v1/resource-definitions/vol1/snapshot-rollback/s2", "{}");
  EXPECT_EQ(newest.status, 200) << newest.body;
  auto missing = http_->Post("/v1/resource-definitions/vol1/snapshot-rollback/zz", "{}");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(FirstRetCode(missing.body) & rc::kMaskBitsCode, 313u);
}

TEST_F(RulesTest, MakeAvailable) {
  Spawn("rg1", "vol1");
  const std::string tb = TieBreakerNode("vol1");
  ASSERT_FALSE(tb.empty());
  // A tiebreaker becomes a plain diskless resource.
  auto on_tb = http_->Post("/v1/resource-definitions/vol1/resources/" + tb + "/make-available",
                           R"({"diskful":false})");
  ASSERT_EQ(on_tb.status, 200) << on_tb.body;
  EXPECT_TRUE(HasRetCode(on_tb.body, rc::kInfoTieBreakerTakeover));
  EXPECT_EQ(Flags("vol1", tb), (std::vector<std::string>{"DISKLESS", "DRBD_DISKLESS"}));
  // Again: nothing to do, still success.
  auto again = http_->Post("/v1/resource-definitions/vol1/resources/" + tb + "/make-available",
                           R"({"diskful":false})");
  EXPECT_EQ(again.status, 200);
  EXPECT_FALSE(rc::IsError(FirstRetCode(again.body)));
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions/vol1/resources").body), 3u);

  // On a node with a diskful replica: success, no change.
  Json rs(http_->Get("/v1/resource-definitions/vol1/resources").body);
  std::string diskful_node;
  for (auto r : rs.root().get_array())
    if (r["flags"].get_array().size() == 0)
      diskful_node = std::string(r["node_name"].get_string().value());
  auto on_disk = http_->Post(
      "/v1/resource-definitions/vol1/resources/" + diskful_node + "/make-available", "{}");
  EXPECT_EQ(on_disk.status, 200);
  EXPECT_TRUE(Flags("vol1", diskful_node).empty());

  // Creates a diskless resource where none is.
  Spawn("rg1", "vol2");
  ASSERT_EQ(
      http_->Delete("/v1/resource-definitions/vol2/resources/" + TieBreakerNode("vol2")).status,
      200);
  std::set<std::string> used;
  for (const auto& n :
       Field(http_->Get("/v1/resource-definitions/vol2/resources").body, "node_name")) {
    used.insert(n);
  }
  ASSERT_EQ(used.size(), 2u) << "the explicitly deleted tiebreaker stays deleted";
  std::string free_node;
  for (const char* n : {"sat-alpha", "sat-bravo", "sat-charlie"})
    if (used.count(n) == 0) free_node = n;
  auto create =
      http_->Post("/v1/resource-definitions/vol2/resources/" + free_node + "/make-available", "{}");
  ASSERT_EQ(create.status, 200) << create.body;
  EXPECT_EQ(Flags("vol2", free_node), (std::vector<std::string>{"DISKLESS", "DRBD_DISKLESS"}));

  auto no_rd =
      http_->Post("/v1/resource-definitions/nope/resources/sat-alpha/make-available", "{}");
  EXPECT_EQ(no_rd.status, 404);
  EXPECT_EQ(FirstRetCode(no_rd.body) & rc::kMaskBitsCode, 301u);
  auto no_node = http_->Post("/v1/resource-definitions/vol1/resources/nope/make-available", "{}");
  EXPECT_EQ(no_node.status, 404);
  EXPECT_EQ(FirstRetCode(no_node.body) & rc::kMaskBitsCode, 300u);
}

TEST_F(RulesTest, MakeAvailableDiskful) {
  CreateRg("rg-one", R"({"place_count":1})");
  Spawn("rg-one", "vol1", 4096);
  Json rs(http_->Get("/v1/resource-definitions/vol1/resources").body);
  const std::string first(rs.root().get_array().at(0)["node_name"].get_string().value());
  const std::string other = first == "sat-alpha" ? "sat-bravo" : "sat-alpha";
  const int64_t before = PoolFree(other);
  auto r = http_->Post("/v1/resource-definitions/vol1/resources/" + other + "/make-available",
                       R"({"diskful":true})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Flags("vol1", other).empty());
  EXPECT_EQ(PoolFree(other), before - 4096);
}

TEST_F(RulesTest, InUseResourceCannotBeDeleted) {
  Spawn("rg1", "vol1");
  Json rs(http_->Get("/v1/resource-definitions/vol1/resources").body);
  const std::string node(rs.root().get_array().at(0)["node_name"].get_string().value());
  SimAdminClient admin(sim_->url());
  ASSERT_TRUE(admin.SetInUse("vol1", node, true).ok());
  Json r(http_->Get("/v1/resource-definitions/vol1/resources/" + node).body);
  EXPECT_TRUE(r.root()["state"]["in_use"].get_bool().value());

  auto del = http_->Delete("/v1/resource-definitions/vol1/resources/" + node);
  EXPECT_EQ(del.status, 500);
  EXPECT_EQ(FirstRetCode(del.body), rc::kMaskRsc | rc::kMaskDel | rc::kFailInUse);
  // CtrlRscDeleteApiHelper.ensureNotInUse: the node only in the correction.
  Json del_entry(del.body);
  EXPECT_EQ(std::string(del_entry.root().at(0)["message"].get_string().value()),
            "Resource 'vol1' is still in use.");
  EXPECT_EQ(std::string(del_entry.root().at(0)["correction"].get_string().value()),
            "Un-mount resource 'vol1' on the node '" + node + "'.");
  auto del_rd = http_->Delete("/v1/resource-definitions/vol1");
  EXPECT_EQ(del_rd.status, 500);
  EXPECT_EQ(FirstRetCode(del_rd.body), rc::kMaskRscDfn | rc::kMaskDel | rc::kFailInUse);
  // CtrlRscDfnTruncateApiCallHandler.ensureNoRscInUsePriviledged: the message names the node.
  Json del_rd_entry(del_rd.body);
  EXPECT_EQ(std::string(del_rd_entry.root().at(0)["message"].get_string().value()),
            "Resource 'vol1' on node '" + node + "' is still in use.");
  ASSERT_EQ(Snapshot("vol1", "s1").status, 201);
  auto rollback = http_->Post("/v1/resource-definitions/vol1/snapshot-rollback/s1", "{}");
  EXPECT_EQ(rollback.status, 500);
  EXPECT_EQ(FirstRetCode(rollback.body) & rc::kMaskBitsCode, 997u);
  ASSERT_TRUE(admin.SetInUse("vol1", node, false).ok());
  EXPECT_EQ(http_->Delete("/v1/resource-definitions/vol1/resources/" + node).status, 200);
}

TEST_F(RulesTest, CapacityFollowsReplicasAndSnapshots) {
  const int64_t a0 = PoolFree("sat-alpha"), b0 = PoolFree("sat-bravo"),
                c0 = PoolFree("sat-charlie");
  Spawn("rg1", "vol1", 10240);
  const int64_t a1 = PoolFree("sat-alpha"), b1 = PoolFree("sat-bravo"),
                c1 = PoolFree("sat-charlie");
  EXPECT_EQ((a0 - a1) + (b0 - b1) + (c0 - c1), 2 * 10240) << "two diskful replicas";
  ASSERT_EQ(Snapshot("vol1", "s1").status, 201);
  const int64_t a2 = PoolFree("sat-alpha"), b2 = PoolFree("sat-bravo"),
                c2 = PoolFree("sat-charlie");
  EXPECT_EQ((a1 - a2) + (b1 - b2) + (c1 - c2), 2 * 10240) << "a snapshot on both replicas";
  ASSERT_EQ(http_->Delete("/v1/resource-definitions/vol1/snapshots/s1").status, 200);
  ASSERT_EQ(http_->Delete("/v1/resource-definitions/vol1").status, 200);
  EXPECT_EQ(PoolFree("sat-alpha"), a0);
  EXPECT_EQ(PoolFree("sat-bravo"), b0);
  EXPECT_EQ(PoolFree("sat-charlie"), c0);
}

TEST_F(RulesTest, RestorePreconditions) {
  Spawn("rg1", "src", 2048);
  ASSERT_EQ(Snapshot("src", "s1").status, 201);
  // Into a missing RD: not found.
  auto missing = RestoreVd("src", "s1", "dst");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(FirstRetCode(missing.body) & rc::kMaskBitsCode, 301u);
  auto missing_rsc = Restore("src", "s1", "dst");
  EXPECT_EQ(missing_rsc.status, 404);
  // Missing snapshot.
  ASSERT_EQ(http_
                ->Post("/v1/resource-definitions",
                       R"({"resource_definition":{"name":"dst","resource_group_name":"rg1"}})")
                .status,
            201);
  auto no_snap = RestoreVd("src", "zz", "dst");
  EXPECT_EQ(no_snap.status, 404);
  EXPECT_EQ(FirstRetCode(no_snap.body) & rc::kMaskBitsCode, 313u);
  // Proper restore.
  auto vd = RestoreVd("src", "s1", "dst");
  ASSERT_EQ(vd.status, 200) << vd.body;
  auto rsc = Restore("src", "s1", "dst");
  ASSERT_EQ(rsc.status, 200) << rsc.body;
  Json d(
      http_->Get("/v1/resource-definitions?resource_definitions=dst&with_volume_definitions=true")
          .body);
  EXPECT_EQ(d.root().at(0)["volume_definitions"].at(0)["size_kib"].get_int64().value(), 2048);
  Json rs(http_->Get("/v1/resource-definitions/dst/resources").body);
  int diskful = 0;
  for (auto r : rs.root().get_array()) diskful += r["flags"].get_array().size() == 0;
  EXPECT_EQ(diskful, 2);
  // Into an RD that already has volume definitions: error.
  auto again = RestoreVd("src", "s1", "dst");
  EXPECT_EQ(again.status, 500);
  EXPECT_EQ(FirstRetCode(again.body) & rc::kMaskBitsCode, 503u);
  // Restoring on a node without the snapshot.
  ASSERT_EQ(
      http_->Post("/v1/resource-definitions", R"({"resource_definition":{"name":"dst2"}})").status,
      201);
  Json snap(http_->Get("/v1/resource-definitions/src/snapshots/s1").body);
  std::set<std::string> snap_nodes;
  for (auto n : snap.root()["nodes"].get_array())
    snap_nodes.insert(std::string(n.get_string().value()));
  std::string outside;
  for (const char* n : {"sat-alpha", "sat-bravo", "sat-charlie"})
    if (snap_nodes.count(n) == 0) outside = n;
  auto wrong_node = http_->Post("/v1/resource-definitions/src/snapshot-restore-resource/s1",
                                R"({"to_resource":"dst2","nodes":[")" + outside + R"("]})");
  EXPECT_EQ(wrong_node.status, 404);
  EXPECT_EQ(FirstRetCode(wrong_node.body) & rc::kMaskBitsCode, 315u);
}

TEST_F(RulesTest, TieBreakerFollowsReplicaCount) {
  CreateRg("rg3", R"({"place_count":3})");
  Spawn("rg3", "vol1");
  EXPECT_TRUE(TieBreakerNode("vol1").empty());
  Json rs(http_->Get("/v1/resource-definitions/vol1/resources").body);
  const std::string node(rs.root().get_array().at(0)["node_name"].get_string().value());
  auto del = http_->Delete("/v1/resource-definitions/vol1/resources/" + node);
  ASSERT_EQ(del.status, 200);
  EXPECT_TRUE(HasRetCode(del.body, rc::kInfoTieBreakerCreated)) << del.body;
  EXPECT_EQ(TieBreakerNode("vol1"), node);
  // Down to one diskful replica: no tiebreaker any more.
  Json rs2(http_->Get("/v1/resource-definitions/vol1/resources").body);
  for (auto r : rs2.root().get_array()) {
    if (r["flags"].get_array().size() == 0) {
      auto d = http_->Delete("/v1/resource-definitions/vol1/resources/" +
                             std::string(r["node_name"].get_string().value()));
      ASSERT_EQ(d.status, 200);
      EXPECT_TRUE(HasRetCode(d.body, rc::kInfoTieBreakerDeleting)) << d.body;
      break;
    }
  }
  EXPECT_TRUE(TieBreakerNode("vol1").empty());
  // The property turns the automatic tiebreaker off.
  auto off = http_->Put("/v1/resource-groups/rg1",
                        R"({"override_props":{"DrbdOptions/auto-add-quorum-tiebreaker":"false"}})");
  ASSERT_EQ(off.status, 200);
  Spawn("rg1", "vol2");
  EXPECT_TRUE(TieBreakerNode("vol2").empty());
}

TEST_F(RulesTest, CloneCopiesDefinitionsAndPlacement) {
  Spawn("rg1", "src", 8192);
  ASSERT_TRUE(SimAdminClient(sim_->url()).SetClonePolls(1).ok());
  auto c = http_->Post("/v1/resource-definitions/src/clone",
                       R"({"name":"copy","override_props":{"Aux/csi/name":"c"}})");
  ASSERT_EQ(c.status, 201) << c.body;
  Json cj(c.body);
  EXPECT_EQ(std::string(cj.root()["location"].get_string().value()),
            "/v1/resource-definitions/src/clone/copy");
  EXPECT_EQ(std::string(cj.root()["clone_name"].get_string().value()), "copy");
  Json st1(http_->Get("/v1/resource-definitions/src/clone/copy").body);
  EXPECT_EQ(std::string(st1.root()["status"].get_string().value()), "CLONING");
  Json st2(http_->Get("/v1/resource-definitions/src/clone/copy").body);
  EXPECT_EQ(std::string(st2.root()["status"].get_string().value()), "COMPLETE");
  Json vds(http_->Get("/v1/resource-definitions/copy/volume-definitions").body);
  EXPECT_EQ(vds.root().at(0)["size_kib"].get_int64().value(), 8192);
  Json rd(http_->Get("/v1/resource-definitions/copy").body);
  EXPECT_EQ(std::string(rd.root()["props"]["Aux/csi/name"].get_string().value()), "c");
  // CtrlRscDfnApiCallHandler.cloneRscDfn marks the clone; isCloneReady looks only for that
  // mark on the clone's name, whatever source the path names.
  EXPECT_EQ(std::string(rd.root()["props"]["cloned-from"].get_string().value()), "src");
  EXPECT_EQ(http_->Get("/v1/resource-definitions/other/clone/copy").status, 200);
  EXPECT_EQ(http_->Get("/v1/resource-definitions/copy/clone/src").status, 404);
  auto dup = http_->Post("/v1/resource-definitions/src/clone", R"({"name":"copy"})");
  EXPECT_EQ(dup.status, 500);
  EXPECT_EQ(FirstRetCode(dup.body) & rc::kMaskBitsCode, 501u);
  EXPECT_EQ(http_->Post("/v1/resource-definitions/nope/clone", R"({"name":"c2"})").status, 404);
  EXPECT_EQ(http_->Get("/v1/resource-definitions/src/clone/nope").status, 404);
}

}  // namespace
}  // namespace lcsi::sim::testing
