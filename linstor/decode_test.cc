#include "linstor/decode.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace lcsi::linstor {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(LCSI_LINSTOR_TESTDATA) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(DecodeTest, ControllerVersion) {
  std::string body = Fixture("version.json");
  auto v = DecodeControllerVersion(body);
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_EQ(v->version, "1.28.0");
  EXPECT_EQ(v->rest_api_version, "1.22.0");
  EXPECT_EQ(v->git_hash.size(), 40u);
}

TEST(DecodeTest, NodesWithUnknownFieldsAndMissingOptionals) {
  std::string body = Fixture("nodes.json");
  const std::string original = body;
  auto nodes = DecodeNodes(body);
  ASSERT_TRUE(nodes.ok()) << nodes.error().message();
  EXPECT_EQ(body, original);  // padding never changes the contents
  ASSERT_EQ(nodes->size(), 3u);
  const Node& a = (*nodes)[0];
  EXPECT_EQ(a.name, "stor-a1");
  EXPECT_EQ(a.type, "SATELLITE");
  EXPECT_TRUE(a.IsOnline());
  EXPECT_EQ(a.props.at("Aux/topology/zone"), "zone-a");
  EXPECT_EQ(a.props.size(), 4u);
  EXPECT_EQ(a.uuid, "7bd7b8a1-1f14-4b2d-9c52-0d2c43a0e001");
  EXPECT_FALSE((*nodes)[1].IsOnline());
  EXPECT_TRUE((*nodes)[1].flags.empty());
  EXPECT_TRUE((*nodes)[2].props.empty());
  EXPECT_EQ((*nodes)[2].flags, (Flags{"QIGNORE"}));
}

TEST(DecodeTest, SingleNodeUnescapesStrings) {
  std::string body = Fixture("node_single.json");
  auto node = DecodeNode(body);
  ASSERT_TRUE(node.ok()) << node.error().message();
  EXPECT_EQ(node->name, "stor-a1");
  EXPECT_EQ(node->props.at("Aux/note"), "quote \" backslash \\ unicode \xc3\xa9 tab\t");
}

TEST(DecodeTest, StoragePools) {
  std::string body = Fixture("storage_pools.json");
  auto pools = DecodeStoragePools(body);
  ASSERT_TRUE(pools.ok()) << pools.error().message();
  ASSERT_EQ(pools->size(), 2u);
  const StoragePool& diskless = (*pools)[0];
  EXPECT_TRUE(diskless.IsDiskless());
  EXPECT_FALSE(diskless.free_capacity.has_value());
  EXPECT_EQ(diskless.supports_snapshots, false);
  const StoragePool& thin = (*pools)[1];
  EXPECT_EQ(thin.storage_pool_name, "thinpool");
  EXPECT_EQ(thin.node_name, "stor-a1");
  EXPECT_EQ(thin.provider_kind, "LVM_THIN");
  EXPECT_EQ(thin.free_capacity, 882894848);
  EXPECT_EQ(thin.total_capacity, 1056964608);
  EXPECT_EQ(thin.props.at("Aux/tier"), "ssd");
}

