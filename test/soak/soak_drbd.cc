// DRBD fault episodes and the pod's I/O (see soak_runner.h and drbd_faults.h).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <future>

#include "test/soak/soak_worker.h"

namespace lcsi::soak {

namespace fs = std::filesystem;
namespace v1 = csi::v1;
using namespace std::chrono_literals;

namespace {

// Writes `data` to `path` (created or truncated) and fsyncs it; "" on success, else the error.
std::string WriteSynced(const std::string& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return "open: " + std::string(std::strerror(errno));
  std::string error;
  if (::write(fd, data.data(), data.size()) != static_cast<ssize_t>(data.size())) {
    error = "write: " + std::string(std::strerror(errno));
  } else if (::fsync(fd) != 0) {
    error = "fsync: " + std::string(std::strerror(errno));
  }
  ::close(fd);
  return error;
}

std::string ReadAll(const std::string& path) {
  std::string out;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof(buf))) > 0;) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

}  // namespace

void SoakRunner::Worker::DrbdEpisode(Volume& v) {
  if (v.deleting) {
    Reconcile(v);
    return;
  }
  if (Below(5) == 0) {
    PublishWhileInUse(v);
  } else {
    StageUnderFault(v);
  }
}

void SoakRunner::Worker::PublishWhileInUse(Volume& v) {
  v.want = Volume::kCreated;
  Reconcile(v);
  if (v.id.empty() || v.attached || v.deleting) return;  // a failure was reported
  const std::string& sat = r_.stack_.options().satellite;
  auto replicas = ReadReplicas(backend_, v.id);
  auto plans = ApplicableFaults(replicas, sat, /*for_publish=*/true, 0);
  if (plans.empty()) return;
  const DrbdFaultPlan plan = plans[0];
  if (!InjectFault(v, plan)) return;
  const bool had_local = FindReplica(replicas, sat) != nullptr;
  v1::ControllerPublishVolumeRequest req;
  req.set_volume_id(v.id);
  req.set_node_id(sat);
  *req.mutable_volume_capability() = MountCap();
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    v1::ControllerPublishVolumeResponse resp;
    grpc::Status s =
        r_.stack_.controller().ControllerPublishVolume(testing::Ctx(30s).get(), req, &resp);
    {
      std::lock_guard<std::mutex> lock(r_.mu_);
      ++r_.report_.rpcs;
      ++r_.report_.drbd_answers["ControllerPublishVolume " + CodeName(s.error_code())];
    }
    if (s.ok()) {
      r_.Violation("ControllerPublishVolume " + v.id + " OK while it is in use on " +
                   plan.in_use_node);
      v.attached = true;
      context_[v.id] = {resp.publish_context().begin(), resp.publish_context().end()};
      break;
    }
    if (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
      if (s.error_message().find(plan.in_use_node) == std::string::npos) {
        r_.Violation("ControllerPublishVolume " + v.id + " refused without naming " +
                     plan.in_use_node + ": " + s.error_message());
      }
      break;
    }
    if (!Retryable(s.error_code())) {
      r_.Violation("ControllerPublishVolume " + v.id + " (in use on " + plan.in_use_node +
                   ") returned " + CodeName(s.error_code()) + ": " + s.error_message());
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10 * std::min(attempt + 1, 20)));
  }
  if (!v.attached && !had_local) {
    for (const auto& flags : ResourcesOn(v.id, sat)) {
      if (std::find(flags.begin(), flags.end(), "TIE_BREAKER") == flags.end()) {
        r_.Violation("refused ControllerPublishVolume " + v.id + " left a resource on " + sat);
      }
    }
  }
  ClearActiveFault(v);
  v.want = Volume::kMounted;
  Reconcile(v);
}

