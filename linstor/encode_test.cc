#include "linstor/encode.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "linstor/decode.h"

namespace lcsi::linstor {
namespace {

simdjson::dom::element Parse(simdjson::dom::parser& parser, const std::string& json) {
  simdjson::dom::element doc;
  EXPECT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  return doc;
}

TEST(EncodeTest, SelectFilterOmitsUnsetFields) {
  JsonWriter w;
  WriteSelectFilter(w, SelectFilter{});
  EXPECT_EQ(w.str(), "{}");
  SelectFilter f;
  f.place_count = 3;
  f.node_name_list = std::vector<std::string>{"a", "b"};
  f.replicas_on_different = std::vector<std::string>{};
  f.diskless_on_remaining = true;
  JsonWriter w2;
  WriteSelectFilter(w2, f);
  EXPECT_EQ(w2.str(), R"({"place_count":3,"node_name_list":["a","b"],"replicas_on_different":[],)"
                      R"("diskless_on_remaining":true})");
}

TEST(EncodeTest, ResourceGroupRoundTripsThroughDecoder) {
  ResourceGroup g;
  g.name = "sc-1";
  g.description = "desc \"quoted\"";
  g.props = {{"Aux/owner", "me"}, {"DrbdOptions/Net/protocol", "C"}};
  g.select_filter.place_count = 2;
  g.select_filter.storage_pool_list = std::vector<std::string>{"p1", "p2"};
  g.select_filter.replicas_on_same = std::vector<std::string>{"Aux/zone"};
  g.select_filter.not_place_with_rsc_regex = "^x.*";
  g.select_filter.layer_stack = std::vector<std::string>{"DRBD", "STORAGE"};
  std::string body = EncodeResourceGroup(g);
  auto back = DecodeResourceGroup(body);
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(back->name, g.name);
  EXPECT_EQ(back->description, g.description);
  // ResourceGroups.createResourceGroup ignores props: they are not sent.
  EXPECT_TRUE(back->props.empty());
  EXPECT_EQ(back->select_filter, g.select_filter);
}

TEST(EncodeTest, Spawn) {
  ResourceGroupSpawn s;
  s.resource_definition_name = "pvc-1";
  s.volume_sizes = {1048576};
  s.resource_definition_props = {{"Aux/csi-name", "pvc-1"}};
  SelectFilter f;
  f.node_name_list = std::vector<std::string>{"n1"};
  s.select_filter = f;
  simdjson::dom::parser parser;
  auto doc = Parse(parser, EncodeSpawn(s));
  EXPECT_EQ(std::string_view(doc["resource_definition_name"]), "pvc-1");
  EXPECT_EQ(int64_t(doc["volume_sizes"].at(0)), 1048576);
  EXPECT_EQ(std::string_view(doc["resource_definition_props"]["Aux/csi-name"]), "pvc-1");
  EXPECT_EQ(std::string_view(doc["select_filter"]["node_name_list"].at(0)), "n1");
  EXPECT_EQ(doc["definitions_only"].error(), simdjson::NO_SUCH_FIELD);
  s.definitions_only = true;
  auto doc2 = Parse(parser, EncodeSpawn(s));
  EXPECT_TRUE(bool(doc2["definitions_only"]));
}

TEST(EncodeTest, ResourceDefinitionCreateNestsUnderResourceDefinition) {
  simdjson::dom::parser parser;
  auto doc = Parse(parser, EncodeResourceDefinitionCreate({"rd1", "rg1", {{"k", "v"}}}));
  EXPECT_EQ(std::string_view(doc["resource_definition"]["name"]), "rd1");
  EXPECT_EQ(std::string_view(doc["resource_definition"]["resource_group_name"]), "rg1");
  EXPECT_EQ(std::string_view(doc["resource_definition"]["props"]["k"]), "v");
}

TEST(EncodeTest, ResourceCreateIsAListAndMarksDiskless) {
  ResourceCreate c;
  c.node_name = "n1";
  c.diskless = true;
  simdjson::dom::parser parser;
  auto doc = Parse(parser, EncodeResourceCreate(c));
  // Resources.createResource overwrites resource.name with the path's: not sent.
  EXPECT_EQ(doc.at(0)["resource"]["name"].error(), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(std::string_view(doc.at(0)["resource"]["node_name"]), "n1");
  EXPECT_EQ(std::string_view(doc.at(0)["resource"]["flags"].at(0)), "DRBD_DISKLESS");
  ResourceCreate d;
  d.node_name = "n2";
  d.storage_pool = "thin";
  auto doc2 = Parse(parser, EncodeResourceCreate(d));
  EXPECT_EQ(std::string_view(doc2.at(0)["resource"]["props"]["StorPoolName"]), "thin");
  EXPECT_EQ(doc2.at(0)["resource"]["flags"].error(), simdjson::NO_SUCH_FIELD);
}

TEST(EncodeTest, SnapshotsRestoreCloneAndSmallBodies) {
  simdjson::dom::parser parser;
  auto multi =
      Parse(parser, EncodeMultiSnapshot({{"rd1", "s1", {}, {}}, {"rd2", "s1", {"n1"}, {}}}));
  EXPECT_EQ(std::string_view(multi["snapshots"].at(1)["resource_name"]), "rd2");
  EXPECT_EQ(std::string_view(multi["snapshots"].at(1)["nodes"].at(0)), "n1");
  EXPECT_EQ(std::string_view(multi["snapshots"].at(0)["name"]), "s1");
  // LINSTOR reads a snapshot's own properties from snapshot_definition_props only.
  auto with_props = Parse(parser, EncodeSnapshot({"rd1", "s1", {}, {{"Aux/k", "v"}}}));
  EXPECT_EQ(std::string_view(with_props["snapshot_definition_props"]["Aux/k"]), "v");
  EXPECT_NE(with_props["props"].error(), simdjson::SUCCESS);
  auto multi_props = Parse(parser, EncodeMultiSnapshot({{"rd1", "s1", {}, {{"Aux/g", "1"}}}}));
  EXPECT_EQ(std::string_view(multi_props["snapshots"].at(0)["snapshot_definition_props"]["Aux/g"]),
            "1");

  auto restore = Parse(parser, EncodeSnapshotRestore({"rd9", {"n1", "n2"}}));
  EXPECT_EQ(std::string_view(restore["to_resource"]), "rd9");
  EXPECT_EQ(restore["nodes"].get_array().size(), 2u);

  CloneRequest cr;
  cr.name = "c1";
  cr.use_zfs_clone = true;
  cr.resource_group = "rg";
  auto clone = Parse(parser, EncodeCloneRequest(cr));
  EXPECT_EQ(std::string_view(clone["name"]), "c1");
  EXPECT_TRUE(bool(clone["use_zfs_clone"]));
  EXPECT_EQ(std::string_view(clone["resource_group"]), "rg");

  EXPECT_EQ(EncodeVolumeDefinitionResize(2048), R"({"size_kib":2048})");
  EXPECT_EQ(EncodeMakeAvailable({}), R"({"diskful":false})");
  PropsModify m;
  m.override_props = {{"a", "1"}};
  m.delete_props = {"b"};
  EXPECT_EQ(EncodePropsModify(m), R"({"override_props":{"a":"1"},"delete_props":["b"]})");
  EXPECT_EQ(EncodeQuerySizeInfo(nullptr), "{}");
  AutoPlaceRequest ap;
  ap.select_filter.place_count = 2;
  EXPECT_EQ(EncodeAutoPlace(ap), R"({"select_filter":{"place_count":2}})");
  // AutoPlace.autoplace overwrites these two filter fields from the top-level ones.
  ap.select_filter.diskless_on_remaining = true;
  ap.select_filter.layer_stack = std::vector<std::string>{"DRBD", "STORAGE"};
  EXPECT_EQ(EncodeAutoPlace(ap),
            R"({"diskless_on_remaining":true,"select_filter":{"place_count":2},)"
            R"("layer_list":["DRBD","STORAGE"]})");
}

}  // namespace
}  // namespace lcsi::linstor
