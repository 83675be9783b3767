#include "linstor-sim/backing.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <filesystem>

#include "linstor-sim/loop_device.h"

namespace lcsi::sim {

namespace fs = std::filesystem;

Result<std::unique_ptr<LoopBacking>> LoopBacking::Open(const std::string& data_dir) {
  std::error_code ec;
  const fs::path dir = fs::canonical(data_dir, ec);
  if (ec) return NotFound("data dir " + data_dir + ": " + ec.message());
  fs::create_directories(dir / "volumes", ec);
  if (ec) return Internal("create " + (dir / "volumes").string() + ": " + ec.message());
  fs::create_directories(dir / "snapshots", ec);
  if (ec) return Internal("create " + (dir / "snapshots").string() + ": " + ec.message());
  return std::unique_ptr<LoopBacking>(new LoopBacking(dir.string()));
}

std::string LoopBacking::VolumePath(const std::string& vol_id) const {
  return dir_ + "/volumes/" + vol_id + ".img";
}

std::string LoopBacking::SnapshotPath(const std::string& snap_id) const {
  return dir_ + "/snapshots/" + snap_id + ".img";
}

Result<std::string> LoopBacking::Create(const std::string& vol_id, int64_t size_kib) {
  const std::string path = VolumePath(vol_id);
  LCSI_RETURN_IF_ERROR(CreateSparseFile(path, size_kib * 1024));
  auto dev = AttachLoop(path);
  if (!dev.ok()) {
    std::error_code ec;
    fs::remove(path, ec);
    return dev.status();
  }
  devices_[vol_id] = *dev;
  spdlog::debug("linstor-sim: volume {} on {}", vol_id, *dev);
  return *dev;
}

Status LoopBacking::Resize(const std::string& vol_id, int64_t size_kib) {
  LCSI_RETURN_IF_ERROR(GrowFile(VolumePath(vol_id), size_kib * 1024));
  auto it = devices_.find(vol_id);
  if (it != devices_.end()) LCSI_RETURN_IF_ERROR(RefreshLoopCapacity(it->second));
  return Status::Ok();
}

void LoopBacking::Remove(const std::string& vol_id) {
  auto it = devices_.find(vol_id);
  if (it != devices_.end()) {
    Status st = DetachLoop(it->second);
    if (!st.ok()) spdlog::warn("linstor-sim: {}", st.message());
    devices_.erase(it);
  }
  std::error_code ec;
  fs::remove(VolumePath(vol_id), ec);
}

Status LoopBacking::Snapshot(const std::string& vol_id, const std::string& snap_id) {
  auto it = devices_.find(vol_id);
  if (it != devices_.end()) LCSI_RETURN_IF_ERROR(FlushLoop(it->second));
  const fs::path snap = SnapshotPath(snap_id);
  std::error_code ec;
  fs::create_directories(snap.parent_path(), ec);
  if (ec) return Internal("create " + snap.parent_path().string() + ": " + ec.message());
  return CopySparse(VolumePath(vol_id), snap.string());
}

void LoopBacking::RemoveSnapshot(const std::string& snap_id) {
  const fs::path snap = SnapshotPath(snap_id);
  std::error_code ec;
  fs::remove(snap, ec);
  fs::remove(snap.parent_path(), ec);  // only succeeds once empty
}

Status LoopBacking::Restore(const std::string& snap_id, const std::string& vol_id) {
  const std::string path = VolumePath(vol_id);
  struct stat before {};
  const bool had = ::stat(path.c_str(), &before) == 0;
  LCSI_RETURN_IF_ERROR(CopySparse(SnapshotPath(snap_id), path));
  // Keep the volume at least as large as it was (a restore never shrinks a device).
  if (had) LCSI_RETURN_IF_ERROR(GrowFile(path, before.st_size));
  auto it = devices_.find(vol_id);
  if (it != devices_.end()) {
    LCSI_RETURN_IF_ERROR(RefreshLoopCapacity(it->second));
    LCSI_RETURN_IF_ERROR(InvalidateLoopCache(it->second));
  }
  return Status::Ok();
}

Status LoopBacking::Copy(const std::string& src_vol_id, const std::string& dst_vol_id) {
  auto src = devices_.find(src_vol_id);
  if (src != devices_.end()) LCSI_RETURN_IF_ERROR(FlushLoop(src->second));
  const std::string path = VolumePath(dst_vol_id);
  struct stat before {};
  const bool had = ::stat(path.c_str(), &before) == 0;
  LCSI_RETURN_IF_ERROR(CopySparse(VolumePath(src_vol_id), path));
  if (had) LCSI_RETURN_IF_ERROR(GrowFile(path, before.st_size));
  auto dst = devices_.find(dst_vol_id);
  if (dst != devices_.end()) {
    LCSI_RETURN_IF_ERROR(RefreshLoopCapacity(dst->second));
    LCSI_RETURN_IF_ERROR(InvalidateLoopCache(dst->second));
  }
  return Status::Ok();
}

std::string LoopBacking::Device(const std::string& vol_id) const {
  auto it = devices_.find(vol_id);
  return it == devices_.end() ? std::string() : it->second;
}

Result<std::string> LoopBacking::Reattach(const std::string& vol_id, const std::string& previous,
                                          int64_t size_kib) {
  const std::string path = VolumePath(vol_id);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    // The file is gone (deleted by hand?): start over with an empty volume.
    spdlog::warn("linstor-sim: backing file {} missing, recreating it empty", path);
    return Create(vol_id, size_kib);
  }
  if (st.st_size < size_kib * 1024) LCSI_RETURN_IF_ERROR(GrowFile(path, size_kib * 1024));
  std::string reuse;
  if (!previous.empty() && LoopBackingFile(previous) == path) {
    reuse = previous;
  } else {
    for (const auto& dev : LoopDevicesUnder(dir_ + "/volumes"))
      if (LoopBackingFile(dev) == path) reuse = dev;
  }
  if (!reuse.empty() && KeepLoopAttached(reuse).ok()) {
    (void)RefreshLoopCapacity(reuse);
    devices_[vol_id] = reuse;
    return reuse;
  }
  auto dev = AttachLoop(path);
  if (!dev.ok()) return dev.status();
  devices_[vol_id] = *dev;
  return *dev;
}

