// linstor-sim rules read from linstor-server's source where the OpenAPI file says nothing or
// something else (README "Behaviour" cites each handler): single-object GETs without nested
// lists, snapshot properties, restore copying properties and refusing other sizes, the snapshot
// view's filters, and the storage pool of a resource created without StorPoolName.
#include <gtest/gtest.h>

#include <map>

#include "linstor-sim/api_consts.h"
#include "linstor-sim/sim_test_util.h"

namespace lcsi::sim::testing {
namespace {

std::map<std::string, std::string> StringMap(simdjson::dom::element obj) {
  std::map<std::string, std::string> out;
  simdjson::dom::object o;
  if (obj.get_object().get(o) != simdjson::SUCCESS) return out;
  for (auto [k, v] : o) out[std::string(k)] = std::string(v.get_string().value());
  return out;
}

bool HasKey(simdjson::dom::element obj, const char* key) {
  simdjson::dom::element unused;
  return obj[key].get(unused) == simdjson::SUCCESS;
}

class FidelityTest : public SimFixture {
 protected:
  void SetUp() override {
    SimFixture::SetUp();
    CreateRg("rg1", R"({"place_count":2,"storage_pool":"pool1"})");
  }
  HttpReply CreateRd(const std::string& name, const std::string& props_json = "{}") {
    return http_->Post("/v1/resource-definitions", R"({"resource_definition":{"name":")" + name +
                                                       R"(","resource_group_name":"rg1","props":)" +
                                                       props_json + "}}");
  }
  int64_t VdSize(const std::string& rd) {
    Json j(http_
               ->Get("/v1/resource-definitions?resource_definitions=" + rd +
                     "&with_volume_definitions=true")
               .body);
    return j.root().at(0)["volume_definitions"].at(0)["size_kib"].get_int64().value();
  }
  std::string PoolOf(const std::string& rd, const std::string& node) {
    Json j(http_->Get("/v1/view/resources?resources=" + rd + "&nodes=" + node).body);
    return std::string(j.root().at(0)["volumes"].at(0)["storage_pool_name"].get_string().value());
  }
  // A second simulator, lax_, that does not check requests against the schema (LINSTOR ignores
  // what strict mode refuses), with resource definitions `rds` in group "rg": one 1 MiB volume,
  // one replica each.
  void StartLaxSim(std::initializer_list<const char*> rds) {
    ScopedSimOptions options;
    options.strict_schema = false;
    lax_sim_ = std::make_unique<ScopedSimServer>(options);
    ASSERT_TRUE(lax_sim_->status().ok());
    lax_ = std::make_unique<SimHttp>(lax_sim_->url());
    ASSERT_EQ(
        lax_->Post("/v1/resource-groups", R"({"name":"rg","select_filter":{"place_count":1}})")
            .status,
        201);
    for (const char* rd : rds) {
      ASSERT_EQ(lax_->Post("/v1/resource-groups/rg/spawn",
                           std::string(R"({"resource_definition_name":")") + rd +
                               R"(","volume_sizes":[1024]})")
                    .status,
                201);
    }
  }

  std::unique_ptr<ScopedSimServer> lax_sim_;
  std::unique_ptr<SimHttp> lax_;
};

// ResourceDefinitions.listSingleResourceDefinition passes withVlmDfns=false.
TEST_F(FidelityTest, SingleResourceDefinitionHasNoVolumeDefinitions) {
  Spawn("rg1", "vol1", 4096);
  auto one = http_->Get("/v1/resource-definitions/vol1");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_FALSE(HasKey(Json(one.body).root(), "volume_definitions")) << one.body;
  // The list with with_volume_definitions is where the sizes are.
  EXPECT_EQ(VdSize("vol1"), 4096);
  // with_volume_definitions is not a parameter of the single GET: strict mode refuses it.
  EXPECT_EQ(http_->Get("/v1/resource-definitions/vol1?with_volume_definitions=true").status, 400);
}

