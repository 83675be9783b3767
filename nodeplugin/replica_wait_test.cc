// WaitForUsableReplica with a fake LINSTOR directory and a fake clock: back-off, the states named
// on timeout, the refusal while in use elsewhere, and LINSTOR outages.
#include "nodeplugin/replica_wait.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nodeplugin/test_support.h"

namespace lcsi::node {
namespace {

using std::chrono::milliseconds;
using ::testing::AllOf;
using ::testing::HasSubstr;

// A directory whose answer changes after `flip_after` reads.
class FlippingDirectory final : public SatelliteDirectory {
 public:
  std::vector<linstor::Resource> before, after;
  int flip_after = 0;
  int reads = 0;
  Result<std::vector<std::string>> ListSatellites() override { return std::vector<std::string>{}; }
  Result<std::map<std::string, std::string>> SatelliteProps(const std::string&) override {
    return std::map<std::string, std::string>{};
  }
  Result<std::string> DevicePath(const std::string&, const std::string&) override {
    return NotFound("unused");
  }
  Result<std::vector<linstor::Resource>> VolumeResources(const std::string&) override {
    return ++reads > flip_after ? after : before;
  }
  Result<std::map<std::string, linstor::Node>> Nodes() override {
    return std::map<std::string, linstor::Node>{};
  }
  Status CheckLinstorVersion() override { return Status(); }
};

linstor::Resource Connected(linstor::Resource r, const std::string& peer, bool up) {
  r.drbd_connections[peer] = {up, up ? "Connected" : "Connecting"};
  return r;
}

ReplicaWaitOptions Options(milliseconds timeout) {
  ReplicaWaitOptions o;
  o.timeout = timeout;
  o.first_poll = milliseconds(100);
  o.max_poll = milliseconds(800);
  o.single_node = true;
  return o;
}

TEST(ReplicaWaitTest, WaitsWithBackOffUntilTheReplicaIsUsable) {
  FlippingDirectory directory;
  directory.before = {Connected(testing::DrbdReplica("pv", "a", "Outdated"), "b", false),
                      Connected(testing::DrbdReplica("pv", "b"), "a", false)};
  directory.after = {Connected(testing::DrbdReplica("pv", "a", "SyncTarget(3.00%)"), "b", true),
                     Connected(testing::DrbdReplica("pv", "b"), "a", true)};
  directory.flip_after = 4;
  FakeClock clock;
  Status s = WaitForUsableReplica(directory, clock, "pv", "a", Options(milliseconds(10000)));
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(directory.reads, 5);
  EXPECT_EQ(clock.slept(), milliseconds(100 + 200 + 400 + 800)) << "doubling, capped";
}

TEST(ReplicaWaitTest, TimesOutNamingTheStates) {
  FlippingDirectory directory;
  directory.before = {Connected(testing::DrbdReplica("pv", "a", "Inconsistent"), "b", false),
                      Connected(testing::DrbdReplica("pv", "b", "Outdated"), "a", false)};
  directory.flip_after = 1000;
  FakeClock clock;
  Status s = WaitForUsableReplica(directory, clock, "pv", "a", Options(milliseconds(3000)));
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("after 3 s"), HasSubstr("replica on a: Inconsistent"),
                                 HasSubstr("b: Connecting"), HasSubstr("b Outdated")));
  EXPECT_EQ(clock.slept(), milliseconds(3000)) << "the last sleep ends at the deadline";
}

TEST(ReplicaWaitTest, InUseElsewhereIsRefusedOrWaitedFor) {
  FlippingDirectory directory;
  auto busy = testing::DrbdReplica("pv", "b");
  busy.in_use = true;
  directory.before = {testing::DrbdReplica("pv", "a"), busy};
  directory.after = {testing::DrbdReplica("pv", "a"), testing::DrbdReplica("pv", "b")};
  directory.flip_after = 2;
  FakeClock clock;
  Status refused = WaitForUsableReplica(directory, clock, "pv", "a", Options(milliseconds(5000)));
  EXPECT_EQ(refused.code(), Code::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("in use (DRBD Primary) on node b"));
  EXPECT_EQ(clock.slept(), milliseconds(0)) << "no inUseWaitTimeout: refused at once";

  auto multi = Options(milliseconds(5000));
  multi.single_node = false;
  directory.reads = 0;
  EXPECT_TRUE(WaitForUsableReplica(directory, clock, "pv", "a", multi).ok());

  auto waiting = Options(milliseconds(5000));
  waiting.in_use_wait = milliseconds(2000);
  directory.reads = 0;
  EXPECT_TRUE(WaitForUsableReplica(directory, clock, "pv", "a", waiting).ok());
  EXPECT_EQ(directory.reads, 3);
}

TEST(ReplicaWaitTest, MissingResourceAndLinstorOutages) {
  FakeSatelliteDirectory directory;
  FakeClock clock;
  directory.SetResources("pv", {testing::DrbdReplica("pv", "b")});
  EXPECT_EQ(WaitForUsableReplica(directory, clock, "pv", "a", Options(milliseconds(1000))).code(),
            Code::kNotFound);
  directory.SetFailure(Unavailable("connection refused"));
  Status down = WaitForUsableReplica(directory, clock, "pv", "a", Options(milliseconds(1000)));
  EXPECT_EQ(down.code(), Code::kUnavailable);
  EXPECT_THAT(down.message(), HasSubstr("LINSTOR unreachable: connection refused"));
  directory.SetFailure(Status(Code::kPermissionDenied, "no"));
  EXPECT_EQ(WaitForUsableReplica(directory, clock, "pv", "a", Options(milliseconds(1000))).code(),
            Code::kPermissionDenied);
}

}  // namespace
}  // namespace lcsi::node