void LoopBacking::CollectGarbage(const std::set<std::string>& vol_ids,
                                 const std::set<std::string>& snap_ids) {
  std::error_code ec;
  for (const auto& dev : LoopDevicesUnder(dir_)) {
    const fs::path file = LoopBackingFile(dev);
    const std::string id = file.stem().string();
    bool live = false;
    for (const auto& [vol_id, d] : devices_)
      if (d == dev && vol_id == id) live = true;
    if (!live) {
      spdlog::info("linstor-sim: releasing stale loop device {} ({})", dev, file.string());
      (void)DetachLoop(dev);
    }
  }
  for (const auto& e : fs::directory_iterator(dir_ + "/volumes", ec)) {
    if (e.path().extension() != ".img") continue;
    if (vol_ids.count(e.path().stem().string()) == 0) {
      spdlog::info("linstor-sim: removing stale volume file {}", e.path().string());
      fs::remove(e.path(), ec);
    }
  }
  const fs::path snaps = dir_ + "/snapshots";
  for (const auto& rd_dir : fs::directory_iterator(snaps, ec)) {
    if (!rd_dir.is_directory()) continue;
    for (const auto& e : fs::directory_iterator(rd_dir.path(), ec)) {
      const std::string id = rd_dir.path().filename().string() + "/" + e.path().stem().string();
      if (snap_ids.count(id) == 0) {
        spdlog::info("linstor-sim: removing stale snapshot file {}", e.path().string());
        fs::remove(e.path(), ec);
      }
    }
    fs::remove(rd_dir.path(), ec);  // only when empty
  }
}

void LoopBacking::DetachAll() {
  for (const auto& [vol_id, dev] : devices_) {
    Status st = DetachLoop(dev);
    if (!st.ok()) spdlog::warn("linstor-sim: {}", st.message());
  }
  devices_.clear();
}

int64_t LoopBacking::FileCount() const {
  int64_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir_, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".img") ++n;
  }
  return n;
}

}  // namespace lcsi::sim
