// bench_list: ListVolumes paging over many volumes through the real linstor-csi-controller
// (a process, unix socket) against linstor-sim (a process, no loop backing), plus the
// controller's memory (RssAnon and total RSS from /proc/PID/status): idle, and peak while it
// serves the listing.
//
// The volumes are made fast: one CreateVolume through the plugin (it creates the class's
// resource group and shows the exact spawn the plugin sends), then the rest by spawning the same
// way directly in LINSTOR, with the plugin's ownership properties, so ListVolumes sees them all
// as its own.
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include "base/flags_main.h"
#include "bench/bench_util.h"
#include "bench/direct_linstor.h"
#include "test/conformance/csi_stack.h"

namespace lcsi::bench {
namespace {

using namespace std::chrono_literals;

FlagSet MakeFlags() {
  FlagSet flags("bench_list",
                "ListVolumes paging over many volumes through linstor-csi-controller against\n"
                "linstor-sim, and the controller's memory idle and while it lists.");
  flags.Add({.name = "volumes", .help = "Volumes in LINSTOR.", .value_name = "N", .def = "10000"});
  flags.Add({.name = "page", .help = "ListVolumes max_entries.", .value_name = "N", .def = "500"});
  flags.Add({.name = "passes", .help = "Full listings.", .value_name = "N", .def = "5"});
  flags.Add({.name = "create-in-flight",
             .help = "Spawns in flight while the volumes are made.",
             .value_name = "N",
             .def = "16"});
  flags.Add({.name = "size-mib", .help = "Volume size.", .value_name = "MIB", .def = "1"});
  AddLogLevelFlag(flags);
  AddControllerFlags(flags);
  return flags;
}

void PrintMemory(const char* what, pid_t pid) {
  auto m = ReadProcMemory(pid);
  if (m.ok()) std::printf("controller memory %s: %s\n", what, m->ToString().c_str());
  std::fflush(stdout);
}

int Main(int argc, char** argv) {
  FlagSet flags = MakeFlags();
  ParseFlagsOrExit(flags, argc, argv);
  const int volumes = static_cast<int>(IntFlagOrExit(flags, "volumes"));
  const int page = static_cast<int>(IntFlagOrExit(flags, "page"));
  const int passes = static_cast<int>(IntFlagOrExit(flags, "passes"));
  const int create_in_flight = static_cast<int>(IntFlagOrExit(flags, "create-in-flight"));
  const int64_t size_bytes = IntFlagOrExit(flags, "size-mib") << 20;
  const std::string log_level = flags.GetString("log-level");
  const std::map<std::string, std::string> params = flags.GetMap("param");
  const std::vector<std::string> controller_args = flags.GetList("controller-arg");

  PrintHeader("listing: ListVolumes paging through linstor-csi-controller", argc, argv);

  testing::StackOptions o;
  o.backing = "none";
  o.start_node = false;
  o.driver_name = "linstor-cpp.csi.io";
  o.log_level = log_level;
  o.controller_args = controller_args;
  o.dir_prefix = "lcsi-bench-list";
  // linstor-sim holds one of its threads per keep-alive connection (LINSTOR does not): room
  // for this program's connections plus the plugin's pool.
  o.sim_args = {"--threads", "96"};
  auto stack = testing::CsiStack::Start(o);
  if (!stack.ok()) {
    std::fprintf(stderr, "%s\n", stack.status().ToString().c_str());
    return 1;
  }
  const pid_t pid = (*stack)->controller_pid();
  std::this_thread::sleep_for(1s);
  PrintMemory("idle (started, Probe answered, 1 s later)", pid);

  // One volume through the plugin: the template of the rest.
  csi::v1::CreateVolumeRequest req;
  req.set_name(PvcName("list", 0));
  req.mutable_capacity_range()->set_required_bytes(size_bytes);
  auto* cap = req.add_volume_capabilities();
  cap->mutable_mount()->set_fs_type("ext4");
  cap->mutable_access_mode()->set_mode(csi::v1::VolumeCapability::AccessMode::SINGLE_NODE_WRITER);
  for (const auto& [key, value] : params) (*req.mutable_parameters())[key] = value;
  csi::v1::CreateVolumeResponse created;
  {
    auto ctx = testing::Ctx(60s);
    grpc::Status s = (*stack)->controller().CreateVolume(ctx.get(), req, &created);
    if (!s.ok()) {
      std::fprintf(stderr, "CreateVolume: %s\n", s.error_message().c_str());
      return 1;
    }
  }
  DirectLinstor direct((*stack)->sim_url(), create_in_flight);
  auto tmpl = direct.GetResourceDefinition(created.volume().volume_id());
  if (!tmpl.ok()) {
    std::fprintf(stderr, "%s\n", tmpl.status().ToString().c_str());
    return 1;
  }
  const std::string spawn_path = "/v1/resource-groups/" + tmpl->resource_group_name + "/spawn";
  std::atomic<int> failed{0};
  const double create_ms = RunConcurrently(volumes - 1, create_in_flight, [&](int w, int i) {
    const std::string name = PvcName("list", i + 1);
    Reply r = direct.Post(w, spawn_path, SpawnBodyLike(*tmpl, name, name));
    if (r.status != 200 && r.status != 201 && failed++ == 0) {
      std::fprintf(stderr, "spawn %s: HTTP %d %s\n", name.c_str(), r.status, r.body.c_str());
    }
  });
  if (failed > 0) return 1;
  (*stack)->sim().Send("POST", "/admin/v1/flush", "");
  std::printf(
      "created %d volumes (1 through the plugin, %d by direct spawn at %d in flight) in "
      "%.1f s\n",
      volumes, volumes - 1, create_in_flight, create_ms / 1000);
  std::this_thread::sleep_for(1s);
  PrintMemory("idle after the creation (before listing)", pid);

  // What LINSTOR itself answers, for reference: the full lists the plugin may read.
  double linstor_ms = 0;  // the three reads of one listing, best of 3 each
  {
    struct Ref {
      const char* what;
      std::string path;
    };
    std::vector<Ref> refs = {{"GET resource-definitions (owned, with volume definitions)",
                              "/v1/resource-definitions?props=Aux/csi-owner=" + o.driver_name +
                                  "&with_volume_definitions=true"},
                             {"GET view/resources (all)", "/v1/view/resources"},
                             {"GET nodes", "/v1/nodes"}};
    for (const auto& ref : refs) {
      Samples s;
      size_t bytes = 0;
      for (int i = 0; i < 3; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        Reply r = direct.Get(0, ref.path);
        s.Add(MsSince(t0));
        bytes = r.body.size();
      }
      std::printf("LINSTOR reference: %-58s %8.2f MB, best %7.2f ms\n", ref.what,
                  static_cast<double>(bytes) / 1e6, s.Min());
      linstor_ms += s.Min();
    }
  }

  Samples pass_ms;
  double worst_requests_per_page = 0;
  ProcMemory peak;
  for (int pass = 0; pass < passes; ++pass) {
    if (Status s = (*stack)->sim().ResetCounters(); !s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
    MemorySampler sampler(pid, 2ms);
    std::set<std::string> seen;
    Samples page_ms;
    std::string token;
    int pages = 0;
    const auto t0 = std::chrono::steady_clock::now();
    do {
      csi::v1::ListVolumesRequest lr;
      lr.set_max_entries(page);
      lr.set_starting_token(token);
      csi::v1::ListVolumesResponse resp;
      auto ctx = testing::Ctx(120s);
      const auto p0 = std::chrono::steady_clock::now();
      grpc::Status s = (*stack)->controller().ListVolumes(ctx.get(), lr, &resp);
      page_ms.Add(MsSince(p0));
      if (!s.ok()) {
        std::fprintf(stderr, "ListVolumes page %d: %s\n", pages, s.error_message().c_str());
        return 1;
      }
      for (const auto& e : resp.entries()) seen.insert(e.volume().volume_id());
      token = resp.next_token();
      ++pages;
    } while (!token.empty());
    const double total = MsSince(t0);
    ProcMemory p = sampler.Stop();
    peak.rss_anon_kib = std::max(peak.rss_anon_kib, p.rss_anon_kib);
    peak.vm_rss_kib = std::max(peak.vm_rss_kib, p.vm_rss_kib);
    peak.vm_hwm_kib = std::max(peak.vm_hwm_kib, p.vm_hwm_kib);
    peak.threads = std::max(peak.threads, p.threads);
    auto counters = (*stack)->sim().Counters();
    int64_t requests = 0;
    std::string breakdown;
    if (counters.ok()) {
      for (const auto& [k, n] : *counters) {
        requests += n;
        breakdown += " [" + k + "] " + std::to_string(n);
      }
    }
    const double per_page = static_cast<double>(requests) / pages;
    worst_requests_per_page = std::max(worst_requests_per_page, per_page);
    pass_ms.Add(total);
    std::printf("pass %d: %d pages, %zu distinct volumes%s, %.1f ms total; page %s\n", pass + 1,
                pages, seen.size(), static_cast<int>(seen.size()) == volumes ? "" : " (WRONG)",
                total, page_ms.Summary().c_str());
    std::printf("        LINSTOR requests %lld (%.2f per page):%s; controller peak %s\n",
                static_cast<long long>(requests), per_page, breakdown.c_str(),
                p.ToString().c_str());
    std::fflush(stdout);
    if (static_cast<int>(seen.size()) != volumes) return 1;
  }
  std::this_thread::sleep_for(3s);
  PrintMemory("idle after listing (3 s later)", pid);
  std::printf(
      "summary: %d volumes, %d per page: all pages best %.1f ms, median %.1f ms; LINSTOR "
      "requests per page (worst pass) %.2f; controller peak while listing RssAnon %s, "
      "RSS %s\n",
      volumes, page, pass_ms.Min(), pass_ms.Percentile(50), worst_requests_per_page,
      Mib(peak.rss_anon_kib).c_str(), Mib(peak.vm_rss_kib).c_str());
  std::printf(
      "LINSTOR's own time for one full read (reference above): %.1f ms; plugin side of "
      "the median pass (total minus that): %.1f ms\n",
      linstor_ms, pass_ms.Percentile(50) - linstor_ms);
  std::printf("target all pages <= 200 ms (median pass, total as the CO sees it): %.1f ms -> %s\n",
              pass_ms.Percentile(50), pass_ms.Percentile(50) <= 200 ? "met" : "MISSED");
  std::printf("target <= 1 LINSTOR list request per page: %.2f -> %s\n", worst_requests_per_page,
              worst_requests_per_page <= 1.0 ? "met" : "MISSED");
  std::printf("target controller RssAnon <= 24 MiB while listing: %s -> %s\n",
              Mib(peak.rss_anon_kib).c_str(), peak.rss_anon_kib <= 24 * 1024 ? "met" : "MISSED");
  return 0;
}

}  // namespace
}  // namespace lcsi::bench

int main(int argc, char** argv) { return lcsi::bench::RunBenchmark(lcsi::bench::Main, argc, argv); }
