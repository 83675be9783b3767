// Every LinstorClient operation of HttpLinstorClient over real HTTP against linstor-sim
// (in-process server for speed; child processes for failover and TLS). The simulator
// validates the client's request bodies and query parameters against the LINSTOR schema
// (strict_schema), so a renamed field fails these tests.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "linstor-sim/testing/sim_process.h"
#include "linstor/http_linstor_client.h"

namespace lcsi::linstor {
namespace {

constexpr int64_t kGiB = 1024 * 1024;  // KiB

ClientConfig FastConfig(const std::vector<std::string>& urls) {
  ClientConfig c;
  c.controllers = urls;
  c.retry_backoff = std::chrono::milliseconds(5);
  c.max_retry_backoff = std::chrono::milliseconds(20);
  c.connect_timeout = std::chrono::milliseconds(2000);
  c.request_timeout = std::chrono::milliseconds(5000);
  return c;
}

class HttpClientSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(sim_.status().ok()) << sim_.status().ToString();
    admin_ = std::make_unique<sim::SimAdminClient>(sim_.url());
    auto client = HttpLinstorClient::Create(
        FastConfig({sim_.url()}),
        [this](const HttpRequestInfo& info) {
          std::lock_guard<std::mutex> lock(mu_);
          seen_[std::string(info.method) + " " + std::string(info.path_template)]++;
        },
        clock_);
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    client_ = std::move(client).value();
  }

  void CreateGroup(const std::string& name, int place_count) {
    ResourceGroup rg;
    rg.name = name;
    rg.description = "test group";
    rg.props = {{"Aux/csi/owner", "client-test"}};
    rg.select_filter.place_count = place_count;
    rg.select_filter.storage_pool = "pool1";
    ASSERT_TRUE(client_->CreateResourceGroup(rg).ok());
  }

  LinstorStatus SpawnVolume(const std::string& rg, const std::string& name, int64_t kib,
                            std::optional<SelectFilter> filter = std::nullopt,
                            bool definitions_only = false) {
    ResourceGroupSpawn spawn;
    spawn.resource_definition_name = name;
    spawn.volume_sizes = {kib};
    spawn.resource_definition_props = {{"Aux/csi/owner", "client-test"}, {"Aux/csi/name", name}};
    spawn.select_filter = std::move(filter);
    spawn.definitions_only = definitions_only;
    return client_->Spawn(rg, spawn);
  }

  std::vector<Resource> View(const std::string& rd) {
    ResourceViewFilter f;
    f.resources = {rd};
    auto rs = client_->ViewResources(f);
    EXPECT_TRUE(rs.ok()) << rs.error().ToString();
    return rs.ok() ? rs.value() : std::vector<Resource>{};
  }

  int Diskful(const std::string& rd) {
    int n = 0;
    for (const auto& r : View(rd)) n += r.IsDiskful() ? 1 : 0;
    return n;
  }

  int Seen(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_[key];
  }

  FakeClock clock_;  // the retry back-off: no real waiting
  sim::ScopedSimServer sim_;
  std::unique_ptr<sim::SimAdminClient> admin_;
  std::unique_ptr<HttpLinstorClient> client_;
  std::mutex mu_;
  std::map<std::string, int> seen_;
};

TEST_F(HttpClientSimTest, VersionNodesAndStoragePools) {
  auto v = client_->GetVersion();
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_FALSE(v->version.empty());
  EXPECT_FALSE(v->rest_api_version.empty());

  auto nodes = client_->ListNodes({});
  ASSERT_TRUE(nodes.ok()) << nodes.error().ToString();
  ASSERT_EQ(nodes->size(), 3u);
  EXPECT_EQ(nodes->front().name, "sat-alpha");
  EXPECT_TRUE(nodes->front().IsOnline());
  EXPECT_EQ(nodes->front().props.at("Aux/topology/zone"), "zone-a");
  auto two = client_->ListNodes({"sat-alpha", "sat-charlie"});
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 2u);

  auto node = client_->GetNode("sat-bravo");
  ASSERT_TRUE(node.ok()) << node.error().ToString();
  EXPECT_EQ(node->name, "sat-bravo");
  auto missing = client_->GetNode("nope");
  EXPECT_TRUE(missing.IsNotFound());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);

  ASSERT_TRUE(admin_->SetNodeOnline("sat-charlie", false).ok());
  EXPECT_FALSE(client_->GetNode("sat-charlie")->IsOnline());
  ASSERT_TRUE(admin_->SetNodeOnline("sat-charlie", true).ok());

  auto pools = client_->ListStoragePools({{"sat-alpha"}, {}, {}});
  ASSERT_TRUE(pools.ok()) << pools.error().ToString();
  ASSERT_EQ(pools->size(), 2u);
  int64_t total = 0;
  for (const auto& p : *pools) {
    EXPECT_EQ(p.node_name, "sat-alpha");
    if (!p.IsDiskless()) total = p.total_capacity.value_or(0);
  }
  EXPECT_EQ(total, 100 * kGiB);
  auto only_pool1 = client_->ListStoragePools({{}, {"pool1"}, {}});
  ASSERT_TRUE(only_pool1.ok());
  EXPECT_EQ(only_pool1->size(), 3u);
}

