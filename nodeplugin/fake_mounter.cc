#include "nodeplugin/fake_mounter.h"

#include <sys/mount.h>

#include "nodeplugin/mount_options.h"

namespace lcsi::node {
namespace {

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ',';
    out += w;
  }
  return out;
}

}  // namespace

bool FakeMounter::Exists(const std::string& path) {
  auto info = files_.Stat(path);
  return info.ok() && info->has_value();
}

Status FakeMounter::Mount(const std::string& device, const std::string& target,
                          const std::string& fs_type, const std::vector<std::string>& options) {
  std::lock_guard lock(mu_);
  std::string action = "mount " + device + " " + target + " " + fs_type + " " + Join(options);
  Status status = failures_.Take("Mount");
  auto parsed = ParseMountOptions(options);
  if (status.ok() && !parsed.ok()) status = parsed.status();
  if (status.ok() && !Exists(target)) status = NotFound("mount target " + target + " missing");
  if (!status.ok()) {
    actions_.push_back("FAILED " + action);
    return status;
  }
  MountEntry entry;
  entry.mount_id = next_id_++;
  entry.major = 147;
  entry.minor = static_cast<unsigned>(std::hash<std::string>()(device) % 1000);
  entry.root = "/";
  entry.mount_point = target;
  bool ro = (parsed->flags & MS_RDONLY) != 0;
  entry.mount_options = ro ? "ro" : "rw";
  entry.fs_type = fs_type;
  entry.source = device;
  entry.super_options = (ro ? "ro" : "rw") + (parsed->data.empty() ? "" : "," + parsed->data);
  mounts_.push_back(entry);
  actions_.push_back(action);
  return Status::Ok();
}

Status FakeMounter::BindMount(const std::string& source, const std::string& target,
                              const std::vector<std::string>& options) {
  std::lock_guard lock(mu_);
  std::string action = "bind " + source + " " + target + " " + Join(options);
  Status status = failures_.Take("BindMount");
  auto parsed = ParseMountOptions(options);
  if (status.ok() && !parsed.ok()) status = parsed.status();
  if (status.ok() && (!Exists(target) || !Exists(source))) {
    status = NotFound("bind mount " + source + " on " + target + ": path missing");
  }
  if (!status.ok()) {
    actions_.push_back("FAILED " + action);
    return status;
  }
  MountEntry entry;
  // A bind of a mounted directory shows the original filesystem; otherwise a plain file/device.
  const MountEntry* origin = nullptr;
  for (const auto& m : mounts_) {
    if (m.mount_point == source) origin = &m;
  }
  if (origin != nullptr) {
    entry = *origin;
  } else {
    entry.fs_type = "devtmpfs";
    entry.source = "udev";
    entry.root = source;
    entry.super_options = "rw";
  }
  entry.mount_id = next_id_++;
  entry.mount_point = target;
  entry.mount_options = (parsed->flags & MS_RDONLY) ? "ro" : "rw";
  mounts_.push_back(entry);
  actions_.push_back(action);
  return Status::Ok();
}

Status FakeMounter::RemountReadOnly(const std::string& target) {
  std::lock_guard lock(mu_);
  Status status = failures_.Take("RemountReadOnly");
  MountEntry* top = nullptr;
  for (auto& m : mounts_) {
    if (m.mount_point == target) top = &m;
  }
  if (status.ok() && top == nullptr) status = FailedPrecondition(target + " is not a mount point");
  if (!status.ok()) {
    actions_.push_back("FAILED remount-ro " + target);
    return status;
  }
  top->mount_options = "ro";
  actions_.push_back("remount-ro " + target);
  return Status::Ok();
}

Status FakeMounter::Unmount(const std::string& target) {
  std::lock_guard lock(mu_);
  Status status = failures_.Take("Unmount");
  auto top = mounts_.end();
  for (auto it = mounts_.begin(); it != mounts_.end(); ++it) {
    if (it->mount_point == target) top = it;
  }
  if (status.ok() && top == mounts_.end()) {
    status = FailedPrecondition(target + " is not a mount point");
  }
  if (!status.ok()) {
    actions_.push_back("FAILED unmount " + target);
    return status;
  }
  mounts_.erase(top);
  actions_.push_back("unmount " + target);
  return Status::Ok();
}

Result<std::vector<MountEntry>> FakeMounter::ListMounts() {
  std::lock_guard lock(mu_);
  Status status = failures_.Take("ListMounts");
  if (!status.ok()) return status;
  return mounts_;
}

void FakeMounter::FailNext(const std::string& operation, Status status) {
  std::lock_guard lock(mu_);
  failures_.FailNext(operation, std::move(status));
}

void FakeMounter::AddMount(MountEntry entry) {
  std::lock_guard lock(mu_);
  entry.mount_id = next_id_++;
  mounts_.push_back(std::move(entry));
}

std::vector<std::string> FakeMounter::actions() const {
  std::lock_guard lock(mu_);
  return actions_;
}

size_t FakeMounter::mount_count() const {
  std::lock_guard lock(mu_);
  return mounts_.size();
}

}  // namespace lcsi::node
