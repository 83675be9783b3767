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
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "test/conformance/csi_stack.h"

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
  // Self-check: plant an owned RD that no CO object accounts for; the run must report it.
  bool plant_orphan = false;
};

struct SoakReport {
  int64_t actions = 0;
  int64_t rpcs = 0;
  int64_t controller_kills = 0;
  std::map<std::string, int64_t> failures_by_code;  // "UNAVAILABLE" -> n
  std::vector<std::string> violations;
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

  testing::CsiStack& stack_;
  SoakOptions options_;
  std::mutex mu_;  // guards report_
  SoakReport report_;
  std::mutex controller_mu_;  // held while the controller is being restarted
};

}  // namespace lcsi::soak