// LINSTOR drops props on POST /v1/resource-groups: the client sets them with a PUT, and
// removes the group again when that PUT fails (a group without its owner props would not be
// recognised as the plugin's).
TEST_F(HttpClientSimTest, ResourceGroupPropsAreSetAfterCreation) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    seen_.clear();
  }
  CreateGroup("rg-props", 2);
  auto rg = client_->GetResourceGroup("rg-props");
  ASSERT_TRUE(rg.ok()) << rg.error().ToString();
  EXPECT_EQ(rg->props.at("Aux/csi/owner"), "client-test");
  {
    std::lock_guard<std::mutex> lock(mu_);
    EXPECT_EQ(seen_["POST /v1/resource-groups"], 1);
    EXPECT_EQ(seen_["PUT /v1/resource-groups/{resource_group}"], 1);
  }
  ASSERT_TRUE(admin_
                  ->AddFault(R"({"path_regex":"^/v1/resource-groups/rg-fail$","method":"PUT",)"
                             R"("error_rate":1,"http_status":500,"count":5})")
                  .ok());
  ResourceGroup fail;
  fail.name = "rg-fail";
  fail.props = {{"Aux/csi/owner", "client-test"}};
  EXPECT_FALSE(client_->CreateResourceGroup(fail).ok());
  EXPECT_TRUE(client_->GetResourceGroup("rg-fail").IsNotFound());
  ASSERT_TRUE(admin_->ClearFaults().ok());
  ASSERT_TRUE(client_->CreateResourceGroup(fail).ok());
  EXPECT_EQ(client_->GetResourceGroup("rg-fail")->props.at("Aux/csi/owner"), "client-test");
}

TEST_F(HttpClientSimTest, ResourceGroupLifecycle) {
  CreateGroup("rg-life", 2);
  ResourceGroup dup;
  dup.name = "rg-life";
  EXPECT_TRUE(client_->CreateResourceGroup(dup).Is(LinstorErrorKind::kAlreadyExists));
  ResourceGroup bad;
  bad.name = "1-bad name";
  EXPECT_TRUE(client_->CreateResourceGroup(bad).Is(LinstorErrorKind::kInvalidRequest));

  auto rg = client_->GetResourceGroup("rg-life");
  ASSERT_TRUE(rg.ok()) << rg.error().ToString();
  EXPECT_EQ(rg->description, "test group");
  EXPECT_EQ(rg->select_filter.place_count, 2);
  EXPECT_EQ(rg->select_filter.storage_pool, "pool1");
  EXPECT_EQ(rg->props.at("Aux/csi/owner"), "client-test");

  ResourceGroupFilter filter;
  filter.props = {"Aux/csi/owner=client-test"};
  auto mine = client_->ListResourceGroups(filter);
  ASSERT_TRUE(mine.ok()) << mine.error().ToString();
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().name, "rg-life");
  auto all = client_->ListResourceGroups({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);  // DfltRscGrp too

  ResourceGroupModify mod;
  mod.description = "changed";
  mod.override_props = {{"DrbdOptions/Resource/on-no-quorum", "io-error"}};
  mod.delete_props = {"Aux/csi/owner"};
  SelectFilter sf;
  sf.place_count = 3;
  mod.select_filter = sf;
  ASSERT_TRUE(client_->ModifyResourceGroup("rg-life", mod).ok());
  rg = client_->GetResourceGroup("rg-life");
  ASSERT_TRUE(rg.ok());
  EXPECT_EQ(rg->description, "changed");
  EXPECT_EQ(rg->select_filter.place_count, 3);
  EXPECT_EQ(rg->props.count("Aux/csi/owner"), 0u);
  EXPECT_EQ(rg->props.at("DrbdOptions/Resource/on-no-quorum"), "io-error");
  EXPECT_TRUE(client_->ModifyResourceGroup("nope", mod).IsNotFound());

  ASSERT_TRUE(client_->DeleteResourceGroup("rg-life").ok());
  EXPECT_TRUE(client_->GetResourceGroup("rg-life").IsNotFound());
  EXPECT_TRUE(client_->DeleteResourceGroup("rg-life").ok());  // idempotent, as LINSTOR
}

