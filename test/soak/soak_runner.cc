#include "test/soak/soak_runner.h"

#include <simdjson.h>
#include <sys/mount.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

namespace lcsi::soak {
namespace {

namespace fs = std::filesystem;
namespace v1 = csi::v1;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr int64_t kMiB = 1024 * 1024;
constexpr int kMaxAttempts = 80;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::string CodeName(grpc::StatusCode code) {
  static const char* kNames[] = {"OK",
                                 "CANCELLED",
                                 "UNKNOWN",
                                 "INVALID_ARGUMENT",
                                 "DEADLINE_EXCEEDED",
                                 "NOT_FOUND",
                                 "ALREADY_EXISTS",
                                 "PERMISSION_DENIED",
                                 "RESOURCE_EXHAUSTED",
                                 "FAILED_PRECONDITION",
                                 "ABORTED",
                                 "OUT_OF_RANGE",
                                 "UNIMPLEMENTED",
                                 "INTERNAL",
                                 "UNAVAILABLE",
                                 "DATA_LOSS",
                                 "UNAUTHENTICATED"};
  int c = static_cast<int>(code);
  return c >= 0 && c < 17 ? kNames[c] : std::to_string(c);
}

// Codes a CO retries with backoff. A LINSTOR fault (5xx, dropped connection, latency) or a
// controller crash must surface as one of these, never as an answer the CO takes as final
// (INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, OUT_OF_RANGE, ...).
bool Retryable(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::CANCELLED:
      return true;
    default:
      return false;
  }
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<std::string> MountsUnder(const std::string& prefix) {
  std::ifstream in("/proc/self/mountinfo");
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, devno, root, mount_point;
    fields >> id >> parent >> devno >> root >> mount_point;
    if (mount_point == prefix || mount_point.rfind(prefix + "/", 0) == 0) {
      out.push_back(mount_point);
    }
  }
  return out;
}

bool IsMountPoint(const std::string& path) {
  auto all = MountsUnder(path);
  return std::find(all.begin(), all.end(), path) != all.end();
}

v1::VolumeCapability MountCap() {
  v1::VolumeCapability cap;
  cap.mutable_mount()->set_fs_type("ext4");
  cap.mutable_access_mode()->set_mode(v1::VolumeCapability::AccessMode::SINGLE_NODE_WRITER);
  return cap;
}

// LINSTOR REST reads through the faulty sim: retried until a non-5xx answer.
class Backend {
 public:
  explicit Backend(const std::string& url) : admin_(url) {}
  // Status 200 or 404 (0 when it never got an answer).
  int Get(const std::string& path, simdjson::dom::element* out) {
    for (int i = 0; i < 200; ++i) {
      testing::HttpReply reply = admin_.Get(path);
      if (reply.status == 200 || reply.status == 404) {
        body_ = reply.body;
        if (reply.status == 200 && out != nullptr &&
            parser_.parse(body_).get(*out) != simdjson::SUCCESS) {
          return 0;
        }
        return reply.status;
      }
      std::this_thread::sleep_for(5ms);
    }
    return 0;
  }
  testing::SimAdmin& admin() { return admin_; }

 private:
  testing::SimAdmin admin_;
  simdjson::dom::parser parser_;
  std::string body_;
};

}  // namespace

struct SoakRunner::Volume {
  enum Want { kAbsent, kCreated, kAttached, kMounted };
  int slot = 0;
  int generation = 0;
  std::string name, id;
  int64_t bytes = 64 * kMiB;
  bool attached = false, staged = false, mounted = false;
  bool deleting = false;  // a DeleteVolume was sent: like a CO, only ever retry the delete
  Want want = kAbsent;
  std::string staging, target;
};

struct SoakRunner::Snapshot {
  std::string name, id, source_id;
  int64_t bytes = 0;
};

class SoakRunner::Worker {
 public:
  Worker(SoakRunner& runner, int index)
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

