// SystemMounter: Mounter on mount(2), umount2(2) and /proc/self/mountinfo.
#pragma once

#include "nodeplugin/mounter.h"

namespace lcsi::node {

class SystemMounter final : public Mounter {
 public:
  // `mountinfo_path` is replaceable for tests of the parser wiring only.
  explicit SystemMounter(std::string mountinfo_path = "/proc/self/mountinfo");

  Status Mount(const std::string& device, const std::string& target, const std::string& fs_type,
               const std::vector<std::string>& options) override;
  Status BindMount(const std::string& source, const std::string& target,
                   const std::vector<std::string>& options) override;
  Status RemountReadOnly(const std::string& target) override;
  Status Unmount(const std::string& target) override;
  Result<std::vector<MountEntry>> ListMounts() override;

 private:
  std::string mountinfo_path_;
};

}  // namespace lcsi::node