TEST_F(HttpClientSimTest, SpawnPlacesReplicasAndQuerySizeInfo) {
  CreateGroup("rg-spawn", 2);
  auto before = client_->QuerySizeInfo("rg-spawn", nullptr);
  ASSERT_TRUE(before.ok()) << before.error().ToString();
  EXPECT_GT(before->max_vlm_size_in_kib, 0);

  ASSERT_TRUE(SpawnVolume("rg-spawn", "pvc-spawn", kGiB).ok());
  auto rs = View("pvc-spawn");
  EXPECT_EQ(Diskful("pvc-spawn"), 2);
  for (const auto& r : rs) {
    EXPECT_TRUE(r.IsDiskful() || r.IsTieBreaker()) << r.node_name;  // LINSTOR adds tiebreakers
    ASSERT_EQ(r.volumes.size(), 1u);
    EXPECT_EQ(r.volumes[0].device_path.rfind("/dev/", 0), 0u) << r.volumes[0].device_path;
    EXPECT_FALSE(r.volumes[0].disk_state.empty());
  }
  auto rd = client_->GetResourceDefinition("pvc-spawn");
  ASSERT_TRUE(rd.ok()) << rd.error().ToString();
  EXPECT_EQ(rd->resource_group_name, "rg-spawn");
  EXPECT_TRUE(rd->volume_definitions.empty()) << "LINSTOR's single-RD GET has none";
  EXPECT_EQ(rd->props.at("Aux/csi/name"), "pvc-spawn");
  auto vds = client_->ListVolumeDefinitions("pvc-spawn");
  ASSERT_TRUE(vds.ok());
  ASSERT_EQ(vds->size(), 1u);
  EXPECT_EQ(vds->at(0).size_kib, kGiB);
  // The single-resource GET has no volumes either: device paths come from the view.
  auto one = client_->GetResource("pvc-spawn", rs.front().node_name);
  ASSERT_TRUE(one.ok());
  EXPECT_TRUE(one->volumes.empty());

  EXPECT_TRUE(SpawnVolume("rg-spawn", "pvc-spawn", kGiB).Is(LinstorErrorKind::kAlreadyExists));
  EXPECT_TRUE(SpawnVolume("nope", "pvc-x", kGiB).IsNotFound());

  SelectFilter four;
  four.place_count = 4;
  LinstorStatus st = SpawnVolume("rg-spawn", "pvc-four", kGiB, four);
  EXPECT_TRUE(st.Is(LinstorErrorKind::kNotEnoughNodes)) << st.status().ToString();
  EXPECT_EQ(st.status().code(), Code::kResourceExhausted);
  EXPECT_TRUE(client_->GetResourceDefinition("pvc-four").IsNotFound());

  SelectFilter one_node;
  one_node.place_count = 1;
  one_node.node_name_list = std::vector<std::string>{"sat-charlie"};
  ASSERT_TRUE(SpawnVolume("rg-spawn", "pvc-pinned", kGiB, one_node).ok());
  auto pinned = View("pvc-pinned");
  ASSERT_EQ(pinned.size(), 1u);
  EXPECT_EQ(pinned[0].node_name, "sat-charlie");

  SelectFilter segment;
  segment.node_name_list = std::vector<std::string>{"sat-alpha"};
  segment.place_count = 1;
  auto seg = client_->QuerySizeInfo("rg-spawn", &segment);
  ASSERT_TRUE(seg.ok()) << seg.error().ToString();
  EXPECT_GT(seg->max_vlm_size_in_kib, 0);
  EXPECT_TRUE(client_->QuerySizeInfo("nope", nullptr).IsNotFound());
}

TEST_F(HttpClientSimTest, ResourceDefinitionsListFilterModifyResizeDelete) {
  CreateGroup("rg-rd", 1);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(SpawnVolume("rg-rd", "pvc-rd" + std::to_string(i), kGiB).ok());
  }
  ASSERT_TRUE(client_->CreateResourceDefinition({"foreign", "", {{"Aux/csi/owner", "else"}}}).ok());
  EXPECT_TRUE(
      client_->CreateResourceDefinition({"foreign", "", {}}).Is(LinstorErrorKind::kAlreadyExists));

  ResourceDefinitionFilter f;
  f.props = {"Aux/csi/owner=client-test"};
  auto mine = client_->ListResourceDefinitions(f);
  ASSERT_TRUE(mine.ok()) << mine.error().ToString();
  EXPECT_EQ(mine->size(), 5u);
  f.offset = 1;
  f.limit = 2;
  f.with_volume_definitions = true;
  auto page = client_->ListResourceDefinitions(f);
  ASSERT_TRUE(page.ok()) << page.error().ToString();
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ(page->at(0).volume_definitions.size(), 1u);
  ResourceDefinitionFilter by_name;
  by_name.resource_definitions = {"pvc-rd3", "foreign"};
  auto named = client_->ListResourceDefinitions(by_name);
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->size(), 2u);

  PropsModify mod;
  mod.override_props = {{"Aux/csi/deleted", "true"}};
  mod.delete_props = {"Aux/csi/name"};
  ASSERT_TRUE(client_->ModifyResourceDefinition("pvc-rd0", mod).ok());
  auto rd = client_->GetResourceDefinition("pvc-rd0");
  ASSERT_TRUE(rd.ok());
  EXPECT_EQ(rd->props.at("Aux/csi/deleted"), "true");
  EXPECT_EQ(rd->props.count("Aux/csi/name"), 0u);
  EXPECT_TRUE(client_->ModifyResourceDefinition("nope", mod).IsNotFound());

  ASSERT_TRUE(client_->ResizeVolumeDefinition("pvc-rd1", 0, 2 * kGiB).ok());
  auto vds = client_->ListVolumeDefinitions("pvc-rd1");
  ASSERT_TRUE(vds.ok()) << vds.error().ToString();
  ASSERT_EQ(vds->size(), 1u);
  EXPECT_EQ(vds->at(0).size_kib, 2 * kGiB);
  EXPECT_FALSE(client_->ResizeVolumeDefinition("pvc-rd1", 7, 2 * kGiB).ok());

  ASSERT_TRUE(client_->DeleteResourceDefinition("pvc-rd2").ok());
  EXPECT_TRUE(client_->GetResourceDefinition("pvc-rd2").IsNotFound());
  EXPECT_TRUE(client_->DeleteResourceDefinition("pvc-rd2").ok());  // idempotent
}

