// Table-driven: argv of a command -> the request message it builds (compared as text proto).
#include "tools/csictl/commands.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <set>

#include <google/protobuf/descriptor.h>

#include "csi/csi.pb.h"

namespace lcsi::csictl {
namespace {

struct BuildCase {
  std::string service;
  std::string command;
  std::vector<std::string> args;
  std::string expected;  // text format of the request
};

void PrintTo(const BuildCase& c, std::ostream* os) { *os << c.service << " " << c.command; }

class BuildRequestTest : public testing::TestWithParam<BuildCase> {};

TEST_P(BuildRequestTest, BuildsExpectedRequest) {
  const BuildCase& c = GetParam();
  const Command* command = FindCommand(c.service, c.command);
  ASSERT_NE(command, nullptr) << c.service << " " << c.command;
  auto request = BuildRequest(*command, c.args);
  ASSERT_TRUE(request.ok()) << request.status().ToString();

  MessagePtr expected((*request)->New());
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(c.expected, expected.get()))
      << c.expected;
  std::string diff;
  google::protobuf::util::MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(*expected, **request)) << diff;
}

INSTANTIATE_TEST_SUITE_P(
    Table, BuildRequestTest,
    testing::Values(
        BuildCase{"identity", "probe", {}, ""}, BuildCase{"identity", "GetPluginInfo", {}, ""},
        BuildCase{"controller",
                  "create-volume",
                  {"--name", "pvc-1", "--size", "1Gi", "--param", "placementCount=2", "--param",
                   "storagePool=pool1", "--access-mode", "single-node-writer", "--fs-type", "ext4",
                   "--mount-flag", "noatime", "--requisite-topology", "zone=a,rack=r1",
                   "--preferred-topology=zone=a", "--secret", "token=s3cr3t"},
                  R"pb(name: "pvc-1"
                       capacity_range { required_bytes: 1073741824 }
                       volume_capabilities {
                         mount { fs_type: "ext4" mount_flags: "noatime" }
                         access_mode { mode: SINGLE_NODE_WRITER }
                       }
                       parameters { key: "placementCount" value: "2" }
                       parameters { key: "storagePool" value: "pool1" }
                       secrets { key: "token" value: "s3cr3t" }
                       accessibility_requirements {
                         requisite {
                           segments { key: "zone" value: "a" }
                           segments { key: "rack" value: "r1" }
                         }
                         preferred { segments { key: "zone" value: "a" } }
                       })pb"},
        BuildCase{"controller",
                  "CreateVolume",
                  {"--name=pvc-2", "--block", "--from-snapshot", "snap-1", "--access-mode", "rwx",
                   "--limit", "2G", "--mutable-param", "placementCount=3"},
                  R"pb(name: "pvc-2"
                       capacity_range { limit_bytes: 2000000000 }
                       volume_capabilities {
                         block {}
                         access_mode { mode: MULTI_NODE_MULTI_WRITER }
                       }
                       mutable_parameters { key: "placementCount" value: "3" }
                       volume_content_source { snapshot { snapshot_id: "snap-1" } })pb"},
        BuildCase{"controller",
                  "create-volume",
                  {"--name", "clone", "--from-volume", "pvc-1"},
                  R"pb(name: "clone"
                       volume_capabilities {
                         mount {}
                         access_mode { mode: SINGLE_NODE_WRITER }
                       }
                       volume_content_source { volume { volume_id: "pvc-1" } })pb"},
        BuildCase{"controller",
                  "delete-volume",
                  {"--volume-id", "pvc-1", "--secret", "a=b"},
                  R"pb(volume_id: "pvc-1"
                       secrets { key: "a" value: "b" })pb"},
        BuildCase{"controller",
                  "publish-volume",
                  {"--volume-id", "pvc-1", "--node-id", "n1", "--readonly", "--volume-context",
                   "k=v", "--fs-type", "xfs"},
                  R"pb(volume_id: "pvc-1"
                       node_id: "n1"
                       readonly: true
                       volume_context { key: "k" value: "v" }
                       volume_capability {
                         mount { fs_type: "xfs" }
                         access_mode { mode: SINGLE_NODE_WRITER }
                       })pb"},
        BuildCase{"controller",
                  "ControllerUnpublishVolume",
                  {"--volume-id", "pvc-1", "--node-id", "n1"},
                  R"pb(volume_id: "pvc-1" node_id: "n1")pb"},
        BuildCase{"controller",
                  "validate-volume-capabilities",
                  {"--volume-id", "v", "--block", "--access-mode", "MULTI_NODE_READER_ONLY",
                   "--param", "p=1"},
                  R"pb(volume_id: "v"
                       parameters { key: "p" value: "1" }
                       volume_capabilities {
                         block {}
                         access_mode { mode: MULTI_NODE_READER_ONLY }
                       })pb"},
        BuildCase{"controller",
                  "list-volumes",
                  {"--max-entries", "10", "--starting-token", "t5"},
                  R"pb(max_entries: 10 starting_token: "t5")pb"},
        BuildCase{"controller",
                  "get-capacity",
                  {"--param", "storagePool=p", "--topology", "zone=z"},
                  R"pb(parameters { key: "storagePool" value: "p" }
                       accessible_topology { segments { key: "zone" value: "z" } })pb"},
        BuildCase{"controller", "get-capabilities", {}, ""},
        BuildCase{"controller",
                  "create-snapshot",
                  {"--source-volume-id", "pvc-1", "--name", "snap-1", "--param", "x=y"},
                  R"pb(source_volume_id: "pvc-1"
                       name: "snap-1"
                       parameters { key: "x" value: "y" })pb"},
        BuildCase{
            "controller", "delete-snapshot", {"--snapshot-id", "s1"}, R"pb(snapshot_id: "s1")pb"},
        BuildCase{"controller",
                  "list-snapshots",
                  {"--source-volume-id", "pvc-1", "--max-entries=3"},
                  R"pb(source_volume_id: "pvc-1" max_entries: 3)pb"},
        BuildCase{
            "controller", "get-snapshot", {"--snapshot-id", "s1"}, R"pb(snapshot_id: "s1")pb"},
        BuildCase{"controller",
                  "expand-volume",
                  {"--volume-id", "pvc-1", "--size", "1.5Gi"},
                  R"pb(volume_id: "pvc-1"
                       capacity_range { required_bytes: 1610612736 })pb"},
        BuildCase{
            "controller", "get-volume", {"--volume-id", "pvc-1"}, R"pb(volume_id: "pvc-1")pb"},
        BuildCase{"controller",
                  "modify-volume",
                  {"--volume-id", "pvc-1", "--mutable-param", "placementCount=3"},
                  R"pb(volume_id: "pvc-1"
                       mutable_parameters { key: "placementCount" value: "3" })pb"},
        BuildCase{"group", "get-capabilities", {}, ""},
        BuildCase{"group",
                  "create-group-snapshot",
                  {"--name", "g1", "--source-volume-id", "a", "--source-volume-id", "b"},
                  R"pb(name: "g1" source_volume_ids: "a" source_volume_ids: "b")pb"},
        BuildCase{"group",
                  "delete-group-snapshot",
                  {"--group-snapshot-id", "g1", "--snapshot-id", "s1"},
                  R"pb(group_snapshot_id: "g1" snapshot_ids: "s1")pb"},
        BuildCase{"group",
                  "GetVolumeGroupSnapshot",
                  {"--group-snapshot-id", "g1"},
                  R"pb(group_snapshot_id: "g1")pb"},
        BuildCase{"node",
                  "stage",
                  {"--volume-id", "pvc-1", "--staging-path", "/var/lib/kubelet/s",
                   "--publish-context", "devicePath=/dev/drbd1000", "--fs-type", "ext4",
                   "--mount-flag", "noatime", "--mount-flag", "discard", "--mount-group", "1000"},
                  R"pb(volume_id: "pvc-1"
                       staging_target_path: "/var/lib/kubelet/s"
                       publish_context { key: "devicePath" value: "/dev/drbd1000" }
                       volume_capability {
                         mount {
                           fs_type: "ext4"
                           mount_flags: "noatime"
                           mount_flags: "discard"
                           volume_mount_group: "1000"
                         }
                         access_mode { mode: SINGLE_NODE_WRITER }
                       })pb"},
        BuildCase{"node",
                  "NodeStageVolume",
                  {"--volume-id", "v", "--staging-path", "/s", "--block"},
                  R"pb(volume_id: "v"
                       staging_target_path: "/s"
                       volume_capability {
                         block {}
                         access_mode { mode: SINGLE_NODE_WRITER }
                       })pb"},
        BuildCase{"node",
                  "unstage",
                  {"--volume-id", "v", "--staging-path", "/s"},
                  R"pb(volume_id: "v" staging_target_path: "/s")pb"},
        BuildCase{"node",
                  "publish",
                  {"--volume-id", "v", "--staging-path", "/s", "--target-path", "/t", "--readonly",
                   "--access-mode", "single-node-single-writer"},
                  R"pb(volume_id: "v"
                       staging_target_path: "/s"
                       target_path: "/t"
                       readonly: true
                       volume_capability {
                         mount {}
                         access_mode { mode: SINGLE_NODE_SINGLE_WRITER }
                       })pb"},
        BuildCase{"node",
                  "unpublish",
                  {"--volume-id", "v", "--target-path", "/t"},
                  R"pb(volume_id: "v" target_path: "/t")pb"},
        BuildCase{"node",
                  "get-volume-stats",
                  {"--volume-id", "v", "--volume-path", "/t"},
                  R"pb(volume_id: "v" volume_path: "/t")pb"},
        BuildCase{"node",
                  "expand-volume",
                  {"--volume-id", "v", "--volume-path", "/t", "--size", "2Gi"},
                  R"pb(volume_id: "v"
                       volume_path: "/t"
                       capacity_range { required_bytes: 2147483648 })pb"},
        BuildCase{"node", "get-capabilities", {}, ""}, BuildCase{"node", "get-info", {}, ""}));

