// Test helpers shared by the node plugin's tests: RAII temp directories that clean up any mount
// left below them, loop devices on sparse files, and mount-table queries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "linstor/model.h"

namespace lcsi::node::testing {

// A diskful DRBD resource of `volume` on `node` whose disk is `disk_state` (LINSTOR's view), for
// FakeSatelliteDirectory::SetResources.
linstor::Resource DrbdReplica(const std::string& volume, const std::string& node,
                              const std::string& disk_state = "UpToDate");

// Mount points at or below `dir` in /proc/self/mountinfo, deepest/latest first.
std::vector<std::string> MountsUnder(const std::string& dir);

// A unique directory from mkdtemp. The destructor lazily detaches every mount still below it
// (so a failing test cannot leak mounts) and only then removes the tree.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "lcsi-node-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A loop device backed by a sparse file, set up with the loop ioctls (LOOP_CTL_GET_FREE,
// LOOP_CONFIGURE with autoclear). The destructor detaches it and removes the file, so nothing
// leaks even when a test fails; autoclear also frees it if the process dies.
class LoopDevice {
 public:
  // Aborts the test (gtest fatal failure via ok()) when the kernel refuses.
  LoopDevice(const std::string& backing_file, int64_t size_bytes);
  ~LoopDevice();
  LoopDevice(const LoopDevice&) = delete;
  LoopDevice& operator=(const LoopDevice&) = delete;

  bool ok() const { return fd_ >= 0; }
  const std::string& error() const { return error_; }
  const std::string& path() const { return path_; }
  const std::string& backing_file() const { return backing_file_; }
  // Grows the backing file and tells the loop driver (LOOP_SET_CAPACITY).
  bool Grow(int64_t new_size_bytes);
  // Writes raw bytes at `offset` (through the device, O_DIRECT-free, then fsync).
  bool WriteAt(int64_t offset, const std::string& bytes);
  std::string ReadAt(int64_t offset, size_t length);

 private:
  std::string backing_file_;
  std::string path_;
  std::string error_;
  int fd_ = -1;
};

// Runs a shell command (for test set-up only: mkfs of foreign filesystems, sfdisk), returning
// its exit code.
int RunShell(const std::string& command);

std::string ReadFile(const std::string& path);
bool WriteFile(const std::string& path, const std::string& content);

// The 12 bytes OpenZFS writes at the start of a label's packed nvlist (zfs_label.h): nvs_header_t
// {NV_ENCODE_XDR, `endian` (1 little, 0 big), 0, 0}, then XDR nvl_version 0 and nvl_nvflag.
std::string ZfsNvlistHeader(char endian = 1, char nvflag = 1);

}  // namespace lcsi::node::testing
