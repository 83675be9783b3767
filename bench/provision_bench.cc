// bench_provision: CreateVolume throughput and latency through the real linstor-csi-controller
// (a process, on a unix socket) against linstor-sim (a process, no loop backing), next to the
// floor: the same LINSTOR requests (the spawn, plus the replica read of a class without remote
// access) sent by this program directly over HTTP at the same concurrency.
//
// Each phase gets a fresh simulator and controller, warmed by one CreateVolume (which creates
// the class's resource group), so both phases start from the same LINSTOR state. The LINSTOR
// requests per warm CreateVolume come from the simulator's per-endpoint counters.
#include <atomic>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>

#include <unistd.h>

#include "base/flags_main.h"
#include "bench/bench_util.h"
#include "bench/direct_linstor.h"
#include "test/conformance/csi_stack.h"

namespace lcsi::bench {
namespace {

using namespace std::chrono_literals;

FlagSet MakeFlags() {
  FlagSet flags("bench_provision",
                "CreateVolume throughput and latency through linstor-csi-controller against\n"
                "linstor-sim, next to the same LINSTOR requests sent directly (the floor).");
  flags.Add({.name = "volumes",
             .help = "Timed CreateVolume calls per phase and round.",
             .value_name = "N",
             .def = "1000"});
  flags.Add({.name = "in-flight", .help = "Calls kept in flight.", .value_name = "N", .def = "32"});
  flags.Add(
      {.name = "size-mib", .help = "Requested volume size.", .value_name = "MIB", .def = "64"});
  flags.Add({.name = "phases",
             .kind = FlagKind::kList,
             .help = "floor, plugin or both, in order.",
             .value_name = "PHASE,...",
             .def = "floor,plugin"});
  flags.Add({.name = "rounds", .help = "Times each phase runs.", .value_name = "N", .def = "1"});
  flags.Add({.name = "warmup",
             .help = "Untimed calls before the timed ones (default: --in-flight).",
             .value_name = "N"});
  flags.Add({.name = "linstor-latency-ms",
             .help = "Latency linstor-sim adds to every request.",
             .value_name = "MS",
             .def = "0"});
  flags.Add({.name = "worker-threads",
             .help = "The controller's --worker-threads; 0: the controller's default.",
             .value_name = "N",
             .def = "0"});
  AddLogLevelFlag(flags);
  AddControllerFlags(flags);
  return flags;
}

struct Config {
  int volumes = 1000;
  int in_flight = 32;
  int64_t size_bytes = 64 << 20;
  std::map<std::string, std::string> params;
  std::vector<std::string> phases;
  int rounds = 1;
  std::vector<std::string> controller_args;
  std::string log_level = "info";
  bool remote_access = true;   // from the parameters
  int warmup = 32;             // untimed operations before the timed ones
  int linstor_latency_ms = 0;  // added by linstor-sim to every LINSTOR request
};

struct PhaseResult {
  std::string phase;
  double wall_ms = 0;
  Samples latency;
  int errors = 0;
  std::string first_error;
  int64_t linstor_requests = 0;
  std::map<std::string, int64_t> by_endpoint;
  std::map<std::string, int64_t> cold_by_endpoint;  // the first CreateVolume of the class
  double cpu_ms[3] = {0, 0, 0};                     // controller, linstor-sim, this program
  std::optional<ProcMemory> controller_after;       // 3 s after the timed run (plugin phase)
};

csi::v1::CreateVolumeRequest MakeRequest(const Config& c, const std::string& name) {
  csi::v1::CreateVolumeRequest req;
  req.set_name(name);
  req.mutable_capacity_range()->set_required_bytes(c.size_bytes);
  auto* cap = req.add_volume_capabilities();
  cap->mutable_mount()->set_fs_type("ext4");
  cap->mutable_access_mode()->set_mode(csi::v1::VolumeCapability::AccessMode::SINGLE_NODE_WRITER);
  for (const auto& [k, v] : c.params) (*req.mutable_parameters())[k] = v;
  return req;
}

Result<std::unique_ptr<testing::CsiStack>> StartStack(const Config& c) {
  testing::StackOptions o;
  o.backing = "none";
  o.start_node = false;
  o.driver_name = "linstor-cpp.csi.io";
  o.log_level = c.log_level;
  o.controller_args = c.controller_args;
  o.dir_prefix = "lcsi-bench-provision";
  // linstor-sim holds one of its threads per keep-alive connection (LINSTOR does not): room
  // for this program's connections plus the plugin's pool.
  o.sim_args = {"--threads", "96"};
  return testing::CsiStack::Start(o);
}

// One CreateVolume through the plugin (cold: creates the resource group); returns its volume id.
Result<std::string> WarmUp(const Config& c, testing::CsiStack& stack, const std::string& tag) {
  auto req = MakeRequest(c, PvcName("warmup-" + tag, 0));
  csi::v1::CreateVolumeResponse resp;
  auto ctx = testing::Ctx(60s);
  grpc::Status s = stack.controller().CreateVolume(ctx.get(), req, &resp);
  if (!s.ok()) return Internal("warm-up CreateVolume failed: " + s.error_message());
  return resp.volume().volume_id();
}

// Sends one CreateVolume (plugin) or its LINSTOR requests (floor) for volume `name`.
class Driver {
 public:
  virtual ~Driver() = default;
  // True on success; `error` describes a failure.
  virtual bool Create(int worker, const std::string& name, std::string* error) = 0;
};

class PluginDriver final : public Driver {
 public:
  PluginDriver(const Config& c, testing::CsiStack& stack) : c_(c), stack_(stack) {}
  bool Create(int, const std::string& name, std::string* error) override {
    auto req = MakeRequest(c_, name);
    csi::v1::CreateVolumeResponse resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 120s);
    grpc::Status s = stack_.controller().CreateVolume(&ctx, req, &resp);
    if (s.ok() && !resp.volume().volume_id().empty()) return true;
    *error = "gRPC " + std::to_string(s.error_code()) + " " + s.error_message();
    return false;
  }

