#include "nodeplugin/satellite_check.h"

#include <gtest/gtest.h>

namespace lcsi::node {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(SatelliteCheckTest, KnownSatelliteIsConfirmedOnce) {
  FakeSatelliteDirectory directory;
  directory.AddSatellite("sat-1");
  FakeClock clock;
  SatelliteCheck check("sat-1", "node name", directory, clock);
  EXPECT_TRUE(check.Check().ok());
  int calls = directory.calls();
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(check.Check().ok());
  EXPECT_EQ(directory.calls(), calls) << "a confirmed satellite is not asked again";
}

TEST(SatelliteCheckTest, UnknownSatelliteNamesClosestAndBacksOff) {
  FakeSatelliteDirectory directory;
  directory.AddSatellite("node-a");
  directory.AddSatellite("node-b");
  directory.AddSatellite("storage-9");
  FakeClock clock;
  SatelliteCheck check("node-a.example.com", "node name", directory, clock, seconds(1), seconds(8));
  Status first = check.Check();
  ASSERT_EQ(first.code(), Code::kFailedPrecondition);
  EXPECT_EQ(first.message(),
            "satellite \"node-a.example.com\" (from node name) is not known to LINSTOR; closest "
            "known satellites: \"node-a\", \"node-b\"; set --satellite-name or map this node in "
            "--satellite-map");

  // A Probe loop without time passing does not reach LINSTOR again.
  int calls = directory.calls();
  for (int i = 0; i < 50; ++i) EXPECT_EQ(check.Check().code(), Code::kFailedPrecondition);
  EXPECT_EQ(directory.calls(), calls);

  // Back-off doubles: 1s, 2s, 4s, 8s, 8s.
  int attempts = 0;
  for (int second = 0; second < 40; ++second) {
    clock.Advance(seconds(1));
    int before = directory.calls();
    (void)check.Check();
    if (directory.calls() != before) ++attempts;
  }
  EXPECT_GE(attempts, 4);
  EXPECT_LE(attempts, 7);

  // Once the satellite appears, the next attempt confirms it.
  directory.AddSatellite("node-a.example.com");
  clock.Advance(seconds(9));
  EXPECT_TRUE(check.Check().ok());
}

TEST(SatelliteCheckTest, TooOldLinstorIsNotReadyUntilUpgraded) {
  FakeSatelliteDirectory directory;
  directory.AddSatellite("sat-1");
  directory.SetVersionStatus(FailedPrecondition("LINSTOR 1.31.1 (REST API 1.25.1) is too old"));
  FakeClock clock;
  SatelliteCheck check("sat-1", "node name", directory, clock, seconds(1), seconds(8));
  Status old = check.Check();
  EXPECT_EQ(old.code(), Code::kFailedPrecondition);
  EXPECT_EQ(old.message(), "LINSTOR 1.31.1 (REST API 1.25.1) is too old");
  directory.SetVersionStatus(Status::Ok());
  EXPECT_EQ(check.Check().code(), Code::kFailedPrecondition) << "cached until the back-off passes";
  clock.Advance(seconds(2));
  EXPECT_TRUE(check.Check().ok());
}

TEST(SatelliteCheckTest, LinstorDownIsUnavailable) {
  FakeSatelliteDirectory directory;
  directory.SetFailure(Unavailable("connection refused"));
  FakeClock clock;
  SatelliteCheck check("sat", "--satellite-name", directory, clock);
  Status status = check.Check();
  EXPECT_EQ(status.code(), Code::kUnavailable);
  EXPECT_NE(status.message().find("connection refused"), std::string::npos);
  directory.SetFailure(Status::Ok());
  directory.AddSatellite("sat");
  EXPECT_EQ(check.Check().code(), Code::kUnavailable) << "cached until the back-off passes";
  clock.Advance(seconds(2));
  EXPECT_TRUE(check.Check().ok());
}

TEST(SatelliteCheckTest, MessageWhenNothingIsClose) {
  EXPECT_EQ(UnknownSatelliteMessage("k8s-worker-1", "node name", {"alpha", "beta"}),
            "satellite \"k8s-worker-1\" (from node name) is not known to LINSTOR; none is "
            "similar; known satellites include: \"alpha\", \"beta\"; set --satellite-name or "
            "map this node in --satellite-map");
  EXPECT_NE(UnknownSatelliteMessage("x", "host name", {}).find("knows no satellites"),
            std::string::npos);
}

}  // namespace
}  // namespace lcsi::node
