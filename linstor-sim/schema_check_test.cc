// Tests of the LINSTOR schema validator (schema_check.h) and of the compiled-in schema.
#include "linstor-sim/schema_check.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace lcsi::sim {
namespace {

const ApiSchema& S() { return ApiSchema::Builtin(); }

// A Node as LINSTOR sends it.
constexpr const char* kNode = R"({"name":"sat-alpha","type":"SATELLITE","flags":[],
  "props":{"Aux/topology/zone":"zone-a"},
  "net_interfaces":[{"name":"default","address":"10.0.0.1","satellite_port":3366,
                     "satellite_encryption_type":"PLAIN","is_active":true,"uuid":"u"}],
  "connection_status":"ONLINE","uuid":"u","storage_providers":["LVM_THIN"],
  "resource_layers":["DRBD","STORAGE"]})";

// A spawn request as the plugin sends it.
constexpr const char* kSpawn = R"({"resource_definition_name":"pvc-1","volume_sizes":[1024],
  "resource_definition_props":{"Aux/csi":"x"},
  "select_filter":{"place_count":2,"storage_pool_list":["pool1"],
                   "replicas_on_same":["Aux/topology/zone"],"diskless_on_remaining":false}})";

TEST(SchemaCheckTest, SplitPathKeepsOnlyNonEmptySegments) {
  EXPECT_EQ(SplitPath("/v1/nodes//a/"), (std::vector<std::string>{"v1", "nodes", "a"}));
  EXPECT_EQ(SplitPath("v1/x"), (std::vector<std::string>{"v1", "x"}));
  EXPECT_TRUE(SplitPath("").empty());
  EXPECT_TRUE(SplitPath("///").empty());
}

TEST(SchemaCheckTest, CompiledInSchemaEqualsTheFile) {
  std::ifstream in(LCSI_SCHEMA_FILE);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), std::string(ApiSchema::BuiltinJson()));
  EXPECT_TRUE(ApiSchema::Parse(ss.str()).ok());
}

TEST(SchemaCheckTest, ValidDocumentsPass) {
  EXPECT_TRUE(S().Check(kNode, "Node").ok()) << S().Check(kNode, "Node").ToString();
  EXPECT_TRUE(S().Check(std::string("[") + kNode + "," + kNode + "]", "[Node]").ok());
  EXPECT_TRUE(S().CheckRequest("POST /v1/resource-groups/{resource_group}/spawn", kSpawn).ok());
  EXPECT_TRUE(
      S().Check(R"([{"ret_code":-4611686018427387607,"message":"m"}])", "ApiCallRcList").ok());
}

TEST(SchemaCheckTest, RenamedFieldFails) {
  // The same documents with one field renamed: the check must notice.
  std::string node = kNode;
  node.replace(node.find("\"connection_status\""), 19, "\"connectionStatus\"");
  Status st = S().Check(node, "Node");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("unknown field 'connectionStatus'"), std::string::npos)
      << st.message();

  std::string spawn = kSpawn;
  spawn.replace(spawn.find("\"place_count\""), 13, "\"placeCount\"");
  st = S().CheckRequest("POST /v1/resource-groups/{resource_group}/spawn", spawn);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("$.select_filter"), std::string::npos) << st.message();
}

TEST(SchemaCheckTest, Violations) {
  struct Case {
    std::string json, type, expect;
  };
  const std::vector<Case> cases = {
      {R"({"name":"a"})", "Node", "missing required field 'type'"},
      {R"({"name":1,"type":"SATELLITE"})", "Node", "$.name: expected string, got integer"},
      {R"({"name":"a","type":"S","props":{"k":1}})", "Node", "$.props.k: expected string"},
      {R"({"name":"a","type":"S","flags":"x"})", "Node", "$.flags: expected array"},
      {R"({"name":"a","type":"S","uuid":null})", "Node", "got null"},
      {R"([{"ret_code":1.5,"message":"m"}])", "ApiCallRcList", "$[0].ret_code: expected integer"},
      {R"([{"message":"m"}])", "ApiCallRcList", "missing required field 'ret_code'"},
      {R"({"volume_sizes":["1"]})", "ResourceGroupSpawn", "$.volume_sizes[0]"},
      {R"({"select_filter":{"overprovision":"x"}})", "ResourceGroup", "expected number"},
      {R"({)", "Node", "not valid JSON"},
      {R"({"status":"COMPLETE","extra":1})", "ResourceDefinitionCloneStatus", "unknown field"},
  };
  for (const auto& c : cases) {
    Status st = S().Check(c.json, c.type);
    EXPECT_FALSE(st.ok()) << c.json;
    EXPECT_NE(st.message().find(c.expect), std::string::npos) << c.json << ": " << st.message();
  }
  EXPECT_TRUE(S().Check(R"({"select_filter":{"overprovision":2}})", "ResourceGroup").ok())
      << "an integer is a number";
  EXPECT_FALSE(S().Check("{}", "NoSuchType").ok());
}

