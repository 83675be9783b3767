// List filters and pagination: props= (ANDed), nodes=, resources=, storage_pools=,
// snapshots=, resource_definitions=, resource_groups=, offset, limit.
#include <gtest/gtest.h>

#include "linstor-sim/sim_test_util.h"

namespace lcsi::sim::testing {
namespace {

class FiltersTest : public SimFixture {
 protected:
  void SetUp() override {
    SimFixture::SetUp();
    CreateRg("rg1", R"({"place_count":1})");
    for (int i = 0; i < 5; ++i) {
      const std::string rd = "vol" + std::to_string(i);
      auto r = http_->Post("/v1/resource-groups/rg1/spawn",
                           R"({"resource_definition_name":")" + rd +
                               R"(","volume_sizes":[1024],"resource_definition_props":)"
                               R"({"Aux/owner":")" +
                               (i % 2 == 0 ? "csi" : "other") + R"(","Aux/idx":")" +
                               std::to_string(i) + R"("}})");
      ASSERT_EQ(r.status, 201) << r.body;
    }
  }
};

TEST_F(FiltersTest, PropsFilterOnResourceDefinitions) {
  EXPECT_EQ(Field(http_->Get("/v1/resource-definitions?props=Aux/owner=csi").body, "name"),
            (std::vector<std::string>{"vol0", "vol2", "vol4"}));
  EXPECT_EQ(Field(http_->Get("/v1/resource-definitions?props=Aux/owner=csi&props=Aux/idx=2").body,
                  "name"),
            (std::vector<std::string>{"vol2"}));
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions?props=Aux/owner=nobody").body), 0u);
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions?props=Aux/idx").body), 5u);
  // URL-encoded '=' and '/' work too.
  EXPECT_EQ(Field(http_->Get("/v1/resource-definitions?props=Aux%2Fowner%3Dother").body, "name"),
            (std::vector<std::string>{"vol1", "vol3"}));
}

TEST_F(FiltersTest, NameFilters) {
  EXPECT_EQ(
      Field(
          http_->Get("/v1/resource-definitions?resource_definitions=VOL3&resource_definitions=vol1")
              .body,
          "name"),
      (std::vector<std::string>{"vol1", "vol3"}));
  EXPECT_EQ(Field(http_->Get("/v1/resource-groups?resource_groups=rg1").body, "name"),
            (std::vector<std::string>{"rg1"}));
  EXPECT_EQ(Field(http_->Get("/v1/nodes?nodes=sat-bravo&nodes=sat-alpha").body, "name"),
            (std::vector<std::string>{"sat-alpha", "sat-bravo"}));
  EXPECT_EQ(Field(http_->Get("/v1/nodes?props=Aux/topology/zone=zone-c").body, "name"),
            (std::vector<std::string>{"sat-charlie"}));
  EXPECT_EQ(ArraySize(http_->Get("/v1/view/storage-pools?storage_pools=pool1").body), 3u);
  EXPECT_EQ(ArraySize(http_->Get("/v1/view/storage-pools?nodes=sat-alpha").body), 2u);
}

TEST_F(FiltersTest, ViewResourcesFilters) {
  auto all = http_->Get("/v1/view/resources");
  EXPECT_EQ(ArraySize(all.body), 5u);
  auto by_rd = http_->Get("/v1/view/resources?resources=vol2");
  EXPECT_EQ(Field(by_rd.body, "name"), (std::vector<std::string>{"vol2"}));
  size_t per_node = 0;
  for (const char* n : {"sat-alpha", "sat-bravo", "sat-charlie"}) {
    auto r = http_->Get(std::string("/v1/view/resources?nodes=") + n);
    for (const auto& node : Field(r.body, "node_name")) EXPECT_EQ(node, n);
    per_node += ArraySize(r.body);
  }
  EXPECT_EQ(per_node, 5u);
  const std::string node = Field(by_rd.body, "node_name").at(0);
  EXPECT_EQ(ArraySize(http_->Get("/v1/view/resources?nodes=" + node + "&resources=vol2").body), 1u);
  EXPECT_EQ(ArraySize(http_->Get("/v1/view/resources?storage_pools=pool1").body), 5u);
  EXPECT_EQ(ArraySize(http_->Get("/v1/view/resources?props=StorPoolName=pool1").body), 5u);
  EXPECT_EQ(ArraySize(http_->Get("/v1/view/resources?resources=nope").body), 0u);
}