TEST(DecodeTest, ResourceGroupsWithSelectFilter) {
  std::string body = Fixture("resource_groups.json");
  auto groups = DecodeResourceGroups(body);
  ASSERT_TRUE(groups.ok()) << groups.error().message();
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].select_filter, SelectFilter{});
  const ResourceGroup& g = (*groups)[1];
  EXPECT_EQ(g.name, "sc-3a1f9c");
  EXPECT_EQ(g.description, "linstor-csi-cpp parameters hash 3a1f9c");
  EXPECT_EQ(g.props.at("DrbdOptions/Resource/on-no-quorum"), "io-error");
  EXPECT_FALSE(g.peer_slots.has_value());  // not in LINSTOR's answer
  const SelectFilter& f = g.select_filter;
  EXPECT_EQ(f.place_count, 2);
  EXPECT_FALSE(f.additional_place_count.has_value());
  // Json.apiToResourceGroup: storage_pool only for a one-pool list; never node_name_list,
  // storage_pool_diskless_list, additional_place_count, diskless_type or peer_slots.
  EXPECT_FALSE(f.storage_pool.has_value());
  EXPECT_EQ(f.storage_pool_list, (std::vector<std::string>{"thinpool", "thinpool2"}));
  EXPECT_FALSE(f.storage_pool_diskless_list.has_value());
  EXPECT_FALSE(f.node_name_list.has_value());
  EXPECT_EQ(f.replicas_on_same, (std::vector<std::string>{"Aux/topology/zone"}));
  ASSERT_TRUE(f.replicas_on_different.has_value());
  EXPECT_TRUE(f.replicas_on_different->empty());  // [] is not null
  EXPECT_EQ(f.not_place_with_rsc, (std::vector<std::string>{"pvc-a", "pvc-b"}));
  EXPECT_EQ(f.not_place_with_rsc_regex, "^backup-.*$");
  EXPECT_EQ(f.layer_stack, (std::vector<std::string>{"DRBD", "STORAGE"}));
  EXPECT_EQ(f.provider_list, (std::vector<std::string>{"LVM_THIN"}));
  EXPECT_EQ(f.diskless_on_remaining, false);
}

TEST(DecodeTest, ResourceDefinitionsWithVolumeDefinitions) {
  std::string body = Fixture("resource_definitions.json");
  auto rds = DecodeResourceDefinitions(body);
  ASSERT_TRUE(rds.ok()) << rds.error().message();
  ASSERT_EQ(rds->size(), 3u);
  const ResourceDefinition& rd = (*rds)[0];
  EXPECT_EQ(rd.name, "pvc-0c1b7b2e-3c44-4b8e-9a6f-5d0c1f7d2a10");
  EXPECT_EQ(rd.resource_group_name, "sc-3a1f9c");
  EXPECT_EQ(rd.props.at("Aux/csi.linbit.com/owner"), "linstor.csi.example.org");
  ASSERT_EQ(rd.volume_definitions.size(), 1u);
  EXPECT_EQ(rd.volume_definitions[0].volume_number, 0);
  EXPECT_EQ(rd.volume_definitions[0].size_kib, 1048576);
  EXPECT_EQ(rd.volume_definitions[0].drbd_minor, 1000);
  EXPECT_EQ((*rds)[1].flags, (Flags{"DELETE"}));
  EXPECT_TRUE((*rds)[1].volume_definitions.empty());
  EXPECT_EQ((*rds)[2].name, "bare");
  EXPECT_TRUE((*rds)[2].resource_group_name.empty());
}

TEST(DecodeTest, VolumeDefinitions) {
  std::string body = Fixture("volume_definitions.json");
  auto vds = DecodeVolumeDefinitions(body);
  ASSERT_TRUE(vds.ok()) << vds.error().message();
  ASSERT_EQ(vds->size(), 2u);
  EXPECT_EQ((*vds)[0].size_kib, 2097152);
  EXPECT_EQ((*vds)[1].volume_number, 1);
  EXPECT_EQ((*vds)[1].flags, (Flags{"GROSS_SIZE"}));
  EXPECT_FALSE((*vds)[1].drbd_minor.has_value());
}