TEST(SchemaCheckTest, OneOfAlternatives) {
  // VolumeLayer.data is one of the layer volume types.
  EXPECT_TRUE(S().Check(R"({"type":"STORAGE","data":{"volume_number":0,"device_path":"/dev/x"}})",
                        "VolumeLayer")
                  .ok());
  EXPECT_TRUE(S().Check(R"({"type":"DRBD","data":{"drbd_volume_definition":{"minor_number":1}}})",
                        "VolumeLayer")
                  .ok());
  Status st = S().Check(R"({"type":"DRBD","data":{"nonsense":1}})", "VolumeLayer");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("matches none of"), std::string::npos);
}

TEST(SchemaCheckTest, Endpoints) {
  EXPECT_EQ(S().FindEndpoint("GET", "/v1/nodes/sat-alpha").value_or(""), "GET /v1/nodes/{node}");
  EXPECT_EQ(S().FindEndpoint("GET", "/v1/view/resources?nodes=a").value_or(""),
            "GET /v1/view/resources");
  EXPECT_EQ(S().FindEndpoint("POST", "/v1/resource-groups/rg/spawn").value_or(""),
            "POST /v1/resource-groups/{resource_group}/spawn");
  EXPECT_EQ(S().FindEndpoint("GET", "/v1/resource-definitions/r/clone/c").value_or(""),
            "GET /v1/resource-definitions/{resource}/clone/{resourceClone}");
  EXPECT_FALSE(S().FindEndpoint("PATCH", "/v1/nodes").has_value());
  EXPECT_FALSE(S().FindEndpoint("GET", "/v1/nope").has_value());
  EXPECT_GE(S().Endpoints().size(), 39u);

  EXPECT_TRUE(S().CheckQuery("GET /v1/view/resources", {"nodes", "resources", "limit"}).ok());
  EXPECT_FALSE(S().CheckQuery("GET /v1/view/resources", {"node"}).ok());
  EXPECT_TRUE(S().CheckRequest("DELETE /v1/resource-definitions/{resource}", "").ok());
  EXPECT_FALSE(S().CheckRequest("DELETE /v1/resource-definitions/{resource}", "{}").ok());
  EXPECT_EQ(S().ResponseType("POST /v1/resource-groups", 201), "ApiCallRcList");
  EXPECT_EQ(S().ResponseType("POST /v1/resource-groups", 404), "ApiCallRcList");
  EXPECT_EQ(S().ResponseType("GET /v1/nodes", 200), "[Node]");
  EXPECT_FALSE(S().CheckResponse("GET /v1/nodes", 201, "[]").ok()) << "undeclared status";
  EXPECT_TRUE(S().CheckResponse("GET /v1/nodes", 404, R"([{"ret_code":-1,"message":"x"}])").ok());
}

TEST(SchemaCheckTest, ParseRejectsBrokenSchemas) {
  EXPECT_FALSE(ApiSchema::Parse("{}").ok());
  EXPECT_FALSE(ApiSchema::Parse(R"({"types":{"A":{"x":"Missing"}},"endpoints":{}})").ok());
  EXPECT_FALSE(ApiSchema::Parse(R"({"types":{"A":"[string"},"endpoints":{}})").ok());
  auto bad_status =
      ApiSchema::Parse(R"({"types":{},"endpoints":{"GET /a":{"responses":{"2xx":"string"}}}})");
  ASSERT_FALSE(bad_status.ok());
  EXPECT_EQ(bad_status.status().message(),
            "endpoint GET /a: response status '2xx' is not a number");
  auto ok = ApiSchema::Parse(R"({"types":{"A":{"x":"integer!","y":"[B]"},"B":"{string}"},)"
                             R"("endpoints":{"GET /a/{id}":{"responses":{"200":"A"}}}})");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE((*ok)->Check(R"({"x":1,"y":[{"k":"v"}]})", "A").ok());
  EXPECT_FALSE((*ok)->Check(R"({"y":[]})", "A").ok());
  EXPECT_EQ((*ok)->FindEndpoint("GET", "/a/7").value_or(""), "GET /a/{id}");
}

}  // namespace
}  // namespace lcsi::sim
