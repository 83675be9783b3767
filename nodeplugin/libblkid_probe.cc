#include "nodeplugin/libblkid_probe.h"

#include <blkid/blkid.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "nodeplugin/zfs_label.h"

namespace lcsi::node {
namespace {

struct ProbeDeleter {
  void operator()(blkid_probe probe) const { blkid_free_probe(probe); }
};
using ProbeHandle = std::unique_ptr<std::remove_pointer_t<blkid_probe>, ProbeDeleter>;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

ProbeResult Ambivalent() {
  ProbeResult ambivalent;
  ambivalent.kind = ProbeResult::Kind::kAmbivalent;
  return ambivalent;
}

// The NAME=value pairs of a successful probe.
std::map<std::string, std::string> ProbeValues(blkid_probe probe) {
  std::map<std::string, std::string> values;
  int count = blkid_probe_numof_values(probe);
  for (int i = 0; i < count; ++i) {
    const char* name = nullptr;
    const char* data = nullptr;
    size_t length = 0;
    if (blkid_probe_get_value(probe, i, &name, &data, &length) != 0 || name == nullptr) {
      continue;
    }
    // `length` counts the terminating NUL of string values.
    std::string text = data == nullptr ? std::string() : std::string(data, strnlen(data, length));
    values.emplace(name, std::move(text));
  }
  return values;
}

}  // namespace

Result<ProbeResult> LibblkidProbe::Probe(const std::string& device) {
  // O_NONBLOCK as blkid does: opening never waits (e.g. for a CD tray); reads still block.
  Fd fd(::open(device.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) {
    int err = errno;
    std::string text = "cannot open " + device + " to probe it: " + std::strerror(err);
    return err == ENOENT ? NotFound(text) : Internal(text);
  }
  ProbeHandle probe(blkid_new_probe());
  if (!probe) return Internal("libblkid: cannot allocate a probe");
  if (blkid_probe_set_device(probe.get(), fd.get(), 0, 0) != 0) {
    return Internal("libblkid cannot probe " + device + " (unreadable or zero size)");
  }
  blkid_probe_enable_superblocks(probe.get(), 1);
  blkid_probe_set_superblocks_flags(probe.get(), BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID |
                                                     BLKID_SUBLKS_TYPE | BLKID_SUBLKS_SECTYPE |
                                                     BLKID_SUBLKS_USAGE | BLKID_SUBLKS_VERSION);
  // ZFS labels are checked by FindZfsLabel below, which reads 4 pages instead of 1 MiB.
  char zfs_member[] = "zfs_member";
  char* without[] = {zfs_member, nullptr};
  if (blkid_probe_filter_superblocks_type(probe.get(), BLKID_FLTR_NOTIN, without) != 0) {
    return Internal("libblkid: cannot filter out the zfs_member prober");
  }
  blkid_probe_enable_partitions(probe.get(), 1);
  blkid_probe_set_partitions_flags(probe.get(), BLKID_PARTS_ENTRY_DETAILS);

  errno = 0;
  int rc = blkid_do_safeprobe(probe.get());
  if (rc == -2) return Ambivalent();
  if (rc != 0 && rc != 1) {
    int err = errno;
    return Internal("libblkid failed to probe " + device +
                    (err != 0 ? std::string(": ") + std::strerror(err) : std::string()));
  }
  auto zfs =
      FindZfsLabel(static_cast<int64_t>(blkid_probe_get_size(probe.get())), PreadReader(fd.get()));
  if (!zfs.ok()) return zfs.status().WithContext("checking " + device + " for ZFS labels");

  if (rc == 1 && !zfs->found) return ProbeResult{};  // nothing found

  std::map<std::string, std::string> values;
  if (rc == 0) values = ProbeValues(probe.get());
  if (zfs->found) {
    // As libblkid's own zfs_member prober would: one more superblock. Two superblocks are
    // ambivalent (blkid_do_safeprobe's rule); beside a partition table, the table wins.
    if (values.count("TYPE") != 0) return Ambivalent();
    values["TYPE"] = kZfsMember;
    values["USAGE"] = "filesystem";
  }
  return ClassifyProbeValues(values);
}

}  // namespace lcsi::node