// Resources.listResources serialises with Json.apiToResource (no volumes), for the list and the
// single resource alike; only GET /v1/view/resources carries them.
TEST_F(FidelityTest, ResourceGetsHaveNoVolumes) {
  Spawn("rg1", "vol1");
  Json list(http_->Get("/v1/resource-definitions/vol1/resources").body);
  ASSERT_GE(list.root().get_array().size(), 2u);  // two replicas and a tiebreaker
  const std::string node(list.root().at(0)["node_name"].get_string().value());
  for (auto r : list.root().get_array()) EXPECT_FALSE(HasKey(r, "volumes"));
  auto one = http_->Get("/v1/resource-definitions/vol1/resources/" + node);
  ASSERT_EQ(one.status, 200);
  EXPECT_FALSE(HasKey(Json(one.body).root(), "volumes")) << one.body;
  Json view(http_->Get("/v1/view/resources?resources=vol1&nodes=" + node).body);
  auto device = view.root().at(0)["volumes"].at(0)["device_path"].get_string();
  ASSERT_EQ(device.error(), simdjson::SUCCESS);
  EXPECT_EQ(std::string(device.value()).rfind("/dev/drbd", 0), 0u);
}

// Snapshots.createSnapshot and Actions.createMultiSnapshots read snapshot_definition_props, not
// props; Json.apiToSnapshot answers props = captured RD props overlaid with the snapshot's own.
TEST_F(FidelityTest, SnapshotPropertiesComeFromTheDefinitionAndTheCapturedRd) {
  ASSERT_EQ(CreateRd("vol1", R"({"Aux/who":"volume","Aux/shared":"from-rd"})").status, 201);
  CreateVd("vol1", 1024);
  ASSERT_EQ(
      http_->Post("/v1/resource-definitions/vol1/autoplace", R"({"select_filter":{}})").status,
      201);
  // `props` is not read: strict mode refuses it; the lax simulator (below) ignores it.
  EXPECT_EQ(http_
                ->Post("/v1/resource-definitions/vol1/snapshots",
                       R"({"name":"s0","props":{"Aux/ignored":"x"}})")
                .status,
            400);
  auto created =
      http_->Post("/v1/resource-definitions/vol1/snapshots",
                  R"({"name":"s1","snapshot_definition_props":{"Aux/shared":"from-snap"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  // A later change of the RD does not reach the snapshot's captured copy.
  ASSERT_EQ(
      http_->Put("/v1/resource-definitions/vol1", R"({"override_props":{"Aux/who":"x"}})").status,
      200);
  Json s(http_->Get("/v1/resource-definitions/vol1/snapshots/s1").body);
  EXPECT_EQ(StringMap(s.root()["snapshot_definition_props"]),
            (std::map<std::string, std::string>{{"Aux/shared", "from-snap"}}));
  EXPECT_EQ(StringMap(s.root()["resource_definition_props"]),
            (std::map<std::string, std::string>{{"Aux/shared", "from-rd"}, {"Aux/who", "volume"}}));
  EXPECT_EQ(StringMap(s.root()["props"]), (std::map<std::string, std::string>{
                                              {"Aux/shared", "from-snap"}, {"Aux/who", "volume"}}));

  Spawn("rg1", "vol2");
  auto multi = http_->Post("/v1/actions/snapshot/multi",
                           R"({"snapshots":[{"name":"g1","resource_name":"vol2",)"
                           R"("snapshot_definition_props":{"Aux/g":"1"}}]})");
  ASSERT_EQ(multi.status, 201) << multi.body;
  Json g(http_->Get("/v1/resource-definitions/vol2/snapshots/g1").body);
  EXPECT_EQ(StringMap(g.root()["snapshot_definition_props"]),
            (std::map<std::string, std::string>{{"Aux/g", "1"}}));

  ASSERT_NO_FATAL_FAILURE(StartLaxSim({"v1"}));
  SimHttp& http = *lax_;
  ASSERT_EQ(http.Post("/v1/resource-definitions/v1/snapshots",
                      R"({"name":"s1","props":{"Aux/ignored":"x"}})")
                .status,
            201);
  ASSERT_EQ(
      http.Post("/v1/actions/snapshot/multi",
                R"({"snapshots":[{"name":"g1","resource_name":"v1","props":{"Aux/lost":"1"}}]})")
          .status,
      201);
  for (const char* name : {"s1", "g1"}) {
    Json lost(http.Get(std::string("/v1/resource-definitions/v1/snapshots/") + name).body);
    EXPECT_TRUE(StringMap(lost.root()["snapshot_definition_props"]).empty()) << name;
    EXPECT_TRUE(StringMap(lost.root()["props"]).empty()) << name;
  }
}

// CtrlSnapshotRestoreApiCallHandler: the captured RD props are copied onto the target (they win
// over the target's own), and the target must have no resources yet.
TEST_F(FidelityTest, RestoreCopiesCapturedPropsOntoTheTarget) {
  ASSERT_EQ(CreateRd("src", R"({"Aux/name":"source","Aux/src-only":"1"})").status, 201);
  CreateVd("src", 2048);
  ASSERT_EQ(http_->Post("/v1/resource-definitions/src/autoplace", R"({"select_filter":{}})").status,
            201);
  ASSERT_EQ(http_->Post("/v1/resource-definitions/src/snapshots", R"({"name":"s1"})").status, 201);
  ASSERT_EQ(CreateRd("dst", R"({"Aux/name":"target","Aux/dst-only":"1"})").status, 201);
  ASSERT_EQ(RestoreVd("src", "s1", "dst").status, 200);
  auto restored = Restore("src", "s1", "dst");
  ASSERT_EQ(restored.status, 200) << restored.body;
  Json d(http_->Get("/v1/resource-definitions/dst").body);
  EXPECT_EQ(StringMap(d.root()["props"]),
            (std::map<std::string, std::string>{
                {"Aux/dst-only", "1"}, {"Aux/name", "source"}, {"Aux/src-only", "1"}}));
  // A second restore into the same RD: it has resources now.
  auto again = Restore("src", "s1", "dst");
  EXPECT_EQ(again.status, 500) << again.body;
  EXPECT_EQ(FirstRetCode(again.body), rc::kMaskRsc | rc::kMaskCrt | rc::kFailExistsRsc);
}

// restoreOnNode: "Snapshot size does not match" for a target volume definition of another size;
// nothing is created. Restoring at the snapshot's size and growing afterwards works.
TEST_F(FidelityTest, RestoreRefusesAnotherSize) {
  Spawn("rg1", "src", 2048);
  ASSERT_EQ(http_->Post("/v1/resource-definitions/src/snapshots", R"({"name":"s1"})").status, 201);
  ASSERT_EQ(CreateRd("dst").status, 201);
  ASSERT_EQ(RestoreVd("src", "s1", "dst").status, 200);
  ASSERT_EQ(http_->Put("/v1/resource-definitions/dst/volume-definitions/0", R"({"size_kib":4096})")
                .status,
            200);
  auto bigger = Restore("src", "s1", "dst");
  EXPECT_EQ(bigger.status, 500) << bigger.body;
  EXPECT_EQ(FirstRetCode(bigger.body), rc::kMaskRsc | rc::kMaskCrt | rc::kFailInvldVlmSize);
  EXPECT_NE(bigger.body.find("Snapshot size does not match"), std::string::npos) << bigger.body;
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions/dst/resources").body), 0u);

  ASSERT_EQ(CreateRd("dst2").status, 201);
  ASSERT_EQ(RestoreVd("src", "s1", "dst2").status, 200);
  ASSERT_EQ(Restore("src", "s1", "dst2").status, 200);
  ASSERT_EQ(http_->Put("/v1/resource-definitions/dst2/volume-definitions/0", R"({"size_kib":4096})")
                .status,
            200);
  EXPECT_EQ(VdSize("dst2"), 4096);
}

// View.listSnapshots reads nodes, resources, limit and offset: snapshots= is not a filter
// (strict mode refuses it as a parameter LINSTOR does not read).
TEST_F(FidelityTest, SnapshotViewHasNoNameFilter) {
  Spawn("rg1", "vol1");
  Spawn("rg1", "vol2");
  for (const char* rd : {"vol1", "vol2"}) {
    for (const char* s : {"a1", "b1"}) TakeSnapshot(*http_, rd, s);
  }
  EXPECT_EQ(http_->Get("/v1/view/snapshots?snapshots=b1").status, 400);
  EXPECT_EQ(Field(http_->Get("/v1/view/snapshots?resources=vol2").body, "name"),
            (std::vector<std::string>{"a1", "b1"}));
  ASSERT_NO_FATAL_FAILURE(StartLaxSim({"v1", "v2"}));
  for (const char* rd : {"v1", "v2"}) {
    for (const char* s : {"a1", "b1"}) TakeSnapshot(*lax_, rd, s);
  }
  EXPECT_EQ(ArraySize(lax_->Get("/v1/view/snapshots?snapshots=b1").body), 4u);
}

// CtrlStorPoolResolveHelper.resolveStorPool: without StorPoolName (resource, volume definition,
// RD, RG props, node) a resource takes the pool of a diskful peer, else DfltStorPool; the
// group's select_filter pools play no part.
TEST_F(FidelityTest, ResourceWithoutStorPoolNameIgnoresTheGroupFilter) {
  ASSERT_EQ(CreateRd("vol1").status, 201);
  CreateVd("vol1", 1024);
  auto first = http_->Post("/v1/resource-definitions/vol1/resources",
                           R"([{"resource":{"node_name":"sat-alpha"}}])");
  EXPECT_EQ(first.status, 404) << first.body;
  EXPECT_EQ(FirstRetCode(first.body), rc::kMaskRsc | rc::kMaskCrt | rc::kFailNotFoundDfltStorPool);
  EXPECT_NE(first.body.find("DfltStorPool"), std::string::npos) << first.body;
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions/vol1/resources").body), 0u);

  // A named pool works; the next replica without a name follows its diskful peer.
  ASSERT_EQ(
      http_
          ->Post("/v1/resource-definitions/vol1/resources",
                 R"([{"resource":{"node_name":"sat-alpha","props":{"StorPoolName":"pool1"}}}])")
          .status,
      201);
  auto second = http_->Post("/v1/resource-definitions/vol1/resources",
                            R"([{"resource":{"node_name":"sat-bravo"}}])");
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(PoolOf("vol1", "sat-bravo"), "pool1");

  // StorPoolName as a property of the resource group counts (unlike its select filter).
  // POST /v1/resource-groups ignores props: they are set with a PUT.
  ASSERT_EQ(
      http_->Post("/v1/resource-groups", R"({"name":"rg2","select_filter":{"place_count":1}})")
          .status,
      201);
  ASSERT_EQ(http_->Put("/v1/resource-groups/rg2", R"({"override_props":{"StorPoolName":"pool1"}})")
                .status,
            200);
  ASSERT_EQ(http_
                ->Post("/v1/resource-definitions",
                       R"({"resource_definition":{"name":"vol2","resource_group_name":"rg2"}})")
                .status,
            201);
  CreateVd("vol2", 1024);
  auto by_group_prop = http_->Post("/v1/resource-definitions/vol2/resources",
                                   R"([{"resource":{"node_name":"sat-charlie"}}])");
  ASSERT_EQ(by_group_prop.status, 201) << by_group_prop.body;
  EXPECT_EQ(PoolOf("vol2", "sat-charlie"), "pool1");
}

}  // namespace
}  // namespace lcsi::sim::testing