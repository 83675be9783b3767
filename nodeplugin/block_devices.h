// BlockDevices: the seam for asking the kernel about device nodes (does it exist, how big is it).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "base/clock.h"
#include "base/status.h"

namespace lcsi::node {

class BlockDevices {
 public:
  virtual ~BlockDevices() = default;
  // True when `path` exists and is a block device node (symlinks followed, as in /dev/drbd/by-res).
  virtual bool IsBlockDevice(const std::string& path) = 0;
  // Size in bytes (BLKGETSIZE64). NotFound when missing, FailedPrecondition when not a block
  // device.
  virtual Result<int64_t> SizeBytes(const std::string& path) = 0;
};

class SystemBlockDevices final : public BlockDevices {
 public:
  bool IsBlockDevice(const std::string& path) override;
  Result<int64_t> SizeBytes(const std::string& path) override;
};

class FakeBlockDevices final : public BlockDevices {
 public:
  void Add(const std::string& path, int64_t size_bytes);
  void Remove(const std::string& path);
  // `path` appears after IsBlockDevice has been asked `polls` more times.
  void AppearAfterPolls(const std::string& path, int64_t size_bytes, int polls);

  bool IsBlockDevice(const std::string& path) override;
  Result<int64_t> SizeBytes(const std::string& path) override;

 private:
  std::mutex mu_;
  std::map<std::string, int64_t> devices_;
  std::map<std::string, std::pair<int64_t, int>> pending_;
};

// Polls until `path` is a block device or `timeout` passes (Unavailable then, so the CO
// retries). `path` must be absolute and under /dev/ (InvalidArgument otherwise): the device path
// comes from publish_context or LINSTOR, never from arbitrary input.
Status WaitForBlockDevice(BlockDevices& devices, Clock& clock, const std::string& path,
                          std::chrono::milliseconds timeout, std::chrono::milliseconds interval);

}  // namespace lcsi::node
