// Volume data behind the simulated resources. Volume ids are "<RDKEY>_<vol>", snapshot ids
// "<RDKEY>/<SNAPKEY>_<vol>" (upper-case LINSTOR names, so ids are unique).
//
// NominalBacking keeps no data: device paths are LINSTOR's nominal /dev/drbd<minor>.
// LoopBacking (--backing=loop) keeps each volume in DATA_DIR/volumes/<id>.img, a sparse file
// attached to a loop device that every node's resource reports as its device_path; snapshots
// are copies in DATA_DIR/snapshots/. Not thread-safe: the caller serialises calls.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "base/status.h"

namespace lcsi::sim {

class Backing {
 public:
  virtual ~Backing() = default;
  virtual bool real() const = 0;
  // Creates an empty volume; returns its device ("" for nominal backing).
  virtual Result<std::string> Create(const std::string& vol_id, int64_t size_kib) = 0;
  virtual Status Resize(const std::string& vol_id, int64_t size_kib) = 0;
  virtual void Remove(const std::string& vol_id) = 0;
  virtual Status Snapshot(const std::string& vol_id, const std::string& snap_id) = 0;
  virtual void RemoveSnapshot(const std::string& snap_id) = 0;
  // Overwrites the volume's data with the snapshot's (restore, rollback).
  virtual Status Restore(const std::string& snap_id, const std::string& vol_id) = 0;
  virtual Status Copy(const std::string& src_vol_id, const std::string& dst_vol_id) = 0;
  virtual std::string Device(const std::string& vol_id) const = 0;
  // After a restart: the volume's device, re-using `previous` when it still backs the file.
  virtual Result<std::string> Reattach(const std::string& vol_id, const std::string& previous,
                                       int64_t size_kib) = 0;
  // Deletes volume/snapshot files (and their loop devices) that no live object references.
  virtual void CollectGarbage(const std::set<std::string>& vol_ids,
                              const std::set<std::string>& snap_ids) = 0;
  // Detaches every loop device (graceful shutdown); files stay for the next start.
  virtual void DetachAll() = 0;
  virtual int64_t AttachedCount() const = 0;
  virtual int64_t FileCount() const = 0;
};

class NominalBacking final : public Backing {
 public:
  bool real() const override { return false; }
  Result<std::string> Create(const std::string&, int64_t) override { return std::string(); }
  Status Resize(const std::string&, int64_t) override { return Status::Ok(); }
  void Remove(const std::string&) override {}
  Status Snapshot(const std::string&, const std::string&) override { return Status::Ok(); }
  void RemoveSnapshot(const std::string&) override {}
  Status Restore(const std::string&, const std::string&) override { return Status::Ok(); }
  Status Copy(const std::string&, const std::string&) override { return Status::Ok(); }
  std::string Device(const std::string&) const override { return ""; }
  Result<std::string> Reattach(const std::string&, const std::string&, int64_t) override {
    return std::string();
  }
  void CollectGarbage(const std::set<std::string>&, const std::set<std::string>&) override {}
  void DetachAll() override {}
  int64_t AttachedCount() const override { return 0; }
  int64_t FileCount() const override { return 0; }
};

class LoopBacking final : public Backing {
 public:
  // `data_dir` must exist; volumes/ and snapshots/ are created inside it.
  static Result<std::unique_ptr<LoopBacking>> Open(const std::string& data_dir);

  bool real() const override { return true; }
  Result<std::string> Create(const std::string& vol_id, int64_t size_kib) override;
  Status Resize(const std::string& vol_id, int64_t size_kib) override;
  void Remove(const std::string& vol_id) override;
  Status Snapshot(const std::string& vol_id, const std::string& snap_id) override;
  void RemoveSnapshot(const std::string& snap_id) override;
  Status Restore(const std::string& snap_id, const std::string& vol_id) override;
  Status Copy(const std::string& src_vol_id, const std::string& dst_vol_id) override;
  std::string Device(const std::string& vol_id) const override;
  Result<std::string> Reattach(const std::string& vol_id, const std::string& previous,
                               int64_t size_kib) override;
  void CollectGarbage(const std::set<std::string>& vol_ids,
                      const std::set<std::string>& snap_ids) override;
  void DetachAll() override;
  int64_t AttachedCount() const override { return static_cast<int64_t>(devices_.size()); }
  int64_t FileCount() const override;

 private:
  explicit LoopBacking(std::string data_dir) : dir_(std::move(data_dir)) {}
  std::string VolumePath(const std::string& vol_id) const;
  std::string SnapshotPath(const std::string& snap_id) const;

  std::string dir_;                             // canonical data dir
  std::map<std::string, std::string> devices_;  // vol_id -> /dev/loopN
};

}  // namespace lcsi::sim
