#include "test/soak/soak_worker.h"

#include <filesystem>

namespace lcsi::soak {

namespace fs = std::filesystem;
namespace v1 = csi::v1;
using namespace std::chrono_literals;

SoakRunner::Worker::Worker(SoakRunner& runner, int index)
    : r_(runner),
      index_(index),
      rng_(runner.options_.seed * 1000003 + static_cast<uint64_t>(index)),
      backend_(runner.stack_.sim_url()) {
  volumes_.resize(runner.options_.volumes_per_worker);
  for (size_t i = 0; i < volumes_.size(); ++i) {
    volumes_[i].slot = static_cast<int>(i);
    Rename(volumes_[i]);
  }
}

void SoakRunner::Worker::Step() {
  Volume& v = volumes_[Below(volumes_.size())];
  if (std::uniform_real_distribution<double>(0, 1)(rng_) < r_.options_.drbd_rate) {
    DrbdEpisode(v);
    return;
  }
  int dice = static_cast<int>(Below(100));
  if (dice < 40) {
    int w = static_cast<int>(Below(100));
    v.want = w < 20   ? Volume::kAbsent
             : w < 45 ? Volume::kCreated
             : w < 65 ? Volume::kAttached
                      : Volume::kMounted;
    Reconcile(v);
  } else if (dice < 60) {
    if (!v.id.empty() && !v.deleting) TakeSnapshot(v);
  } else if (dice < 70) {
    if (!snapshots_.empty()) DeleteSnapshot(Below(snapshots_.size()));
  } else if (dice < 80) {
    if (!v.id.empty() && !v.staged && !v.deleting) Expand(v);
  } else if (dice < 85) {
    Io(v, "write");
  } else {
    if (v.deleting) {
      Reconcile(v);
    } else if (v.id.empty() && !snapshots_.empty()) {
      Restore(v, snapshots_[Below(snapshots_.size())]);
    } else {
      v.want = Volume::kCreated;
      Reconcile(v);
    }
  }
}

void SoakRunner::Worker::Converge(bool keep) {
  for (auto& v : volumes_) {
    v.want = keep ? static_cast<Volume::Want>(Below(4)) : Volume::kAbsent;
    Reconcile(v);
  }
  for (size_t i = snapshots_.size(); i-- > 0;) {
    if (!keep || Below(2) == 0) DeleteSnapshot(i);
  }
}

std::vector<const SoakRunner::Volume*> SoakRunner::Worker::Live() const {
  std::vector<const Volume*> out;
  for (const auto& v : volumes_) {
    if (!v.id.empty()) out.push_back(&v);
  }
  return out;
}

const std::vector<SoakRunner::Snapshot>& SoakRunner::Worker::snapshots() const {
  return snapshots_;
}

void SoakRunner::Worker::CheckNoStrayAttachments() {
  for (const auto& v : volumes_) {
    if (v.id.empty() || v.attached) continue;
    for (const auto& flags : ResourcesOn(v.id, r_.stack_.options().satellite)) {
      bool diskless = std::find(flags.begin(), flags.end(), "DISKLESS") != flags.end();
      bool tiebreaker = std::find(flags.begin(), flags.end(), "TIE_BREAKER") != flags.end();
      if (diskless && !tiebreaker) {
        r_.Violation("stray diskless attachment of " + v.id + " on a node it is not published to");
      }
    }
  }
}

void SoakRunner::Worker::Rename(Volume& v) {
  v.name = "soak-" + std::to_string(r_.options_.seed) + "-w" + std::to_string(index_) + "-v" +
           std::to_string(v.slot) + "-g" + std::to_string(v.generation);
  std::string tag = "w" + std::to_string(index_) + "v" + std::to_string(v.slot) + "g" +
                    std::to_string(v.generation);
  v.staging = r_.stack_.kubelet_dir() + "/plugins/kubernetes.io/csi/soak/" + tag + "/globalmount";
  v.target = r_.stack_.kubelet_dir() + "/pods/" + tag + "/volumes/kubernetes.io~csi/pv/mount";
}

void SoakRunner::Worker::Action() {
  std::lock_guard<std::mutex> lock(r_.mu_);
  ++r_.report_.actions;
}

bool SoakRunner::Worker::RdExists(const std::string& rd, simdjson::dom::element* rd_json) {
  simdjson::dom::element doc;
  int status = backend_.Get("/v1/resource-definitions/" + rd, &doc);
  if (status == 0) r_.Violation("cannot read RD " + rd + " from the sim");
  if (status == 200 && rd_json != nullptr) *rd_json = doc;
  return status == 200;
}

int64_t SoakRunner::Worker::VolumeBytes(const std::string& rd) {
  simdjson::dom::element doc;
  if (backend_.Get("/v1/resource-definitions/" + rd + "/volume-definitions", &doc) != 200) {
    return -1;
  }
  simdjson::dom::array arr;
  if (doc.get_array().get(arr) != simdjson::SUCCESS) return -1;
  for (auto vd : arr) {
    int64_t kib = 0;
    if (vd["size_kib"].get_int64().get(kib) == simdjson::SUCCESS) return kib * 1024;
  }
  return -1;
}

std::vector<std::vector<std::string>> SoakRunner::Worker::ResourcesOn(const std::string& rd,
                                                                      const std::string& node) {
  simdjson::dom::element doc;
  std::vector<std::vector<std::string>> out;
  if (backend_.Get("/v1/view/resources?resources=" + rd + "&nodes=" + node, &doc) != 200) {
    return out;
  }
  simdjson::dom::array arr;
  if (doc.get_array().get(arr) != simdjson::SUCCESS) return out;
  for (auto rsc : arr) {
    std::string_view n, name;
    if (rsc["node_name"].get_string().get(n) != simdjson::SUCCESS) continue;
    if (rsc["name"].get_string().get(name) != simdjson::SUCCESS) continue;
    if (Lower(std::string(n)) != Lower(node) || Lower(std::string(name)) != Lower(rd)) continue;
    std::vector<std::string> flags;
    simdjson::dom::array fl;
    if (rsc["flags"].get_array().get(fl) == simdjson::SUCCESS) {
      for (auto f : fl) {
        std::string_view s;
        if (f.get_string().get(s) == simdjson::SUCCESS) flags.emplace_back(s);
      }
    }
    out.push_back(flags);
  }
  return out;
}

bool SoakRunner::Worker::SnapshotExists(const std::string& snapshot_id) {
  size_t slash = snapshot_id.find('/');
  if (slash == std::string::npos) return false;
  std::string rd = snapshot_id.substr(0, slash), snap = snapshot_id.substr(slash + 1);
  simdjson::dom::element doc;
  if (backend_.Get("/v1/view/snapshots?resources=" + rd, &doc) != 200) return false;
  simdjson::dom::array arr;
  if (doc.get_array().get(arr) != simdjson::SUCCESS) return false;
  for (auto s : arr) {
    std::string_view name, rname;
    if (s["name"].get_string().get(name) == simdjson::SUCCESS &&
        s["resource_name"].get_string().get(rname) == simdjson::SUCCESS &&
        Lower(std::string(name)) == Lower(snap) && Lower(std::string(rname)) == Lower(rd)) {
      return true;
    }
  }
  return false;
}

void SoakRunner::Worker::Create(Volume& v, const std::string& from_snapshot) {
  Action();
  v1::CreateVolumeRequest req;
  req.set_name(v.name);
  req.mutable_capacity_range()->set_required_bytes(v.bytes);
  *req.add_volume_capabilities() = MountCap();
  // Two diskful replicas (and a tiebreaker): the DRBD faults then have peers to work with.
  (*req.mutable_parameters())[r_.stack_.options().driver_name + "/placementCount"] =
      std::to_string(r_.options_.replicas);
  if (!from_snapshot.empty()) {
    req.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(from_snapshot);
  }
  v1::CreateVolumeResponse resp;
  if (!Retry("CreateVolume " + v.name, [&] {
        return r_.stack_.controller().CreateVolume(testing::Ctx(30s).get(), req, &resp);
      })) {
    return;
  }
  v.id = resp.volume().volume_id();
  if (!RdExists(v.id)) {
    r_.Violation("CreateVolume " + v.name + " OK, but LINSTOR has no RD " + v.id);
  } else if (VolumeBytes(v.id) < v.bytes) {
    r_.Violation("CreateVolume " + v.name + " OK, but the volume definition is smaller");
  }
}

void SoakRunner::Worker::Restore(Volume& v, const Snapshot& snap) {
  v.want = Volume::kCreated;
  v.bytes = std::max(v.bytes, snap.bytes);  // never smaller than the source (OUT_OF_RANGE)
  Create(v, snap.id);
}

void SoakRunner::Worker::ControllerPublish(Volume& v) {
  Action();
  v1::ControllerPublishVolumeRequest req;
  req.set_volume_id(v.id);
  req.set_node_id(r_.stack_.options().satellite);
  *req.mutable_volume_capability() = MountCap();
  v1::ControllerPublishVolumeResponse resp;
  if (!Retry("ControllerPublishVolume " + v.id, [&] {
        return r_.stack_.controller().ControllerPublishVolume(testing::Ctx(30s).get(), req, &resp);
      })) {
    return;
  }
  v.attached = true;
  context_[v.id] = {resp.publish_context().begin(), resp.publish_context().end()};
  if (ResourcesOn(v.id, r_.stack_.options().satellite).empty()) {
    r_.Violation("ControllerPublishVolume " + v.id + " OK, but no resource on the node");
  }
}

void SoakRunner::Worker::ControllerUnpublish(Volume& v) {
  Action();
  v1::ControllerUnpublishVolumeRequest req;
  req.set_volume_id(v.id);
  req.set_node_id(r_.stack_.options().satellite);
  v1::ControllerUnpublishVolumeResponse resp;
  if (!Retry("ControllerUnpublishVolume " + v.id, [&] {
        return r_.stack_.controller().ControllerUnpublishVolume(testing::Ctx(30s).get(), req,
                                                                &resp);
      })) {
    return;
  }
  v.attached = false;
  for (const auto& flags : ResourcesOn(v.id, r_.stack_.options().satellite)) {
    bool diskless = std::find(flags.begin(), flags.end(), "DISKLESS") != flags.end();
    bool tiebreaker = std::find(flags.begin(), flags.end(), "TIE_BREAKER") != flags.end();
    if (diskless && !tiebreaker) {
      r_.Violation("ControllerUnpublishVolume " + v.id +
                   " OK, but the diskless attachment is still there");
    }
  }
}

void SoakRunner::Worker::Stage(Volume& v) {
  Action();
  fs::create_directories(v.staging);  // the CO creates the staging dir
  v1::NodeStageVolumeRequest req;
  req.set_volume_id(v.id);
  req.set_staging_target_path(v.staging);
  *req.mutable_volume_capability() = MountCap();
  for (const auto& [k, val] : context_[v.id]) (*req.mutable_publish_context())[k] = val;
  v1::NodeStageVolumeResponse resp;
  if (!Retry("NodeStageVolume " + v.id, [&] {
        return r_.stack_.node().NodeStageVolume(testing::Ctx(60s).get(), req, &resp);
      })) {
    return;
  }
  v.staged = true;
  if (!IsMountPoint(v.staging)) {
    r_.Violation("NodeStageVolume " + v.id + " OK, but " + v.staging + " is not mounted");
  }
}

void SoakRunner::Worker::NodePublish(Volume& v) {
  Action();
  fs::create_directories(fs::path(v.target).parent_path());
  v1::NodePublishVolumeRequest req;
  req.set_volume_id(v.id);
  req.set_staging_target_path(v.staging);
  req.set_target_path(v.target);
  *req.mutable_volume_capability() = MountCap();
  for (const auto& [k, val] : context_[v.id]) (*req.mutable_publish_context())[k] = val;
  v1::NodePublishVolumeResponse resp;
  if (!Retry("NodePublishVolume " + v.id, [&] {
        return r_.stack_.node().NodePublishVolume(testing::Ctx(60s).get(), req, &resp);
      })) {
    return;
  }
  v.mounted = true;
  if (!IsMountPoint(v.target)) {
    r_.Violation("NodePublishVolume " + v.id + " OK, but " + v.target + " is not mounted");
  }
}

void SoakRunner::Worker::NodeUnpublish(Volume& v) {
  Action();
  v1::NodeUnpublishVolumeRequest req;
  req.set_volume_id(v.id);
  req.set_target_path(v.target);
  v1::NodeUnpublishVolumeResponse resp;
  if (!Retry("NodeUnpublishVolume " + v.id, [&] {
        return r_.stack_.node().NodeUnpublishVolume(testing::Ctx(60s).get(), req, &resp);
      })) {
    return;
  }
  v.mounted = false;
  if (IsMountPoint(v.target) || fs::exists(v.target)) {
    r_.Violation("NodeUnpublishVolume " + v.id + " OK, but " + v.target + " is still there");
  }
}

void SoakRunner::Worker::Unstage(Volume& v) {
  Action();
  v1::NodeUnstageVolumeRequest req;
  req.set_volume_id(v.id);
  req.set_staging_target_path(v.staging);
  v1::NodeUnstageVolumeResponse resp;
  if (!Retry("NodeUnstageVolume " + v.id, [&] {
        return r_.stack_.node().NodeUnstageVolume(testing::Ctx(60s).get(), req, &resp);
      })) {
    return;
  }
  v.staged = false;
  if (IsMountPoint(v.staging)) {
    r_.Violation("NodeUnstageVolume " + v.id + " OK, but " + v.staging + " is still mounted");
  }
}

void SoakRunner::Worker::Delete(Volume& v) {
  Action();
  v.deleting = true;
  v1::DeleteVolumeRequest req;
  req.set_volume_id(v.id);
  v1::DeleteVolumeResponse resp;
  if (!Retry("DeleteVolume " + v.id, [&] {
        return r_.stack_.controller().DeleteVolume(testing::Ctx(30s).get(), req, &resp);
      })) {
    return;
  }
  bool has_snapshots = std::any_of(snapshots_.begin(), snapshots_.end(),
                                   [&](const Snapshot& s) { return s.source_id == v.id; });
  if (!has_snapshots && RdExists(v.id)) {
    r_.Violation("DeleteVolume " + v.id + " OK, but the RD (without snapshots) still exists");
  }
  context_.erase(v.id);
  v.id.clear();
  v.deleting = false;
  ++v.generation;
  Rename(v);
}

void SoakRunner::Worker::TakeSnapshot(Volume& v) {
  Action();
  Snapshot snap;
  snap.name = "soak-snap-" + std::to_string(r_.options_.seed) + "-w" + std::to_string(index_) +
              "-" + std::to_string(snapshot_counter_++);
  snap.source_id = v.id;
  v1::CreateSnapshotRequest req;
  req.set_name(snap.name);
  req.set_source_volume_id(v.id);
  v1::CreateSnapshotResponse resp;
  bool ready = false;
  if (!Retry("CreateSnapshot " + snap.name, [&] {
        grpc::Status s = r_.stack_.controller().CreateSnapshot(testing::Ctx(30s).get(), req, &resp);
        ready = s.ok() && resp.snapshot().ready_to_use();
        // The CO re-issues CreateSnapshot until ready_to_use.
        return s.ok() && !ready ? grpc::Status(grpc::StatusCode::UNAVAILABLE, "not ready") : s;
      })) {
    return;
  }
  snap.id = resp.snapshot().snapshot_id();
  snap.bytes = std::max(resp.snapshot().size_bytes(), v.bytes);
  snapshots_.push_back(snap);
  if (!SnapshotExists(snap.id)) {
    r_.Violation("CreateSnapshot " + snap.name + " OK, but LINSTOR has no snapshot " + snap.id);
  }
}

void SoakRunner::Worker::DeleteSnapshot(size_t index) {
  Action();
  Snapshot snap = snapshots_[index];
  v1::DeleteSnapshotRequest req;
  req.set_snapshot_id(snap.id);
  v1::DeleteSnapshotResponse resp;
  if (!Retry("DeleteSnapshot " + snap.id, [&] {
        return r_.stack_.controller().DeleteSnapshot(testing::Ctx(30s).get(), req, &resp);
      })) {
    return;
  }
  snapshots_.erase(snapshots_.begin() + static_cast<std::ptrdiff_t>(index));
  if (SnapshotExists(snap.id)) {
    r_.Violation("DeleteSnapshot " + snap.id + " OK, but the snapshot is still in LINSTOR");
  }
}

void SoakRunner::Worker::Expand(Volume& v) {
  Action();
  int64_t bytes = v.bytes + 16 * kMiB;
  v1::ControllerExpandVolumeRequest req;
  req.set_volume_id(v.id);
  req.mutable_capacity_range()->set_required_bytes(bytes);
  *req.mutable_volume_capability() = MountCap();
  v1::ControllerExpandVolumeResponse resp;
  if (!Retry("ControllerExpandVolume " + v.id, [&] {
        return r_.stack_.controller().ControllerExpandVolume(testing::Ctx(30s).get(), req, &resp);
      })) {
    return;
  }
  v.bytes = bytes;
  if (resp.capacity_bytes() < bytes || VolumeBytes(v.id) < bytes) {
    r_.Violation("ControllerExpandVolume " + v.id + " OK, but the volume did not grow");
  }
}

void SoakRunner::Worker::Reconcile(Volume& v) {
  if (v.deleting) {
    Delete(v);
    return;
  }
  if (v.want < Volume::kMounted && v.mounted) NodeUnpublish(v);
  if (v.want < Volume::kMounted && v.staged && !v.mounted) Unstage(v);
  if (v.want < Volume::kAttached && v.attached && !v.staged) ControllerUnpublish(v);
  if (v.want == Volume::kAbsent && !v.id.empty() && !v.attached) Delete(v);
  if (v.want >= Volume::kCreated && v.id.empty()) Create(v);
  if (v.want >= Volume::kAttached && !v.id.empty() && !v.attached) ControllerPublish(v);
  if (v.want == Volume::kMounted && v.attached && !v.staged) Stage(v);
  if (v.want == Volume::kMounted && v.staged && !v.mounted) {
    NodePublish(v);
    Io(v, "write after mount");  // the pod starts
  }
}

}  // namespace lcsi::soak
