#include "nodeplugin/libblkid_probe.h"

#include <blkid/blkid.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

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
  blkid_probe_enable_partitions(probe.get(), 1);
  blkid_probe_set_partitions_flags(probe.get(), BLKID_PARTS_ENTRY_DETAILS);

  errno = 0;
  int rc = blkid_do_safeprobe(probe.get());
  if (rc == 1) return ProbeResult{};  // nothing found
  if (rc == -2) {
    ProbeResult ambivalent;
    ambivalent.kind = ProbeResult::Kind::kAmbivalent;
    return ambivalent;
  }
  if (rc != 0) {
    int err = errno;
    return Internal("libblkid failed to probe " + device +
                    (err != 0 ? std::string(": ") + std::strerror(err) : std::string()));
  }
  std::map<std::string, std::string> values;
  int count = blkid_probe_numof_values(probe.get());
  for (int i = 0; i < count; ++i) {
    const char* name = nullptr;
    const char* data = nullptr;
    size_t length = 0;
    if (blkid_probe_get_value(probe.get(), i, &name, &data, &length) != 0 || name == nullptr) {
      continue;
    }
    // `length` counts the terminating NUL of string values.
    std::string text = data == nullptr ? std::string() : std::string(data, strnlen(data, length));
    values.emplace(name, std::move(text));
  }
  return ClassifyProbeValues(values);
}

}  // namespace lcsi::node