TEST(DecodeTest, ViewResources) {
  std::string body = Fixture("view_resources.json");
  auto rs = DecodeResources(body);
  ASSERT_TRUE(rs.ok()) << rs.error().message();
  ASSERT_EQ(rs->size(), 3u);

  const Resource& diskful = (*rs)[0];
  EXPECT_EQ(diskful.name, "pvc-1");
  EXPECT_EQ(diskful.node_name, "stor-a1");
  EXPECT_TRUE(diskful.IsDiskful());
  EXPECT_EQ(diskful.in_use, true);
  EXPECT_EQ(diskful.layers, (std::vector<std::string>{"DRBD", "STORAGE"}));
  EXPECT_EQ(diskful.drbd_node_id, 0);
  EXPECT_EQ(diskful.drbd_may_promote, false);
  EXPECT_EQ(diskful.drbd_promotion_score, 10102);
  ASSERT_EQ(diskful.drbd_connections.size(), 2u);
  EXPECT_TRUE(diskful.drbd_connections.at("stor-a2").connected);
  EXPECT_FALSE(diskful.drbd_connections.at("client-b7").connected);
  EXPECT_EQ(diskful.drbd_connections.at("client-b7").message, "Connecting");
  EXPECT_EQ(diskful.create_timestamp, 1719306123456);
  EXPECT_EQ(diskful.props.at("StorPoolName"), "thinpool");
  ASSERT_EQ(diskful.volumes.size(), 1u);
  const Volume& v = diskful.volumes[0];
  EXPECT_EQ(v.device_path, "/dev/drbd1000");
  EXPECT_EQ(v.storage_pool_name, "thinpool");
  EXPECT_EQ(v.provider_kind, "LVM_THIN");
  EXPECT_EQ(v.allocated_size_kib, 1052672);
  EXPECT_EQ(v.disk_state, "UpToDate");
  EXPECT_EQ(v.drbd_minor, 1000);
  EXPECT_EQ(diskful.volume(0), &v);
  EXPECT_EQ(diskful.volume(1), nullptr);

  const Resource& tb = (*rs)[1];
  EXPECT_TRUE(tb.IsDiskless());
  EXPECT_TRUE(tb.IsTieBreaker());
  EXPECT_EQ(tb.in_use, false);
  EXPECT_EQ(tb.volumes.at(0).disk_state, "TieBreaker");
  EXPECT_EQ(tb.layers, (std::vector<std::string>{"DRBD", "STORAGE"}));

  const Resource& minimal = (*rs)[2];
  EXPECT_FALSE(minimal.in_use.has_value());
  EXPECT_TRUE(minimal.layers.empty());
  ASSERT_EQ(minimal.volumes.size(), 1u);
  EXPECT_TRUE(minimal.volumes[0].device_path.empty());
  EXPECT_FALSE(minimal.volumes[0].allocated_size_kib.has_value());
}

TEST(DecodeTest, SingleResourceAcceptsOneElementArray) {
  std::string body = Fixture("resource_single.json");
  auto r = DecodeResource(body);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->node_name, "stor-a2");
  EXPECT_TRUE(r->IsDiskless());
  EXPECT_FALSE(r->in_use.has_value());
  std::string empty = "[]";
  EXPECT_EQ(DecodeResource(empty).kind(), LinstorErrorKind::kBadResponse);
}

TEST(DecodeTest, Snapshots) {
  std::string body = Fixture("snapshots.json");
  auto snaps = DecodeSnapshots(body);
  ASSERT_TRUE(snaps.ok()) << snaps.error().message();
  ASSERT_EQ(snaps->size(), 2u);
  const Snapshot& s = (*snaps)[0];
  EXPECT_EQ(s.name, "snapshot-6f1d1c0e");
  EXPECT_EQ(s.resource_name, "pvc-1");
  EXPECT_EQ(s.nodes, (std::vector<std::string>{"stor-a1", "stor-a2"}));
  EXPECT_TRUE(s.IsSuccessful());
  EXPECT_FALSE(s.IsFailed());
  EXPECT_EQ(s.props.at("Aux/csi.linbit.com/snapshot-name"), "snapshot-6f1d1c0e-8a8a");
  // The snapshot's own props and the RD's as captured, apart (props = both overlaid).
  EXPECT_EQ(s.definition_props.at("Aux/csi.linbit.com/snapshot-name"), "snapshot-6f1d1c0e-8a8a");
  EXPECT_EQ(s.definition_props.count("Aux/rd-mark"), 0u);
  EXPECT_EQ(s.resource_definition_props.at("Aux/rd-mark"), "from-rd");
  EXPECT_EQ(s.props.at("SequenceNumber"), "3");
  ASSERT_EQ(s.volume_definitions.size(), 1u);
  EXPECT_EQ(s.volume_definitions[0].size_kib, 1048576);
  ASSERT_EQ(s.snapshots.size(), 2u);
  EXPECT_EQ(s.snapshots[0].node_name, "stor-a1");
  EXPECT_EQ(s.CreateTimestamp(), 1719306199000);  // earliest node
  const Snapshot& broken = (*snaps)[1];
  EXPECT_FALSE(broken.IsSuccessful());
  EXPECT_TRUE(broken.IsFailed());
  EXPECT_FALSE(broken.CreateTimestamp().has_value());
}

