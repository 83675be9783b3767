#include "linstor-sim/loop_device.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace lcsi::sim {
namespace {

// Closes an fd on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

int OpenLoopNode(int index) {
  const std::string path = "/dev/loop" + std::to_string(index);
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    // No devtmpfs node (some containers): create it.
    ::mknod(path.c_str(), S_IFBLK | 0660, makedev(7, static_cast<unsigned>(index)));
    fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  }
  return fd;
}

}  // namespace

Result<std::string> AttachLoop(const std::string& file) {
  Fd ctl(::open("/dev/loop-control", O_RDWR | O_CLOEXEC));
  if (!ctl.ok()) return Internal(Errno("open /dev/loop-control"));
  Fd backing(::open(file.c_str(), O_RDWR | O_CLOEXEC));
  if (!backing.ok()) return Internal(Errno("open " + file));
  for (int attempt = 0; attempt < 64; ++attempt) {
    const int index = ::ioctl(ctl.get(), LOOP_CTL_GET_FREE);
    if (index < 0) return Internal(Errno("LOOP_CTL_GET_FREE"));
    Fd dev(OpenLoopNode(index));
    if (!dev.ok()) return Internal(Errno("open /dev/loop" + std::to_string(index)));
    const std::string path = "/dev/loop" + std::to_string(index);

    loop_config config{};
    config.fd = static_cast<uint32_t>(backing.get());
    std::strncpy(reinterpret_cast<char*>(config.info.lo_file_name), file.c_str(), LO_NAME_SIZE - 1);
    if (::ioctl(dev.get(), LOOP_CONFIGURE, &config) == 0) return path;
    if (errno == EBUSY) continue;  // raced with another user of the free device
    if (errno != EINVAL && errno != ENOTTY) return Internal(Errno("LOOP_CONFIGURE " + path));

    // Kernels before 5.8: two-step attach.
    if (::ioctl(dev.get(), LOOP_SET_FD, backing.get()) != 0) {
      if (errno == EBUSY) continue;
      return Internal(Errno("LOOP_SET_FD " + path));
    }
    loop_info64 info{};
    std::strncpy(reinterpret_cast<char*>(info.lo_file_name), file.c_str(), LO_NAME_SIZE - 1);
    if (::ioctl(dev.get(), LOOP_SET_STATUS64, &info) != 0) {
      const std::string err = Errno("LOOP_SET_STATUS64 " + path);
      ::ioctl(dev.get(), LOOP_CLR_FD, 0);
      return Internal(err);
    }
    return path;
  }
  return Internal("no free loop device after 64 attempts");
}

