#include "nodeplugin/block_devices.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lcsi::node {

bool SystemBlockDevices::IsBlockDevice(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISBLK(st.st_mode);
}

Result<int64_t> SystemBlockDevices::SizeBytes(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound(path + " does not exist");
    return Internal("open " + path + ": " + std::strerror(errno));
  }
  struct stat st;
  uint64_t size = 0;
  Status status;
  if (::fstat(fd, &st) != 0) {
    status = Internal("stat " + path + ": " + std::strerror(errno));
  } else if (!S_ISBLK(st.st_mode)) {
    status = FailedPrecondition(path + " is not a block device");
  } else if (::ioctl(fd, BLKGETSIZE64, &size) != 0) {
    status = Internal("BLKGETSIZE64 " + path + ": " + std::strerror(errno));
  }
  ::close(fd);
  if (!status.ok()) return status;
  return static_cast<int64_t>(size);
}

void FakeBlockDevices::Add(const std::string& path, int64_t size_bytes) {
  std::lock_guard lock(mu_);
  devices_[path] = size_bytes;
}

void FakeBlockDevices::Remove(const std::string& path) {
  std::lock_guard lock(mu_);
  devices_.erase(path);
}

void FakeBlockDevices::AppearAfterPolls(const std::string& path, int64_t size_bytes, int polls) {
  std::lock_guard lock(mu_);
  pending_[path] = {size_bytes, polls};
}

bool FakeBlockDevices::IsBlockDevice(const std::string& path) {
  std::lock_guard lock(mu_);
  auto it = pending_.find(path);
  if (it != pending_.end() && --it->second.second <= 0) {
    devices_[path] = it->second.first;
    pending_.erase(it);
  }
  return devices_.count(path) != 0;
}

Result<int64_t> FakeBlockDevices::SizeBytes(const std::string& path) {
  std::lock_guard lock(mu_);
  auto it = devices_.find(path);
  if (it == devices_.end()) return NotFound(path + " does not exist");
  return it->second;
}

Status WaitForBlockDevice(BlockDevices& devices, Clock& clock, const std::string& path,
                          std::chrono::milliseconds timeout, std::chrono::milliseconds interval) {
  if (path.rfind("/dev/", 0) != 0 || path.find("/../") != std::string::npos) {
    return InvalidArgument("device path '" + path + "' is not under /dev/");
  }
  auto deadline = clock.Now() + timeout;
  while (true) {
    if (devices.IsBlockDevice(path)) return Status::Ok();
    if (clock.Now() >= deadline) {
      return Unavailable("device " + path + " did not appear within " +
                         std::to_string(timeout.count()) + " ms");
    }
    clock.SleepFor(interval);
  }
}

}  // namespace lcsi::node