TEST_F(HttpClientSimTest, ResourcesCreateMakeAvailableInUseDeleteAutoplace) {
  CreateGroup("rg-res", 1);
  ASSERT_TRUE(SpawnVolume("rg-res", "pvc-res", kGiB, std::nullopt, /*definitions_only=*/true).ok());
  EXPECT_EQ(View("pvc-res").size(), 0u);

  ResourceCreate diskful;
  diskful.node_name = "sat-alpha";
  diskful.storage_pool = "pool1";
  ASSERT_TRUE(client_->CreateResource("pvc-res", diskful).ok());
  EXPECT_TRUE(client_->CreateResource("pvc-res", diskful).Is(LinstorErrorKind::kAlreadyExists));
  ResourceCreate diskless;
  diskless.node_name = "sat-bravo";
  diskless.diskless = true;
  ASSERT_TRUE(client_->CreateResource("pvc-res", diskless).ok());
  auto b = client_->GetResource("pvc-res", "sat-bravo");
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  EXPECT_TRUE(b->IsDiskless());
  EXPECT_TRUE(client_->GetResource("pvc-res", "sat-charlie").IsNotFound());

  // make-available: creates a diskless resource, then succeeds again.
  ASSERT_TRUE(client_->MakeAvailable("pvc-res", "sat-charlie", {}).ok());
  ASSERT_TRUE(client_->MakeAvailable("pvc-res", "sat-charlie", {}).ok());
  auto c = client_->GetResource("pvc-res", "sat-charlie");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->IsDiskless());
  EXPECT_TRUE(c->volumes.empty()) << "only the view carries volumes";
  auto seen = View("pvc-res");
  auto viewed = std::find_if(seen.begin(), seen.end(),
                             [](const Resource& r) { return r.node_name == "sat-charlie"; });
  ASSERT_NE(viewed, seen.end());
  ASSERT_FALSE(viewed->volumes.empty());
  EXPECT_FALSE(viewed->volumes[0].device_path.empty());
  EXPECT_TRUE(client_->MakeAvailable("pvc-res", "nope", {}).IsNotFound());
  EXPECT_TRUE(client_->MakeAvailable("nope", "sat-charlie", {}).IsNotFound());

  auto list = client_->ListResources("pvc-res");
  ASSERT_TRUE(list.ok()) << list.error().ToString();
  EXPECT_EQ(list->size(), 3u);

  ASSERT_TRUE(admin_->SetInUse("pvc-res", "sat-charlie", true).ok());
  auto in_use = client_->GetResource("pvc-res", "sat-charlie");
  EXPECT_EQ(in_use->in_use, true);
  LinstorStatus busy = client_->DeleteResource("pvc-res", "sat-charlie");
  EXPECT_TRUE(busy.Is(LinstorErrorKind::kInUse)) << busy.status().ToString();
  EXPECT_EQ(busy.status().code(), Code::kFailedPrecondition);
  ASSERT_TRUE(admin_->SetInUse("pvc-res", "sat-charlie", false).ok());
  ASSERT_TRUE(client_->DeleteResource("pvc-res", "sat-charlie").ok());
  ASSERT_TRUE(client_->DeleteResource("pvc-res", "sat-bravo").ok());
  EXPECT_TRUE(client_->DeleteResource("pvc-res", "sat-bravo").ok());  // idempotent
  EXPECT_TRUE(client_->DeleteResource("nope", "sat-bravo").IsNotFound());

  AutoPlaceRequest ap;
  ap.select_filter.place_count = 3;
  ASSERT_TRUE(client_->AutoPlace("pvc-res", ap).ok());
  EXPECT_EQ(Diskful("pvc-res"), 3);
  ap.select_filter.place_count = 4;
  EXPECT_TRUE(client_->AutoPlace("pvc-res", ap).Is(LinstorErrorKind::kNotEnoughNodes));
}

