// Starts each real plugin binary on a temporary unix socket, talks Identity over a real gRPC
// channel, then sends SIGTERM and checks a clean exit with the socket removed.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "csi/csi.grpc.pb.h"
#include "test/integration/test_process.h"

namespace lcsi::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct BinaryCase {
  const char* name;
  const char* path;
  csi::v1::PluginCapability::Service::Type expected_service;
};

void PrintTo(const BinaryCase& c, std::ostream* os) { *os << c.name; }

class PluginBinaryTest : public ::testing::TestWithParam<BinaryCase> {
 protected:
  TestDir dir_{"lcsi-bin"};
};

TEST_P(PluginBinaryTest, ServesIdentityAndStopsCleanlyOnSigterm) {
  const BinaryCase& c = GetParam();
  std::string socket = dir_.Sub("csi.sock");
  // LINSTOR is deliberately unreachable: Identity must still answer (Probe says not ready).
  TestProcess proc({c.path, "--endpoint", "unix://" + socket, "--driver-name", "itest.csi.io",
                    "--log-level", "debug"},
                   dir_.Sub("log"),
                   {"LS_CONTROLLERS=http://127.0.0.1:1", "KUBE_NODE_NAME=itest-node"});
  ASSERT_TRUE(WaitUntilListening(proc, socket)) << proc.Output();
  EXPECT_EQ(fs::status(socket).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);

  auto channel = grpc::CreateChannel("unix:" + socket, grpc::InsecureChannelCredentials());
  auto identity = csi::v1::Identity::NewStub(channel);
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 10s);
    csi::v1::GetPluginInfoResponse info;
    grpc::Status s = identity->GetPluginInfo(&ctx, {}, &info);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(info.name(), "itest.csi.io");
    EXPECT_EQ(info.vendor_version(), LCSI_VERSION);
  }
  {
    grpc::ClientContext ctx;
    csi::v1::GetPluginCapabilitiesResponse caps;
    ASSERT_TRUE(identity->GetPluginCapabilities(&ctx, {}, &caps).ok());
    bool found = false;
    for (const auto& cap : caps.capabilities()) {
      if (cap.has_service() && cap.service().type() == c.expected_service) found = true;
    }
    // The spec wants one set for every instance of a plugin version, whichever services the
    // instance serves: both binaries advertise the controller.
    EXPECT_TRUE(found) << caps.DebugString();
  }
  {
    grpc::ClientContext ctx;
    csi::v1::ProbeResponse probe;
    ASSERT_TRUE(identity->Probe(&ctx, {}, &probe).ok());
    EXPECT_TRUE(probe.has_ready());
  }
  {
    // Not offered, and the refusal says so in words (CSI error scheme).
    auto metadata = csi::v1::SnapshotMetadata::NewStub(channel);
    grpc::ClientContext ctx;
    auto reader = metadata->GetMetadataAllocated(&ctx, {});
    csi::v1::GetMetadataAllocatedResponse resp;
    EXPECT_FALSE(reader->Read(&resp));
    grpc::Status s = reader->Finish();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNIMPLEMENTED);
    EXPECT_NE(s.error_message().find("SnapshotMetadata"), std::string::npos);
  }
  proc.Signal(SIGTERM);
  auto status = proc.Wait(15s);
  ASSERT_TRUE(status.has_value()) << "did not exit after SIGTERM\n" << proc.Output();
  EXPECT_EQ(*status, 0) << proc.Output();
  EXPECT_FALSE(fs::exists(socket));
  EXPECT_NE(proc.Output().find("rpc=GetPluginInfo"), std::string::npos) << proc.Output();
}

TEST_P(PluginBinaryTest, BadEndpointIsAOneLineErrorAndExit2) {
  TestProcess proc({GetParam().path, "--endpoint", "unix://relative/csi.sock"}, dir_.Sub("log"));
  auto status = proc.Wait(10s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 2);
  std::string out = proc.Output();
  EXPECT_NE(out.find("must be absolute"), std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
}

TEST_P(PluginBinaryTest, BadDriverNameIsAOneLineErrorAndExit2) {
  TestProcess proc({GetParam().path, "--endpoint", "unix://" + dir_.Sub("csi.sock"),
                    "--driver-name", "not a valid name!"},
                   dir_.Sub("log"));
  auto status = proc.Wait(10s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 2);
  std::string out = proc.Output();
  EXPECT_NE(out.find("driver name"), std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_FALSE(fs::exists(dir_.Sub("csi.sock")));
}

TEST_P(PluginBinaryTest, HelpDocumentsFlagsAndVersionPrints) {
  TestProcess help({GetParam().path, "--help"}, dir_.Sub("help"));
  ASSERT_EQ(help.Wait(10s), 0);
  for (const char* flag : {"--endpoint", "--driver-name", "--log-level", "--log-format",
                           "--http-address", "CSI_ENDPOINT"}) {
    EXPECT_NE(help.Output().find(flag), std::string::npos) << flag;
  }
  TestProcess version({GetParam().path, "--version"}, dir_.Sub("version"));
  ASSERT_EQ(version.Wait(10s), 0);
  EXPECT_NE(version.Output().find(LCSI_VERSION), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Binaries, PluginBinaryTest,
    ::testing::Values(BinaryCase{"controller", LCSI_CONTROLLER_BIN,
                                 csi::v1::PluginCapability::Service::CONTROLLER_SERVICE},
                      BinaryCase{"node", LCSI_NODE_BIN,
                                 csi::v1::PluginCapability::Service::CONTROLLER_SERVICE}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace lcsi::testing
