// Fault and crash soak: a seeded CO model drives the real stack (linstor-sim in loop mode,
// controller, node) through hundreds of create / publish / stage / snapshot / restore / expand /
// delete operations while the sim injects errors, latency and dropped connections and a killer
// thread SIGKILLs the controller at random moments. Every RPC is retried until OK, as a CO
// does. Checked throughout and at the end:
//   - every failure carried a retryable code (a fault must never look like a final answer);
//   - every OK is verified against LINSTOR and the mount table (no OK for work not done);
//   - after faults stop and everything converges: the owned LINSTOR objects are exactly the
//     live CO objects (plus RDs kept only by live snapshots), List* agree, mounts match;
//   - after deleting everything: no owned RD, snapshot, mount or loop device is left.
// DRBD faults (drbd_faults.h, soak_drbd.cc): now and then a worker sets a replica Outdated,
// Inconsistent, syncing, cut off from its peers, without quorum, with I/O suspended, or in use on
// another node (linstor-sim's admin API), and checks that ControllerPublish / NodeStage refuse
// or wait while the replica on the node cannot serve I/O. Every write the soak does on a mounted
// volume is recorded with the DRBD state the sim reports at that moment; none may have gone to a
// replica that could not serve it. Each fault is cleared before the episode ends.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "test/conformance/csi_stack.h"
#include "test/soak/drbd_faults.h"

namespace lcsi::soak {

struct SoakOptions {
  uint64_t seed = 1;
  int operations = 300;  // CO actions in the fault phase (over all workers)
  int workers = 2;       // concurrent CO workers, each with its own volumes
  int volumes_per_worker = 5;
  double max_seconds = 150;        // the fault phase ends early when this is reached
  double error_rate = 0.08;        // per LINSTOR request
  double after_error_rate = 0.04;  // request executed, answer replaced by an error
  double drop_rate = 0.03;
  int latency_ms = 3;
  double kill_every_seconds = 2;  // mean interval between controller SIGKILLs (0 = never)
  bool verbose = false;
  int replicas = 2;          // placementCount of the soak's StorageClass
  double drbd_rate = 0.025;  // fraction of CO actions that are DRBD fault episodes
  std::chrono::milliseconds replica_wait{1000};  // the node's --replica-wait-timeout
  // Self-check: plant an owned RD that no CO object accounts for; the run must report it.
  bool plant_orphan = false;
  // Self-check: write to a mounted volume whose replica lost quorum; the run must report it.
  bool plant_unsafe_io = false;
};

struct SoakReport {
  int64_t actions = 0;
  int64_t rpcs = 0;
  int64_t controller_kills = 0;
  std::map<std::string, int64_t> failures_by_code;  // "UNAVAILABLE" -> n
  std::vector<std::string> violations;
  std::map<std::string, int64_t> drbd_faults;   // fault kind -> episodes
  std::map<std::string, int64_t> drbd_answers;  // "NodeStageVolume UNAVAILABLE" -> n
  int64_t drbd_stage_waits = 0;  // stages that waited for a fault cleared during the call
  int64_t io_ops = 0, io_under_usable_fault = 0, io_unsafe = 0;
  double fault_phase_seconds = 0;
  double total_seconds = 0;
};

class SoakRunner {
 public:
  SoakRunner(testing::CsiStack& stack, SoakOptions options);
  SoakReport Run();

 private:
  struct Volume;
  struct Snapshot;
  class Worker;

  void Violation(const std::string& what);
  void KillerLoop(std::atomic<bool>& stop);
  void CheckConverged(const std::vector<Worker*>& workers);
  void CheckEmpty();
  void CheckIo();

  testing::CsiStack& stack_;
  SoakOptions options_;
  std::mutex mu_;  // guards report_
  SoakReport report_;
  std::mutex controller_mu_;  // held while the controller is being restarted
  IoLedger ledger_;
};

}  // namespace lcsi::soak
