// The fault and crash soak (see soak_runner.h). CI runs the default, bounded length; a long
// manual run:  soak --long   (or SOAK_LONG=1), e.g.  soak --long --seed 7 --verbose
//
//   --seed N            seeds the CO model and the sim's faults (default 1 or $SOAK_SEED)
//   --ops N             CO actions in the fault phase (default 1500; --long 20000)
//   --max-seconds T     bound of the fault phase (default 90; --long 1800)
//   --workers N         concurrent CO workers (default 2)
//   --kill-every T      mean seconds between controller SIGKILLs (default 2; 0 = never)
//   --error-rate R --drop-rate R --after-error-rate R --latency-ms N
//   --drbd-rate R       fraction of CO actions that are DRBD fault episodes (default 0.025; 0 =
//   none)
//   --replica-wait T    the node's --replica-wait-timeout in ms (default 1000)
//   --replicas N        placementCount of the soak's StorageClass (default 2)
//   --plant-orphan      self-check: plant an owned RD nobody accounts for (the run must fail)
//   --plant-unsafe-io   self-check: write to a volume whose replica lost quorum (the run must fail)
// Exit status 0 when no invariant was violated.
// Reproducibility: the seed fixes every worker's sequence of CO actions and each fault rule's
// random stream; with --workers 1 --kill-every 0 a run repeats request for request. With more
// workers (or kills) thread timing decides which request draws which fault, so a failing seed
// is re-run a few times, with --verbose and KEEP=1 (logs stay in /tmp/lcsi-soak-*).
#include <cstdlib>
#include <iostream>
#include <string>

#include "test/soak/soak_runner.h"

int main(int argc, char** argv) {
  lcsi::soak::SoakOptions options;
  options.operations = 1500;
  options.max_seconds = 90;
  if (const char* seed = getenv("SOAK_SEED")) options.seed = std::strtoull(seed, nullptr, 10);
  bool long_run = getenv("SOAK_LONG") != nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--long") long_run = true;
  }
  if (long_run) {
    options.operations = 20000;
    options.max_seconds = 1800;
    options.volumes_per_worker = 8;
    options.workers = 3;
  }
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : "0"; };
    if (arg == "--long") {
    } else if (arg == "--seed") {
      options.seed = std::strtoull(next(), nullptr, 10);
    } else if (arg == "--ops") {
      options.operations = std::atoi(next());
    } else if (arg == "--max-seconds") {
      options.max_seconds = std::atof(next());
    } else if (arg == "--workers") {
      options.workers = std::atoi(next());
    } else if (arg == "--kill-every") {
      options.kill_every_seconds = std::atof(next());
    } else if (arg == "--error-rate") {
      options.error_rate = std::atof(next());
    } else if (arg == "--after-error-rate") {
      options.after_error_rate = std::atof(next());
    } else if (arg == "--drop-rate") {
      options.drop_rate = std::atof(next());
    } else if (arg == "--latency-ms") {
      options.latency_ms = std::atoi(next());
    } else if (arg == "--drbd-rate") {
      options.drbd_rate = std::atof(next());
    } else if (arg == "--replica-wait") {
      options.replica_wait = std::chrono::milliseconds(std::atoi(next()));
    } else if (arg == "--replicas") {
      options.replicas = std::atoi(next());
    } else if (arg == "--plant-unsafe-io") {
      options.plant_unsafe_io = true;
    } else if (arg == "--plant-orphan") {
      options.plant_orphan = true;
    } else if (arg == "--verbose") {
      options.verbose = true;
    } else {
      std::cerr << "soak: unknown argument " << arg << " (see the comment in soak_main.cc)\n";
      return 2;
    }
  }

  lcsi::testing::StackOptions stack_options;
  stack_options.driver_name = "soak.csi.io";
  stack_options.dir_prefix = "lcsi-soak";
  stack_options.seed = options.seed;
  // Short, so that a NodeStage under a DRBD fault gives up (UNAVAILABLE) within the episode.
  stack_options.node_args = {
      "--replica-wait-timeout=" + std::to_string(options.replica_wait.count()) + "ms"};
  auto stack = lcsi::testing::CsiStack::Start(stack_options);
  if (!stack.ok()) {
    std::cout << "soak: the stack did not start: " << stack.status().ToString() << "\n";
    return 1;
  }
  std::cout << "soak: seed " << options.seed << ", " << options.operations << " actions max, "
            << options.workers << " workers, faults error " << options.error_rate << " / after "
            << options.after_error_rate << " / drop " << options.drop_rate << " / latency "
            << options.latency_ms << " ms, controller SIGKILL every ~" << options.kill_every_seconds
            << " s, DRBD fault episodes " << options.drbd_rate << " of actions, replica wait "
            << options.replica_wait.count() << " ms" << std::endl;
  lcsi::soak::SoakRunner runner(**stack, options);
  lcsi::soak::SoakReport report = runner.Run();

  std::cout << "soak: " << report.actions << " CO actions, " << report.rpcs << " RPCs, "
            << report.controller_kills << " controller SIGKILLs, fault phase "
            << report.fault_phase_seconds << " s, total " << report.total_seconds << " s\n";
  std::cout << "soak: failures by code (all retried):";
  for (const auto& [code, n] : report.failures_by_code) std::cout << " " << code << "=" << n;
  std::cout << "\n";
  std::cout << "soak: DRBD faults injected:";
  for (const auto& [kind, n] : report.drbd_faults) std::cout << " [" << kind << "]=" << n;
  std::cout << "\nsoak: answers under DRBD faults:";
  for (const auto& [answer, n] : report.drbd_answers) std::cout << " [" << answer << "]=" << n;
  std::cout << "\nsoak: " << report.drbd_stage_waits
            << " stages waited and succeeded when the fault cleared during the call\n";
  std::cout << "soak: " << report.io_ops << " writes on mounted volumes, "
            << report.io_under_usable_fault
            << " of them while a DRBD fault left the replica usable, " << report.io_unsafe
            << " on a replica that could not serve I/O (must be 0)\n";
  if (!report.violations.empty()) {
    std::cout << "soak: " << report.violations.size() << " invariant violations:\n";
    for (const auto& v : report.violations) std::cout << "  - " << v << "\n";
    std::cout << "soak: FAILED (reproduce with --seed " << options.seed << "; KEEP=1 keeps logs)\n";
    return 1;
  }
  std::cout << "soak: PASSED, no invariant violated\n";
  return 0;
}
