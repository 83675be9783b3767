#include "tools/csictl/output.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "csi/csi.pb.h"

namespace lcsi::csictl {
namespace {

template <typename T>
T FromText(const std::string& text) {
  T message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message)) << text;
  return message;
}

TEST(FormatReadableTest, NestedMapsRepeatedAndBytes) {
  auto response = FromText<csi::v1::CreateVolumeResponse>(R"pb(
    volume {
      capacity_bytes: 1073741824
      volume_id: "pvc-1"
      volume_context { key: "b" value: "2" }
      volume_context { key: "a" value: "1" }
      accessible_topology { segments { key: "zone" value: "z1" } }
      content_source { snapshot { snapshot_id: "snap-1" } }
    })pb");
  EXPECT_EQ(FormatReadable(response),
            "volume.capacity_bytes: 1073741824 (1 GiB)\n"
            "volume.volume_id: pvc-1\n"
            "volume.volume_context.a: 1\n"
            "volume.volume_context.b: 2\n"
            "volume.content_source.snapshot.snapshot_id: snap-1\n"
            "volume.accessible_topology[0].segments.zone: z1\n");
}

TEST(FormatReadableTest, EnumsTimestampsAndWrappers) {
  auto caps = FromText<csi::v1::ControllerGetCapabilitiesResponse>(R"pb(
    capabilities { rpc { type: CREATE_DELETE_VOLUME } }
    capabilities { rpc { type: EXPAND_VOLUME } })pb");
  EXPECT_EQ(FormatReadable(caps),
            "capabilities[0].rpc.type: CREATE_DELETE_VOLUME\n"
            "capabilities[1].rpc.type: EXPAND_VOLUME\n");

  auto snapshot = FromText<csi::v1::CreateSnapshotResponse>(R"pb(
    snapshot {
      snapshot_id: "s1"
      creation_time { seconds: 1700000000 }
      ready_to_use: true
    })pb");
  EXPECT_EQ(FormatReadable(snapshot),
            "snapshot.snapshot_id: s1\n"
            "snapshot.creation_time: 2023-11-14T22:13:20Z\n"
            "snapshot.ready_to_use: true\n");

  auto capacity = FromText<csi::v1::GetCapacityResponse>(R"pb(
    available_capacity: 2048
    maximum_volume_size { value: 1024 })pb");
  EXPECT_EQ(FormatReadable(capacity),
            "available_capacity: 2048 (2 KiB)\n"
            "maximum_volume_size: 1024 (1 KiB)\n");
}

TEST(FormatReadableTest, EmptyResponseAndEmptySubMessage) {
  EXPECT_EQ(FormatReadable(csi::v1::DeleteVolumeResponse()), "OK\n");
  auto confirmed = FromText<csi::v1::ValidateVolumeCapabilitiesResponse>(R"pb(
    confirmed { volume_capabilities { block {} } })pb");
  EXPECT_EQ(FormatReadable(confirmed), "confirmed.volume_capabilities[0].block: {}\n");
}

TEST(FormatReadableTest, NewlinesInStringsStayOnOneLine) {
  auto info = FromText<csi::v1::GetPluginInfoResponse>(R"pb(name: "a\nb")pb");
  EXPECT_EQ(FormatReadable(info), "name: a\\nb\n");
}

TEST(FormatJsonTest, SnakeCaseWithDefaults) {
  auto response = FromText<csi::v1::NodeGetInfoResponse>(R"pb(node_id: "n1")pb");
  auto json = FormatJson(response);
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find("\"node_id\": \"n1\""), std::string::npos) << *json;
  // Default-valued scalars are printed too, so scripts can rely on them.
  EXPECT_NE(json->find("\"max_volumes_per_node\""), std::string::npos) << *json;
  EXPECT_EQ(json->back(), '\n');
}

}  // namespace
}  // namespace lcsi::csictl