TEST_F(FiltersTest, Pagination) {
  std::vector<std::string> paged;
  for (int offset = 0; offset < 6; offset += 2) {
    auto r = http_->Get("/v1/resource-definitions?offset=" + std::to_string(offset) + "&limit=2");
    ASSERT_EQ(r.status, 200);
    auto names = Field(r.body, "name");
    EXPECT_LE(names.size(), 2u);
    paged.insert(paged.end(), names.begin(), names.end());
  }
  EXPECT_EQ(paged, (std::vector<std::string>{"vol0", "vol1", "vol2", "vol3", "vol4"}));
  // LINSTOR pages only with limit > 0: an offset alone is ignored.
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions?offset=10").body), 5u);
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions?limit=0").body), 5u);
  EXPECT_EQ(Field(http_->Get("/v1/resource-definitions?props=Aux/owner=csi&offset=1&limit=1").body,
                  "name"),
            (std::vector<std::string>{"vol2"}));
  EXPECT_EQ(Field(http_->Get("/v1/view/resources?offset=3&limit=10").body, "name"),
            (std::vector<std::string>{"vol3", "vol4"}));
  // JAX-RS answers 404 when a @QueryParam cannot be converted.
  EXPECT_EQ(http_->Get("/v1/resource-definitions?limit=abc").status, 404);
  // Integer.valueOf: a leading '+' is a sign, a space is not a digit.
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions?limit=%2B2").body), 2u);
  EXPECT_EQ(http_->Get("/v1/resource-definitions?limit=%202").status, 404);
  EXPECT_EQ(http_->Get("/v1/resource-definitions?limit=2%20").status, 404);
  EXPECT_EQ(http_->Get("/v1/resource-definitions?limit=%2B-2").status, 404);
  EXPECT_EQ(http_->Get("/v1/resource-definitions?limit=2147483648").status, 404) << "not an int";
  // View.viewResources pages only with limit > 0: a negative limit, or a negative offset without
  // a limit, lists everything.
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions?limit=-1").body), 5u);
  EXPECT_EQ(ArraySize(http_->Get("/v1/resource-definitions?offset=-3").body), 5u);
  EXPECT_EQ(http_->Get("/v1/resource-definitions?offset=-1&limit=2").status, 404);
}

TEST_F(FiltersTest, SnapshotView) {
  for (const char* rd : {"vol1", "vol2"}) {
    for (const char* s : {"a1", "b1"}) TakeSnapshot(*http_, rd, s);
  }
  EXPECT_EQ(ArraySize(http_->Get("/v1/view/snapshots").body), 4u);
  EXPECT_EQ(Field(http_->Get("/v1/view/snapshots?resources=vol2").body, "name"),
            (std::vector<std::string>{"a1", "b1"}));
  EXPECT_EQ(ArraySize(http_->Get("/v1/view/snapshots?offset=1&limit=2").body), 2u);
  const std::string node =
      Field(http_->Get("/v1/view/resources?resources=vol1").body, "node_name").at(0);
  auto by_node = http_->Get("/v1/view/snapshots?nodes=" + node);
  for (const auto& rd : Field(by_node.body, "resource_name")) {
    EXPECT_EQ(Field(http_->Get("/v1/view/resources?resources=" + rd).body, "node_name").at(0),
              node);
  }
}

}  // namespace
}  // namespace lcsi::sim::testing