 private:
  const Config& c_;
  testing::CsiStack& stack_;
};

class FloorDriver final : public Driver {
 public:
  FloorDriver(const Config& c, DirectLinstor& direct, linstor::ResourceDefinition tmpl)
      : c_(c), direct_(direct), tmpl_(std::move(tmpl)) {
    spawn_path_ = "/v1/resource-groups/" + tmpl_.resource_group_name + "/spawn";
  }
  bool Create(int worker, const std::string& name, std::string* error) override {
    // The plugin's volume id is its RD name; PvcName() already is a valid LINSTOR name.
    Reply r = direct_.Post(worker, spawn_path_, SpawnBodyLike(tmpl_, name, name));
    if (r.status != 200 && r.status != 201) {
      *error = "spawn: HTTP " + std::to_string(r.status) + " " + r.body;
      return false;
    }
    if (!c_.remote_access) {
      // What the plugin reads to report accessible_topology.
      Reply v = direct_.Get(worker, "/v1/view/resources?resources=" + name);
      if (v.status != 200) {
        *error = "view/resources: HTTP " + std::to_string(v.status);
        return false;
      }
    }
    return true;
  }

 private:
  const Config& c_;
  DirectLinstor& direct_;
  linstor::ResourceDefinition tmpl_;
  std::string spawn_path_;
};

Result<PhaseResult> RunPhase(const Config& c, const std::string& phase, int round) {
  PhaseResult out;
  out.phase = phase;
  auto stack = StartStack(c);
  if (!stack.ok()) return stack.status();
  auto& sim = (*stack)->sim();
  // The first CreateVolume of the class (cold: it creates the resource group).
  LCSI_RETURN_IF_ERROR(sim.ResetCounters());
  auto warm = WarmUp(c, **stack, phase);
  if (!warm.ok()) return warm.status();
  auto cold = sim.Counters();
  if (!cold.ok()) return cold.status();
  if (phase == "plugin") out.cold_by_endpoint = *cold;
  if (c.linstor_latency_ms > 0) {
    testing::SimFault f;
    f.path_pattern = "^/v1/";
    f.latency_ms = c.linstor_latency_ms;
    LCSI_RETURN_IF_ERROR(sim.AddFault(f));
  }

  DirectLinstor direct((*stack)->sim_url(), c.in_flight);
  std::unique_ptr<Driver> driver;
  if (phase == "plugin") {
    driver = std::make_unique<PluginDriver>(c, **stack);
  } else if (phase == "floor") {
    auto tmpl = direct.GetResourceDefinition(*warm);
    if (!tmpl.ok()) return tmpl.status();
    driver = std::make_unique<FloorDriver>(c, direct, std::move(*tmpl));
  } else {
    return InvalidArgument("unknown phase " + phase);
  }

  // Untimed warm-up at full concurrency: connections (gRPC, the plugin's LINSTOR pool, the
  // floor's keep-alive connections) exist before the clock starts, in both phases alike.
  std::atomic<int> warm_errors{0};
  RunConcurrently(c.warmup, c.in_flight, [&](int w, int i) {
    std::string error;
    if (!driver->Create(w, PvcName("warm-" + phase + std::to_string(round), i), &error)) {
      ++warm_errors;
    }
  });
  LCSI_RETURN_IF_ERROR(sim.ResetCounters());

  const pid_t pids[3] = {(*stack)->controller_pid(), (*stack)->sim_pid(), getpid()};
  double cpu0[3];
  for (int k = 0; k < 3; ++k) cpu0[k] = ProcCpuMs(pids[k]);
  std::vector<double> lat(static_cast<size_t>(c.volumes), -1);
  std::mutex mu;
  out.wall_ms = RunConcurrently(c.volumes, c.in_flight, [&](int w, int i) {
    std::string error;
    const auto t0 = std::chrono::steady_clock::now();
    const bool ok = driver->Create(w, PvcName(phase + "-r" + std::to_string(round), i), &error);
    lat[static_cast<size_t>(i)] = MsSince(t0);
    if (!ok) {
      std::lock_guard l(mu);
      if (out.errors++ == 0) out.first_error = error;
    }
  });
  for (int k = 0; k < 3; ++k) out.cpu_ms[k] = ProcCpuMs(pids[k]) - cpu0[k];
  for (double ms : lat) out.latency.Add(ms);
  if (phase == "plugin") {
    std::this_thread::sleep_for(3s);
    if (auto m = ReadProcMemory(pids[0]); m.ok()) out.controller_after = *m;
  }
  auto counters = sim.Counters();
  if (!counters.ok()) return counters.status();
  out.by_endpoint = *counters;
  for (const auto& [k, n] : out.by_endpoint) out.linstor_requests += n;
  return out;
}

void Print(const Config& c, const PhaseResult& r) {
  std::printf("%-6s %d volumes, %d in flight: %.0f ms wall, %.1f ops/s, errors %d%s%s\n",
              r.phase.c_str(), c.volumes, c.in_flight, r.wall_ms, c.volumes / (r.wall_ms / 1000.0),
              r.errors, r.errors ? ": " : "", r.first_error.c_str());
  std::printf("       latency %s\n", r.latency.Summary().c_str());
  std::printf(
      "       CPU per operation: controller %.3f ms, linstor-sim %.3f ms, benchmark client "
      "%.3f ms\n",
      r.cpu_ms[0] / c.volumes, r.cpu_ms[1] / c.volumes, r.cpu_ms[2] / c.volumes);
  if (r.controller_after) {
    std::printf("       controller memory 3 s after the run: %s\n",
                r.controller_after->ToString().c_str());
  }
  std::printf("       LINSTOR requests: %lld total, %.2f per volume:",
              static_cast<long long>(r.linstor_requests),
              static_cast<double>(r.linstor_requests) / c.volumes);
  for (const auto& [k, n] : r.by_endpoint)
    std::printf(" [%s] %lld", k.c_str(), static_cast<long long>(n));
  std::printf("\n");
  if (!r.cold_by_endpoint.empty()) {
    int64_t total = 0;
    for (const auto& [k, n] : r.cold_by_endpoint) total += n;
    std::printf("       cold CreateVolume (first of its class): %lld LINSTOR requests:",
                static_cast<long long>(total));
    for (const auto& [k, n] : r.cold_by_endpoint)
      std::printf(" [%s] %lld", k.c_str(), static_cast<long long>(n));
    std::printf("\n");
  }
  std::fflush(stdout);
}

int Main(int argc, char** argv) {
  FlagSet flags = MakeFlags();
  ParseFlagsOrExit(flags, argc, argv);
  Config c;
  c.volumes = static_cast<int>(IntFlagOrExit(flags, "volumes"));
  c.in_flight = static_cast<int>(IntFlagOrExit(flags, "in-flight"));
  c.size_bytes = IntFlagOrExit(flags, "size-mib") << 20;
  c.params = flags.GetMap("param");
  for (const auto& [key, value] : c.params) {
    std::string lower = key;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(ch));
    if (lower.find("allowremotevolumeaccess") != std::string::npos) {
      c.remote_access = !(value == "false" || value == "no" || value == "0");
    }
  }
  c.phases = flags.GetList("phases");
  c.rounds = static_cast<int>(IntFlagOrExit(flags, "rounds"));
  c.warmup = flags.IsSet("warmup") ? static_cast<int>(IntFlagOrExit(flags, "warmup")) : c.in_flight;
  c.linstor_latency_ms = static_cast<int>(IntFlagOrExit(flags, "linstor-latency-ms"));
  c.log_level = flags.GetString("log-level");
  c.controller_args = flags.GetList("controller-arg");
  if (auto w = IntFlagOrExit(flags, "worker-threads"); w > 0) {
    c.controller_args.push_back("--worker-threads");
    c.controller_args.push_back(std::to_string(w));
  }