TEST_F(HttpClientSimTest, SnapshotsRestoreRollbackDelete) {
  CreateGroup("rg-snap", 2);
  ASSERT_TRUE(SpawnVolume("rg-snap", "pvc-src", kGiB).ok());
  ASSERT_TRUE(SpawnVolume("rg-snap", "pvc-other", kGiB).ok());

  PropsModify mark;
  mark.override_props = {{"Aux/csi/volume", "src"}};
  ASSERT_TRUE(client_->ModifyResourceDefinition("pvc-src", mark).ok());
  SnapshotCreate s1{"pvc-src", "snap1", {}, {{"Aux/csi/snapshot", "s1"}}};
  ASSERT_TRUE(client_->CreateSnapshot(s1).ok());
  EXPECT_TRUE(client_->CreateSnapshot(s1).Is(LinstorErrorKind::kAlreadyExists));
  EXPECT_TRUE(client_->CreateSnapshot({"nope", "snap1", {}, {}}).IsNotFound());
  ASSERT_TRUE(client_->CreateSnapshot({"pvc-src", "snap2", {}, {}}).ok());
  ASSERT_TRUE(
      client_->CreateMultiSnapshot({{"pvc-src", "group1", {}, {}}, {"pvc-other", "group1", {}, {}}})
          .ok());

  auto list = client_->ListSnapshots("pvc-src");
  ASSERT_TRUE(list.ok()) << list.error().ToString();
  EXPECT_EQ(list->size(), 3u);
  auto snap = client_->GetSnapshot("pvc-src", "snap1");
  ASSERT_TRUE(snap.ok()) << snap.error().ToString();
  EXPECT_TRUE(snap->IsSuccessful());
  EXPECT_EQ(snap->nodes.size(), 2u);
  // Own props (sent as snapshot_definition_props), the RD's as captured, and both overlaid.
  EXPECT_EQ(snap->definition_props, (Props{{"Aux/csi/snapshot", "s1"}}));
  EXPECT_EQ(snap->resource_definition_props.at("Aux/csi/volume"), "src");
  EXPECT_EQ(snap->props.at("Aux/csi/snapshot"), "s1");
  EXPECT_EQ(snap->props.at("Aux/csi/volume"), "src");
  ASSERT_EQ(snap->volume_definitions.size(), 1u);
  EXPECT_EQ(snap->volume_definitions[0].size_kib, kGiB);
  EXPECT_TRUE(snap->CreateTimestamp().has_value());
  EXPECT_TRUE(client_->GetSnapshot("pvc-src", "nope").IsNotFound());

  SnapshotViewFilter vf;
  vf.snapshots = {"group1"};
  auto group = client_->ViewSnapshots(vf);
  ASSERT_TRUE(group.ok()) << group.error().ToString();
  EXPECT_EQ(group->size(), 2u);
  SnapshotViewFilter by_rd;
  by_rd.resources = {"pvc-other"};
  auto other = client_->ViewSnapshots(by_rd);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ(other->front().resource_name, "pvc-other");

  // An RD with snapshots cannot be deleted.
  EXPECT_FALSE(client_->DeleteResourceDefinition("pvc-other").ok());

  // Restore needs an existing target RD.
  EXPECT_TRUE(client_->RestoreVolumeDefinition("pvc-src", "snap1", "pvc-restored").IsNotFound());
  ASSERT_TRUE(client_->CreateResourceDefinition({"pvc-restored", "rg-snap", {}}).ok());
  ASSERT_TRUE(client_->RestoreVolumeDefinition("pvc-src", "snap1", "pvc-restored").ok());
  auto vds = client_->ListVolumeDefinitions("pvc-restored");
  ASSERT_TRUE(vds.ok());
  ASSERT_EQ(vds->size(), 1u);
  EXPECT_EQ(vds->at(0).size_kib, kGiB);
  SnapshotRestore restore;
  restore.to_resource = "pvc-restored";
  restore.nodes = {snap->nodes.front()};
  ASSERT_TRUE(client_->RestoreSnapshot("pvc-src", "snap1", restore).ok());
  EXPECT_EQ(Diskful("pvc-restored"), 1);

  // Since LINSTOR 1.31 any snapshot is a rollback target, the newest too.
  EXPECT_TRUE(client_->RollbackSnapshot("pvc-src", "snap1").ok());
  ASSERT_TRUE(client_->RollbackSnapshot("pvc-src", "group1").ok());

  ASSERT_TRUE(client_->DeleteSnapshot("pvc-other", "group1").ok());
  EXPECT_TRUE(client_->GetSnapshot("pvc-other", "group1").IsNotFound());
  EXPECT_TRUE(client_->DeleteSnapshot("pvc-other", "group1").ok());  // idempotent
  EXPECT_TRUE(client_->DeleteSnapshot("nope", "group1").IsNotFound());
  ASSERT_TRUE(client_->DeleteResourceDefinition("pvc-other").ok());
}

TEST_F(HttpClientSimTest, CloneStartAndStatus) {
  CreateGroup("rg-clone", 2);
  ASSERT_TRUE(SpawnVolume("rg-clone", "pvc-orig", kGiB).ok());
  ASSERT_TRUE(admin_->SetClonePolls(2).ok());
  CloneRequest req;
  req.name = "pvc-copy";
  req.override_props = {{"Aux/csi/name", "pvc-copy"}};
  auto started = client_->StartClone("pvc-orig", req);
  ASSERT_TRUE(started.ok()) << started.error().ToString();
  EXPECT_EQ(started->clone_name, "pvc-copy");
  EXPECT_EQ(started->source_name, "pvc-orig");
  EXPECT_EQ(started->location, "/v1/resource-definitions/pvc-orig/clone/pvc-copy");
  int cloning = 0;
  CloneState state = CloneState::kUnknown;
  for (int i = 0; i < 10 && state != CloneState::kComplete; ++i) {
    auto st = client_->GetCloneStatus("pvc-orig", "pvc-copy");
    ASSERT_TRUE(st.ok()) << st.error().ToString();
    state = st->status;
    cloning += state == CloneState::kCloning ? 1 : 0;
  }
  EXPECT_EQ(state, CloneState::kComplete);
  EXPECT_EQ(cloning, 2);
  auto rd = client_->GetResourceDefinition("pvc-copy");
  ASSERT_TRUE(rd.ok());
  EXPECT_EQ(rd->props.at("Aux/csi/name"), "pvc-copy");
  EXPECT_EQ(client_->ListVolumeDefinitions("pvc-copy")->at(0).size_kib, kGiB);
  EXPECT_TRUE(client_->StartClone("pvc-orig", req).Is(LinstorErrorKind::kAlreadyExists));
  EXPECT_TRUE(client_->StartClone("nope", CloneRequest{"pvc-z", "", {}, {}, {}, {}}).IsNotFound());
}

