// bench_node (root: loop devices and mounts): the node path in loop mode and the node plugin's
// memory, against linstor-sim with --backing=loop, linstor-csi-controller and linstor-csi-node
// (processes, unix sockets).
//
//  1. NodeStageVolume + NodePublishVolume of a blank volume (libblkid probe, mkfs.ext4, mount,
//     bind mount inside the plugin) vs the same mkfs.ext4 + mount + bind mount done by this
//     program on another blank volume of the same size; alternating order, medians.
//  2. Node plugin memory (RssAnon, total RSS): idle after start, then during and after
//     --cycles stage/publish/unpublish/unstage cycles of one volume (a leak shows as growth).
// Everything it mounts is unmounted and every volume deleted, also on failure.
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/flags_main.h"
#include "bench/bench_util.h"
#include "test/conformance/csi_stack.h"

namespace lcsi::bench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

FlagSet MakeFlags() {
  FlagSet flags(
      "bench_node",
      "NodeStageVolume+NodePublishVolume (loop mode) next to mkfs and mount by hand, and\n"
      "the node plugin's memory over stage/publish cycles. Needs root.");
  flags.Add({.name = "iterations",
             .help = "Timed stage+publish of fresh volumes.",
             .value_name = "N",
             .def = "10"});
  flags.Add({.name = "cycles",
             .help = "Stage/publish/unpublish/unstage cycles of one volume.",
             .value_name = "N",
             .def = "100"});
  flags.Add({.name = "size-mib", .help = "Volume size.", .value_name = "MIB", .def = "256"});
  AddLogLevelFlag(flags);
  flags.Add({.name = "node-bin",
             .help = "Another linstor-csi-node build, for A/B runs.",
             .value_name = "PATH",
             .def = LCSI_NODE_BIN});
  return flags;
}

// Unmounts (lazily) every mount point below `dir`, deepest first, when destroyed: nothing this
// benchmark or the plugin mounted stays behind, whatever failed.
class MountSweeper {
 public:
  explicit MountSweeper(std::string dir) : dir_(std::move(dir)) {}
  ~MountSweeper() { Sweep(); }
  void Sweep() {
    if (dir_.empty()) return;
    std::vector<std::string> points;
    std::ifstream in("/proc/self/mountinfo");
    for (std::string line; std::getline(in, line);) {
      std::istringstream words(line);
      std::string id, parent, devno, root, point;
      words >> id >> parent >> devno >> root >> point;
      if (point.rfind(dir_ + "/", 0) == 0) points.push_back(point);
    }
    std::sort(points.begin(), points.end(),
              [](const auto& a, const auto& b) { return a.size() > b.size(); });
    for (const auto& p : points) umount2(p.c_str(), MNT_DETACH);
  }

 private:
  std::string dir_;
};

csi::v1::VolumeCapability MountCap() {
  csi::v1::VolumeCapability cap;
  cap.mutable_mount()->set_fs_type("ext4");
  cap.mutable_access_mode()->set_mode(csi::v1::VolumeCapability::AccessMode::SINGLE_NODE_WRITER);
  return cap;
}

struct Volume {
  std::string id;
  std::map<std::string, std::string> context;  // publish_context
  std::string device;
};

class NodeBench {
 public:
  NodeBench(testing::CsiStack& stack, int64_t size_bytes) : stack_(stack), size_(size_bytes) {}

  Status Init() {
    csi::v1::NodeGetInfoResponse info;
    auto ctx = testing::Ctx(30s);
    grpc::Status s = stack_.node().NodeGetInfo(ctx.get(), {}, &info);
    if (!s.ok()) return Internal("NodeGetInfo: " + s.error_message());
    node_id_ = info.node_id();
    return Status::Ok();
  }

  // The gRPC round trip with nothing to do: NodeGetCapabilities, `pause` apart.
  Result<Samples> TrivialCalls(int count, std::chrono::milliseconds pause) {
    Samples ms;
    for (int i = 0; i < count; ++i) {
      std::this_thread::sleep_for(pause);
      csi::v1::NodeGetCapabilitiesResponse caps;
      auto ctx = testing::Ctx(10s);
      const auto t0 = std::chrono::steady_clock::now();
      grpc::Status s = stack_.node().NodeGetCapabilities(ctx.get(), {}, &caps);
      if (!s.ok()) return Internal("NodeGetCapabilities: " + s.error_message());
      ms.Add(MsSince(t0));
    }
    return ms;
  }