void SoakRunner::Worker::StageUnderFault(Volume& v) {
  v.want = Volume::kAttached;
  Reconcile(v);
  if (v.id.empty() || !v.attached || v.staged || v.deleting) return;
  const std::string& sat = r_.stack_.options().satellite;
  const double sync_done = static_cast<double>(Below(10000)) / 100;
  auto plans = ApplicableFaults(ReadReplicas(backend_, v.id), sat, false, sync_done);
  if (plans.empty()) return;
  const DrbdFaultPlan plan = plans[Below(plans.size())];
  if (!InjectFault(v, plan)) return;
  // The sim must report what the fault means (read by the soak's own rule, not the plugin's).
  Verdict seen = Judge(ReadReplicas(backend_, v.id), sat);
  const bool as_planned =
      plan.expect == Expect::kInUseElsewhere
          ? seen.in_use_elsewhere
          : !seen.in_use_elsewhere && seen.usable == (plan.expect == Expect::kUsable);
  if (!as_planned) {
    r_.Violation("the sim reports '" + seen.state + "' for DRBD fault '" + plan.kind +
                 "', expected " + ExpectName(plan.expect));
    ClearActiveFault(v);
    return;
  }
  if (r_.options_.verbose) {
    std::cout << "  DRBD fault on " << v.id << ": " << plan.kind << " (" << seen.state << ")\n";
  }
  if (plan.expect == Expect::kUsable) {
    v.want = Volume::kMounted;
    Reconcile(v);  // stages, publishes and writes: the replica can serve I/O
    if (v.mounted) {
      v1::NodeGetVolumeStatsRequest req;
      req.set_volume_id(v.id);
      req.set_volume_path(v.target);
      v1::NodeGetVolumeStatsResponse resp;
      if (Retry("NodeGetVolumeStats " + v.id,
                [&] {
                  return r_.stack_.node().NodeGetVolumeStats(testing::Ctx(30s).get(), req, &resp);
                }) &&
          !resp.volume_condition().abnormal()) {
        r_.Violation("NodeGetVolumeStats " + v.id + " reports the volume normal under '" +
                     plan.kind + "': " + resp.volume_condition().message());
      }
    }
    ClearActiveFault(v);
    return;
  }
  // Unusable or in use elsewhere: stage must wait and refuse. Sometimes DRBD recovers while
  // NodeStage is waiting (the fault is cleared during the call): then it may succeed.
  auto heal_after = std::chrono::milliseconds(0);
  if (plan.expect == Expect::kUnusable && Below(2) == 0) {
    const auto half =
        static_cast<size_t>(std::max<int64_t>(1, r_.options_.replica_wait.count() / 2));
    heal_after = std::chrono::milliseconds(100 + Below(half));
  }
  if (StageMustWait(v, plan, heal_after)) {
    // Staged: the pod starts at once. Its writes are in the ledger with the state in effect.
    v.want = Volume::kMounted;
    Reconcile(v);
  }
  ClearActiveFault(v);
  v.want = Volume::kMounted;
  Reconcile(v);
}

bool SoakRunner::Worker::StageMustWait(Volume& v, const DrbdFaultPlan& plan,
                                       std::chrono::milliseconds heal_after) {
  fs::create_directories(v.staging);
  v1::NodeStageVolumeRequest req;
  req.set_volume_id(v.id);
  req.set_staging_target_path(v.staging);
  *req.mutable_volume_capability() = MountCap();
  for (const auto& [k, val] : context_[v.id]) (*req.mutable_publish_context())[k] = val;
  const bool in_use = plan.expect == Expect::kInUseElsewhere;
  const int attempts = heal_after.count() > 0 ? 1 : 1 + static_cast<int>(Below(2));
  for (int attempt = 0; attempt < attempts; ++attempt) {
    // A CO whose own deadline is shorter than the node's wait sees DEADLINE_EXCEEDED.
    const auto deadline = !in_use && heal_after.count() == 0 && Below(3) == 0
                              ? r_.options_.replica_wait / 2
                              : std::chrono::milliseconds(30s);
    struct Answer {
      grpc::Status status;
      bool clear_started = false;  // when the answer arrived
    };
    auto call = std::async(std::launch::async, [&] {
      v1::NodeStageVolumeResponse resp;
      Answer a;
      a.status = r_.stack_.node().NodeStageVolume(testing::Ctx(deadline).get(), req, &resp);
      a.clear_started = clear_started_;
      return a;
    });
    if (heal_after.count() > 0) {
      std::this_thread::sleep_for(heal_after);
      ClearActiveFault(v);
    }
    Answer a = call.get();
    const std::string code = CodeName(a.status.error_code());
    {
      std::lock_guard<std::mutex> lock(r_.mu_);
      ++r_.report_.rpcs;
      ++r_.report_.drbd_answers["NodeStageVolume " + code];
    }
    if (a.status.ok()) {
      if (!a.clear_started) {
        r_.Violation("NodeStageVolume " + v.id + " OK while '" + plan.kind +
                     "' was in effect: it staged a replica that cannot serve I/O");
      } else {
        std::lock_guard<std::mutex> lock(r_.mu_);
        ++r_.report_.drbd_stage_waits;
      }
      v.staged = true;
      if (!IsMountPoint(v.staging)) {
        r_.Violation("NodeStageVolume " + v.id + " OK, but " + v.staging + " is not mounted");
      }
      return true;
    }
    const bool expected = in_use ? a.status.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
                                       Retryable(a.status.error_code())
                                 : Retryable(a.status.error_code());
    if (!expected) {
      r_.Violation("NodeStageVolume " + v.id + " under '" + plan.kind + "' returned " + code +
                   ": " + a.status.error_message());
    }
    if (in_use && a.status.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
        a.status.error_message().find(plan.in_use_node) == std::string::npos) {
      r_.Violation("NodeStageVolume " + v.id + " refused without naming " + plan.in_use_node +
                   ": " + a.status.error_message());
    }
    if (!a.clear_started && IsMountPoint(v.staging)) {
      r_.Violation("NodeStageVolume " + v.id + " answered " + code + " under '" + plan.kind +
                   "', but " + v.staging + " is mounted");
    }
    if (r_.options_.verbose) {
      std::cout << "  NodeStageVolume under '" << plan.kind << "': " << code << " "
                << a.status.error_message() << "\n";
    }
  }
  return false;
}