TEST_F(HttpClientSimTest, InjectedFaultsAreRetriedOrSurfaceAsUnavailable) {
  // Two 503s on an idempotent GET: the retries absorb them.
  ASSERT_TRUE(admin_
                  ->AddFault(R"({"path_regex":"^/v1/nodes/","method":"GET","error_rate":1,)"
                             R"("http_status":503,"count":2,"seed":7})")
                  .ok());
  auto node = client_->GetNode("sat-alpha");
  ASSERT_TRUE(node.ok()) << node.error().ToString();
  EXPECT_EQ(Seen("GET /v1/nodes/{node}"), 3);
  EXPECT_EQ(clock_.sleeps().size(), 2u) << "one back-off before each retry, on the clock";

  // More faults than retries: a typed, retryable error.
  ASSERT_TRUE(admin_->ClearFaults().ok());
  ASSERT_TRUE(admin_
                  ->AddFault(R"({"path_regex":"^/v1/resource-groups","error_rate":1,)"
                             R"("http_status":503})")
                  .ok());
  auto rg = client_->GetResourceGroup("DfltRscGrp");
  ASSERT_FALSE(rg.ok());
  EXPECT_EQ(rg.kind(), LinstorErrorKind::kUnavailable);
  EXPECT_TRUE(rg.error().IsRetryable());
  EXPECT_EQ(rg.status().code(), Code::kUnavailable);
  // A POST is not repeated on 503 (it may have been executed).
  const int spawns_before = Seen("POST /v1/resource-groups/{resource_group}/spawn");
  LinstorStatus spawn = SpawnVolume("DfltRscGrp", "pvc-fault", kGiB);
  EXPECT_TRUE(spawn.Is(LinstorErrorKind::kUnavailable)) << spawn.status().ToString();
  EXPECT_EQ(Seen("POST /v1/resource-groups/{resource_group}/spawn"), spawns_before + 1);

  // Dropped connections on a GET are retried too.
  ASSERT_TRUE(admin_->ClearFaults().ok());
  ASSERT_TRUE(admin_
                  ->AddFault(R"({"path_regex":"^/v1/controller/version","drop_rate":1,)"
                             R"("count":1})")
                  .ok());
  auto v = client_->GetVersion();
  ASSERT_TRUE(v.ok()) << v.error().ToString();

  // Dropped every time: Unavailable.
  ASSERT_TRUE(admin_->ClearFaults().ok());
  ASSERT_TRUE(admin_->AddFault(R"({"path_regex":"^/v1/view/resources","drop_rate":1})").ok());
  auto view = client_->ViewResources({});
  EXPECT_EQ(view.kind(), LinstorErrorKind::kUnavailable);

  // A 500 with LINSTOR's error list keeps its kind (not retried: not transient).
  ASSERT_TRUE(admin_->ClearFaults().ok());
  auto counters = admin_->Counters();
  ASSERT_TRUE(counters.ok());
}

TEST_F(HttpClientSimTest, LatencyBeyondTheRequestTimeoutIsUnavailable) {
  ClientConfig c = FastConfig({sim_.url()});
  c.request_timeout = std::chrono::milliseconds(200);
  c.max_retries = 1;
  auto client = HttpLinstorClient::Create(c);
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE(
      admin_->AddFault(R"({"path_regex":"^/v1/controller/version","latency_ms":700})").ok());
  auto v = (*client)->GetVersion();
  EXPECT_EQ(v.kind(), LinstorErrorKind::kUnavailable);
  ASSERT_TRUE(admin_->ClearFaults().ok());
}