  // CreateVolume + ControllerPublishVolume to this node.
  Result<Volume> NewVolume(const std::string& name) {
    Volume v;
    csi::v1::CreateVolumeRequest req;
    req.set_name(name);
    req.mutable_capacity_range()->set_required_bytes(size_);
    *req.add_volume_capabilities() = MountCap();
    csi::v1::CreateVolumeResponse created;
    auto ctx = testing::Ctx(60s);
    grpc::Status s = stack_.controller().CreateVolume(ctx.get(), req, &created);
    if (!s.ok()) return Internal("CreateVolume: " + s.error_message());
    v.id = created.volume().volume_id();
    volumes_.push_back(v.id);
    csi::v1::ControllerPublishVolumeRequest pub;
    pub.set_volume_id(v.id);
    pub.set_node_id(node_id_);
    *pub.mutable_volume_capability() = MountCap();
    csi::v1::ControllerPublishVolumeResponse published;
    auto ctx2 = testing::Ctx(60s);
    s = stack_.controller().ControllerPublishVolume(ctx2.get(), pub, &published);
    if (!s.ok()) return Internal("ControllerPublishVolume: " + s.error_message());
    v.context.insert(published.publish_context().begin(), published.publish_context().end());
    v.device = v.context["devicePath"];
    if (v.device.empty()) return Internal("publish_context has no devicePath");
    return v;
  }

  Status DeleteVolume(const std::string& id) {
    csi::v1::ControllerUnpublishVolumeRequest unpub;
    unpub.set_volume_id(id);
    unpub.set_node_id(node_id_);
    csi::v1::ControllerUnpublishVolumeResponse r1;
    auto ctx = testing::Ctx(60s);
    grpc::Status s = stack_.controller().ControllerUnpublishVolume(ctx.get(), unpub, &r1);
    if (!s.ok()) return Internal("ControllerUnpublishVolume: " + s.error_message());
    csi::v1::DeleteVolumeRequest del;
    del.set_volume_id(id);
    csi::v1::DeleteVolumeResponse r2;
    auto ctx2 = testing::Ctx(60s);
    s = stack_.controller().DeleteVolume(ctx2.get(), del, &r2);
    if (!s.ok()) return Internal("DeleteVolume: " + s.error_message());
    volumes_.erase(std::remove(volumes_.begin(), volumes_.end(), id), volumes_.end());
    return Status::Ok();
  }

  // Best effort at the end: volumes a failure left behind.
  void DeleteRemaining() {
    auto left = volumes_;
    for (const auto& id : left) (void)DeleteVolume(id);
  }

  std::string Staging(const std::string& id) {
    std::string p = stack_.kubelet_dir() + "/plugins/staging/" + id;
    fs::create_directories(p);
    return p;
  }
  std::string Target(const std::string& id) {
    // As kubelet does for a mount volume: the target directory exists.
    std::string target = stack_.kubelet_dir() + "/pods/pod-" + id + "/volumes/mount";
    fs::create_directories(target);
    return target;
  }

  Status Stage(const Volume& v) {
    csi::v1::NodeStageVolumeRequest req;
    req.set_volume_id(v.id);
    req.set_staging_target_path(Staging(v.id));
    *req.mutable_volume_capability() = MountCap();
    req.mutable_publish_context()->insert(v.context.begin(), v.context.end());
    csi::v1::NodeStageVolumeResponse r;
    auto ctx = testing::Ctx(120s);
    grpc::Status s = stack_.node().NodeStageVolume(ctx.get(), req, &r);
    return s.ok() ? Status::Ok() : Internal("NodeStageVolume: " + s.error_message());
  }
  Status Publish(const Volume& v) {
    csi::v1::NodePublishVolumeRequest req;
    req.set_volume_id(v.id);
    req.set_staging_target_path(Staging(v.id));
    req.set_target_path(Target(v.id));
    *req.mutable_volume_capability() = MountCap();
    req.mutable_publish_context()->insert(v.context.begin(), v.context.end());
    csi::v1::NodePublishVolumeResponse r;
    auto ctx = testing::Ctx(60s);
    grpc::Status s = stack_.node().NodePublishVolume(ctx.get(), req, &r);
    return s.ok() ? Status::Ok() : Internal("NodePublishVolume: " + s.error_message());
  }
  Status Unpublish(const Volume& v) {
    csi::v1::NodeUnpublishVolumeRequest req;
    req.set_volume_id(v.id);
    req.set_target_path(Target(v.id));
    csi::v1::NodeUnpublishVolumeResponse r;
    auto ctx = testing::Ctx(60s);
    grpc::Status s = stack_.node().NodeUnpublishVolume(ctx.get(), req, &r);
    return s.ok() ? Status::Ok() : Internal("NodeUnpublishVolume: " + s.error_message());
  }
  Status Unstage(const Volume& v) {
    csi::v1::NodeUnstageVolumeRequest req;
    req.set_volume_id(v.id);
    req.set_staging_target_path(Staging(v.id));
    csi::v1::NodeUnstageVolumeResponse r;
    auto ctx = testing::Ctx(60s);
    grpc::Status s = stack_.node().NodeUnstageVolume(ctx.get(), req, &r);
    return s.ok() ? Status::Ok() : Internal("NodeUnstageVolume: " + s.error_message());
  }

