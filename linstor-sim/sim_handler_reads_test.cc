// Strict mode refuses what linstor-server's handler does not read (handler_reads.h), and the
// simulator's rules that follow the handlers' source: JAX-RS list and boolean parameters,
// paging, fields the handlers drop (resource group props on creation, volume definitions on
// resource definition creation, delete_namespaces of a volume definition), the path's node on
// a single resource creation, query-size-info errors as reports, volume definition creation
// status.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "linstor-sim/api_consts.h"
#include "linstor-sim/handler_reads.h"
#include "linstor-sim/schema_check.h"
#include "linstor-sim/sim_test_util.h"

namespace lcsi::sim::testing {
namespace {

class HandlerReadsTest : public SimFixture {
 protected:
  // A strict refusal by the handler read lists: 400, API_CALL_PARSE_ERROR, a message naming
  // `what` and the handler.
  static void ExpectRefused(const HttpReply& r, const std::string& what) {
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(FirstRetCode(r.body), rc::kApiCallParseError) << r.body;
    EXPECT_NE(r.body.find("'" + what + "'"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("not read by LINSTOR"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find(".java: "), std::string::npos) << r.body;
  }
};

TEST(HandlerReadsTable, EveryEndpointHasAnEntryWithASource) {
  // Every endpoint the simulator serves (those of the schema) has its handler's read list.
  for (const auto& endpoint : ApiSchema::Builtin().Endpoints()) {
    EXPECT_NE(FindEndpointReads(endpoint), nullptr) << endpoint;
  }
  for (const auto& e : AllEndpointReads()) {
    EXPECT_NE(e.source.find("controller/src/main/java/com/linbit/linstor/api/rest/v1/"),
              std::string::npos)
        << e.endpoint;
    EXPECT_NE(e.source.find(".java: "), std::string::npos) << e.endpoint;
  }
  EXPECT_EQ(FindEndpointReads("GET /v1/nope"), nullptr);
}

TEST(HandlerReadsTable, BodyPathsNestAndOpaqueMapsPass) {
  const EndpointReads* spawn = FindEndpointReads("POST /v1/resource-groups/{resource_group}/spawn");
  ASSERT_NE(spawn, nullptr);
  EXPECT_TRUE(CheckBodyRead(*spawn, R"({"resource_definition_name":"a","volume_sizes":[1],)"
                                    R"("resource_definition_props":{"Any/Key":"v"},)"
                                    R"("select_filter":{"place_count":2}})")
                  .ok());
  Status bad = CheckBodyRead(*spawn, R"({"select_filter":{"overprovision":2.0}})");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("'select_filter.overprovision'"), std::string::npos)
      << bad.message();
  const EndpointReads* create =
      FindEndpointReads("POST /v1/resource-definitions/{resource}/resources");
  ASSERT_NE(create, nullptr);
  EXPECT_TRUE(CheckBodyRead(*create, R"([{"resource":{"node_name":"n","props":{"a":"b"}}}])").ok());
  Status name = CheckBodyRead(*create, R"([{"resource":{"name":"rd","node_name":"n"}}])");
  EXPECT_NE(name.message().find("'resource.name'"), std::string::npos) << name.message();
  EXPECT_TRUE(CheckQueryRead(*create, {}).ok());
  EXPECT_FALSE(CheckQueryRead(*create, {"limit"}).ok());
}

TEST_F(HandlerReadsTest, StrictRefusesUnreadQueryParameters) {
  // Resources.listResources reads only limit and offset; VolumeDefinitions
  // .listVolumeDefinition none; Resources.createResource none.
  ExpectRefused(http_->Get("/v1/resource-definitions/x/resources?nodes=sat-alpha"), "nodes");
  ExpectRefused(http_->Get("/v1/resource-definitions/x/resources?props=A=b"), "props");
  ExpectRefused(http_->Get("/v1/resource-definitions/x/volume-definitions?limit=1"), "limit");
  ExpectRefused(http_->Post("/v1/resource-definitions/x/resources?limit=1", "[]"), "limit");
  // What the handlers read passes.
  EXPECT_EQ(http_->Get("/v1/resource-definitions?with_volume_definitions=true&limit=1").status,
            200);
  EXPECT_EQ(http_->Get("/v1/view/storage-pools?cached=true&nodes=sat-alpha").status, 200);
}

TEST_F(HandlerReadsTest, StrictRefusesUnreadBodyFields) {
  // ResourceGroups.createResourceGroup: props are not supported on creation.
  ExpectRefused(http_->Post("/v1/resource-groups", R"({"name":"rg1","props":{"A/b":"c"}})"),
                "props");
  // Json.AutoSelectFilterData never reads overprovision.
  ExpectRefused(
      http_->Post("/v1/resource-groups", R"({"name":"rg1","select_filter":{"overprovision":2}})"),
      "select_filter.overprovision");
  CreateRg("rg1", R"({"place_count":1})");
  Spawn("rg1", "vol1");
  // AutoPlace.autoplace overwrites these two from the top-level fields.
  ExpectRefused(http_->Post("/v1/resource-definitions/vol1/autoplace",
                            R"({"select_filter":{"diskless_on_remaining":true}})"),
                "select_filter.diskless_on_remaining");
  ExpectRefused(http_->Post("/v1/resource-definitions/vol1/autoplace",
                            R"({"select_filter":{"layer_stack":["DRBD","STORAGE"]}})"),
                "select_filter.layer_stack");
  // VolumeDefinitions.modifyVolumeDefinition drops delete_namespaces.
  ExpectRefused(http_->Put("/v1/resource-definitions/vol1/volume-definitions/0",
                           R"({"delete_namespaces":["Aux"]})"),
                "delete_namespaces");
  // Resources.createResource overwrites resource.name with the path's.
  ExpectRefused(http_->Post("/v1/resource-definitions/vol1/resources",
                            R"([{"resource":{"name":"vol1","node_name":"sat-bravo"}}])"),
                "resource.name");
  // ResourceDefinitions.createResourceDefinition: no volume definitions on creation.
  ExpectRefused(
      http_->Post(
          "/v1/resource-definitions",
          R"({"resource_definition":{"name":"vol2","volume_definitions":[{"size_kib":8}]}})"),
      "resource_definition.volume_definitions");
  // Nothing was created by the refused requests.
  EXPECT_EQ(http_->Get("/v1/resource-definitions/vol2").status, 404);
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions/vol1/resources").body), 1u);
}

// The same requests without strict mode: LINSTOR ignores the fields, and so does the sim.
class LenientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ScopedSimOptions o;
    o.strict_schema = false;
    sim_ = std::make_unique<ScopedSimServer>(o);
    ASSERT_TRUE(sim_->status().ok());
    http_ = std::make_unique<SimHttp>(sim_->url());
  }
  std::unique_ptr<ScopedSimServer> sim_;
  std::unique_ptr<SimHttp> http_;
};

TEST_F(LenientTest, ResourceGroupPropsAreDroppedOnCreation) {
  auto c = http_->Post("/v1/resource-groups", R"({"name":"rg1","props":{"Aux/x":"1"}})");
  ASSERT_EQ(c.status, 201) << c.body;
  Json rg(http_->Get("/v1/resource-groups/rg1").body);
  simdjson::dom::element value;
  EXPECT_NE(rg.root()["props"]["Aux/x"].get(value), simdjson::SUCCESS) << "props are not kept";
  // A modify sets them (ResourceGroups.modifyResourceGroup reads override_props).
  ASSERT_EQ(http_->Put("/v1/resource-groups/rg1", R"({"override_props":{"Aux/x":"1"}})").status,
            200);
  Json after(http_->Get("/v1/resource-groups/rg1").body);
  EXPECT_EQ(std::string(after.root()["props"]["Aux/x"].get_string().value()), "1");
}

TEST_F(LenientTest, VolumeDefinitionsAreNotCreatedWithTheResourceDefinition) {
  auto c = http_->Post("/v1/resource-definitions",
                       R"({"resource_definition":{"name":"vol1",)"
                       R"("volume_definitions":[{"volume_number":0,"size_kib":8192}]}})");
  ASSERT_EQ(c.status, 201) << c.body;
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions/vol1/volume-definitions").body), 0u);
  // POST .../volume-definitions answers 200 (mapToMonoResponse without a status).
  auto vd = http_->Post("/v1/resource-definitions/vol1/volume-definitions",
                        R"({"volume_definition":{"size_kib":8192,"props":{"Aux/a":"1"}}})");
  EXPECT_EQ(vd.status, 200) << vd.body;
  ASSERT_EQ(http_
                ->Put("/v1/resource-definitions/vol1/volume-definitions/0",
                      R"({"delete_namespaces":["Aux"]})")
                .status,
            200);
  Json vds(http_->Get("/v1/resource-definitions/vol1/volume-definitions").body);
  EXPECT_EQ(std::string(vds.root().at(0)["props"]["Aux/a"].get_string().value()), "1")
      << "delete_namespaces is not passed on";
}

TEST_F(LenientTest, AutoplaceTopLevelDisklessOnRemainingWins) {
  ASSERT_EQ(
      http_->Post("/v1/resource-groups", R"({"name":"rg1","select_filter":{"place_count":1}})")
          .status,
      201);
  ASSERT_EQ(http_
                ->Post("/v1/resource-groups/rg1/spawn",
                       R"({"resource_definition_name":"vol1","volume_sizes":[1024],)"
                       R"("definitions_only":true})")
                .status,
            201);
  auto a = http_->Post("/v1/resource-definitions/vol1/autoplace",
                       R"({"select_filter":{"place_count":1,"diskless_on_remaining":true}})");
  ASSERT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions/vol1/resources").body), 1u)
      << "select_filter.diskless_on_remaining is overwritten by the absent top-level field";
}

// RequestHelper.doInScope answers an unparsable body with 400; the asynchronous handlers
// with ApiCallRcRestUtils.handleJsonParseException, whose toResponse makes it a 500.
TEST_F(LenientTest, ParseErrorStatusFollowsTheHandler) {
  auto sync = http_->Post("/v1/resource-groups", R"({"name":5})");
  EXPECT_EQ(sync.status, 400) << sync.body;
  EXPECT_EQ(FirstRetCode(sync.body), rc::kApiCallParseError);
  auto async = http_->Post("/v1/resource-groups/DfltRscGrp/spawn", R"({"volume_sizes":"x"})");
  EXPECT_EQ(async.status, 500) << async.body;
  EXPECT_EQ(FirstRetCode(async.body), rc::kApiCallParseError);
  auto rsc = http_->Post("/v1/resource-definitions/x/resources", "not json");
  EXPECT_EQ(rsc.status, 500) << rsc.body;
}

TEST_F(LenientTest, SingleResourceCreateTakesThePathsNode) {
  ASSERT_EQ(
      http_->Post("/v1/resource-definitions", R"({"resource_definition":{"name":"vol1"}})").status,
      201);
  ASSERT_EQ(http_
                ->Post("/v1/resource-definitions/vol1/volume-definitions",
                       R"({"volume_definition":{"size_kib":8192}})")
                .status,
            200);
  auto r =
      http_->Post("/v1/resource-definitions/vol1/resources/sat-bravo",
                  R"({"resource":{"node_name":"sat-alpha","props":{"StorPoolName":"pool1"}}})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Field(http_->Get("/v1/resource-definitions/vol1/resources").body, "node_name"),
            (std::vector<std::string>{"sat-bravo"}));
}

// Json.AutoSelectFilterData turns a request's storage_pool into a one-pool list, which then
// wins over the group's storage_pool_list when merged.
TEST(SelectFilterMergeTest, RequestStoragePoolWinsOverTheGroupsPoolList) {
  char dir[] = "/tmp/sim-pools-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string file = std::string(dir) + "/cluster.json";
  {
    std::ofstream out(file);
    out << R"({"nodes": [)";
    for (const char* n : {"sat-a", "sat-b"}) {
      out << (std::string(n) == "sat-a" ? "" : ",") << R"({"name":")" << n
          << R"(","pools":[{"name":"pool1","provider_kind":"LVM_THIN","capacity_kib":1048576},)"
          << R"({"name":"fast","provider_kind":"LVM_THIN","capacity_kib":1048576}]})";
    }
    out << "]}";
  }
  ScopedSimOptions o;
  o.cluster_file = file;
  ScopedSimServer sim(o);
  std::remove(file.c_str());
  ::rmdir(dir);
  ASSERT_TRUE(sim.status().ok()) << sim.status().ToString();
  SimHttp http(sim.url());
  ASSERT_EQ(
      http.Post("/v1/resource-groups",
                R"({"name":"rg1","select_filter":{"place_count":1,"storage_pool_list":["pool1"]}})")
          .status,
      201);
  auto s = http.Post("/v1/resource-groups/rg1/spawn",
                     R"({"resource_definition_name":"vol1","volume_sizes":[1024],)"
                     R"("select_filter":{"storage_pool":"fast"}})");
  ASSERT_EQ(s.status, 201) << s.body;
  Json view(http.Get("/v1/view/resources?resources=vol1").body);
  EXPECT_EQ(
      std::string(view.root().at(0)["volumes"].at(0)["storage_pool_name"].get_string().value()),
      "fast");
}

