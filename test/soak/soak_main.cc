// The fault and crash soak (see soak_runner.h and `soak --help`). CI runs the default, bounded
// length; a long manual run:  soak --long   (or SOAK_LONG=1), e.g.  soak --long --seed 7 --verbose
// Exit status 0 when no invariant was violated, 2 for a bad flag.
// Reproducibility: the seed fixes every worker's sequence of CO actions and each fault rule's
// random stream; with --workers 1 --kill-every 0 a run repeats request for request. With more
// workers (or kills) thread timing decides which request draws which fault, so a failing seed
// is re-run a few times, with --verbose and KEEP=1 (logs stay in /tmp/lcsi-soak-*).
#include <cstdint>
#include <iostream>
#include <sstream>
#include <string>

#include "base/flags_main.h"
#include "test/soak/soak_runner.h"

namespace {

using lcsi::FlagKind;
using lcsi::FlagSet;

// The length of a CI run and of a --long one.
constexpr int kOperations = 1500, kLongOperations = 20000;
constexpr double kMaxSeconds = 90, kLongMaxSeconds = 1800;
constexpr int kLongWorkers = 3, kLongVolumesPerWorker = 8;

// A default of SoakOptions as --help shows it: "0.08", "2".
template <typename T>
std::string Text(T value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

FlagSet MakeFlags() {
  const lcsi::soak::SoakOptions d;
  FlagSet flags("soak",
                "The fault and crash soak: the real stack (linstor-sim in loop mode, the\n"
                "controller and node plugins) under LINSTOR faults, DRBD fault episodes and\n"
                "controller SIGKILLs, checked against the CO's ledger. Needs root.");
  flags.Add({.name = "long",
             .kind = FlagKind::kBool,
             .help = "The long manual run: " + Text(kLongOperations) + " actions, " +
                     Text(kLongWorkers) + " workers with " + Text(kLongVolumesPerWorker) +
                     " volumes each, up to " + Text(kLongMaxSeconds) + " s.",
             .env = "SOAK_LONG"});
  flags.Add({.name = "seed",
             .help = "Seeds the CO model and the sim's faults.",
             .value_name = "N",
             .env = "SOAK_SEED",
             .def = Text(d.seed)});
  flags.Add({.name = "ops",
             .help = "CO actions in the fault phase (with --long: " + Text(kLongOperations) + ").",
             .value_name = "N",
             .def = Text(kOperations)});
  flags.Add({.name = "max-seconds",
             .help = "Bound of the fault phase (with --long: " + Text(kLongMaxSeconds) + ").",
             .value_name = "T",
             .def = Text(kMaxSeconds)});
  flags.Add({.name = "workers",
             .help = "Concurrent CO workers (with --long: " + Text(kLongWorkers) + ").",
             .value_name = "N",
             .def = Text(d.workers)});
  flags.Add({.name = "kill-every",
             .help = "Mean seconds between controller SIGKILLs; 0: never.",
             .value_name = "T",
             .def = Text(d.kill_every_seconds)});
  flags.Add({.name = "error-rate",
             .help = "Fraction of LINSTOR requests answered with an error.",
             .value_name = "R",
             .def = Text(d.error_rate)});
  flags.Add({.name = "after-error-rate",
             .help = "Fraction of LINSTOR POST requests executed, then answered with an error.",
             .value_name = "R",
             .def = Text(d.after_error_rate)});
  flags.Add({.name = "drop-rate",
             .help = "Fraction of LINSTOR requests whose connection is dropped.",
             .value_name = "R",
             .def = Text(d.drop_rate)});
  flags.Add({.name = "latency-ms",
             .help = "Latency the sim adds to every LINSTOR request.",
             .value_name = "N",
             .def = Text(d.latency_ms)});
  flags.Add({.name = "drbd-rate",
             .help = "Fraction of CO actions that are DRBD fault episodes; 0: none.",
             .value_name = "R",
             .def = Text(d.drbd_rate)});
  flags.Add({.name = "replica-wait",
             .help = "The node's --replica-wait-timeout in ms.",
             .value_name = "MS",
             .def = Text(d.replica_wait.count())});
  flags.Add({.name = "replicas",
             .help = "placementCount of the soak's StorageClass.",
             .value_name = "N",
             .def = Text(d.replicas)});
  flags.Add({.name = "plant-orphan",
             .kind = FlagKind::kBool,
             .help = "Self-check: plant an owned RD nobody accounts for (the run must fail)."});
  flags.Add({.name = "plant-unsafe-io",
             .kind = FlagKind::kBool,
             .help = "Self-check: write to a volume whose replica lost quorum (the run must "
                     "fail)."});
  flags.Add({.name = "verbose",
             .kind = FlagKind::kBool,
             .help = "Print every retried RPC and every DRBD fault episode."});
  return flags;
}

lcsi::soak::SoakOptions OptionsFromFlags(const FlagSet& flags) {
  const bool long_run = flags.GetBool("long");
  auto int_flag = [&](const char* name, int long_value) {
    if (long_run && !flags.IsSet(name)) return long_value;
    return static_cast<int>(lcsi::IntFlagOrExit(flags, name));
  };
  lcsi::soak::SoakOptions options;
  options.seed = static_cast<uint64_t>(lcsi::IntFlagOrExit(flags, "seed"));
  options.operations = int_flag("ops", kLongOperations);
  options.max_seconds = long_run && !flags.IsSet("max-seconds")
                            ? kLongMaxSeconds
                            : lcsi::NumberFlagOrExit(flags, "max-seconds");
  options.workers = int_flag("workers", kLongWorkers);
  if (long_run) options.volumes_per_worker = kLongVolumesPerWorker;
  options.kill_every_seconds = lcsi::NumberFlagOrExit(flags, "kill-every");
  options.error_rate = lcsi::NumberFlagOrExit(flags, "error-rate");
  options.after_error_rate = lcsi::NumberFlagOrExit(flags, "after-error-rate");
  options.drop_rate = lcsi::NumberFlagOrExit(flags, "drop-rate");
  options.latency_ms = static_cast<int>(lcsi::IntFlagOrExit(flags, "latency-ms"));
  options.drbd_rate = lcsi::NumberFlagOrExit(flags, "drbd-rate");
  options.replica_wait = std::chrono::milliseconds(lcsi::IntFlagOrExit(flags, "replica-wait"));
  options.replicas = static_cast<int>(lcsi::IntFlagOrExit(flags, "replicas"));
  options.plant_orphan = flags.GetBool("plant-orphan");
  options.plant_unsafe_io = flags.GetBool("plant-unsafe-io");
  options.verbose = flags.GetBool("verbose");
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  FlagSet flags = MakeFlags();
  lcsi::ParseFlagsOrExit(flags, argc, argv);
  const lcsi::soak::SoakOptions options = OptionsFromFlags(flags);

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
