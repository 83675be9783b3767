// HTTP tests of linstor-sim's LINSTOR endpoints: happy paths and error paths with their
// ret_code bits and HTTP status.
#include <gtest/gtest.h>

#include "linstor-sim/api_consts.h"
#include "linstor-sim/sim_test_util.h"

namespace lcsi::sim::testing {
namespace {

using ApiTest = SimFixture;

constexpr uint64_t kObjMask = 0x00000000007C0000ULL;
constexpr uint64_t kOpMask = 0x0000000003000000ULL;

TEST_F(ApiTest, VersionAndNodes) {
  auto v = http_->Get("/v1/controller/version");
  ASSERT_EQ(v.status, 200);
  Json j(v.body);
  EXPECT_EQ(std::string(j.root()["rest_api_version"].get_string().value()), "1.28.0");

  auto nodes = http_->Get("/v1/nodes");
  ASSERT_EQ(nodes.status, 200);
  EXPECT_EQ(Field(nodes.body, "name"),
            (std::vector<std::string>{"sat-alpha", "sat-bravo", "sat-charlie"}));
  Json n(nodes.body);
  for (auto node : n.root().get_array()) {
    EXPECT_EQ(std::string(node["connection_status"].get_string().value()), "ONLINE");
    EXPECT_FALSE(node["props"]["Aux/topology/zone"].get_string().value().empty());
  }

  auto one = http_->Get("/v1/nodes/SAT-BRAVO");  // names are case-insensitive
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(std::string(Json(one.body).root()["name"].get_string().value()), "sat-bravo");

  auto missing = http_->Get("/v1/nodes/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(FirstRetCode(missing.body), rc::kMaskNode | rc::kFailNotFoundNode);
}

TEST_F(ApiTest, StoragePools) {
  auto all = http_->Get("/v1/view/storage-pools");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(ArraySize(all.body), 6u);  // pool1 + diskless on 3 nodes
  auto node = http_->Get("/v1/nodes/sat-alpha/storage-pools");
  ASSERT_EQ(node.status, 200);
  EXPECT_EQ(Field(node.body, "storage_pool_name"),
            (std::vector<std::string>{"DfltDisklessStorPool", "pool1"}));
  Json j(node.body);
  for (auto p : j.root().get_array()) {
    if (std::string(p["provider_kind"].get_string().value()) == "LVM_THIN") {
      EXPECT_EQ(p["total_capacity"].get_int64().value(), 100LL * 1024 * 1024);
      EXPECT_EQ(p["free_capacity"].get_int64().value(), 100LL * 1024 * 1024);
    }
  }
  EXPECT_EQ(http_->Get("/v1/nodes/nope/storage-pools").status, 404);
}

TEST_F(ApiTest, ResourceGroupLifecycle) {
  CreateRg("rg1", R"({"place_count":2,"storage_pool_list":["pool1"]})");
  auto dup = http_->Post("/v1/resource-groups", R"({"name":"RG1"})");
  EXPECT_EQ(dup.status, 500);
  EXPECT_EQ(FirstRetCode(dup.body), rc::kMaskRscGrp | rc::kMaskCrt | rc::kFailExistsRscGrp);

  auto get = http_->Get("/v1/resource-groups/rg1");
  ASSERT_EQ(get.status, 200);
  Json j(get.body);
  EXPECT_EQ(j.root()["select_filter"]["place_count"].get_int64().value(), 2);

  auto mod = http_->Put("/v1/resource-groups/rg1",
                        R"({"description":"d","override_props":{"Aux/a":"1","Aux/b":"2"},)"
                        R"("select_filter":{"place_count":3}})");
  ASSERT_EQ(mod.status, 200) << mod.body;
  EXPECT_EQ(FirstRetCode(mod.body), rc::kMaskRscGrp | rc::kMaskMod | rc::kModified);
  auto del_prop = http_->Put("/v1/resource-groups/rg1", R"({"delete_props":["Aux/a"]})");
  ASSERT_EQ(del_prop.status, 200);
  Json after(http_->Get("/v1/resource-groups/rg1").body);
  EXPECT_EQ(after.root()["select_filter"]["place_count"].get_int64().value(), 3);
  EXPECT_EQ(after.root()["select_filter"]["storage_pool_list"].get_array().size(), 1u);
  EXPECT_EQ(std::string(after.root()["description"].get_string().value()), "d");
  EXPECT_FALSE(after.root()["props"]["Aux/a"].get_string().error() == simdjson::SUCCESS);
  EXPECT_EQ(std::string(after.root()["props"]["Aux/b"].get_string().value()), "2");

  auto list = http_->Get("/v1/resource-groups");
  EXPECT_EQ(Field(list.body, "name"), (std::vector<std::string>{"DfltRscGrp", "rg1"}));

  auto del = http_->Delete("/v1/resource-groups/rg1");
  EXPECT_EQ(del.status, 200);
  EXPECT_EQ(FirstRetCode(del.body), rc::kMaskRscGrp | rc::kMaskDel | rc::kDeleted);
  EXPECT_EQ(http_->Get("/v1/resource-groups/rg1").status, 404);
  auto again = http_->Delete("/v1/resource-groups/rg1");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(FirstRetCode(again.body), rc::kMaskRscGrp | rc::kMaskDel | rc::kWarnNotFound);
}

TEST_F(ApiTest, ResourceGroupInUseCannotBeDeleted) {
  CreateRg("rg1", R"({"place_count":1})");
  Spawn("rg1", "vol1");
  auto del = http_->Delete("/v1/resource-groups/rg1");
  EXPECT_EQ(del.status, 500);
  EXPECT_EQ(FirstRetCode(del.body) & rc::kMaskBitsCode, rc::kFailExistsRscDfn & rc::kMaskBitsCode);
  auto dflt = http_->Delete("/v1/resource-groups/DfltRscGrp");
  EXPECT_EQ(dflt.status, 403);
}

TEST_F(ApiTest, SpawnCreatesDefinitionsAndReplicas) {
  CreateRg("rg1", R"({"place_count":2,"storage_pool":"pool1"})");
  auto r = http_->Post("/v1/resource-groups/rg1/spawn",
                       R"({"resource_definition_name":"pvc-1","volume_sizes":[4096],)"
                       R"("resource_definition_props":{"Aux/csi/owner":"me"}})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(HasRetCode(r.body, rc::kMaskRscDfn | rc::kMaskCrt | rc::kCreated));
  EXPECT_TRUE(HasRetCode(r.body, rc::kMaskVlmDfn | rc::kMaskCrt | rc::kCreated));
  EXPECT_TRUE(HasRetCode(r.body, rc::kInfoTieBreakerCreated));

  auto rd = http_->Get(
      "/v1/resource-definitions?resource_definitions=pvc-1&with_volume_definitions=true");
  ASSERT_EQ(rd.status, 200);
  Json j(rd.body);
  EXPECT_EQ(std::string(j.root().at(0)["resource_group_name"].get_string().value()), "rg1");
  EXPECT_EQ(std::string(j.root().at(0)["props"]["Aux/csi/owner"].get_string().value()), "me");
  auto vds = j.root().at(0)["volume_definitions"].get_array().value();
  ASSERT_EQ(vds.size(), 1u);
  EXPECT_EQ(vds.at(0)["size_kib"].get_int64().value(), 4096);

  auto rscs = http_->Get("/v1/view/resources?resources=pvc-1");
  ASSERT_EQ(ArraySize(rscs.body), 3u);  // two replicas and a tiebreaker
  int diskful = 0, tie_breakers = 0;
  Json rj(rscs.body);
  for (auto rsc : rj.root().get_array()) {
    bool tb = false, diskless = false;
    for (auto f : rsc["flags"].get_array()) {
      tb |= std::string(f.get_string().value()) == "TIE_BREAKER";
      diskless |= std::string(f.get_string().value()) == "DISKLESS";
    }
    diskful += diskless ? 0 : 1;
    tie_breakers += tb ? 1 : 0;
    auto vol = rsc["volumes"].get_array().value().at(0);
    EXPECT_EQ(std::string(vol["device_path"].get_string().value()), "/dev/drbd1000");
  }
  EXPECT_EQ(diskful, 2);
  EXPECT_EQ(tie_breakers, 1);

  auto single = http_->Get("/v1/resource-definitions/pvc-1/resources/sat-alpha");
  EXPECT_TRUE(single.status == 200 || single.status == 404);
  EXPECT_EQ(http_->Get("/v1/resource-definitions/pvc-1/resources/nope").status, 404);
}

TEST_F(ApiTest, SpawnErrors) {
  CreateRg("rg1", R"({"place_count":2})");
  struct Case {
    std::string path;
    std::string body;
    int status;
    uint64_t code;  // type | code bits (object/op masks checked separately)
  };
  const std::vector<Case> cases = {
      {"/v1/resource-groups/nope/spawn", R"({"resource_definition_name":"x1","volume_sizes":[1]})",
       404, rc::kFailNotFoundRscGrp},
      {"/v1/resource-groups/rg1/spawn", R"({"resource_definition_name":"1bad","volume_sizes":[1]})",
       500, rc::kFailInvldRscName},
      {"/v1/resource-groups/rg1/spawn", R"({"resource_definition_name":"x1","volume_sizes":[0]})",
       500, rc::kFailInvldVlmSize},
      {"/v1/resource-groups/rg1/spawn",
       R"({"resource_definition_name":"x1","volume_sizes":[1],"select_filter":{"place_count":4}})",
       500, rc::kFailNotEnoughNodes},
      {"/v1/resource-groups/rg1/spawn",
       R"({"resource_definition_name":"x1","volume_sizes":[209715200]})", 500,
       rc::kFailNotEnoughNodes},
  };
  for (const auto& c : cases) {
    auto r = http_->Post(c.path, c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.body;
    const uint64_t got = FirstRetCode(r.body);
    EXPECT_EQ(got & (rc::kMaskBitsType | rc::kMaskBitsCode), c.code) << c.body;
    EXPECT_EQ(got & kObjMask, rc::kMaskRscDfn) << c.body;
    EXPECT_EQ(got & kOpMask, rc::kMaskCrt) << c.body;
  }
  // Nothing was left half created.
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions").body), 0u);
  Spawn("rg1", "x1");
  auto dup = http_->Post("/v1/resource-groups/rg1/spawn",
                         R"({"resource_definition_name":"X1","volume_sizes":[1]})");
  EXPECT_EQ(dup.status, 500);
  EXPECT_EQ(FirstRetCode(dup.body), rc::kMaskRscDfn | rc::kMaskCrt | rc::kFailExistsRscDfn);
}

TEST_F(ApiTest, ResourceDefinitionCrud) {
  auto c = http_->Post("/v1/resource-definitions",
                       R"({"resource_definition":{"name":"rd1","props":{"Aux/x":"1"}}})");
  ASSERT_EQ(c.status, 201) << c.body;
  EXPECT_EQ(FirstRetCode(c.body), rc::kMaskRscDfn | rc::kMaskCrt | rc::kCreated);
  Json j(http_->Get("/v1/resource-definitions/rd1").body);
  EXPECT_EQ(std::string(j.root()["resource_group_name"].get_string().value()), "DfltRscGrp");

  auto bad_rg =
      http_->Post("/v1/resource-definitions",
                  R"({"resource_definition":{"name":"rd2","resource_group_name":"nope"}})");
  EXPECT_EQ(bad_rg.status, 404);
  EXPECT_EQ(FirstRetCode(bad_rg.body), rc::kMaskRscDfn | rc::kMaskCrt | rc::kFailNotFoundRscGrp);

  CreateRg("rg1", R"({"place_count":1})");
  auto mod = http_->Put("/v1/resource-definitions/rd1",
                        R"({"override_props":{"Aux/y":"2"},"delete_props":["Aux/x"],)"
                        R"("resource_group":"rg1"})");
  ASSERT_EQ(mod.status, 200) << mod.body;
  Json m(http_->Get("/v1/resource-definitions/rd1").body);
  EXPECT_EQ(std::string(m.root()["resource_group_name"].get_string().value()), "rg1");
  EXPECT_EQ(std::string(m.root()["props"]["Aux/y"].get_string().value()), "2");
  EXPECT_NE(m.root()["props"]["Aux/x"].error(), simdjson::SUCCESS);

  auto missing = http_->Put("/v1/resource-definitions/nope", R"({"override_props":{}})");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(FirstRetCode(missing.body), rc::kMaskRscDfn | rc::kMaskMod | rc::kFailNotFoundRscDfn);

  auto del = http_->Delete("/v1/resource-definitions/rd1");
  EXPECT_EQ(del.status, 200);
  EXPECT_EQ(FirstRetCode(del.body), rc::kMaskRscDfn | rc::kMaskDel | rc::kDeleted);
  auto del2 = http_->Delete("/v1/resource-definitions/rd1");
  EXPECT_EQ(del2.status, 200);
  EXPECT_EQ(FirstRetCode(del2.body), rc::kMaskRscDfn | rc::kMaskDel | rc::kWarnNotFound);
  EXPECT_EQ(http_->Get("/v1/resource-definitions/rd1").status, 404);
}

TEST_F(ApiTest, VolumeDefinitionsAndResize) {
  ASSERT_EQ(
      http_->Post("/v1/resource-definitions", R"({"resource_definition":{"name":"rd1"}})").status,
      201);
  auto vd = http_->Post("/v1/resource-definitions/rd1/volume-definitions",
                        R"({"volume_definition":{"size_kib":1000}})");
  // VolumeDefinitions.createVolumeDefinition: mapToMonoResponse(flux), 200.
  ASSERT_EQ(vd.status, 200) << vd.body;
  auto dup = http_->Post("/v1/resource-definitions/rd1/volume-definitions",
                         R"({"volume_definition":{"volume_number":0,"size_kib":1000}})");
  EXPECT_EQ(dup.status, 500);
  EXPECT_EQ(FirstRetCode(dup.body), rc::kMaskVlmDfn | rc::kMaskCrt | rc::kFailExistsVlmDfn);
  ASSERT_EQ(
      http_
          ->Post("/v1/resource-definitions/rd1/resources",
                 R"([{"resource":{"node_name":"sat-alpha","props":{"StorPoolName":"pool1"}}}])")
          .status,
      201);
  const int64_t before = PoolFree("sat-alpha");
  auto grow =
      http_->Put("/v1/resource-definitions/rd1/volume-definitions/0", R"({"size_kib":3000})");
  ASSERT_EQ(grow.status, 200) << grow.body;
  EXPECT_EQ(FirstRetCode(grow.body), rc::kMaskVlmDfn | rc::kMaskMod | rc::kModified);
  EXPECT_EQ(PoolFree("sat-alpha"), before - 2000);
  Json list(http_->Get("/v1/resource-definitions/rd1/volume-definitions").body);
  EXPECT_EQ(list.root().get_array().at(0)["size_kib"].get_int64().value(), 3000);

  auto shrink =
      http_->Put("/v1/resource-definitions/rd1/volume-definitions/0", R"({"size_kib":100})");
  EXPECT_EQ(shrink.status, 500);
  EXPECT_EQ(FirstRetCode(shrink.body), rc::kMaskVlmDfn | rc::kMaskMod | rc::kFailInvldVlmSize);
  auto missing =
      http_->Put("/v1/resource-definitions/rd1/volume-definitions/7", R"({"size_kib":100})");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(FirstRetCode(missing.body), rc::kMaskVlmDfn | rc::kMaskMod | rc::kFailNotFoundVlmDfn);
  auto not_a_number =
      http_->Put("/v1/resource-definitions/rd1/volume-definitions/0x0", R"({"size_kib":3000})");
  EXPECT_EQ(not_a_number.status, 404);
  auto too_big =
      http_->Put("/v1/resource-definitions/rd1/volume-definitions/0", R"({"size_kib":999999999})");
  EXPECT_EQ(too_big.status, 500);
  EXPECT_EQ(FirstRetCode(too_big.body) & rc::kMaskBitsCode, 980u);
}

// CtrlVlmDfnModifyApiCallHandler: shrinking is refused only by deployed DRBD resources; the
// same size is a warning.
TEST_F(ApiTest, VolumeDefinitionShrinkWithoutResourcesAndSameSize) {
  ASSERT_EQ(
      http_->Post("/v1/resource-definitions", R"({"resource_definition":{"name":"rd1"}})").status,
      201);
  CreateVd("rd1", 4096);
  auto shrink =
      http_->Put("/v1/resource-definitions/rd1/volume-definitions/0", R"({"size_kib":2048})");
  EXPECT_EQ(shrink.status, 200) << shrink.body;
  Json list(http_->Get("/v1/resource-definitions/rd1/volume-definitions").body);
  EXPECT_EQ(list.root().at(0)["size_kib"].get_int64().value(), 2048);
  auto same =
      http_->Put("/v1/resource-definitions/rd1/volume-definitions/0", R"({"size_kib":2048})");
  EXPECT_EQ(same.status, 200);
  EXPECT_TRUE(HasRetCode(same.body, rc::kWarnVlmDfnResizeSameSize)) << same.body;
}

TEST_F(ApiTest, ResourcesCreateDeleteAndErrors) {
  ASSERT_EQ(
      http_->Post("/v1/resource-definitions", R"({"resource_definition":{"name":"rd1"}})").status,
      201);
  CreateVd("rd1", 1024);
  auto one = http_->Post("/v1/resource-definitions/rd1/resources/sat-alpha",
                         R"({"resource":{"props":{"StorPoolName":"pool1"}}})");
  ASSERT_EQ(one.status, 201) << one.body;
  EXPECT_TRUE(HasRetCode(one.body, rc::kMaskRsc | rc::kMaskCrt | rc::kCreated));
  auto dl = http_->Post("/v1/resource-definitions/rd1/resources",
                        R"([{"resource":{"node_name":"sat-bravo","flags":["DRBD_DISKLESS"]}}])");
  ASSERT_EQ(dl.status, 201) << dl.body;
  Json b(http_->Get("/v1/view/resources?resources=rd1&nodes=sat-bravo").body);
  bool diskless = false;
  for (auto f : b.root().at(0)["flags"].get_array())
    diskless |= f.get_string().value() == "DISKLESS";
  EXPECT_TRUE(diskless);
  EXPECT_EQ(std::string(b.root()
                            .at(0)["volumes"]
                            .get_array()
                            .value()
                            .at(0)["state"]["disk_state"]
                            .get_string()
                            .value()),
            "Diskless");

  struct Case {
    std::string method, path, body;
    int status;
    uint64_t ret_code;
  };
  const uint64_t crt = rc::kMaskRsc | rc::kMaskCrt, del = rc::kMaskRsc | rc::kMaskDel;
  const std::vector<Case> cases = {
      {"POST", "/v1/resource-definitions/rd1/resources/sat-alpha", R"({"resource":{}})", 500,
       crt | rc::kFailExistsRsc},
      {"POST", "/v1/resource-definitions/rd1/resources", R"([{"resource":{"node_name":"nope"}}])",
       404, crt | rc::kFailNotFoundNode},
      {"POST", "/v1/resource-definitions/nope/resources",
       R"([{"resource":{"node_name":"sat-alpha"}}])", 404, crt | rc::kFailNotFoundRscDfn},
      {"POST", "/v1/resource-definitions/rd1/resources",
       R"([{"resource":{"node_name":"sat-charlie","props":{"StorPoolName":"nopool"}}}])", 404,
       crt | rc::kFailNotFoundStorPool},
      {"DELETE", "/v1/resource-definitions/nope/resources/sat-alpha", "", 404,
       del | rc::kFailNotFoundRscDfn},
      {"DELETE", "/v1/resource-definitions/rd1/resources/nope", "", 404,
       del | rc::kFailNotFoundNode},
      {"DELETE", "/v1/resource-definitions/rd1/resources/sat-charlie", "", 200,
       del | rc::kWarnNotFound},
      // The last diskful replica still serves the diskless one.
      {"DELETE", "/v1/resource-definitions/rd1/resources/sat-alpha", "", 500, del | rc::kFailInUse},
  };
  for (const auto& c : cases) {
    auto r = c.method == "POST" ? http_->Post(c.path, c.body) : http_->Delete(c.path);
    EXPECT_EQ(r.status, c.status) << c.method << " " << c.path << " -> " << r.body;
    EXPECT_EQ(FirstRetCode(r.body), c.ret_code) << c.method << " " << c.path << " -> " << r.body;
  }
  auto del_dl = http_->Delete("/v1/resource-definitions/rd1/resources/sat-bravo");
  EXPECT_EQ(del_dl.status, 200);
  EXPECT_EQ(FirstRetCode(del_dl.body), del | rc::kDeleted);
  EXPECT_EQ(http_->Delete("/v1/resource-definitions/rd1/resources/sat-alpha").status, 200);
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions/rd1/resources").body), 0u);
}

TEST_F(ApiTest, AutoplaceAndDisklessOnRemaining) {
  CreateRg("rg1", R"({"place_count":1})");
  auto s = http_->Post("/v1/resource-groups/rg1/spawn",
                       R"({"resource_definition_name":"rd1","volume_sizes":[1024],)"
                       R"("definitions_only":true})");
  ASSERT_EQ(s.status, 201);
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions/rd1/resources").body), 0u);
  auto a = http_->Post("/v1/resource-definitions/rd1/autoplace",
                       R"({"select_filter":{"place_count":2},"diskless_on_remaining":true})");
  ASSERT_EQ(a.status, 201) << a.body;
  auto rscs = http_->Get("/v1/resource-definitions/rd1/resources");
  EXPECT_EQ(ArraySize(rscs.body), 3u);
  Json j(rscs.body);
  int diskless = 0, tb = 0;
  for (auto r : j.root().get_array()) {
    for (auto f : r["flags"].get_array()) {
      diskless += f.get_string().value() == "DRBD_DISKLESS";
      tb += f.get_string().value() == "TIE_BREAKER";
    }
  }
  EXPECT_EQ(diskless, 1);
  EXPECT_EQ(tb, 0) << "a diskless client makes a tiebreaker unnecessary";

  auto same = http_->Post("/v1/resource-definitions/rd1/autoplace",
                          R"({"select_filter":{"place_count":2}})");
  EXPECT_EQ(same.status, 201);
  EXPECT_EQ(FirstRetCode(same.body) & (rc::kMaskBitsType | rc::kMaskBitsCode),
            rc::kWarnRscAlreadyDeployed);
  // Fewer than placed: a warning (CtrlRscAutoPlaceApiCallHandler.makePlaceCountTooLowResponse),
  // the success status, nothing removed.
  auto fewer = http_->Post("/v1/resource-definitions/rd1/autoplace",
                           R"({"select_filter":{"place_count":1}})");
  EXPECT_EQ(fewer.status, 201) << fewer.body;
  EXPECT_EQ(FirstRetCode(fewer.body) & (rc::kMaskBitsType | rc::kMaskBitsCode),
            rc::kWarnRscAlreadyDeployed);
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions/rd1/resources").body), 3u);
  // Every node holds the resource already (the diskless one included).
  auto more = http_->Post("/v1/resource-definitions/rd1/autoplace",
                          R"({"select_filter":{"additional_place_count":1}})");
  EXPECT_EQ(more.status, 500) << more.body;
  EXPECT_EQ(FirstRetCode(more.body) & rc::kMaskBitsCode, 996u);
  auto none = http_->Post("/v1/resource-definitions/nope/autoplace", R"({"select_filter":{}})");
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(FirstRetCode(none.body), rc::kMaskRscDfn | rc::kMaskCrt | rc::kFailNotFoundRscDfn);
}

TEST_F(ApiTest, NotPlaceWithResource) {
  CreateRg("rg1", R"({"place_count":1})");
  Spawn("rg1", "db-1");
  Json first(http_->Get("/v1/resource-definitions/db-1/resources").body);
  const std::string occupied(first.root().get_array().at(0)["node_name"].get_string().value());
  for (const char* filter : {R"({"place_count":2,"not_place_with_rsc":["db-1"]})",
                             R"({"place_count":2,"not_place_with_rsc_regex":"^db-[0-9]+$"})"}) {
    static int n = 0;
    const std::string rd = "db-x" + std::to_string(n++);
    auto r = http_->Post("/v1/resource-groups/rg1/spawn",
                         R"({"resource_definition_name":")" + rd +
                             R"(","volume_sizes":[1024],"select_filter":)" + filter + "}");
    ASSERT_EQ(r.status, 201) << r.body;
    Json j(http_->Get("/v1/resource-definitions/" + rd + "/resources").body);
    for (auto rsc : j.root().get_array()) {
      bool diskless = false;
      for (auto f : rsc["flags"].get_array()) diskless |= f.get_string().value() == "DISKLESS";
      if (!diskless) {
        EXPECT_NE(std::string(rsc["node_name"].get_string().value()), occupied);
      }
    }
  }
  auto bad = http_->Post(
      "/v1/resource-groups/rg1/spawn",
      R"({"resource_definition_name":"zz","volume_sizes":[1],"select_filter":{"place_count":3,"not_place_with_rsc":["db-1"]}})");
  EXPECT_EQ(bad.status, 500);
  EXPECT_EQ(FirstRetCode(bad.body) & rc::kMaskBitsCode, 996u);
}

TEST_F(ApiTest, ReplicasOnSameAndDifferentViaHttp) {
  CreateRg("rg1", R"({"place_count":3,"replicas_on_different":["Aux/topology/zone"]})");
  Spawn("rg1", "spread");
  auto r =
      http_->Post("/v1/resource-groups/rg1/spawn",
                  R"({"resource_definition_name":"same","volume_sizes":[1],)"
                  R"("select_filter":{"place_count":2,"replicas_on_same":["Aux/topology/zone"]}})");
  EXPECT_EQ(r.status, 500) << "every zone has one node";
  EXPECT_EQ(FirstRetCode(r.body) & rc::kMaskBitsCode, 996u);
}

TEST_F(ApiTest, QuerySizeInfo) {
  CreateRg("rg1", R"({"place_count":2})");
  auto q = http_->Post("/v1/resource-groups/rg1/query-size-info", "{}");
  ASSERT_EQ(q.status, 200) << q.body;
  Json j(q.body);
  EXPECT_EQ(j.root()["space_info"]["max_vlm_size_in_kib"].get_int64().value(), 100LL * 1024 * 1024);
  Spawn("rg1", "big", 50LL * 1024 * 1024);
  // Two replicas need two nodes: the best pair now has 100 GiB and 50 GiB free.
  Json k(http_->Post("/v1/resource-groups/rg1/query-size-info", "{}").body);
  EXPECT_EQ(k.root()["space_info"]["max_vlm_size_in_kib"].get_int64().value(), 50LL * 1024 * 1024);
  Json single(http_
                  ->Post("/v1/resource-groups/rg1/query-size-info",
                         R"({"select_filter":{"place_count":1}})")
                  .body);
  EXPECT_EQ(single.root()["space_info"]["max_vlm_size_in_kib"].get_int64().value(),
            100LL * 1024 * 1024)
      << "the third node is still empty";
  Json one_node(http_
                    ->Post("/v1/resource-groups/rg1/query-size-info",
                           R"({"select_filter":{"place_count":3}})")
                    .body);
  EXPECT_EQ(one_node.root()["space_info"]["max_vlm_size_in_kib"].get_int64().value(),
            50LL * 1024 * 1024);
  Json none(http_
                ->Post("/v1/resource-groups/rg1/query-size-info",
                       R"({"select_filter":{"place_count":4}})")
                .body);
  EXPECT_EQ(none.root()["space_info"]["max_vlm_size_in_kib"].get_int64().value(), 0);
  // ResourceGroups.querySizeInfo: errors are reports of a 200 answer.
  auto nope = http_->Post("/v1/resource-groups/nope/query-size-info", "{}");
  EXPECT_EQ(nope.status, 200);
  EXPECT_NE(nope.body.find("\"reports\""), std::string::npos) << nope.body;
}

TEST_F(ApiTest, UnknownPathIs404) {
  auto r = http_->Get("/v1/does-not-exist");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(rc::IsError(FirstRetCode(r.body)));
}

}  // namespace
}  // namespace lcsi::sim::testing
