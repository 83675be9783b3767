// Answer shapes that follow linstor-server's serializer (serializer/Json.java) where the
// OpenAPI file allows more: the resource group view and the volume of a resource.
#include <gtest/gtest.h>

#include "linstor-sim/sim_test_util.h"

namespace lcsi::sim::testing {
namespace {

using ResponseShapesTest = SimFixture;

bool Has(simdjson::dom::element e, const char* key) {
  simdjson::dom::element v;
  return e[key].get(v) == simdjson::SUCCESS;
}

// Json.apiToResourceGroup writes place_count, storage_pool (a one-pool list only),
// storage_pool_list, not_place_with_rsc(_regex), replicas_on_same/different,
// x_replicas_on_different_map, layer_stack, provider_list, diskless_on_remaining; no peer_slots.
TEST_F(ResponseShapesTest, ResourceGroupShowsOnlyWhatApiToResourceGroupWrites) {
  ASSERT_EQ(http_
                ->Post("/v1/resource-groups",
                       R"({"name":"rg1","peer_slots":7,"select_filter":{"place_count":2,)"
                       R"("storage_pool":"pool1","node_name_list":["sat-alpha"],)"
                       R"("storage_pool_diskless_list":["DfltDisklessStorPool"],)"
                       R"("additional_place_count":1,"diskless_type":"DRBD_DISKLESS",)"
                       R"("replicas_on_same":["Aux/topology/zone"]}})")
                .status,
            201);
  Json rg(http_->Get("/v1/resource-groups/rg1").body);
  simdjson::dom::element f = rg.root()["select_filter"];
  EXPECT_EQ(f["place_count"].get_int64().value(), 2);
  EXPECT_EQ(std::string(f["storage_pool"].get_string().value()), "pool1");
  EXPECT_EQ(std::string(f["storage_pool_list"].at(0).get_string().value()), "pool1");
  EXPECT_TRUE(Has(f, "replicas_on_same"));
  for (const char* hidden : {"node_name_list", "storage_pool_diskless_list",
                             "additional_place_count", "diskless_type", "port_count"}) {
    EXPECT_FALSE(Has(f, hidden)) << hidden;
  }
  EXPECT_FALSE(Has(rg.root(), "peer_slots"));
  // Two pools: no storage_pool.
  ASSERT_EQ(http_
                ->Put("/v1/resource-groups/rg1",
                      R"({"select_filter":{"storage_pool_list":["pool1","pool2"]}})")
                .status,
            200);
  Json two(http_->Get("/v1/resource-groups/rg1").body);
  EXPECT_FALSE(Has(two.root()["select_filter"], "storage_pool"));
}

// Json.apiToVolume: usable_size_kib only inside layer_data_list, not on the volume.
TEST_F(ResponseShapesTest, VolumeHasNoTopLevelUsableSize) {
  CreateRg("rg1", R"({"place_count":1})");
  Spawn("rg1", "vol1");
  Json view(http_->Get("/v1/view/resources?resources=vol1").body);
  simdjson::dom::element v = view.root().at(0)["volumes"].at(0);
  EXPECT_TRUE(Has(v, "allocated_size_kib"));
  EXPECT_FALSE(Has(v, "usable_size_kib"));
  EXPECT_TRUE(Has(v["layer_data_list"].at(0)["data"], "usable_size_kib"));
}

}  // namespace
}  // namespace lcsi::sim::testing
