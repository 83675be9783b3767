// Both plugin binaries against the linstor-sim binary reporting an old LINSTOR version: they
// read GET /v1/controller/version at start-up, log what is needed and why, answer Probe
// not-ready (never crash), and turn ready once LINSTOR reports a recent enough version.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <vector>

#include "csi/csi.grpc.pb.h"
#include "linstor-sim/testing/sim_process.h"
#include "test/integration/test_process.h"

namespace lcsi::testing {
namespace {

using namespace std::chrono_literals;

struct BinaryCase {
  const char* name;
  const char* path;
  std::vector<std::string> extra_args;
};

void PrintTo(const BinaryCase& c, std::ostream* os) { *os << c.name; }

bool ProbeReady(csi::v1::Identity::Stub* identity) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 10s);
  csi::v1::ProbeResponse resp;
  return identity->Probe(&ctx, {}, &resp).ok() && resp.ready().value();
}

class LinstorVersionTest : public ::testing::TestWithParam<BinaryCase> {
 protected:
  TestDir dir_{"lcsi-version"};
};

TEST_P(LinstorVersionTest, TooOldLinstorIsNotReadyUntilUpgraded) {
  auto sim = sim::SimProcess::Start();
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  sim::SimAdminClient admin((*sim)->url());
  ASSERT_TRUE(admin.SetReportedVersion("1.31.1", "1.25.1").ok());

  const std::string socket = dir_.Sub("csi.sock");
  std::vector<std::string> argv = {GetParam().path, "--endpoint", "unix://" + socket,
                                   "--linstor-controllers", (*sim)->url()};
  argv.insert(argv.end(), GetParam().extra_args.begin(), GetParam().extra_args.end());
  TestProcess proc(argv, dir_.Sub("log"));
  ASSERT_TRUE(WaitUntilListening(proc, socket)) << proc.Output();
  auto channel = grpc::CreateChannel("unix:" + socket, grpc::InsecureChannelCredentials());
  auto identity = csi::v1::Identity::NewStub(channel);

  EXPECT_FALSE(ProbeReady(identity.get()));
  ASSERT_TRUE(WaitFor([&] { return proc.Output().find("is too old") != std::string::npos; }, 5s))
      << proc.Output();
  const std::string log = proc.Output();
  EXPECT_NE(log.find("LINSTOR 1.31.1 (REST API 1.25.1) is too old: this plugin needs LINSTOR "
                     "1.32.0 or newer (REST API 1.26.0)"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("clone requests"), std::string::npos) << "the log says why: " << log;

  ASSERT_TRUE(admin.SetReportedVersion("1.32.0", "1.26.0").ok());
  EXPECT_TRUE(WaitFor([&] { return ProbeReady(identity.get()); }, 10s)) << proc.Output();
  EXPECT_TRUE(proc.running()) << proc.Output();

  proc.Signal(SIGTERM);
  auto code = proc.Wait(15s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << proc.Output();
}

INSTANTIATE_TEST_SUITE_P(
    Binaries, LinstorVersionTest,
    ::testing::Values(BinaryCase{"controller", LCSI_CONTROLLER_BIN, {}},
                      BinaryCase{"node", LCSI_NODE_BIN, {"--satellite-name", "sat-alpha"}}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace lcsi::testing