TEST_F(HttpClientSimTest, ForEachStreamsTheSameObjectsAsTheLists) {
  CreateGroup("rg-each", 2);
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(SpawnVolume("rg-each", "pvc-each-" + std::to_string(i), kGiB).ok());
  }
  auto listed = client_->ViewResources({});
  ASSERT_TRUE(listed.ok()) << listed.error().ToString();
  std::vector<std::string> streamed;
  int with_device = 0;
  LinstorStatus each = client_->ForEachResource({}, [&](Resource&& r) {
    streamed.push_back(r.name + "@" + r.node_name);
    if (!r.volumes.empty() && !r.volumes[0].device_path.empty()) ++with_device;
  });
  ASSERT_TRUE(each.ok()) << each.status().ToString();
  std::vector<std::string> want;
  for (const auto& r : *listed) want.push_back(r.name + "@" + r.node_name);
  EXPECT_EQ(streamed, want);
  EXPECT_GE(streamed.size(), 80u);
  EXPECT_EQ(with_device, static_cast<int>(streamed.size()));

  ResourceDefinitionFilter f;
  f.props = {"Aux/csi/owner=client-test"};
  f.with_volume_definitions = true;
  auto rds = client_->ListResourceDefinitions(f);
  ASSERT_TRUE(rds.ok());
  std::vector<std::string> rd_names;
  LinstorStatus each_rd = client_->ForEachResourceDefinition(f, [&](ResourceDefinition&& rd) {
    EXPECT_EQ(rd.volume_definitions.size(), 1u) << rd.name;
    rd_names.push_back(rd.name);
  });
  ASSERT_TRUE(each_rd.ok()) << each_rd.status().ToString();
  ASSERT_EQ(rd_names.size(), rds->size());
  for (size_t i = 0; i < rd_names.size(); ++i) EXPECT_EQ(rd_names[i], (*rds)[i].name);

  // Errors: a LINSTOR error answer keeps its kind; a dropped connection is Unavailable.
  ASSERT_TRUE(admin_
                  ->AddFault(R"({"path_regex":"^/v1/view/resources","error_rate":1,)"
                             R"("http_status":500,"count":1})")
                  .ok());
  int calls = 0;
  LinstorStatus failed = client_->ForEachResource({}, [&](Resource&&) { ++calls; });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(calls, 0);
  ASSERT_TRUE(admin_->ClearFaults().ok());
  ASSERT_TRUE(admin_->AddFault(R"({"path_regex":"^/v1/view/resources","drop_rate":1})").ok());
  EXPECT_EQ(client_->ForEachResource({}, [](Resource&&) {}).kind(), LinstorErrorKind::kUnavailable);
  ASSERT_TRUE(admin_->ClearFaults().ok());
}

TEST_F(HttpClientSimTest, ObserverAndServerCountTheSameRequests) {
  ASSERT_TRUE(admin_->ResetCounters().ok());
  CreateGroup("rg-count", 2);
  ASSERT_TRUE(SpawnVolume("rg-count", "pvc-count", kGiB).ok());
  View("pvc-count");
  auto counters = admin_->Counters();
  ASSERT_TRUE(counters.ok()) << counters.status().ToString();
  EXPECT_EQ(counters->at("POST /v1/resource-groups/{resource_group}/spawn"), 1);
  EXPECT_EQ(counters->at("GET /v1/view/resources"), 1);
  EXPECT_EQ(Seen("POST /v1/resource-groups/{resource_group}/spawn"), 1);
  EXPECT_EQ(Seen("GET /v1/view/resources"), 1);
}

TEST_F(HttpClientSimTest, ConcurrentSpawnsFromManyThreads) {
  CreateGroup("rg-conc", 1);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        if (SpawnVolume("rg-conc", "pvc-c" + std::to_string(t) + "-" + std::to_string(i), 1024)
                .ok()) {
          ok++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 60);
  ResourceDefinitionFilter f;
  f.props = {"Aux/csi/owner=client-test"};
  EXPECT_EQ(client_->ListResourceDefinitions(f)->size(), 60u);
}

// ---- child processes: failover and TLS ----

TEST(HttpClientSimProcessTest, FailsOverWhenTheFirstControllerDies) {
  auto first = sim::SimProcess::Start();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = sim::SimProcess::Start();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  std::vector<std::string> answered;
  std::mutex mu;
  auto client = HttpLinstorClient::Create(FastConfig({(*first)->url(), (*second)->url()}),
                                          [&](const HttpRequestInfo& info) {
                                            std::lock_guard<std::mutex> lock(mu);
                                            if (info.status != 0)
                                              answered.emplace_back(info.controller);
                                          });
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE((*client)->GetVersion().ok());
  ASSERT_TRUE((*first)->Kill().ok());
  ResourceGroup rg;
  rg.name = "rg-after-failover";
  ASSERT_TRUE((*client)->CreateResourceGroup(rg).ok());  // a POST fails over too
  ASSERT_TRUE((*client)->GetResourceGroup("rg-after-failover").ok());
  ASSERT_EQ(answered.size(), 3u);
  EXPECT_EQ(answered[0], (*first)->url());
  EXPECT_EQ(answered[1], (*second)->url());
  EXPECT_EQ(answered[2], (*second)->url());
}

