// The soak's CO model (see soak_runner.h): one worker drives its own volumes through random
// life-cycle actions and DRBD fault episodes, retrying every RPC as a CO does and checking each
// OK against LINSTOR and the mount table. Actions are in soak_worker.cc, DRBD episodes and I/O
// in soak_drbd.cc.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "test/soak/drbd_faults.h"
#include "test/soak/soak_runner.h"
#include "test/soak/soak_util.h"

namespace lcsi::soak {

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
  Worker(SoakRunner& runner, int index);

  // One random CO action (fault phase).
  void Step();

  // Drives every volume to a final want: random (keep == true) or absent; snapshots likewise.
  void Converge(bool keep);

  std::vector<const Volume*> Live() const;
  const std::vector<Snapshot>& snapshots() const;

  // A volume the CO has not (or no longer) attached to the node has no diskless attachment
  // there: an unpublish that reported OK removed it, a failed publish left none behind.
  void CheckNoStrayAttachments();

 private:
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  void Rename(Volume& v);

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

  void Action();

  // --- LINSTOR-side checks of what an OK claimed ---
  bool RdExists(const std::string& rd, simdjson::dom::element* rd_json = nullptr);
  int64_t VolumeBytes(const std::string& rd);
  // Flags of every resource of `rd` on `node` (empty when there is none).
  std::vector<std::vector<std::string>> ResourcesOn(const std::string& rd, const std::string& node);
  bool SnapshotExists(const std::string& snapshot_id);

  // --- actions ---
  void Create(Volume& v, const std::string& from_snapshot = "");

  void Restore(Volume& v, const Snapshot& snap);

  void ControllerPublish(Volume& v);

  void ControllerUnpublish(Volume& v);

  void Stage(Volume& v);

  void NodePublish(Volume& v);

  void NodeUnpublish(Volume& v);

  void Unstage(Volume& v);

  void Delete(Volume& v);

  void TakeSnapshot(Volume& v);

  void DeleteSnapshot(size_t index);

  void Expand(Volume& v);

  // Moves one volume to its want, in life-cycle order.
  void Reconcile(Volume& v);

  // --- DRBD faults and I/O (soak_drbd.cc) ---
  // One DRBD fault episode on `v`: bring it to the state the fault needs, inject the fault,
  // check what the plugin answers, clear the fault, mount the volume and write to it.
  void DrbdEpisode(Volume& v);
  void PublishWhileInUse(Volume& v);
  void StageUnderFault(Volume& v);
  // NodeStageVolume attempts while `plan`'s replica cannot serve I/O (or is in use elsewhere):
  // each must fail, and nothing may be mounted. With `heal_after` > 0 the fault is cleared that
  // long after the first attempt started; that attempt may then succeed, but only after it.
  // Returns whether the volume got staged.
  bool StageMustWait(Volume& v, const DrbdFaultPlan& plan, std::chrono::milliseconds heal_after);
  // Injects `plan` on `v` as the active fault and counts it; false (a violation reported)
  // when the sim refuses.
  bool InjectFault(Volume& v, const DrbdFaultPlan& plan);
  void ClearActiveFault(Volume& v);
  // The pod's I/O on a mounted volume (write, fsync, read back), recorded in the ledger with
  // the DRBD state the sim reports at that moment.
  void Io(Volume& v, const std::string& why);
  // Self-check (--plant-unsafe-io): I/O on a mounted volume while its replica lost quorum.
  void PlantUnsafeIo();

  SoakRunner& r_;
  int index_;
  std::mt19937_64 rng_;
  Backend backend_;
  std::vector<Volume> volumes_;
  std::vector<Snapshot> snapshots_;
  std::map<std::string, std::map<std::string, std::string>> context_;
  int snapshot_counter_ = 0;
  // The DRBD fault in effect on a volume of this worker (one at a time), and whether its
  // clearing has begun (an OK observed before that is an OK for an unusable replica).
  std::optional<DrbdFaultPlan> active_fault_;
  std::atomic<bool> clear_started_{false};
  int64_t io_counter_ = 0;

  friend class SoakRunner;
};

}  // namespace lcsi::soak
