// FakeMounter: an in-memory mount table with an action log, for unit tests.
// Mount/BindMount require the target (and a bind's source) to exist in the Filesystem it is
// given (a FakeFilesystem, or the real one on temp dirs), so the fake notices the same "target
// missing" mistakes the kernel would.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "nodeplugin/filesystem_seam.h"
#include "nodeplugin/injected_failures.h"
#include "nodeplugin/mounter.h"

namespace lcsi::node {

class FakeMounter final : public Mounter {
 public:
  // `files` must outlive the mounter.
  explicit FakeMounter(Filesystem& files) : files_(files) {}

  Status Mount(const std::string& device, const std::string& target, const std::string& fs_type,
               const std::vector<std::string>& options) override;
  Status BindMount(const std::string& source, const std::string& target,
                   const std::vector<std::string>& options) override;
  Status RemountReadOnly(const std::string& target) override;
  Status Unmount(const std::string& target) override;
  Result<std::vector<MountEntry>> ListMounts() override;

  // The next call of `operation` ("Mount", "BindMount", "RemountReadOnly", "Unmount",
  // "ListMounts") fails with `status`.
  void FailNext(const std::string& operation, Status status);
  // Adds a mount directly (e.g. one left over from before a restart).
  void AddMount(MountEntry entry);
  // One line per successful or failed call: "mount /dev/x /t ext4 noatime", "bind /a /b ro",
  // "remount-ro /b", "unmount /b", prefixed with "FAILED " when it failed.
  std::vector<std::string> actions() const;
  size_t mount_count() const;

 private:
  bool Exists(const std::string& path);

  Filesystem& files_;
  mutable std::mutex mu_;
  std::vector<MountEntry> mounts_;
  std::vector<std::string> actions_;
  InjectedFailures failures_;
  int next_id_ = 1000;
};

}  // namespace lcsi::node