  // One random CO action (fault phase).
  void Step() {
    Volume& v = volumes_[Below(volumes_.size())];
    int dice = static_cast<int>(Below(100));
    if (dice < 45) {
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

  // Drives every volume to a final want: random (keep == true) or absent; snapshots likewise.
  void Converge(bool keep) {
    for (auto& v : volumes_) {
      v.want = keep ? static_cast<Volume::Want>(Below(4)) : Volume::kAbsent;
      Reconcile(v);
    }
    for (size_t i = snapshots_.size(); i-- > 0;) {
      if (!keep || Below(2) == 0) DeleteSnapshot(i);
    }
  }

  std::vector<const Volume*> Live() const {
    std::vector<const Volume*> out;
    for (const auto& v : volumes_) {
      if (!v.id.empty()) out.push_back(&v);
    }
    return out;
  }
  const std::vector<Snapshot>& snapshots() const { return snapshots_; }

  // A volume the CO has not (or no longer) attached to the node has no diskless attachment
  // there: an unpublish that reported OK removed it, a failed publish left none behind.
  void CheckNoStrayAttachments() {
    for (const auto& v : volumes_) {
      if (v.id.empty() || v.attached) continue;
      for (const auto& flags : ResourcesOn(v.id, r_.stack_.options().satellite)) {
        bool diskless = std::find(flags.begin(), flags.end(), "DISKLESS") != flags.end();
        bool tiebreaker = std::find(flags.begin(), flags.end(), "TIE_BREAKER") != flags.end();
        if (diskless && !tiebreaker) {
          r_.Violation("stray diskless attachment of " + v.id +
                       " on a node it is not published to");
        }
      }
    }
  }

 private:
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  void Rename(Volume& v) {
    v.name = "soak-" + std::to_string(r_.options_.seed) + "-w" + std::to_string(index_) + "-v" +
             std::to_string(v.slot) + "-g" + std::to_string(v.generation);
    std::string tag = "w" + std::to_string(index_) + "v" + std::to_string(v.slot) + "g" +
                      std::to_string(v.generation);
    v.staging = r_.stack_.kubelet_dir() + "/plugins/kubernetes.io/csi/soak/" + tag + "/globalmount";
    v.target = r_.stack_.kubelet_dir() + "/pods/" + tag + "/volumes/kubernetes.io~csi/pv/mount";
  }

  // Calls `rpc` until OK, as a CO does; every failure must carry a retryable code.
  template <typename Call>
  bool Retry(const std::string& what, Call call) {
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
      grpc::Status s = call();
      {
        std::lock_guard<std::mutex> lock(r_.mu_);
        ++r_.report_.rpcs;
        if (!s.ok()) ++r_.report_.failures_by_code[CodeName(s.error_code())];
      }
      if (s.ok()) return true;
      if (!Retryable(s.error_code())) {
        r_.Violation(what + " returned the final code " + CodeName(s.error_code()) + ": " +
                     s.error_message());
        return false;
      }
      if (r_.options_.verbose) {
        std::cout << "  retry " << what << ": " << CodeName(s.error_code()) << " "
                  << s.error_message() << "\n";
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10 * std::min(attempt + 1, 20)));
    }
    r_.Violation(what + " did not succeed in " + std::to_string(kMaxAttempts) + " attempts");
    return false;
  }

  void Action() {
    std::lock_guard<std::mutex> lock(r_.mu_);
    ++r_.report_.actions;
  }

