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

// Json.pojoToDrbdVolume writes a replica's DRBD volume, in the DRBD layer's drbd_volumes and in
// the volume's layer_data_list alike: backing_device and meta_disk only where there is a disk.
TEST_F(ResponseShapesTest, DrbdVolumeIsTheSameInTheLayerAndTheVolumesLayerList) {
  CreateRg("rg1", R"({"place_count":1,"node_name_list":["sat-alpha"]})");
  Spawn("rg1", "vol1");
  auto diskless =
      http_->Post("/v1/resource-definitions/vol1/resources",
                  R"([{"resource":{"node_name":"sat-bravo","flags":["DRBD_DISKLESS"]}}])");
  ASSERT_EQ(diskless.status, 201) << diskless.body;
  Json view(http_->Get("/v1/view/resources?resources=vol1").body);
  int diskful_seen = 0, diskless_seen = 0;
  for (simdjson::dom::element rsc : view.root().get_array()) {
    simdjson::dom::element in_layer = rsc["layer_object"]["drbd"]["drbd_volumes"].at(0);
    simdjson::dom::element in_volume = rsc["volumes"].at(0)["layer_data_list"].at(0);
    ASSERT_EQ(std::string(in_volume["type"].get_string().value()), "DRBD");
    EXPECT_EQ(simdjson::minify(in_layer), simdjson::minify(in_volume["data"]));
    const bool has_disk = Has(in_layer, "backing_device");
    EXPECT_EQ(Has(in_layer, "meta_disk"), has_disk);
    const std::string node(rsc["node_name"].get_string().value());
    (has_disk ? diskful_seen : diskless_seen) += 1;
    EXPECT_EQ(has_disk, node != "sat-bravo") << node;
  }
  EXPECT_EQ(diskful_seen, 1);
  EXPECT_EQ(diskless_seen, 1);
}

}  // namespace
}  // namespace lcsi::sim::testing