bool SoakRunner::Worker::InjectFault(Volume& v, const DrbdFaultPlan& plan) {
  if (Status s = ApplyFault(backend_.admin(), v.id, plan); !s.ok()) {
    r_.Violation("cannot inject DRBD fault '" + plan.kind + "': " + s.message());
    return false;
  }
  active_fault_ = plan;
  clear_started_ = false;
  Action();
  std::lock_guard<std::mutex> lock(r_.mu_);
  ++r_.report_.drbd_faults[plan.kind];
  return true;
}

void SoakRunner::Worker::ClearActiveFault(Volume& v) {
  if (!active_fault_) return;
  clear_started_ = true;
  const DrbdFaultPlan plan = *active_fault_;
  active_fault_.reset();
  if (Status s = ClearFault(backend_.admin(), v.id, plan); !s.ok()) {
    r_.Violation("cannot clear DRBD fault '" + plan.kind + "' of " + v.id + ": " + s.message());
    return;
  }
  std::string problem;
  if (!AllHealthy(ReadReplicas(backend_, v.id), &problem)) {
    r_.Violation("DRBD fault '" + plan.kind + "' of " + v.id + " cleared, but " + problem);
  }
}

void SoakRunner::Worker::Io(Volume& v, const std::string& why) {
  if (!v.mounted) return;
  const std::string& sat = r_.stack_.options().satellite;
  // What the sim reports right before the I/O; only this worker changes this volume's state.
  Verdict verdict = Judge(ReadReplicas(backend_, v.id), sat);
  IoRecord record;
  record.volume = v.id;
  record.op = why;
  record.fault = active_fault_ ? active_fault_->kind : "";
  record.usable = verdict.usable && !verdict.in_use_elsewhere;
  record.state = verdict.state + (verdict.in_use_elsewhere ? ", Primary elsewhere" : "");
  r_.ledger_.Record(record);
  if (!record.usable && r_.options_.verbose) {
    std::cout << "  I/O on " << v.id << " while unusable: " << record.state << "\n";
  }
  std::string data = v.id + " " + std::to_string(++io_counter_) + "\n";
  data.resize(4096, '.');
  const std::string path = v.target + "/soak-io";
  if (std::string error = WriteSynced(path, data); !error.empty()) {
    r_.Violation(why + " on " + v.id + " failed: " + error);
  } else if (ReadAll(path) != data) {
    r_.Violation(why + " on " + v.id + ": read back other data than written");
  }
}

void SoakRunner::Worker::PlantUnsafeIo() {
  Volume& v = volumes_[0];
  v.want = Volume::kMounted;
  Reconcile(v);
  if (!v.mounted) return;
  DrbdFaultPlan plan{"planted: quorum lost on a mounted volume",
                     Expect::kUnusable,
                     {{r_.stack_.options().satellite, R"({"quorum_lost":true})"}},
                     ""};
  if (Status s = ApplyFault(backend_.admin(), v.id, plan); !s.ok()) {
    r_.Violation("cannot plant: " + s.message());
    return;
  }
  active_fault_ = plan;
  clear_started_ = false;
  std::cout << "planted a write on " << v.id << " while its replica lost quorum" << std::endl;
  Io(v, "planted write");
  ClearActiveFault(v);
}

}  // namespace lcsi::soak