TEST(DecodeTest, QuerySizeInfo) {
  std::string body = Fixture("query_size_info.json");
  auto info = DecodeQuerySizeInfo(body);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_EQ(info->max_vlm_size_in_kib, 882894848);
  EXPECT_EQ(info->available_size_in_kib, 1765789696);
  EXPECT_EQ(info->capacity_in_kib, 2113929216);
  EXPECT_TRUE(info->reports.empty());
}

TEST(DecodeTest, ApiCallRcNotFound) {
  std::string body = Fixture("error_not_found.json");
  auto rcs = DecodeApiCallRcs(body);
  ASSERT_TRUE(rcs.ok()) << rcs.error().message();
  ASSERT_EQ(rcs->size(), 1u);
  const ApiCallRc& rc = (*rcs)[0];
  EXPECT_TRUE(rc.IsError());
  EXPECT_EQ(rc.code(), kCodeFailNotFoundRscDfn);
  EXPECT_EQ(rc.object_type(), kObjRscDfn);
  EXPECT_EQ(rc.obj_refs.at("RscDfn"), "pvc-404");
  EXPECT_EQ(rc.error_report_ids, (std::vector<std::string>{"66A1B2C3-00000-000001"}));
  EXPECT_FALSE(rc.correction.empty());
  EXPECT_EQ(rc.created_at, "2024-06-25T09:00:00.123+00:00");
  LinstorError e = LinstorError::FromResponse(404, *rcs, "GET /v1/resource-definitions/pvc-404");
  EXPECT_TRUE(e.IsNotFound());
  EXPECT_NE(e.message().find("could not be found in the database"), std::string::npos);
}

TEST(DecodeTest, ApiCallRcListFirstErrorWins) {
  std::string body = Fixture("error_list.json");
  auto rcs = DecodeApiCallRcs(body);
  ASSERT_TRUE(rcs.ok()) << rcs.error().message();
  ASSERT_EQ(rcs->size(), 3u);
  EXPECT_TRUE((*rcs)[0].IsWarning());
  LinstorError e = LinstorError::FromResponse(500, *rcs, "POST spawn");
  EXPECT_TRUE(e.IsNotEnoughNodes());
  EXPECT_EQ(e.code(), Code::kResourceExhausted);
  EXPECT_NE(e.message().find("Not enough available nodes"), std::string::npos);
  EXPECT_EQ(KindFromRetCode((*rcs)[2].ret_code), LinstorErrorKind::kInUse);
}

