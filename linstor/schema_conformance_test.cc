// The client's request bodies and the decoder fixtures against the compact LINSTOR
// schema (linstor-sim/schema/linstor-api-schema.json, generated from the reference
// OpenAPI description). The schema rejects unknown fields, so a renamed field fails here.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "linstor/encode.h"
#include "linstor-sim/handler_reads.h"
#include "linstor-sim/schema_check.h"

namespace lcsi::linstor {
namespace {

const sim::ApiSchema& Schema() { return sim::ApiSchema::Builtin(); }

SelectFilter FullFilter() {
  SelectFilter f;
  f.place_count = 2;
  f.additional_place_count = 1;
  f.node_name_list = std::vector<std::string>{"n1"};
  f.storage_pool = "pool1";
  f.storage_pool_list = std::vector<std::string>{"pool1"};
  f.storage_pool_diskless_list = std::vector<std::string>{"DfltDisklessStorPool"};
  f.not_place_with_rsc = std::vector<std::string>{"rd0"};
  f.not_place_with_rsc_regex = "^x";
  f.replicas_on_same = std::vector<std::string>{"Aux/zone"};
  f.replicas_on_different = std::vector<std::string>{"Aux/rack"};
  f.layer_stack = std::vector<std::string>{"DRBD", "STORAGE"};
  f.provider_list = std::vector<std::string>{"LVM_THIN"};
  f.diskless_on_remaining = true;
  f.diskless_type = "DRBD_DISKLESS";
  return f;
}

struct RequestCase {
  const char* endpoint;
  std::string body;
};

std::vector<RequestCase> AllRequests() {
  ResourceGroup rg;
  rg.name = "rg1";
  rg.description = "d";
  rg.props = {{"Aux/a", "b"}};
  rg.select_filter = FullFilter();
  rg.peer_slots = 7;

  ResourceGroupModify rgm;
  rgm.description = "d2";
  rgm.override_props = {{"a", "b"}};
  rgm.delete_props = {"c"};
  rgm.delete_namespaces = {"Aux/x"};
  rgm.select_filter = FullFilter();

  ResourceGroupSpawn spawn;
  spawn.resource_definition_name = "rd1";
  spawn.volume_sizes = {1024, 2048};
  spawn.resource_definition_props = {{"Aux/a", "b"}};
  spawn.select_filter = FullFilter();
  spawn.definitions_only = true;
  spawn.partial = true;

  const SelectFilter filter = FullFilter();
  PropsModify pm{{{"a", "b"}}, {"c"}, {"Aux/x"}};
  ResourceCreate rc;
  rc.node_name = "n1";
  rc.diskless = true;
  rc.storage_pool = "pool1";
  rc.props = {{"Aux/a", "b"}};
  rc.layer_list = {"DRBD", "STORAGE"};
  ResourceMakeAvailable ma;
  ma.diskful = true;
  ma.layer_list = {"DRBD", "STORAGE"};
  AutoPlaceRequest ap;
  ap.select_filter = FullFilter();
  ap.diskless_on_remaining = true;
  ap.layer_list = {"DRBD", "STORAGE"};
  SnapshotCreate snap{"rd1", "s1", {"n1"}, {{"Aux/a", "b"}}};
  CloneRequest clone;
  clone.name = "rd2";
  clone.resource_group = "rg1";
  clone.use_zfs_clone = false;
  clone.layer_list = {"DRBD", "STORAGE"};
  clone.override_props = {{"a", "b"}};
  clone.delete_props = {"c"};

  return {
      {"POST /v1/resource-groups", EncodeResourceGroup(rg)},
      {"PUT /v1/resource-groups/{resource_group}", EncodeResourceGroupModify(rgm)},
      {"POST /v1/resource-groups/{resource_group}/spawn", EncodeSpawn(spawn)},
      {"POST /v1/resource-groups/{resource_group}/query-size-info", EncodeQuerySizeInfo(&filter)},
      {"POST /v1/resource-groups/{resource_group}/query-size-info", EncodeQuerySizeInfo(nullptr)},
      {"POST /v1/resource-definitions",
       EncodeResourceDefinitionCreate({"rd1", "rg1", {{"Aux/a", "b"}}})},
      {"PUT /v1/resource-definitions/{resource}", EncodePropsModify(pm)},
      {"PUT /v1/resource-definitions/{resource}/volume-definitions/{volume_number}",
       EncodeVolumeDefinitionResize(4096)},
      {"POST /v1/resource-definitions/{resource}/resources", EncodeResourceCreate(rc)},
      {"POST /v1/resource-definitions/{resource}/resources/{node}/make-available",
       EncodeMakeAvailable(ma)},
      {"POST /v1/resource-definitions/{resource}/autoplace", EncodeAutoPlace(ap)},
      {"POST /v1/resource-definitions/{resource}/snapshots", EncodeSnapshot(snap)},
      {"POST /v1/actions/snapshot/multi", EncodeMultiSnapshot({snap, snap})},
      {"POST /v1/resource-definitions/{resource}/snapshot-restore-volume-definition/{snapshot}",
       EncodeSnapshotRestore({"rd2", {}})},
      {"POST /v1/resource-definitions/{resource}/snapshot-restore-resource/{snapshot}",
       EncodeSnapshotRestore({"rd2", {"n1", "n2"}})},
      {"POST /v1/resource-definitions/{resource}/snapshot-rollback/{snapshot}",
       EncodeSnapshotRollback()},
      {"POST /v1/resource-definitions/{resource}/clone", EncodeCloneRequest(clone)},
  };
}

TEST(SchemaConformanceTest, EveryRequestBodyMatchesTheSchema) {
  for (const auto& c : AllRequests()) {
    Status s = Schema().CheckRequest(c.endpoint, c.body);
    EXPECT_TRUE(s.ok()) << c.endpoint << ": " << s.ToString() << "\n" << c.body;
  }
}

// Strict linstor-sim refuses fields the LINSTOR handler would drop: the client sends none.
TEST(SchemaConformanceTest, EveryRequestFieldIsOneLinstorReads) {
  for (const auto& c : AllRequests()) {
    const sim::EndpointReads* reads = sim::FindEndpointReads(c.endpoint);
    ASSERT_NE(reads, nullptr) << c.endpoint;
    Status s = sim::CheckBodyRead(*reads, c.body);
    EXPECT_TRUE(s.ok()) << s.ToString() << "\n" << c.body;
  }
}

TEST(SchemaConformanceTest, ARenamedFieldIsRejected) {
  for (const auto& c : AllRequests()) {
    // Rename the first key of the body (e.g. "name" -> "nameX").
    std::string body = c.body;
    const auto q = body.find('"');
    if (q == std::string::npos) continue;  // "{}"
    const auto end = body.find('"', q + 1);
    body.insert(end, "X");
    EXPECT_FALSE(Schema().CheckRequest(c.endpoint, body).ok()) << c.endpoint << ": " << body;
  }
}

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(LCSI_LINSTOR_TESTDATA) + "/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(SchemaConformanceTest, FixturesAreInLinstorShapes) {
  // unknown_and_null.json deliberately breaks the schema (nulls, unknown fields).
  const std::pair<const char*, const char*> fixtures[] = {
      {"version.json", "ControllerVersion"},
      {"nodes.json", "[Node]"},
      {"node_single.json", "Node"},
      {"storage_pools.json", "[StoragePool]"},
      {"resource_groups.json", "[ResourceGroup]"},
      {"resource_definitions.json", "[ResourceDefinition]"},
      {"volume_definitions.json", "[VolumeDefinition]"},
      {"view_resources.json", "[ResourceWithVolumes]"},
      {"resource_single.json", "[ResourceWithVolumes]"},
      {"snapshots.json", "[Snapshot]"},
      {"query_size_info.json", "QuerySizeInfoResponse"},
      {"error_not_found.json", "ApiCallRcList"},
      {"error_list.json", "ApiCallRcList"},
      {"success_with_warning.json", "ApiCallRcList"},
      {"clone_started.json", "ResourceDefinitionCloneStarted"},
      {"clone_status.json", "ResourceDefinitionCloneStatus"},
  };
  for (const auto& [file, type] : fixtures) {
    Status s = Schema().Check(Fixture(file), type);
    EXPECT_TRUE(s.ok()) << file << ": " << s.ToString();
  }
  EXPECT_FALSE(Schema().Check(Fixture("unknown_and_null.json"), "[ResourceDefinition]").ok());
}

}  // namespace
}  // namespace lcsi::linstor
