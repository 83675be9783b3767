// The whole plugin as it runs in a cluster, on one machine: linstor-sim with loop-device backing,
// linstor-csi-controller and linstor-csi-node as processes on unix sockets, a kubelet-like
// directory, and a satellite map (the CO node name differs from every satellite name).
// Everything is released by the destructor, even when a test fails: processes are stopped,
// mounts below the temp dir detached, the simulator's loop devices detached.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "csi/csi.grpc.pb.h"
#include "linstor-sim/testing/sim_process.h"
#include "nodeplugin/test_support.h"
#include "test/integration/test_process.h"

namespace lcsi::e2e {

inline constexpr int64_t kMiB = 1 << 20;
// The driver name the stack's plugins run with unless a test picks another.
inline constexpr const char* kDriver = "linstor-cpp.csi.io";

struct StackOptions {
  bool with_controller = true;
  std::string driver_name = kDriver;
  // The orchestrator's node name of the node plugin; the map sends it to `satellite`.
  std::string co_node_name = "k8s-worker-1.example.com";
  std::string satellite = "sat-alpha";
  bool map_this_node = true;  // false: the map has no entry for co_node_name
  std::string log_level = "debug";
  // The node's --replica-wait-timeout.
  std::string replica_wait_timeout = "20s";
};

class E2eStack {
 public:
  explicit E2eStack(StackOptions options = {});
  ~E2eStack();
  E2eStack(const E2eStack&) = delete;
  E2eStack& operator=(const E2eStack&) = delete;

  // Starts the simulator, then (optionally) the controller, then the node plugin, each waited
  // for (Probe answers). The node plugin need not be ready (see WaitNodeReady).
  Status Start();
  // Polls the node's Probe until ready or `timeout`.
  bool WaitNodeReady(std::chrono::milliseconds timeout);

  csi::v1::Controller::Stub& controller() { return *controller_; }
  csi::v1::Identity::Stub& controller_identity() { return *controller_identity_; }
  csi::v1::Node::Stub& node() { return *node_; }
  csi::v1::Identity::Stub& node_identity() { return *node_identity_; }
  sim::SimAdminClient& sim_admin() { return *sim_admin_; }
  const std::string& sim_url() const { return sim_->url(); }
  const std::string& sim_data_dir() const { return sim_->data_dir(); }

  const std::string& kubelet_dir() const { return kubelet_dir_; }
  std::string StagingPath(const std::string& volume_id) const;
  std::string TargetPath(const std::string& volume_id, const std::string& pod) const;

  std::string NodeLog() const;
  std::string ControllerLog() const;

  // Leftovers after a full teardown: mount points below the kubelet dir, loop devices whose
  // backing file lies in the simulator's data dir, and the simulator's object counts.
  std::vector<std::string> LeftoverMounts() const;
  std::vector<std::string> LeftoverLoopDevices() const;
  Result<std::map<std::string, int64_t>> SimObjects();

 private:
  StackOptions options_;
  node::testing::TempDir dir_;
  std::string kubelet_dir_;
  std::unique_ptr<sim::SimProcess> sim_;
  std::unique_ptr<sim::SimAdminClient> sim_admin_;
  std::unique_ptr<testing::TestProcess> controller_proc_;
  std::unique_ptr<testing::TestProcess> node_proc_;
  std::unique_ptr<csi::v1::Controller::Stub> controller_;
  std::unique_ptr<csi::v1::Identity::Stub> controller_identity_;
  std::unique_ptr<csi::v1::Node::Stub> node_;
  std::unique_ptr<csi::v1::Identity::Stub> node_identity_;
};

// A client context with a deadline, for one RPC.
std::unique_ptr<grpc::ClientContext> Ctx(std::chrono::seconds deadline = std::chrono::seconds(60));

// Last `lines` lines of a log, for failure messages.
std::string Tail(const std::string& text, size_t lines = 40);

}  // namespace lcsi::e2e