struct ErrorCase {
  std::string service;
  std::string command;
  std::vector<std::string> args;
  std::string message_part;
};

void PrintTo(const ErrorCase& c, std::ostream* os) {
  *os << c.service << " " << c.command << " -> " << c.message_part;
}

class BuildRequestErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(BuildRequestErrorTest, RejectsWithMessage) {
  const ErrorCase& c = GetParam();
  const Command* command = FindCommand(c.service, c.command);
  ASSERT_NE(command, nullptr);
  auto request = BuildRequest(*command, c.args);
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.status().code(), Code::kInvalidArgument);
  EXPECT_NE(request.status().message().find(c.message_part), std::string::npos)
      << request.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Table, BuildRequestErrorTest,
    testing::Values(
        ErrorCase{"controller", "create-volume", {}, "missing required flag --name"},
        ErrorCase{
            "controller", "create-volume", {"--name", "a", "--bogus"}, "unknown flag --bogus"},
        ErrorCase{"controller", "create-volume", {"--name"}, "--name needs a value"},
        ErrorCase{"controller", "create-volume", {"--name", "a", "--size", "lots"}, "--size"},
        ErrorCase{"controller", "create-volume", {"--name", "a", "--param", "novalue"}, "--param"},
        ErrorCase{"controller",
                  "create-volume",
                  {"--name", "a", "--access-mode", "sometimes"},
                  "unknown access mode"},
        ErrorCase{"controller",
                  "create-volume",
                  {"--name", "a", "--block", "--fs-type", "ext4"},
                  "--block cannot be combined"},
        ErrorCase{"controller",
                  "create-volume",
                  {"--name", "a", "--from-snapshot", "s", "--from-volume", "v"},
                  "exclusive"},
        ErrorCase{"controller",
                  "create-volume",
                  {"--name", "a", "--requisite-topology", "zone"},
                  "--requisite-topology"},
        ErrorCase{"controller", "create-volume", {"--name", "a", "--name", "b"}, "more than once"},
        ErrorCase{"controller", "create-volume", {"--name", "a", "stray"}, "unexpected argument"},
        ErrorCase{"controller", "list-volumes", {"--max-entries", "-1"}, "--max-entries"},
        ErrorCase{"controller", "expand-volume", {"--volume-id", "v"}, "--size"},
        ErrorCase{"controller",
                  "publish-volume",
                  {"--volume-id", "v", "--readonly=maybe", "--node-id", "n"},
                  "--readonly"},
        ErrorCase{"group",
                  "create-group-snapshot",
                  {"--name", "g"},
                  "missing required flag --source-volume-id"},
        ErrorCase{"node", "stage", {"--volume-id", "v"}, "--staging-path"}));

