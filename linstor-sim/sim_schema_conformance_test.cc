// Drives every endpoint of the schema against the simulator and checks every answer (2xx
// and errors) against the schema (SimHttp checks each response); and checks that strict
// mode rejects request bodies and query parameters that do not match the schema.
#include <gtest/gtest.h>

#include <algorithm>

#include "linstor-sim/api_consts.h"
#include "linstor-sim/schema_check.h"
#include "linstor-sim/sim_test_util.h"

namespace lcsi::sim::testing {
namespace {

using ConformanceTest = SimFixture;

TEST_F(ConformanceTest, EveryEndpointAnswersWithinTheSchema) {
  SimHttp& h = *http_;
  auto ok = [](const HttpReply& r, int status) { EXPECT_EQ(r.status, status) << r.body; };
  ok(h.Get("/v1/controller/version"), 200);
  ok(h.Get("/v1/nodes"), 200);
  ok(h.Get("/v1/nodes/sat-alpha"), 200);
  ok(h.Get("/v1/nodes/sat-alpha/storage-pools"), 200);
  ok(h.Get("/v1/view/storage-pools"), 200);
  ok(h.Post("/v1/resource-groups",
            R"({"name":"rg1","description":"d",)"
            R"("select_filter":{"place_count":2,"storage_pool_list":["pool1"],)"
            R"("replicas_on_different":["Aux/topology/zone"],"layer_stack":["DRBD","STORAGE"],)"
            R"("x_replicas_on_different_map":{"Aux/topology/zone":1}}})"),
     201);
  ok(h.Get("/v1/resource-groups"), 200);
  ok(h.Get("/v1/resource-groups/rg1"), 200);
  ok(h.Put("/v1/resource-groups/rg1",
           R"({"override_props":{"Aux/c":"d"},"delete_props":["Aux/a"]})"),
     200);
  ok(h.Post("/v1/resource-groups/rg1/query-size-info", R"({"select_filter":{"place_count":2}})"),
     200);
  ok(h.Post("/v1/resource-groups/rg1/spawn",
            R"({"resource_definition_name":"vol1","volume_sizes":[4096],)"
            R"("resource_definition_props":{"Aux/csi":"v"}})"),
     201);
  ok(h.Get("/v1/resource-definitions?with_volume_definitions=true"), 200);
  ok(h.Get("/v1/resource-definitions/vol1"), 200);
  ok(h.Put("/v1/resource-definitions/vol1", R"({"override_props":{"Aux/x":"y"}})"), 200);
  ok(h.Post("/v1/resource-definitions",
            R"({"resource_definition":{"name":"vol2","resource_group_name":"rg1"}})"),
     201);
  ok(h.Post("/v1/resource-definitions/vol2/volume-definitions",
            R"({"volume_definition":{"volume_number":0,"size_kib":2048}})"),
     200);
  ok(h.Get("/v1/resource-definitions/vol2/volume-definitions"), 200);
  ok(h.Put("/v1/resource-definitions/vol2/volume-definitions/0", R"({"size_kib":4096})"), 200);
  ok(h.Post("/v1/resource-definitions/vol2/resources",
            R"([{"resource":{"node_name":"sat-alpha","props":{"StorPoolName":"pool1"}}}])"),
     201);
  ok(h.Post("/v1/resource-definitions/vol2/resources/sat-bravo",
            R"({"resource":{"flags":["DRBD_DISKLESS"]}})"),
     201);
  ok(h.Post("/v1/resource-definitions/vol2/resources/sat-charlie/make-available",
            R"({"diskful":false})"),
     200);
  ok(h.Get("/v1/resource-definitions/vol2/resources"), 200);
  ok(h.Get("/v1/resource-definitions/vol2/resources/sat-alpha"), 200);
  ok(h.Delete("/v1/resource-definitions/vol2/resources/sat-charlie"), 200);
  ok(h.Post("/v1/resource-definitions/vol2/autoplace",
            R"({"select_filter":{"place_count":2},"diskless_on_remaining":false})"),
     201);
  ok(h.Get("/v1/view/resources"), 200);
  ok(h.Post("/v1/resource-definitions/vol1/snapshots", R"({"name":"s1"})"), 201);
  ok(h.Post(
         "/v1/actions/snapshot/multi",
         R"({"snapshots":[{"name":"g1","resource_name":"vol1"},{"name":"g1","resource_name":"vol2"}]})"),
     201);
  ok(h.Get("/v1/resource-definitions/vol1/snapshots"), 200);
  ok(h.Get("/v1/resource-definitions/vol1/snapshots/s1"), 200);
  ok(h.Get("/v1/view/snapshots"), 200);
  ok(h.Post("/v1/resource-definitions/vol1/snapshot-rollback/g1", "{}"), 200);
  ok(h.Post("/v1/resource-definitions",
            R"({"resource_definition":{"name":"restored","resource_group_name":"rg1"}})"),
     201);
  ok(h.Post("/v1/resource-definitions/vol1/snapshot-restore-volume-definition/s1",
            R"({"to_resource":"restored"})"),
     200);
  ok(h.Post("/v1/resource-definitions/vol1/snapshot-restore-resource/s1",
            R"({"to_resource":"restored"})"),
     200);
  ok(h.Post("/v1/resource-definitions/vol1/clone", R"({"name":"cloned","resource_group":"rg1"})"),
     201);
  ok(h.Get("/v1/resource-definitions/vol1/clone/cloned"), 200);
  ok(h.Delete("/v1/resource-definitions/vol1/snapshots/s1"), 200);
  ok(h.Delete("/v1/resource-definitions/vol1/snapshots/g1"), 200);
  ok(h.Delete("/v1/resource-definitions/vol1"), 200);
  ok(h.Post("/v1/resource-groups", R"({"name":"rg2"})"), 201);
  ok(h.Delete("/v1/resource-groups/rg2"), 200);

  // Error answers of every kind are ApiCallRc lists (checked by SimHttp).
  ok(h.Get("/v1/nodes/nope"), 404);
  ok(h.Get("/v1/resource-groups/nope"), 404);
  ok(h.Get("/v1/resource-definitions/nope"), 404);
  ok(h.Get("/v1/resource-definitions/nope/resources/sat-alpha"), 404);
  ok(h.Post(
         "/v1/resource-groups/rg1/spawn",
         R"({"resource_definition_name":"big","volume_sizes":[1],"select_filter":{"place_count":9}})"),
     500);
  ok(h.Post("/v1/resource-definitions/vol2/snapshots", R"({"name":"1bad"})"), 500);

  std::vector<std::string> missing;
  for (const auto& e : ApiSchema::Builtin().Endpoints()) {
    if (std::find(h.covered().begin(), h.covered().end(), e) == h.covered().end()) {
      missing.push_back(e);
    }
  }
  EXPECT_TRUE(missing.empty()) << "endpoints never answered 2xx: "
                               << ::testing::PrintToString(missing);
}

TEST_F(ConformanceTest, StrictModeRejectsBadRequests) {
  struct Case {
    std::string method, path, body;
  };
  const std::vector<Case> cases = {
      {"POST", "/v1/resource-groups", R"({"name":"rg1","placeCount":2})"},
      {"POST", "/v1/resource-groups", R"({"name":"rg1","select_filter":{"place_count":"2"}})"},
      {"POST", "/v1/resource-groups", R"({"name":null})"},
      {"POST", "/v1/resource-groups/DfltRscGrp/spawn",
       R"({"resource_definition_name":"x","volume_sizes":[1],"resource_definition_properties":{}})"},
      {"POST", "/v1/resource-definitions", R"({"name":"flat-is-wrong"})"},
      {"POST", "/v1/resource-definitions", "not json"},
      {"GET", "/v1/view/resources?node=sat-alpha", ""},
      {"DELETE", "/v1/resource-definitions/x?force=true", ""},
  };
  for (const auto& c : cases) {
    HttpReply r = c.method == "POST"  ? http_->Post(c.path, c.body)
                  : c.method == "GET" ? http_->Get(c.path)
                                      : http_->Delete(c.path);
    EXPECT_EQ(r.status, 400) << c.method << " " << c.path << " " << c.body << " -> " << r.body;
    EXPECT_EQ(FirstRetCode(r.body), rc::kApiCallParseError) << r.body;
  }
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-groups").body), 1u) << "nothing was created";
}

TEST(ConformanceLenientTest, WithoutStrictModeUnknownFieldsAreIgnored) {
  ScopedSimOptions o;
  o.strict_schema = false;
  ScopedSimServer sim(o);
  ASSERT_TRUE(sim.status().ok());
  SimHttp http(sim.url());
  EXPECT_EQ(http.Post("/v1/resource-groups", R"({"name":"rg1","unknown":true})").status, 201);
  // A known field of the wrong type is still a parse error.
  auto r = http.Post("/v1/resource-groups", R"({"name":5})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(FirstRetCode(r.body), rc::kApiCallParseError);
}

}  // namespace
}  // namespace lcsi::sim::testing