Status DetachLoop(const std::string& device) {
  Fd dev(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
  if (!dev.ok()) return Internal(Errno("open " + device));
  if (::ioctl(dev.get(), LOOP_CLR_FD, 0) != 0 && errno != ENXIO) {
    return Internal(Errno("LOOP_CLR_FD " + device));
  }
  return Status::Ok();
}

Status KeepLoopAttached(const std::string& device) {
  Fd dev(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
  if (!dev.ok()) return Internal(Errno("open " + device));
  loop_info64 info{};
  if (::ioctl(dev.get(), LOOP_GET_STATUS64, &info) != 0) {
    return Internal(Errno("LOOP_GET_STATUS64 " + device));
  }
  if ((info.lo_flags & LO_FLAGS_AUTOCLEAR) == 0) return Status::Ok();
  info.lo_flags &= ~static_cast<uint32_t>(LO_FLAGS_AUTOCLEAR);
  if (::ioctl(dev.get(), LOOP_SET_STATUS64, &info) != 0) {
    return Internal(Errno("LOOP_SET_STATUS64 " + device));
  }
  return Status::Ok();
}

Status RefreshLoopCapacity(const std::string& device) {
  Fd dev(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
  if (!dev.ok()) return Internal(Errno("open " + device));
  if (::ioctl(dev.get(), LOOP_SET_CAPACITY, 0) != 0) {
    return Internal(Errno("LOOP_SET_CAPACITY " + device));
  }
  return Status::Ok();
}

Status FlushLoop(const std::string& device) {
  Fd dev(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
  if (!dev.ok()) return Internal(Errno("open " + device));
  if (::fsync(dev.get()) != 0) return Internal(Errno("fsync " + device));
  return Status::Ok();
}

Status InvalidateLoopCache(const std::string& device) {
  Fd dev(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
  if (!dev.ok()) return Internal(Errno("open " + device));
  ::fsync(dev.get());
  if (::ioctl(dev.get(), BLKFLSBUF, 0) != 0) return Internal(Errno("BLKFLSBUF " + device));
  return Status::Ok();
}

std::string LoopBackingFile(const std::string& device) {
  const auto slash = device.rfind('/');
  const std::string name = device.substr(slash == std::string::npos ? 0 : slash + 1);
  std::ifstream in("/sys/block/" + name + "/loop/backing_file");
  std::string line;
  if (!in || !std::getline(in, line)) return "";
  constexpr std::string_view kDeleted = " (deleted)";
  if (line.size() > kDeleted.size() &&
      line.compare(line.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0) {
    line.resize(line.size() - kDeleted.size());
  }
  return line;
}

std::vector<std::string> LoopDevicesUnder(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir("/sys/block");
  if (d == nullptr) return out;
  std::string prefix = dir;
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  while (dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.rfind("loop", 0) != 0) continue;
    const std::string dev = "/dev/" + name;
    const std::string file = LoopBackingFile(dev);
    if (!file.empty() && file.rfind(prefix, 0) == 0) out.push_back(dev);
  }
  ::closedir(d);
  return out;
}

Status CreateSparseFile(const std::string& path, int64_t size_bytes) {
  Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd.ok()) return Internal(Errno("create " + path));
  if (::ftruncate(fd.get(), size_bytes) != 0) return Internal(Errno("ftruncate " + path));
  return Status::Ok();
}

Status GrowFile(const std::string& path, int64_t size_bytes) {
  Fd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd.ok()) return Internal(Errno("open " + path));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Internal(Errno("stat " + path));
  if (st.st_size >= size_bytes) return Status::Ok();
  if (::ftruncate(fd.get(), size_bytes) != 0) return Internal(Errno("ftruncate " + path));
  return Status::Ok();
}

Status CopySparse(const std::string& src, const std::string& dst) {
  Fd in(::open(src.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.ok()) return Internal(Errno("open " + src));
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) return Internal(Errno("stat " + src));
  Fd out(::open(dst.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!out.ok()) return Internal(Errno("open " + dst));
  if (::ioctl(out.get(), FICLONE, in.get()) == 0) return Status::Ok();

  // Discard the old content but keep the inode (a loop device may hold it).
  struct stat dst_st {};
  ::fstat(out.get(), &dst_st);
  if (dst_st.st_size > 0 &&
      ::fallocate(out.get(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, dst_st.st_size) != 0) {
    if (::ftruncate(out.get(), 0) != 0) return Internal(Errno("truncate " + dst));
  }
  if (::ftruncate(out.get(), st.st_size) != 0) return Internal(Errno("ftruncate " + dst));

  off_t pos = 0;
  while (pos < st.st_size) {
    off_t data = ::lseek(in.get(), pos, SEEK_DATA);
    if (data < 0) {
      if (errno == ENXIO) break;  // only a hole remains
      return Internal(Errno("SEEK_DATA " + src));
    }
    off_t hole = ::lseek(in.get(), data, SEEK_HOLE);
    if (hole < 0) hole = st.st_size;
    loff_t off_in = data, off_out = data;
    size_t left = static_cast<size_t>(hole - data);
    while (left > 0) {
      const ssize_t n = ::copy_file_range(in.get(), &off_in, out.get(), &off_out, left, 0);
      if (n < 0) return Internal(Errno("copy_file_range " + src + " -> " + dst));
      if (n == 0) break;
      left -= static_cast<size_t>(n);
    }
    pos = hole;
  }
  if (::fdatasync(out.get()) != 0) return Internal(Errno("fdatasync " + dst));
  return Status::Ok();
}

}  // namespace lcsi::sim