  // The same work by hand: mkfs.ext4 <device> (as the plugin runs it), mount, bind mount.
  Status ByHand(const Volume& v) {
    const std::string staging = Staging(v.id), target = Target(v.id);
    auto t0 = std::chrono::steady_clock::now();
    if (int rc = RunProgram({"/usr/sbin/mkfs.ext4", v.device}); rc != 0) {
      return Internal("mkfs.ext4 exited with " + std::to_string(rc));
    }
    hand_mkfs_ms_.Add(MsSince(t0));
    t0 = std::chrono::steady_clock::now();
    if (::mount(v.device.c_str(), staging.c_str(), "ext4", 0, nullptr) != 0) {
      return Internal("mount " + v.device + ": " + std::strerror(errno));
    }
    hand_mount_ms_.Add(MsSince(t0));
    t0 = std::chrono::steady_clock::now();
    if (::mount(staging.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0) {
      return Internal("bind mount: " + std::string(std::strerror(errno)));
    }
    hand_bind_ms_.Add(MsSince(t0));
    return Status::Ok();
  }
  const Samples& hand_mkfs_ms() const { return hand_mkfs_ms_; }
  const Samples& hand_mount_ms() const { return hand_mount_ms_; }
  const Samples& hand_bind_ms() const { return hand_bind_ms_; }
  Status UndoByHand(const Volume& v) {
    if (umount2(Target(v.id).c_str(), 0) != 0 || umount2(Staging(v.id).c_str(), 0) != 0) {
      return Internal("umount: " + std::string(std::strerror(errno)));
    }
    return Status::Ok();
  }

 private:
  testing::CsiStack& stack_;
  int64_t size_;
  std::string node_id_;
  std::vector<std::string> volumes_;
  Samples hand_mkfs_ms_, hand_mount_ms_, hand_bind_ms_;
};

#define BENCH_CHECK(expr)                                             \
  do {                                                                \
    if (Status _s = (expr); !_s.ok()) {                               \
      std::fprintf(stderr, "%s: %s\n", #expr, _s.ToString().c_str()); \
      return 1;                                                       \
    }                                                                 \
  } while (0)

// The value of one series ("name{labels}") in Prometheus text; 0 when absent.
double SeriesValue(const std::string& text, const std::string& series) {
  size_t at = text.rfind("\n" + series + " ");
  if (at == std::string::npos) return 0;
  return std::strtod(text.c_str() + at + series.size() + 2, nullptr);
}

// Mean of a histogram series in milliseconds; 0 when it has no observations.
double MeanMs(const std::string& metrics, const std::string& name, const std::string& labels) {
  double count = SeriesValue(metrics, name + "_count{" + labels + "}");
  return count == 0 ? 0 : SeriesValue(metrics, name + "_sum{" + labels + "}") / count * 1000;
}

// The plugin's side split into its stage steps (the node's own histograms) and the rest, next to
// the same work by hand. Means, since the node's histograms keep only sums and counts.
void PrintWhereTheTimeGoes(const std::string& metrics, const Samples& stage_ms,
                           const Samples& publish_ms, NodeBench& bench) {
  const std::string steps = "lcsi_node_stage_step_seconds", rpcs = "lcsi_rpc_duration_seconds";
  const double stage_in_plugin = MeanMs(metrics, rpcs, "method=\"NodeStageVolume\"");
  const double publish_in_plugin = MeanMs(metrics, rpcs, "method=\"NodePublishVolume\"");
  std::printf("where the time goes (means, ms):\n");
  std::printf("  NodeStageVolume   %6.3f at the client, %6.3f in the plugin\n", stage_ms.Mean(),
              stage_in_plugin);
  double in_steps = 0;
  for (const char* step : {"replica_wait", "device_wait", "probe", "mkfs.ext4", "mount"}) {
    double ms = MeanMs(metrics, steps, "step=\"" + std::string(step) + "\"");
    in_steps += ms;
    std::printf("    %-14s %6.3f\n", step, ms);
  }
  std::printf("    %-14s %6.3f  (checks, stage record, logs)\n", "other",
              stage_in_plugin - in_steps);
  std::printf("  NodePublishVolume %6.3f at the client, %6.3f in the plugin\n", publish_ms.Mean(),
              publish_in_plugin);
  std::printf("  gRPC and hand-offs of both calls: %.3f\n",
              stage_ms.Mean() + publish_ms.Mean() - stage_in_plugin - publish_in_plugin);
  // Both sides' threads sleep through a 10 ms call; waking them is part of the round trip.
  for (auto pause : {0ms, 10ms}) {
    if (auto trivial = bench.TrivialCalls(100, pause); trivial.ok()) {
      std::printf("  (a NodeGetCapabilities round trip, %2lld ms apart: %s)\n",
                  static_cast<long long>(pause.count()), trivial->Summary().c_str());
    }
  }
  std::printf("  by hand: mkfs.ext4 %.3f, mount %.3f, bind mount %.3f\n",
              bench.hand_mkfs_ms().Mean(), bench.hand_mount_ms().Mean(),
              bench.hand_bind_ms().Mean());
}

int Main(int argc, char** argv) {
  FlagSet flags = MakeFlags();
  ParseFlagsOrExit(flags, argc, argv);
  const int iterations = static_cast<int>(IntFlagOrExit(flags, "iterations"));
  const int cycles = static_cast<int>(IntFlagOrExit(flags, "cycles"));
  const int64_t size_bytes = IntFlagOrExit(flags, "size-mib") << 20;
  const std::string log_level = flags.GetString("log-level");
  const std::string node_bin = flags.GetString("node-bin");
  PrintHeader("node path (loop mode) and node plugin memory", argc, argv);
  if (geteuid() != 0) {
    std::fprintf(stderr, "bench_node needs root (loop devices, mounts)\n");
    return 2;
  }

  testing::StackOptions o;
  o.backing = "loop";
  o.driver_name = "linstor-cpp.csi.io";
  o.log_level = log_level;
  o.node_bin = node_bin;
  o.dir_prefix = "lcsi-bench-node";
  o.node_metrics = true;  // the stage steps' times (lcsi_node_stage_step_seconds)
  auto stack = testing::CsiStack::Start(o);
  if (!stack.ok()) {
    std::fprintf(stderr, "%s\n", stack.status().ToString().c_str());
    return 1;
  }
  // Destroyed before the stack: mounts go first, then the processes and loop devices.
  MountSweeper sweeper((*stack)->dir());
  NodeBench bench(**stack, size_bytes);
  struct Cleanup {
    NodeBench& b;
    MountSweeper& s;
    ~Cleanup() {
      s.Sweep();
      b.DeleteRemaining();
    }
  } cleanup{bench, sweeper};
  BENCH_CHECK(bench.Init());
  const pid_t node_pid = (*stack)->node_pid();

  std::this_thread::sleep_for(1s);
  auto idle = ReadProcMemory(node_pid);
  if (idle.ok())
    std::printf("node memory idle (started, 1 s later): %s\n", idle->ToString().c_str());

  // 1. Stage + publish vs by hand.
  Samples plugin_ms, hand_ms, blkid_ms, stage_ms, publish_ms;
  // Per iteration plugin / by hand: both ran back to back, so a load change hits both sides.
  Samples pair_ratio;
  for (int i = 0; i < iterations; ++i) {
    auto p = bench.NewVolume(PvcName("node-plugin", i));
    auto h = bench.NewVolume(PvcName("node-hand", i));
    if (!p.ok() || !h.ok()) {
      std::fprintf(stderr, "%s\n", (p.ok() ? h.status() : p.status()).ToString().c_str());
      return 1;
    }
    auto run_plugin = [&]() -> Status {
      const auto t0 = std::chrono::steady_clock::now();
      LCSI_RETURN_IF_ERROR(bench.Stage(*p));
      stage_ms.Add(MsSince(t0));
      const auto t1 = std::chrono::steady_clock::now();
      LCSI_RETURN_IF_ERROR(bench.Publish(*p));
      publish_ms.Add(MsSince(t1));
      plugin_ms.Add(MsSince(t0));
      return Status::Ok();
    };
    auto run_hand = [&]() -> Status {
      // What an exec'd `blkid -p` would add (the plugin probes in process with libblkid now);
      // timed on its own, not part of "by hand".
      const auto b0 = std::chrono::steady_clock::now();
      RunProgram({"/usr/sbin/blkid", "-p", "-o", "export", h->device});
      blkid_ms.Add(MsSince(b0));
      const auto t0 = std::chrono::steady_clock::now();
      LCSI_RETURN_IF_ERROR(bench.ByHand(*h));
      hand_ms.Add(MsSince(t0));
      return Status::Ok();
    };
    if (i % 2 == 0) {
      BENCH_CHECK(run_plugin());
      BENCH_CHECK(run_hand());
    } else {
      BENCH_CHECK(run_hand());
      BENCH_CHECK(run_plugin());
    }
    pair_ratio.Add(plugin_ms.Last() / hand_ms.Last());
    BENCH_CHECK(bench.Unpublish(*p));
    BENCH_CHECK(bench.Unstage(*p));
    BENCH_CHECK(bench.UndoByHand(*h));
    BENCH_CHECK(bench.DeleteVolume(p->id));
    BENCH_CHECK(bench.DeleteVolume(h->id));
  }
  const double ratio = plugin_ms.Percentile(50) / hand_ms.Percentile(50);
  std::printf("NodeStage+NodePublish (blank %lld MiB, ext4): %s\n",
              static_cast<long long>(size_bytes >> 20), plugin_ms.Summary().c_str());
  std::printf("by hand mkfs.ext4 + mount + bind mount:       %s\n", hand_ms.Summary().c_str());
  std::printf("(blkid -p exec alone, which the plugin saves: %s)\n", blkid_ms.Summary().c_str());
  std::printf("target stage+publish <= 1.10x by hand (p50): %.3fx -> %s\n", ratio,
              ratio <= 1.10 ? "met" : "MISSED");
  std::printf("paired ratio (plugin / by hand, same iteration): p25 %.3f p50 %.3f p75 %.3f\n",
              pair_ratio.Percentile(25), pair_ratio.Percentile(50), pair_ratio.Percentile(75));
  // Read before the cycles below stage the same steps again.
  auto metrics = (*stack)->NodeMetrics();
  if (metrics.ok()) {
    PrintWhereTheTimeGoes(*metrics, stage_ms, publish_ms, bench);
  } else {
    std::fprintf(stderr, "no step times: %s\n", metrics.status().ToString().c_str());
  }
  std::fflush(stdout);

  // 2. Memory over stage/publish cycles of one volume (the first stage formats it).
  auto v = bench.NewVolume(PvcName("node-cycles", 0));
  if (!v.ok()) {
    std::fprintf(stderr, "%s\n", v.status().ToString().c_str());
    return 1;
  }
  auto before = ReadProcMemory(node_pid);
  if (before.ok()) std::printf("node memory before the cycles: %s\n", before->ToString().c_str());
  Samples cycle_ms;
  std::map<int, ProcMemory> at;
  for (int c = 1; c <= cycles; ++c) {
    const auto t0 = std::chrono::steady_clock::now();
    BENCH_CHECK(bench.Stage(*v));
    BENCH_CHECK(bench.Publish(*v));
    BENCH_CHECK(bench.Unpublish(*v));
    BENCH_CHECK(bench.Unstage(*v));
    cycle_ms.Add(MsSince(t0));
    if (c == 1 || c == 10 || c == cycles / 2 || c == cycles) {
      auto m = ReadProcMemory(node_pid);
      if (m.ok()) at[c] = *m;
    }
  }
  BENCH_CHECK(bench.DeleteVolume(v->id));
  for (const auto& [c, m] : at)
    std::printf("node memory after cycle %3d: %s\n", c, m.ToString().c_str());
  std::printf("cycle (stage+publish+unpublish+unstage): %s\n", cycle_ms.Summary().c_str());
  std::this_thread::sleep_for(3s);
  auto after = ReadProcMemory(node_pid);
  if (after.ok())
    std::printf("node memory idle after the cycles (3 s later): %s\n", after->ToString().c_str());
  if (idle.ok() && after.ok() && !at.empty()) {
    const int64_t growth = at.rbegin()->second.rss_anon_kib - at.begin()->second.rss_anon_kib;
    std::printf("target node RssAnon <= 4 MiB idle: %s -> %s\n", Mib(idle->rss_anon_kib).c_str(),
                idle->rss_anon_kib <= 4096 ? "met" : "MISSED");
    std::printf(
        "target node RssAnon <= 4 MiB after %d cycles: %s -> %s; growth from cycle 1 to "
        "%d: %lld KiB\n",
        cycles, Mib(after->rss_anon_kib).c_str(), after->rss_anon_kib <= 4096 ? "met" : "MISSED",
        cycles, static_cast<long long>(growth));
  }
  return 0;
}

}  // namespace
}  // namespace lcsi::bench

int main(int argc, char** argv) { return lcsi::bench::RunBenchmark(lcsi::bench::Main, argc, argv); }