  // --- LINSTOR-side checks of what an OK claimed ---
  bool RdExists(const std::string& rd, simdjson::dom::element* rd_json = nullptr) {
    simdjson::dom::element doc;
    int status = backend_.Get("/v1/resource-definitions/" + rd, &doc);
    if (status == 0) r_.Violation("cannot read RD " + rd + " from the sim");
    if (status == 200 && rd_json != nullptr) *rd_json = doc;
    return status == 200;
  }
  int64_t VolumeBytes(const std::string& rd) {
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
  // Flags of every resource of `rd` on `node` (empty when there is none).
  std::vector<std::vector<std::string>> ResourcesOn(const std::string& rd,
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
  bool SnapshotExists(const std::string& snapshot_id) {
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

  // --- actions ---
  void Create(Volume& v, const std::string& from_snapshot = "") {
    Action();
    v1::CreateVolumeRequest req;
    req.set_name(v.name);
    req.mutable_capacity_range()->set_required_bytes(v.bytes);
    *req.add_volume_capabilities() = MountCap();
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

  void Restore(Volume& v, const Snapshot& snap) {
    v.want = Volume::kCreated;
    v.bytes = std::max(v.bytes, snap.bytes);  // never smaller than the source (OUT_OF_RANGE)
    Create(v, snap.id);
  }

  void ControllerPublish(Volume& v) {
    Action();
    v1::ControllerPublishVolumeRequest req;
    req.set_volume_id(v.id);
    req.set_node_id(r_.stack_.options().satellite);
    *req.mutable_volume_capability() = MountCap();
    v1::ControllerPublishVolumeResponse resp;
    if (!Retry("ControllerPublishVolume " + v.id, [&] {
          return r_.stack_.controller().ControllerPublishVolume(testing::Ctx(30s).get(), req,
                                                                &resp);
        })) {
      return;
    }
    v.attached = true;
    context_[v.id] = {resp.publish_context().begin(), resp.publish_context().end()};
    if (ResourcesOn(v.id, r_.stack_.options().satellite).empty()) {
      r_.Violation("ControllerPublishVolume " + v.id + " OK, but no resource on the node");
    }
  }

  void ControllerUnpublish(Volume& v) {
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

  void Stage(Volume& v) {
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

  void NodePublish(Volume& v) {
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

  void NodeUnpublish(Volume& v) {
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

  void Unstage(Volume& v) {
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

  void Delete(Volume& v) {
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

  void TakeSnapshot(Volume& v) {
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
          grpc::Status s =
              r_.stack_.controller().CreateSnapshot(testing::Ctx(30s).get(), req, &resp);
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

  void DeleteSnapshot(size_t index) {
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

  void Expand(Volume& v) {
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

  // Moves one volume to its want, in life-cycle order.
  void Reconcile(Volume& v) {
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
    if (v.want == Volume::kMounted && v.staged && !v.mounted) NodePublish(v);
  }

  SoakRunner& r_;
  int index_;
  std::mt19937_64 rng_;
  Backend backend_;
  std::vector<Volume> volumes_;
  std::vector<Snapshot> snapshots_;
  std::map<std::string, std::map<std::string, std::string>> context_;
  int snapshot_counter_ = 0;

  friend class SoakRunner;
};

SoakRunner::SoakRunner(testing::CsiStack& stack, SoakOptions options)
    : stack_(stack), options_(options) {}

void SoakRunner::Violation(const std::string& what) {
  std::lock_guard<std::mutex> lock(mu_);
  report_.violations.push_back(what);
  std::cout << "VIOLATION: " << what << std::endl;
}

void SoakRunner::KillerLoop(std::atomic<bool>& stop) {
  std::mt19937_64 rng(options_.seed ^ 0x9e3779b97f4a7c15ULL);
  std::exponential_distribution<double> interval(1.0 / options_.kill_every_seconds);
  while (!stop) {
    auto wake = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(interval(rng)));
    while (!stop && Clock::now() < wake) std::this_thread::sleep_for(10ms);
    if (stop) break;
    std::lock_guard<std::mutex> lock(controller_mu_);
    Status s = stack_.KillAndRestartController();
    {
      std::lock_guard<std::mutex> report_lock(mu_);
      ++report_.controller_kills;
    }
    if (!s.ok()) Violation("controller did not come back after SIGKILL: " + s.message());
  }
}

namespace {

struct OwnedState {
  std::map<std::string, std::map<std::string, std::string>> rds;  // lower-case name -> props
  std::set<std::string> snapshots;                                // "rd/snap", lower case
};

OwnedState ReadOwned(Backend& backend, const std::string& owner) {
  OwnedState out;
  simdjson::dom::element doc;
  if (backend.Get("/v1/resource-definitions", &doc) == 200) {
    simdjson::dom::array arr;
    if (doc.get_array().get(arr) == simdjson::SUCCESS) {
      for (auto rd : arr) {
        std::string_view name;
        simdjson::dom::object props;
        if (rd["name"].get_string().get(name) != simdjson::SUCCESS) continue;
        if (rd["props"].get_object().get(props) != simdjson::SUCCESS) continue;
        std::map<std::string, std::string> p;
        for (auto field : props) {
          std::string_view value;
          if (field.value.get_string().get(value) == simdjson::SUCCESS) {
            p[std::string(field.key)] = std::string(value);
          }
        }
        if (p["Aux/csi-owner"] == owner) out.rds[Lower(std::string(name))] = p;
      }
    }
  }
  if (backend.Get("/v1/view/snapshots", &doc) == 200) {
    simdjson::dom::array arr;
    if (doc.get_array().get(arr) == simdjson::SUCCESS) {
      for (auto s : arr) {
        std::string_view name, rd;
        if (s["name"].get_string().get(name) != simdjson::SUCCESS) continue;
        if (s["resource_name"].get_string().get(rd) != simdjson::SUCCESS) continue;
        if (out.rds.count(Lower(std::string(rd)))) {
          out.snapshots.insert(Lower(std::string(rd) + "/" + std::string(name)));
        }
      }
    }
  }
  return out;
}

}  // namespace

void SoakRunner::CheckConverged(const std::vector<Worker*>& workers) {
  std::set<std::string> live_volumes, live_snapshots, snapshot_sources, expected_mounts;
  for (auto* w : workers) {
    for (const auto* v : w->Live()) {
      live_volumes.insert(Lower(v->id));
      if (v->staged) expected_mounts.insert(v->staging);
      if (v->mounted) expected_mounts.insert(v->target);
    }
    for (const auto& s : w->snapshots()) {
      live_snapshots.insert(Lower(s.id));
      snapshot_sources.insert(Lower(s.source_id));
    }
  }
  Backend backend(stack_.sim_url());
  OwnedState owned = ReadOwned(backend, stack_.options().driver_name);
  for (const auto& id : live_volumes) {
    if (!owned.rds.count(id)) Violation("live volume " + id + " has no owned RD in LINSTOR");
  }
  for (const auto& [rd, props] : owned.rds) {
    if (props.count("Aux/csi-incomplete")) Violation("RD " + rd + " is still marked incomplete");
    if (live_volumes.count(rd)) continue;
    if (!snapshot_sources.count(rd)) {
      Violation("orphan: owned RD " + rd + " belongs to no live volume or snapshot");
    } else if (!props.count("Aux/csi-deleted")) {
      Violation("RD " + rd + " of a deleted volume is not marked deleted");
    }
  }
  if (owned.snapshots != live_snapshots) {
    for (const auto& s : owned.snapshots) {
      if (!live_snapshots.count(s)) Violation("orphan snapshot in LINSTOR: " + s);
    }
    for (const auto& s : live_snapshots) {
      if (!owned.snapshots.count(s)) Violation("live snapshot missing in LINSTOR: " + s);
    }
  }
  // The CO's view through the plugin agrees.
  std::set<std::string> listed;
  std::string token;
  do {
    v1::ListVolumesRequest req;
    req.set_max_entries(7);
    req.set_starting_token(token);
    v1::ListVolumesResponse resp;
    grpc::Status s = stack_.controller().ListVolumes(testing::Ctx().get(), req, &resp);
    if (!s.ok()) {
      Violation("ListVolumes after convergence: " + s.error_message());
      break;
    }
    for (const auto& e : resp.entries()) listed.insert(Lower(e.volume().volume_id()));
    token = resp.next_token();
  } while (!token.empty());
  if (listed != live_volumes) {
    Violation("ListVolumes lists " + std::to_string(listed.size()) + " volumes, the CO has " +
              std::to_string(live_volumes.size()));
  }
  std::set<std::string> listed_snaps;
  v1::ListSnapshotsResponse snaps;
  grpc::Status s =
      stack_.controller().ListSnapshots(testing::Ctx().get(), v1::ListSnapshotsRequest(), &snaps);
  if (!s.ok()) Violation("ListSnapshots after convergence: " + s.error_message());
  for (const auto& e : snaps.entries()) listed_snaps.insert(Lower(e.snapshot().snapshot_id()));
  if (listed_snaps != live_snapshots) {
    Violation("ListSnapshots lists " + std::to_string(listed_snaps.size()) +
              " snapshots, the CO has " + std::to_string(live_snapshots.size()));
  }
  for (auto* w : workers) w->CheckNoStrayAttachments();
  // One StorageClass: at most one resource group of ours.
  auto groups =
      backend.admin().ResourceGroupsWithProp("Aux/csi-owner", stack_.options().driver_name);
  if (groups.ok() && groups->size() > 1) {
    Violation(std::to_string(groups->size()) + " owned resource groups for one parameter set");
  }
  auto mounts = MountsUnder(stack_.kubelet_dir());
  std::set<std::string> actual(mounts.begin(), mounts.end());
  if (actual != expected_mounts) {
    Violation("mounts under the kubelet dir: " + std::to_string(actual.size()) + ", expected " +
              std::to_string(expected_mounts.size()));
  }
}

void SoakRunner::CheckEmpty() {
  Backend backend(stack_.sim_url());
  OwnedState owned = ReadOwned(backend, stack_.options().driver_name);
  for (const auto& [rd, props] : owned.rds) Violation("leftover owned RD after teardown: " + rd);
  for (const auto& s : owned.snapshots) Violation("leftover snapshot after teardown: " + s);
  for (const auto& m : MountsUnder(stack_.kubelet_dir())) {
    Violation("leftover mount after teardown: " + m);
    umount2(m.c_str(), MNT_DETACH);  // do not leak it past the test
  }
  auto summary = backend.admin().StateSummary();
  if (!summary.ok()) {
    Violation("state summary: " + summary.status().message());
    return;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(*summary).get(doc) != simdjson::SUCCESS) return;
  for (const char* key : {"resource_definitions", "resources", "snapshots", "loop_devices"}) {
    int64_t n = -1;
    if (doc[key].get_int64().get(n) == simdjson::SUCCESS && n != 0) {
      Violation(std::string("sim state after teardown: ") + key + " = " + std::to_string(n));
    }
  }
  // No loop device of ours is left attached.
  FILE* p = popen("losetup -a 2>/dev/null", "r");
  if (p != nullptr) {
    char line[1024];
    while (fgets(line, sizeof(line), p) != nullptr) {
      if (std::string(line).find(stack_.dir()) != std::string::npos) {
        Violation(std::string("leftover loop device: ") + line);
      }
    }
    pclose(p);
  }
}

SoakReport SoakRunner::Run() {
  auto start = Clock::now();
  Backend backend(stack_.sim_url());
  std::vector<testing::SimFault> faults(2);
  faults[0].path_pattern = "^/v1/";
  faults[0].error_rate = options_.error_rate;
  faults[0].latency_ms = options_.latency_ms;
  faults[0].drop_rate = options_.drop_rate;
  faults[0].seed = options_.seed;
  faults[1].path_pattern = "^/v1/";
  faults[1].method = "POST";
  faults[1].error_rate = options_.after_error_rate;
  faults[1].after = true;
  faults[1].seed = options_.seed + 1;
  for (const auto& f : faults) {
    Status s = backend.admin().AddFault(f);
    if (!s.ok()) Violation("cannot inject faults: " + s.message());
  }

  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < options_.workers; ++i) workers.push_back(std::make_unique<Worker>(*this, i));
  std::atomic<bool> stop_killer{false};
  std::thread killer;
  if (options_.kill_every_seconds > 0) killer = std::thread([&] { KillerLoop(stop_killer); });

  std::atomic<int> budget{options_.operations};
  std::vector<std::thread> threads;
  for (auto& w : workers) {
    threads.emplace_back([&, worker = w.get()] {
      while (budget.fetch_sub(1) > 0 && Seconds(start) < options_.max_seconds) worker->Step();
    });
  }
  for (auto& t : threads) t.join();
  stop_killer = true;
  if (killer.joinable()) killer.join();
  report_.fault_phase_seconds = Seconds(start);
  std::cout << "fault phase done: " << report_.actions << " actions, " << report_.rpcs << " RPCs, "
            << report_.controller_kills << " controller kills in " << report_.fault_phase_seconds
            << " s" << std::endl;

  // Faults stop; everything converges.
  Status cleared = backend.admin().ClearFaults();
  if (!cleared.ok()) Violation("cannot clear faults: " + cleared.message());
  if (!testing::WaitProbeReady(stack_.controller_identity(), 30s)) {
    Violation("controller not ready after the fault phase");
  }
  std::vector<Worker*> raw;
  for (auto& w : workers) raw.push_back(w.get());
  threads.clear();
  for (auto* w : raw) threads.emplace_back([w] { w->Converge(/*keep=*/true); });
  for (auto& t : threads) t.join();
  if (options_.plant_orphan) {
    testing::HttpReply planted = backend.admin().Send(
        "POST", "/v1/resource-definitions",
        "{\"resource_definition\":{\"name\":\"planted-orphan\",\"props\":{\"Aux/csi-owner\":\"" +
            stack_.options().driver_name + "\"}}}");
    std::cout << "planted an orphan RD: HTTP " << planted.status << std::endl;
  }
  CheckConverged(raw);
  // One more crash with everything settled: the state must survive it unchanged.
  Status restarted = stack_.KillAndRestartController();
  if (!restarted.ok()) Violation("restart after convergence: " + restarted.message());
  CheckConverged(raw);

  threads.clear();
  for (auto* w : raw) threads.emplace_back([w] { w->Converge(/*keep=*/false); });
  for (auto& t : threads) t.join();
  CheckEmpty();
  report_.total_seconds = Seconds(start);
  return report_;
}

}  // namespace lcsi::soak
