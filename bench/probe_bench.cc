// bench_probe (root: loop devices): the node plugin's signature probe of a fresh, blank device,
// which NodeStageVolume runs before it formats anything. Each of --devices fresh sparse loop
// devices (cold page cache, as a new DRBD device) is probed once, alternately by
//   - the plugin's LibblkidProbe (nodeplugin/libblkid_probe.cc: libblkid in process), and
//   - the same libblkid probe after asking the kernel for the first and last 512 KiB at once
//     (POSIX_FADV_WILLNEED; the ranges libblkid's ZFS label reads cover), a variant tried in
//     issue 13: it helped on a busy machine and cost on a quieter one (docs/benchmarks.md),
//   - the same libblkid probe with the zfs_member prober filtered out: not something the plugin
//     may do (it would miss ZFS labels), only a measure of what libblkid's ZFS label scan (four
//     256 KiB label reads) costs of the whole probe,
// and the latencies of all three are printed. Every loop device and file is released at the end,
// also on failure.
#include <blkid/blkid.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "linstor-sim/loop_device.h"
#include "nodeplugin/libblkid_probe.h"

namespace lcsi::bench {
namespace {

constexpr char kUsage[] = "usage: bench_probe [--devices 60] [--size-mib 256]\n";

enum class Variant { kPrefetched, kWithoutZfs };

// The plugin's probe (same flags, same safe probe), changed as `variant` says.
int VariantProbe(const std::string& device, Variant variant) {
  int fd = ::open(device.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return -1;
  constexpr off_t kSpan = 512 * 1024;
  const off_t size = ::lseek(fd, 0, SEEK_END);
  if (variant == Variant::kPrefetched && size > kSpan) {
    (void)::posix_fadvise(fd, 0, kSpan, POSIX_FADV_WILLNEED);
    (void)::posix_fadvise(fd, size - kSpan, kSpan, POSIX_FADV_WILLNEED);
  }
  (void)::lseek(fd, 0, SEEK_SET);
  blkid_probe probe = blkid_new_probe();
  int rc = -1;
  if (probe != nullptr && blkid_probe_set_device(probe, fd, 0, 0) == 0) {
    blkid_probe_enable_superblocks(probe, 1);
    blkid_probe_set_superblocks_flags(probe, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID |
                                                 BLKID_SUBLKS_TYPE | BLKID_SUBLKS_SECTYPE |
                                                 BLKID_SUBLKS_USAGE | BLKID_SUBLKS_VERSION);
    if (variant == Variant::kWithoutZfs) {
      char zfs[] = "zfs_member";
      char* names[] = {zfs, nullptr};
      blkid_probe_filter_superblocks_type(probe, BLKID_FLTR_NOTIN, names);
    }
    blkid_probe_enable_partitions(probe, 1);
    blkid_probe_set_partitions_flags(probe, BLKID_PARTS_ENTRY_DETAILS);
    rc = blkid_do_safeprobe(probe);
  }
  if (probe != nullptr) blkid_free_probe(probe);
  ::close(fd);
  return rc;
}

// Sparse files on loop devices in a temp dir; all detached and removed when destroyed.
class Devices {
 public:
  ~Devices() {
    for (const auto& d : devices_) (void)sim::DetachLoop(d);
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  Status Create(int count, int64_t bytes) {
    char tmpl[] = "/tmp/lcsi-bench-probe-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return Internal("mkdtemp failed");
    dir_ = tmpl;
    for (int i = 0; i < count; ++i) {
      const std::string file = dir_ + "/dev" + std::to_string(i);
      LCSI_RETURN_IF_ERROR(sim::CreateSparseFile(file, bytes));
      auto device = sim::AttachLoop(file);
      if (!device.ok()) return device.status();
      devices_.push_back(*device);
    }
    return Status::Ok();
  }
  const std::vector<std::string>& list() const { return devices_; }

 private:
  std::string dir_;
  std::vector<std::string> devices_;
};

int Main(int argc, char** argv) {
  Args args(argc, argv);
  const int count = static_cast<int>(args.Int("devices", 60));
  const int64_t bytes = args.Int("size-mib", 256) << 20;
  args.Check(kUsage);
  PrintHeader("signature probe of fresh blank devices", argc, argv);
  if (geteuid() != 0) {
    std::fprintf(stderr, "bench_probe needs root (loop devices)\n");
    return 2;
  }
  Devices devices;
  if (Status s = devices.Create(count, bytes); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  node::LibblkidProbe plugin_probe;
  Samples plugin_ms, prefetched_ms, without_zfs_ms;
  for (size_t i = 0; i < devices.list().size(); ++i) {
    const std::string& device = devices.list()[i];
    const auto t0 = std::chrono::steady_clock::now();
    if (i % 3 == 0) {
      auto result = plugin_probe.Probe(device);
      plugin_ms.Add(MsSince(t0));
      if (!result.ok() || result->kind != node::ProbeResult::Kind::kBlank) {
        std::fprintf(stderr, "plugin probe of %s: not blank\n", device.c_str());
        return 1;
      }
    } else {
      const Variant variant = i % 3 == 1 ? Variant::kPrefetched : Variant::kWithoutZfs;
      int rc = VariantProbe(device, variant);
      (variant == Variant::kPrefetched ? prefetched_ms : without_zfs_ms).Add(MsSince(t0));
      if (rc != 1) {
        std::fprintf(stderr, "variant probe of %s: rc %d, not blank\n", device.c_str(), rc);
        return 1;
      }
    }
  }
  std::printf("plugin probe (libblkid in process): %s\n", plugin_ms.Summary().c_str());
  std::printf("same after a head/tail prefetch:    %s\n", prefetched_ms.Summary().c_str());
  std::printf("same without the ZFS label scan:    %s\n", without_zfs_ms.Summary().c_str());
  std::printf("p50 prefetched / plugin: %.3fx\n",
              prefetched_ms.Percentile(50) / plugin_ms.Percentile(50));
  std::printf("p50 without ZFS scan / plugin: %.3fx (not an option: measures the scan's share)\n",
              without_zfs_ms.Percentile(50) / plugin_ms.Percentile(50));
  return 0;
}

}  // namespace
}  // namespace lcsi::bench

int main(int argc, char** argv) { return lcsi::bench::RunBenchmark(lcsi::bench::Main, argc, argv); }
