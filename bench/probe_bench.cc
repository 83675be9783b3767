// bench_probe (root: loop devices): the node plugin's signature probe of a fresh, blank device,
// which NodeStageVolume runs before it formats anything. Each of --devices fresh sparse loop
// devices (cold page cache, as a new DRBD device) is probed once, in turn by
//   - the plugin's LibblkidProbe (nodeplugin/libblkid_probe.cc: libblkid in process without its
//     zfs_member prober, plus the plugin's own ZFS label check, nodeplugin/zfs_label.cc),
//   - the previous plugin probe: libblkid with every prober, zfs_member included (in util-linux
//     2.38 it reads four whole 256 KiB ZFS labels to scan their uberblock rings),
//   - libblkid without zfs_member and without any ZFS check: not something the plugin may do (it
//     would miss ZFS labels), only the floor that shows what the plugin's own check costs,
// and the latencies of all three are printed. Every loop device and file is released at the end,
// also on failure.
#include <blkid/blkid.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "base/flags_main.h"
#include "bench/bench_util.h"
#include "linstor-sim/loop_device.h"
#include "nodeplugin/libblkid_probe.h"

namespace lcsi::bench {
namespace {

FlagSet MakeFlags() {
  FlagSet flags("bench_probe",
                "The node plugin's signature probe of fresh blank loop devices next to libblkid's\n"
                "full probe. Needs root.");
  flags.Add({.name = "devices",
             .help = "Fresh loop devices, each probed once.",
             .value_name = "N",
             .def = "60"});
  flags.Add({.name = "size-mib", .help = "Device size.", .value_name = "MIB", .def = "256"});
  return flags;
}

enum class Variant { kPrevious, kWithoutZfs };

// The plugin's libblkid probe (same flags, same safe probe), with or without zfs_member, and
// without the plugin's ZFS label check.
int VariantProbe(const std::string& device, Variant variant) {
  int fd = ::open(device.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return -1;
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
  FlagSet flags = MakeFlags();
  ParseFlagsOrExit(flags, argc, argv);
  const int count = static_cast<int>(IntFlagOrExit(flags, "devices"));
  const int64_t bytes = IntFlagOrExit(flags, "size-mib") << 20;
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
  Samples plugin_ms, previous_ms, without_zfs_ms;
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
      const Variant variant = i % 3 == 1 ? Variant::kPrevious : Variant::kWithoutZfs;
      int rc = VariantProbe(device, variant);
      (variant == Variant::kPrevious ? previous_ms : without_zfs_ms).Add(MsSince(t0));
      if (rc != 1) {
        std::fprintf(stderr, "variant probe of %s: rc %d, not blank\n", device.c_str(), rc);
        return 1;
      }
    }
  }
  std::printf("plugin probe (libblkid + own ZFS label check): %s\n", plugin_ms.Summary().c_str());
  std::printf("previous probe (libblkid with zfs_member):     %s\n", previous_ms.Summary().c_str());
  std::printf("libblkid without zfs_member, no ZFS check:     %s\n",
              without_zfs_ms.Summary().c_str());
  std::printf("p50 plugin / previous: %.3fx\n",
              plugin_ms.Percentile(50) / previous_ms.Percentile(50));
  std::printf("p50 plugin - no ZFS check: %+.3f ms (what the plugin's ZFS label check costs)\n",
              plugin_ms.Percentile(50) - without_zfs_ms.Percentile(50));
  return 0;
}

}  // namespace
}  // namespace lcsi::bench

int main(int argc, char** argv) { return lcsi::bench::RunBenchmark(lcsi::bench::Main, argc, argv); }