// The services csictl covers (SnapshotMetadata, a streaming service, is not one of them).
std::vector<const google::protobuf::ServiceDescriptor*> CoveredServices() {
  const auto* file = csi::v1::GetPluginInfoRequest::descriptor()->file();
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  for (const char* name : {"Identity", "Controller", "GroupController", "Node"}) {
    services.push_back(file->FindServiceByName(name));
    EXPECT_NE(services.back(), nullptr) << name;
  }
  return services;
}

TEST(CommandsTest, CoversEveryRpcOfTheFourServicesExactlyOnce) {
  std::set<std::string> expected;
  for (const auto* service : CoveredServices()) {
    for (int i = 0; i < service->method_count(); ++i) expected.insert(service->method(i)->name());
  }
  std::set<std::string> covered;
  for (const Command& command : Commands()) {
    EXPECT_TRUE(covered.insert(command.rpc).second) << "duplicate " << command.rpc;
  }
  EXPECT_EQ(covered, expected);
}

// Builds a command's request with every required flag set to a harmless value.
Result<MessagePtr> BuildMinimal(const Command& command) {
  std::vector<std::string> args;
  for (const FlagSpec& spec : command.flags) {
    if (!spec.required) continue;
    args.push_back("--" + spec.name);
    args.push_back(spec.name == "size" ? "1Gi" : "x");
  }
  return BuildRequest(command, args);
}

