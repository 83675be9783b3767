// LinstorProbe against linstor-sim in process: reachable and recent enough is ready; a LINSTOR
// too old or unreachable is not, with the reason.
#include "controller/linstor_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "linstor-sim/testing/in_process_sim.h"

namespace lcsi::controller {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

constexpr char kVersionCall[] = "GET /v1/controller/version";

TEST(LinstorProbeTest, ReadyWhenLinstorAnswersAndIsRecentEnough) {
  lcsi::sim::InProcessSim sim;
  ASSERT_TRUE(sim.status().ok());
  FakeClock clock;
  LinstorProbe probe(&sim.client(), std::chrono::seconds(1), clock);
  EXPECT_TRUE(probe.Check().ok()) << probe.Check().ToString();
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(probe.Check().ok());
  clock.Advance(milliseconds(999));
  EXPECT_TRUE(probe.Check().ok());
  EXPECT_EQ(sim.Calls(kVersionCall), 1) << "cached for the TTL";
  clock.Advance(milliseconds(1));
  EXPECT_TRUE(probe.Check().ok());
  EXPECT_EQ(sim.Calls(kVersionCall), 2) << "asked again once the TTL has passed";
}

TEST(LinstorProbeTest, TooOldLinstorIsNotReadyAndSaysWhatIsNeeded) {
  lcsi::sim::InProcessSim sim;
  ASSERT_TRUE(sim.status().ok());
  ASSERT_TRUE(sim.admin().SetReportedVersion("1.31.1", "1.25.1").ok());
  FakeClock clock;
  LinstorProbe probe(&sim.client(), std::chrono::seconds(1), clock);
  Status old = probe.Check();
  EXPECT_EQ(old.code(), Code::kFailedPrecondition);
  EXPECT_THAT(old.message(), HasSubstr("LINSTOR 1.31.1 (REST API 1.25.1) is too old"));
  EXPECT_THAT(old.message(), HasSubstr("needs LINSTOR 1.32.0 or newer"));
  EXPECT_THAT(old.message(), HasSubstr("clone requests"));
  // An upgrade is noticed by the first check after the TTL.
  ASSERT_TRUE(sim.admin().SetReportedVersion("1.32.0", "1.26.0").ok());
  EXPECT_EQ(probe.Check().code(), Code::kFailedPrecondition) << "the cached answer";
  clock.Advance(std::chrono::seconds(1));
  EXPECT_TRUE(probe.Check().ok());
}

TEST(LinstorProbeTest, UnreachableLinstorIsUnavailable) {
  lcsi::sim::InProcessSim sim;
  ASSERT_TRUE(sim.status().ok());
  ASSERT_TRUE(sim.admin().AddFault(R"({"path_regex":"/controller/version$","drop_rate":1})").ok());
  LinstorProbe probe(&sim.client(), milliseconds(0));
  Status down = probe.Check();
  EXPECT_EQ(down.code(), Code::kUnavailable);
  EXPECT_THAT(down.message(), HasSubstr("LINSTOR controller unreachable"));
}

}  // namespace
}  // namespace lcsi::controller