TEST_F(HandlerReadsTest, ListParametersAreRepeatedNotCommaSeparated) {
  // JAX-RS List<String>: "a,b" is one name, which no node has.
  EXPECT_EQ(ArraySize(http_->Get("/v1/nodes?nodes=sat-alpha,sat-bravo").body), 0u);
  EXPECT_EQ(ArraySize(http_->Get("/v1/nodes?nodes=sat-alpha&nodes=sat-bravo").body), 2u);
}

TEST_F(HandlerReadsTest, BooleanParameterIsTrueOnlyForTrue) {
  CreateRg("rg1", R"({"place_count":1})");
  Spawn("rg1", "vol1");
  auto has_vds = [&](const std::string& q) {
    Json j(http_->Get("/v1/resource-definitions?" + q).body);
    simdjson::dom::array vds;
    return j.root().at(0)["volume_definitions"].get(vds) == simdjson::SUCCESS && vds.size() > 0;
  };
  EXPECT_TRUE(has_vds("with_volume_definitions=true"));
  EXPECT_TRUE(has_vds("with_volume_definitions=TRUE"));
  EXPECT_FALSE(has_vds("with_volume_definitions=1"));
  EXPECT_FALSE(has_vds("with_volume_definitions="));
}

TEST_F(HandlerReadsTest, QuerySizeInfoErrorsAreReportsOfA200) {
  auto r = http_->Post("/v1/resource-groups/nope/query-size-info", "{}");
  EXPECT_EQ(r.status, 200) << r.body;
  Json j(r.body);
  simdjson::dom::element space;
  EXPECT_NE(j.root()["space_info"].get(space), simdjson::SUCCESS);
  EXPECT_EQ(static_cast<uint64_t>(j.root()["reports"].at(0)["ret_code"].get_int64().value()),
            rc::kMaskRscGrp | rc::kFailNotFoundRscGrp);
  auto ok = http_->Post("/v1/resource-groups/DfltRscGrp/query-size-info", "{}");
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body.find("\"reports\""), std::string::npos) << "an empty list is left out";
}

}  // namespace
}  // namespace lcsi::sim::testing