TEST(CommandsTest, RequestTypeMatchesTheRpcInputType) {
  for (const Command& command : Commands()) {
    const google::protobuf::MethodDescriptor* method = nullptr;
    for (const auto* service : CoveredServices()) {
      if (auto* m = service->FindMethodByName(command.rpc)) method = m;
    }
    ASSERT_NE(method, nullptr) << command.rpc;
    auto request = BuildMinimal(command);
    ASSERT_TRUE(request.ok()) << command.rpc << ": " << request.status().ToString();
    EXPECT_EQ((*request)->GetDescriptor(), method->input_type()) << command.rpc;
  }
}

TEST(CommandsTest, EveryRpcWithSecretsHasSecretFlag) {
  for (const Command& command : Commands()) {
    auto request = BuildMinimal(command);
    ASSERT_TRUE(request.ok()) << command.rpc;
    const bool has_secret_field = (*request)->GetDescriptor()->FindFieldByName("secrets");
    const bool has_secret_flag = std::any_of(command.flags.begin(), command.flags.end(),
                                             [](const FlagSpec& f) { return f.name == "secret"; });
    EXPECT_EQ(has_secret_field, has_secret_flag) << command.rpc;
  }
}

TEST(CommandsTest, FindCommandAcceptsAliasesAndRejectsOtherServices) {
  EXPECT_EQ(FindCommand("node", "stage-volume"), FindCommand("node", "stage"));
  EXPECT_EQ(FindCommand("node", "nodestagevolume"), FindCommand("node", "stage"));
  EXPECT_EQ(FindCommand("controller", "Create_Volume"), FindCommand("controller", "create-volume"));
  EXPECT_EQ(FindCommand("node", "create-volume"), nullptr);
  EXPECT_EQ(FindCommand("identity", "nonsense"), nullptr);
}

TEST(CommandsTest, HelpListsFlags) {
  const std::string help = CommandHelp(*FindCommand("node", "stage"));
  EXPECT_NE(help.find("--staging-path PATH"), std::string::npos) << help;
  EXPECT_NE(help.find("(required)"), std::string::npos) << help;
  EXPECT_NE(help.find("NodeStageVolume"), std::string::npos) << help;
}

}  // namespace
}  // namespace lcsi::csictl
