// bench_startup: from process start (fork) to the first successful, ready Probe over the unix
// socket, for linstor-csi-controller and linstor-csi-node, against linstor-sim (a process, no
// loop backing). Also prints the bare cost of exec'ing the binary (--version: dynamic linking
// and static initialisation) and each plugin's memory 1 s after start (idle).
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "base/flags_main.h"
#include "bench/bench_util.h"
#include "csi/csi.grpc.pb.h"
#include "test/conformance/csi_stack.h"
#include "test/integration/test_process.h"

namespace lcsi::bench {
namespace {

using namespace std::chrono_literals;

FlagSet MakeFlags() {
  FlagSet flags("bench_startup",
                "Process start to the first ready Probe of linstor-csi-controller and\n"
                "linstor-csi-node against linstor-sim, the cost of exec'ing each, and their idle\n"
                "memory.");
  flags.Add({.name = "runs", .help = "Starts of each plugin.", .value_name = "N", .def = "20"});
  flags.Add({.name = "which",
             .help = "The plugins to start: controller, node or both.",
             .value_name = "PLUGIN,...",
             .def = "controller,node"});
  AddLogLevelFlag(flags);
  return flags;
}

bool IsSocket(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

// One Probe over a fresh channel (a channel whose first connect failed backs off for a second,
// so every attempt gets its own).
bool ProbeReady(const std::string& socket) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto channel =
      grpc::CreateCustomChannel("unix:" + socket, grpc::InsecureChannelCredentials(), args);
  auto stub = csi::v1::Identity::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 2s);
  csi::v1::ProbeResponse resp;
  grpc::Status s = stub->Probe(&ctx, {}, &resp);
  return s.ok() && (!resp.has_ready() || resp.ready().value());
}

struct RunResult {
  double ms = -1;  // start to ready Probe; -1: never
  std::optional<ProcMemory> idle;
};

RunResult StartOnce(const std::vector<std::string>& argv, const std::string& socket,
                    const std::string& log, bool measure_memory) {
  RunResult out;
  std::filesystem::remove(socket);
  const auto t0 = std::chrono::steady_clock::now();
  testing::TestProcess proc(argv, log);
  const auto deadline = t0 + 10s;
  while (std::chrono::steady_clock::now() < deadline && proc.running()) {
    if (IsSocket(socket) && ProbeReady(socket)) {
      out.ms = MsSince(t0);
      break;
    }
    std::this_thread::sleep_for(200us);
  }
  if (out.ms >= 0 && measure_memory) {
    std::this_thread::sleep_for(1s);
    auto m = ReadProcMemory(proc.pid());
    if (m.ok()) out.idle = *m;
  }
  if (out.ms < 0)
    std::fprintf(stderr, "%s never became ready:\n%s\n", argv[0].c_str(), proc.Output().c_str());
  proc.Signal(SIGTERM);
  proc.Wait(10s);
  return out;
}

int Main(int argc, char** argv) {
  FlagSet flags = MakeFlags();
  ParseFlagsOrExit(flags, argc, argv);
  const int runs = static_cast<int>(IntFlagOrExit(flags, "runs"));
  const std::string which = flags.GetString("which");
  const std::string log_level = flags.GetString("log-level");
  PrintHeader("start-up: process start to first ready Probe", argc, argv);

  // The simulator only; the plugins are started here, many times.
  testing::StackOptions o;
  o.backing = "none";
  o.start_node = false;
  o.dir_prefix = "lcsi-bench-startup";
  auto stack = testing::CsiStack::Start(o);
  if (!stack.ok()) {
    std::fprintf(stderr, "%s\n", stack.status().ToString().c_str());
    return 1;
  }
  const std::string dir = (*stack)->dir();
  const std::string url = (*stack)->sim_url();

  struct Binary {
    std::string name;
    std::vector<std::string> argv;
  };
  std::vector<Binary> binaries;
  const std::string sock = dir + "/startup.sock";
  if (which.find("controller") != std::string::npos) {
    binaries.push_back({"controller",
                        {LCSI_CONTROLLER_BIN, "--endpoint", "unix://" + sock,
                         "--linstor-controllers", url, "--log-level", log_level}});
  }
  if (which.find("node") != std::string::npos) {
    binaries.push_back({"node",
                        {LCSI_NODE_BIN, "--endpoint", "unix://" + sock, "--linstor-controllers",
                         url, "--node-name", "k8s-worker-1", "--satellite-name", "sat-alpha",
                         "--allowed-path-prefix", dir + "/kubelet", "--log-level", log_level}});
  }

  bool all_met = true;
  for (const auto& b : binaries) {
    Samples exec_ms;
    for (int i = 0; i < runs; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      RunProgram({b.argv[0], "--version"});
      exec_ms.Add(MsSince(t0));
    }
    Samples ready_ms;
    std::optional<ProcMemory> idle;
    for (int i = 0; i < runs; ++i) {
      RunResult r = StartOnce(b.argv, sock, dir + "/" + b.name + ".log", i == 0);
      if (r.ms < 0) return 1;
      ready_ms.Add(r.ms);
      if (r.idle) idle = r.idle;
    }
    std::printf("%-10s exec --version:       %s\n", b.name.c_str(), exec_ms.Summary().c_str());
    std::printf("%-10s start to ready Probe: %s\n", b.name.c_str(), ready_ms.Summary().c_str());
    if (idle)
      std::printf("%-10s idle 1 s after start: %s\n", b.name.c_str(), idle->ToString().c_str());
    const bool met = ready_ms.Percentile(50) <= 50;
    all_met = all_met && met;
    std::printf("target %s start to ready Probe <= 50 ms (p50): %.2f ms -> %s\n", b.name.c_str(),
                ready_ms.Percentile(50), met ? "met" : "MISSED");
    if (idle) {
      std::printf("target %s idle RssAnon <= 4 MiB: %s -> %s\n", b.name.c_str(),
                  Mib(idle->rss_anon_kib).c_str(), idle->rss_anon_kib <= 4096 ? "met" : "MISSED");
    }
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace lcsi::bench

int main(int argc, char** argv) { return lcsi::bench::RunBenchmark(lcsi::bench::Main, argc, argv); }