// A temporary directory with a CA, a server certificate for 127.0.0.1 and a client
// certificate, made with the openssl CLI.
class TlsFiles {
 public:
  TlsFiles() {
    char tmpl[] = "/tmp/lcsi-client-tls-XXXXXX";
    dir_ = ::mkdtemp(tmpl) ? tmpl : "";
    if (dir_.empty()) return;
    const std::string d = dir_;
    std::ofstream(d + "/san.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    const std::string cmds[] = {
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "
        "/CN=test-ca -keyout " +
            d + "/ca.key -out " + d + "/ca.crt",
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1 "
        "-keyout " +
            d + "/server.key -out " + d + "/server.csr",
        "openssl x509 -req -in " + d + "/server.csr -CA " + d + "/ca.crt -CAkey " + d +
            "/ca.key -CAcreateserial -days 2 -extfile " + d + "/san.ext -out " + d + "/server.crt",
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=csi-client "
        "-keyout " +
            d + "/client.key -out " + d + "/client.csr",
        "openssl x509 -req -in " + d + "/client.csr -CA " + d + "/ca.crt -CAkey " + d +
            "/ca.key -CAcreateserial -days 2 -out " + d + "/client.crt",
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "
        "/CN=other-ca -keyout " +
            d + "/other.key -out " + d + "/other.crt",
    };
    for (const auto& cmd : cmds) {
      if (std::system((cmd + " >/dev/null 2>&1").c_str()) != 0) {
        error_ = "failed: " + cmd;
        return;
      }
    }
  }
  ~TlsFiles() {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  const std::string& error() const { return error_; }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  std::string read(const std::string& name) const {
    auto r = ReadWholeFile(path(name));
    return r.ok() ? r.value() : std::string();
  }

 private:
  std::string dir_;
  std::string error_;
};

TEST(HttpClientSimProcessTest, HttpsWithCaVerificationAndClientCertificate) {
  TlsFiles tls;
  ASSERT_TRUE(tls.error().empty()) << tls.error();
  // In-process server: SimProcess's readiness probe has no client certificate (TLS 1.3
  // reports the refusal as a read error after the handshake), so it cannot see it ready.
  sim::SimOptions opts;
  opts.listen = "127.0.0.1:0";
  opts.strict_schema = true;
  opts.threads = 4;
  opts.tls_cert = tls.path("server.crt");
  opts.tls_key = tls.path("server.key");
  opts.tls_client_ca = tls.path("ca.crt");
  sim::SimServer server(opts);
  ASSERT_TRUE(server.Start().ok());
  ASSERT_EQ(server.url().rfind("https://", 0), 0u) << server.url();

  {  // Clients (and their keep-alive connections) go before the server stops.
    // The env conventions: LS_ROOT_CA_FILE etc. switch to https.
    std::map<std::string, std::string> env = {
        {"LS_CONTROLLERS", "127.0.0.1:" + std::to_string(server.port())},
        {"LS_ROOT_CA_FILE", tls.path("ca.crt")},
        {"LS_USER_CERTIFICATE_FILE", tls.path("client.crt")},
        {"LS_USER_KEY_FILE", tls.path("client.key")},
    };
    ClientConfig good = FastConfig({});
    ASSERT_TRUE(good.ApplyEnv(MapEnv(env)).ok());
    ASSERT_TRUE(good.UseTls());
    auto client = HttpLinstorClient::Create(good);
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    auto v = (*client)->GetVersion();
    ASSERT_TRUE(v.ok()) << v.error().ToString();
    ResourceGroup rg;
    rg.name = "rg-tls";
    ASSERT_TRUE((*client)->CreateResourceGroup(rg).ok());

    // A CA that did not sign the server certificate: verification fails, Unavailable.
    ClientConfig wrong_ca = good;
    wrong_ca.root_ca_pem = tls.read("other.crt");
    wrong_ca.max_retries = 0;
    auto bad = HttpLinstorClient::Create(wrong_ca);
    ASSERT_TRUE(bad.ok());
    EXPECT_EQ((*bad)->GetVersion().kind(), LinstorErrorKind::kUnavailable);

    // No client certificate: the server (tls_client_ca) refuses the handshake.
    ClientConfig no_cert = good;
    no_cert.client_cert_pem.clear();
    no_cert.client_key_pem.clear();
    no_cert.max_retries = 0;
    no_cert.request_timeout = std::chrono::milliseconds(1000);
    auto anon = HttpLinstorClient::Create(no_cert);
    ASSERT_TRUE(anon.ok());
    EXPECT_FALSE((*anon)->GetVersion().ok());
  }
  server.Stop();
}

TEST(HttpClientSimProcessTest, HttpsWithoutClientCertificatesAndInsecureMode) {
  TlsFiles tls;
  ASSERT_TRUE(tls.error().empty()) << tls.error();
  sim::SimProcessOptions opts;
  opts.tls_cert = tls.path("server.crt");
  opts.tls_key = tls.path("server.key");
  auto sim = sim::SimProcess::Start(opts);
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();

  ClientConfig c = FastConfig({(*sim)->url()});
  c.root_ca_pem = tls.read("ca.crt");
  auto client = HttpLinstorClient::Create(c);
  ASSERT_TRUE(client.ok());
  EXPECT_TRUE((*client)->ListNodes({}).ok());

  // Without our CA the system store does not know the test CA: refused by default...
  ClientConfig system_ca = FastConfig({(*sim)->url()});
  system_ca.max_retries = 0;
  auto strict = HttpLinstorClient::Create(system_ca);
  ASSERT_TRUE(strict.ok());
  EXPECT_EQ((*strict)->GetVersion().kind(), LinstorErrorKind::kUnavailable);
  // ...and accepted only when verification is switched off explicitly.
  system_ca.insecure_skip_verify = true;
  auto insecure = HttpLinstorClient::Create(system_ca);
  ASSERT_TRUE(insecure.ok());
  EXPECT_TRUE((*insecure)->GetVersion().ok());
}

}  // namespace
}  // namespace lcsi::linstor
