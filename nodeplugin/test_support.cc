#include "nodeplugin/test_support.h"

#include <fcntl.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "nodeplugin/mountinfo.h"
#include "nodeplugin/path_policy.h"

namespace lcsi::node::testing {

linstor::Resource DrbdReplica(const std::string& volume, const std::string& node,
                              const std::string& disk_state) {
  linstor::Resource r;
  r.name = volume;
  r.node_name = node;
  r.layers = {"DRBD", "STORAGE"};
  r.in_use = false;
  r.drbd_promotion_score = 10102;
  linstor::Volume v;
  v.disk_state = disk_state;
  r.volumes.push_back(v);
  return r;
}

std::vector<std::string> MountsUnder(const std::string& dir) {
  std::string real = dir;
  if (char* r = ::realpath(dir.c_str(), nullptr)) {
    real = r;
    std::free(r);
  }
  auto entries = ParseMountInfo(ReadFile("/proc/self/mountinfo"));
  std::vector<std::string> found;
  if (!entries.ok()) return {"<mountinfo unreadable>"};
  for (auto it = entries->rbegin(); it != entries->rend(); ++it) {
    if (IsUnder(it->mount_point, real)) found.push_back(it->mount_point);
  }
  return found;
}

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = "/tmp/" + prefix + "-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) != nullptr) path_ = buffer.data();
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  for (int round = 0; round < 10; ++round) {
    auto mounts = MountsUnder(path_);
    if (mounts.empty()) break;
    for (const auto& m : mounts) ::umount2(m.c_str(), MNT_DETACH);
  }
  if (!MountsUnder(path_).empty()) return;  // never delete through a mount
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

LoopDevice::LoopDevice(const std::string& backing_file, int64_t size_bytes)
    : backing_file_(backing_file) {
  int file = ::open(backing_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (file < 0 || ::ftruncate(file, size_bytes) != 0) {
    error_ = "backing file: " + std::string(std::strerror(errno));
    if (file >= 0) ::close(file);
    return;
  }
  int control = ::open("/dev/loop-control", O_RDWR | O_CLOEXEC);
  if (control < 0) {
    error_ = "/dev/loop-control: " + std::string(std::strerror(errno));
    ::close(file);
    return;
  }
  for (int attempt = 0; attempt < 20 && fd_ < 0; ++attempt) {
    int number = ::ioctl(control, LOOP_CTL_GET_FREE);
    if (number < 0) {
      error_ = "LOOP_CTL_GET_FREE: " + std::string(std::strerror(errno));
      break;
    }
    std::string path = "/dev/loop" + std::to_string(number);
    int loop = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (loop < 0) {
      error_ = path + ": " + std::strerror(errno);
      continue;
    }
    loop_config config;
    std::memset(&config, 0, sizeof config);
    config.fd = static_cast<__u32>(file);
    config.info.lo_flags = LO_FLAGS_AUTOCLEAR;
    std::strncpy(reinterpret_cast<char*>(config.info.lo_file_name), backing_file.c_str(),
                 LO_NAME_SIZE - 1);
    if (::ioctl(loop, LOOP_CONFIGURE, &config) == 0) {
      fd_ = loop;
      path_ = path;
      error_.clear();
    } else {
      error_ = "LOOP_CONFIGURE " + path + ": " + std::strerror(errno);
      ::close(loop);  // EBUSY: another test took it; try the next free one
    }
  }
  ::close(control);
  ::close(file);
}

LoopDevice::~LoopDevice() {
  if (fd_ >= 0) {
    ::ioctl(fd_, LOOP_CLR_FD, 0);
    ::close(fd_);
  }
  ::unlink(backing_file_.c_str());
}

bool LoopDevice::Grow(int64_t new_size_bytes) {
  if (::truncate(backing_file_.c_str(), new_size_bytes) != 0) return false;
  return ::ioctl(fd_, LOOP_SET_CAPACITY, 0) == 0;
}

bool LoopDevice::WriteAt(int64_t offset, const std::string& bytes) {
  int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok =
      ::pwrite(fd, bytes.data(), bytes.size(), offset) == static_cast<ssize_t>(bytes.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

std::string LoopDevice::ReadAt(int64_t offset, size_t length) {
  std::string out(length, '\0');
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  ssize_t got = ::pread(fd, out.data(), length, offset);
  ::close(fd);
  out.resize(got < 0 ? 0 : static_cast<size_t>(got));
  return out;
}

int RunShell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::trunc);
  out << content;
  out.flush();
  return static_cast<bool>(out);
}

std::string ZfsNvlistHeader(char endian, char nvflag) {
  return std::string{1, endian, 0, 0, 0, 0, 0, 0, 0, 0, 0, nvflag};
}

}  // namespace lcsi::node::testing