  PrintHeader("provisioning: CreateVolume through linstor-csi-controller vs direct LINSTOR", argc,
              argv);
  std::printf("class parameters:");
  if (c.params.empty()) std::printf(" (none: default class)");
  for (const auto& [k, v] : c.params) std::printf(" %s=%s", k.c_str(), v.c_str());
  std::printf("; size %lld MiB; LINSTOR latency added by the sim: %d ms\n",
              static_cast<long long>(c.size_bytes >> 20), c.linstor_latency_ms);

  std::map<std::string, std::vector<PhaseResult>> results;
  for (int round = 0; round < c.rounds; ++round) {
    for (const auto& phase : c.phases) {
      Result<PhaseResult> r = RunPhase(c, phase, round);
      if (!r.ok()) {
        std::fprintf(stderr, "%s: %s\n", phase.c_str(), r.status().ToString().c_str());
        return 1;
      }
      Print(c, *r);
      results[phase].push_back(std::move(*r));
    }
  }
  if (!results["plugin"].empty() && !results["floor"].empty()) {
    // Medians over rounds of each phase's p50/p99/throughput.
    auto median = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      return v[v.size() / 2];
    };
    std::vector<double> pp50, pp99, fp50, fp99, pops, fops;
    for (auto& r : results["plugin"]) {
      pp50.push_back(r.latency.Percentile(50));
      pp99.push_back(r.latency.Percentile(99));
      pops.push_back(c.volumes / (r.wall_ms / 1000));
    }
    for (auto& r : results["floor"]) {
      fp50.push_back(r.latency.Percentile(50));
      fp99.push_back(r.latency.Percentile(99));
      fops.push_back(c.volumes / (r.wall_ms / 1000));
    }
    const double ratio50 = median(pp50) / median(fp50);
    const double ratio99 = median(pp99) / median(fp99);
    const auto& last = results["plugin"].back();
    const double per_volume = static_cast<double>(last.linstor_requests) / c.volumes;
    std::printf(
        "summary: plugin %.1f ops/s p50 %.2f ms p99 %.2f ms | floor %.1f ops/s p50 %.2f ms p99 "
        "%.2f ms | latency ratio p50 %.3fx p99 %.3fx, throughput ratio %.3fx\n",
        median(pops), median(pp50), median(pp99), median(fops), median(fp50), median(fp99), ratio50,
        ratio99, median(fops) / median(pops));
    std::printf("target LINSTOR requests per warm CreateVolume <= 2: %.2f -> %s\n", per_volume,
                per_volume <= 2.0 ? "met" : "MISSED");
    std::printf("target plugin latency <= 1.15x floor (p50): %.3fx -> %s\n", ratio50,
                ratio50 <= 1.15 ? "met" : "MISSED");
  }
  return 0;
}

}  // namespace
}  // namespace lcsi::bench

int main(int argc, char** argv) { return lcsi::bench::RunBenchmark(lcsi::bench::Main, argc, argv); }