TEST(DecodeTest, SuccessWithWarningHasNoError) {
  std::string body = Fixture("success_with_warning.json");
  auto rcs = DecodeApiCallRcs(body);
  ASSERT_TRUE(rcs.ok()) << rcs.error().message();
  ASSERT_EQ(rcs->size(), 3u);
  EXPECT_EQ((*rcs)[0].severity(), Severity::kSuccess);
  EXPECT_EQ((*rcs)[0].code(), kCodeCreated);
  EXPECT_EQ((*rcs)[1].severity(), Severity::kWarning);
  EXPECT_EQ((*rcs)[2].severity(), Severity::kInfo);
  for (const auto& rc : *rcs) EXPECT_FALSE(rc.IsError());
  std::string empty = "  \n";
  auto none = DecodeApiCallRcs(empty);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(DecodeTest, Clone) {
  std::string started_body = Fixture("clone_started.json");
  auto started = DecodeCloneStarted(started_body);
  ASSERT_TRUE(started.ok()) << started.error().message();
  EXPECT_EQ(started->location, "/v1/resource-definitions/pvc-1/clone/pvc-2");
  EXPECT_EQ(started->clone_name, "pvc-2");
  EXPECT_EQ(started->source_name, "pvc-1");
  EXPECT_EQ(started->messages.size(), 1u);
  std::string status_body = Fixture("clone_status.json");
  auto status = DecodeCloneStatus(status_body);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->status, CloneState::kCloning);
  std::string complete = R"({"status":"COMPLETE"})";
  EXPECT_EQ(DecodeCloneStatus(complete)->status, CloneState::kComplete);
  std::string failed = R"({"status":"FAILED"})";
  EXPECT_EQ(DecodeCloneStatus(failed)->status, CloneState::kFailed);
}

TEST(DecodeTest, NullsAndUnknownFieldsAreTolerated) {
  std::string body = Fixture("unknown_and_null.json");
  auto rds = DecodeResourceDefinitions(body);
  ASSERT_TRUE(rds.ok()) << rds.error().message();
  ASSERT_EQ(rds->size(), 1u);
  EXPECT_EQ((*rds)[0].name, "pvc-9");
  EXPECT_TRUE((*rds)[0].props.empty());
  EXPECT_TRUE((*rds)[0].resource_group_name.empty());
}

TEST(DecodeTest, NullFilterFieldsAreUnset) {
  std::string body = R"([{"name":"rg","select_filter":{"place_count":null,"node_name_list":null,)"
                     R"("storage_pool":null,"diskless_on_remaining":null}}])";
  auto groups = DecodeResourceGroups(body);
  ASSERT_TRUE(groups.ok()) << groups.error().message();
  EXPECT_EQ(groups->at(0).select_filter, SelectFilter{});
}

TEST(DecodeTest, MalformedInputIsBadResponse) {
  const char* bad[] = {
      "",
      "{",
      "[{\"name\": }]",
      "[{\"name\": 5}]",   // wrong type for a known field
      "{\"name\":\"x\"}",  // object where a list is expected
      "[1,2,3]",           // elements not objects
      "[{\"volumes\": [{\"volume_number\": \"zero\"}]}]",
      "[{\"props\": {\"k\": \"unterminated}]",
      "\"just a string\"",
      "nul",
  };
  for (const char* b : bad) {
    std::string body = b;
    auto rs = DecodeResources(body);
    EXPECT_FALSE(rs.ok()) << b;
    if (!rs.ok()) {
      EXPECT_EQ(rs.kind(), LinstorErrorKind::kBadResponse) << b;
    }
  }
}

TEST(DecodeTest, LargeViewDecodes) {
  // 10,000 resources in the view's shape; checks correctness at scale, not speed.
  std::string body = "[";
  for (int i = 0; i < 10000; ++i) {
    if (i) body += ',';
    body +=
        R"({"name":"pvc-)" + std::to_string(i) +
        R"(","node_name":"n1","flags":[],"props":{"StorPoolName":"p"},"state":{"in_use":false},)"
        R"("layer_object":{"type":"DRBD","drbd":{"node_id":0},"children":[{"type":"STORAGE"}]},)"
        R"("volumes":[{"volume_number":0,"device_path":"/dev/drbd)" +
        std::to_string(1000 + i) +
        R"(","allocated_size_kib":1024,"state":{"disk_state":"UpToDate"}}]})";
  }
  body += "]";
  auto rs = DecodeResources(body);
  ASSERT_TRUE(rs.ok()) << rs.error().message();
  ASSERT_EQ(rs->size(), 10000u);
  EXPECT_EQ(rs->back().name, "pvc-9999");
  EXPECT_EQ(rs->back().volumes.at(0).device_path, "/dev/drbd10999");
}

}  // namespace
}  // namespace lcsi::linstor
