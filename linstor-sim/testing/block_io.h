// Test helpers for reading and writing loop devices of linstor-sim's --backing=loop mode
// (header-only; include from GoogleTest tests only: WriteAt records failures with gtest).
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace lcsi::sim::testing {

// Root and /dev/loop-control: what loop-backed tests need (they skip themselves otherwise).
inline bool CanUseLoop() {
  return ::geteuid() == 0 && ::access("/dev/loop-control", R_OK | W_OK) == 0;
}

// `n` bytes that differ for every seed at every position.
inline std::string Pattern(char seed, size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + (i * 7) % 97);
  return s;
}

// Writes through the block device (O_DIRECT-free) and fsyncs; a failure is a fatal gtest
// failure of this helper (the caller's test is marked failed).
inline void WriteAt(const std::string& dev, off_t off, const std::string& data) {
  const int fd = ::open(dev.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0) << dev;
  ASSERT_EQ(::pwrite(fd, data.data(), data.size(), off), static_cast<ssize_t>(data.size()));
  ASSERT_EQ(::fsync(fd), 0);
  ::close(fd);
}

// `n` bytes at `off`, or "<open failed>" / "<short read>" (never equal to real data).
inline std::string ReadAt(const std::string& dev, off_t off, size_t n) {
  const int fd = ::open(dev.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "<open failed>";
  std::string s(n, '\0');
  const ssize_t got = ::pread(fd, s.data(), n, off);
  ::close(fd);
  return got == static_cast<ssize_t>(n) ? s : "<short read>";
}

// BLKGETSIZE64 of the device; 0 when it cannot be opened.
inline uint64_t DeviceBytes(const std::string& dev) {
  const int fd = ::open(dev.c_str(), O_RDONLY | O_CLOEXEC);
  uint64_t size = 0;
  if (fd >= 0) {
    ::ioctl(fd, BLKGETSIZE64, &size);
    ::close(fd);
  }
  return size;
}

}  // namespace lcsi::sim::testing
