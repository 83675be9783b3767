// Shared pieces of the CSI conformance suite: the one stack all cases run against, the
// plugin's advertised capabilities, spec-aware status assertions, request builders, and a
// fixture that undoes whatever a case created (publications, stages, snapshots, volumes).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "test/conformance/csi_stack.h"
#include "test/conformance/mount_table.h"

namespace lcsi::conformance {

using testing::CsiStack;
namespace v1 = csi::v1;
using Mode = v1::VolumeCapability::AccessMode;

inline constexpr int64_t kMiB = 1024 * 1024;
inline constexpr int64_t kVolumeBytes = 64 * kMiB;

// The stack; null when it failed to start (StackError() says why).
CsiStack* Stack();
const std::string& StackError();

struct Caps {
  std::set<int> plugin;      // PluginCapability::Service::Type
  std::set<int> expansion;   // PluginCapability::VolumeExpansion::Type
  std::set<int> controller;  // ControllerServiceCapability::RPC::Type
  std::set<int> node;        // NodeServiceCapability::RPC::Type
  std::set<int> group;       // GroupControllerServiceCapability::RPC::Type
  bool Controller(v1::ControllerServiceCapability::RPC::Type t) const {
    return controller.count(t) > 0;
  }
  bool Node(v1::NodeServiceCapability::RPC::Type t) const { return node.count(t) > 0; }
  bool Plugin(v1::PluginCapability::Service::Type t) const { return plugin.count(t) > 0; }
  bool Group(v1::GroupControllerServiceCapability::RPC::Type t) const { return group.count(t) > 0; }
};
// Read once from the running plugin (GetPluginCapabilities, Controller/Node/GroupController
// GetCapabilities).
const Caps& PluginCaps();

// Names the rule a case checks and the spec section it comes from; printed with the result.
void Spec(const std::string& rule, const std::string& section);

// `status` has `code`; for an error also the Error Scheme's rules: a human-readable message,
// and empty details.
::testing::AssertionResult HasCode(const grpc::Status& status, grpc::StatusCode code);
::testing::AssertionResult HasCodeIn(const grpc::Status& status,
                                     std::initializer_list<grpc::StatusCode> codes);
::testing::AssertionResult IsOk(const grpc::Status& status);

#define EXPECT_CODE(status, code) EXPECT_TRUE(::lcsi::conformance::HasCode((status), (code)))
#define ASSERT_CODE(status, code) ASSERT_TRUE(::lcsi::conformance::HasCode((status), (code)))
#define EXPECT_RPC_OK(status) EXPECT_TRUE(::lcsi::conformance::IsOk(status))
#define ASSERT_RPC_OK(status) ASSERT_TRUE(::lcsi::conformance::IsOk(status))

// One RPC with a fresh deadline-bound context: RPC(stub, Method, request, &response).
#define RPC(stub, method, request, response) \
  (stub).method(::lcsi::testing::Ctx().get(), (request), (response))

v1::VolumeCapability MountCap(Mode::Mode mode = Mode::SINGLE_NODE_WRITER,
                              const std::string& fs_type = "ext4");
v1::VolumeCapability BlockCap(Mode::Mode mode = Mode::SINGLE_NODE_WRITER);
v1::CreateVolumeRequest CreateRequest(const std::string& name, int64_t bytes,
                                      const v1::VolumeCapability& cap);

using testing::IsMountPoint;
using testing::MountsUnder;

class ConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  CsiStack& stack() { return *Stack(); }
  v1::Controller::Stub& controller() { return stack().controller(); }
  v1::Node::Stub& node() { return stack().node(); }
  v1::GroupController::Stub& group() { return stack().group_controller(); }
  const Caps& caps() { return PluginCaps(); }

  // A name unique within the run ("conf-<case>-<n>").
  std::string Unique(const std::string& what);
  // The node id the node plugin reports (its satellite).
  std::string NodeId();
  // Another node LINSTOR knows (not the node plugin's).
  std::string OtherNodeId() { return "sat-bravo"; }

  // Creates a volume that TearDown deletes. Fails the case (fatal) on error.
  v1::Volume MustCreateVolume(const std::string& name, int64_t bytes = kVolumeBytes,
                              const v1::VolumeCapability& cap = MountCap());
  v1::Snapshot MustCreateSnapshot(const std::string& source_volume_id, const std::string& name);
  // Registers ids for cleanup (objects created by hand-built requests).
  void TrackVolume(const std::string& id) { volumes_.push_back(id); }
  void TrackSnapshot(const std::string& id) { snapshots_.push_back(id); }
  void TrackGroupSnapshot(const std::string& id, std::vector<std::string> members) {
    group_snapshots_.push_back({id, std::move(members)});
  }
  void TrackPublication(const std::string& volume, const std::string& node_id) {
    publications_.push_back({volume, node_id});
  }
  void TrackStage(const std::string& volume, const std::string& path) {
    stages_.push_back({volume, path});
  }
  void TrackNodePublish(const std::string& volume, const std::string& target) {
    node_publishes_.push_back({volume, target});
  }

  // Node paths under the allowed prefix: a staging dir (created, as the CO does) and a
  // target path whose parent exists (the plugin creates the target itself).
  std::string StagingDir(const std::string& tag);
  std::string TargetPath(const std::string& tag);

  // ControllerPublish + NodeStage + NodePublish; returns the publish_context. Tracked.
  std::map<std::string, std::string> MustPublishToNode(const std::string& volume_id,
                                                       const v1::VolumeCapability& cap,
                                                       const std::string& staging,
                                                       const std::string& target,
                                                       bool readonly = false);

 private:
  struct Pair {
    std::string a, b;
  };
  std::vector<std::string> volumes_, snapshots_;
  std::vector<std::pair<std::string, std::vector<std::string>>> group_snapshots_;
  std::vector<Pair> publications_, stages_, node_publishes_;
  std::string node_id_;
};

}  // namespace lcsi::conformance
