// The soak's DRBD faults: what it injects through linstor-sim's admin API
// (POST/DELETE /admin/v1/resources/{rd}/{node}/drbd and .../in-use), and its own reading of the
// sim's resource view to decide whether the replica on the node can serve I/O at a given moment.
//
// The reading (Judge) is the soak's own statement of DRBD's rule, written apart from the
// plugin's classifier (linstor/drbd_health) so that a mistake there cannot hide here: the
// replica may serve I/O when it has the data (diskful UpToDate, or syncing / diskless while
// connected to an UpToDate diskful peer), sees more than half of the resource's DRBD members
// (itself included), and DRBD would let it become Primary (promotion score above 0).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "csi/status.h"
#include "test/conformance/sim_admin.h"
#include "test/soak/soak_util.h"

namespace lcsi::soak {

// One replica of a volume as the sim's GET /v1/view/resources reports it.
struct ReplicaView {
  std::string node;
  bool diskless = false;
  bool tie_breaker = false;
  std::string disk_state;                 // volumes[0].state.disk_state
  std::map<std::string, bool> connected;  // peer node -> layer_object.drbd.connections[].connected
  int64_t promotion_score = -1;           // -1: not reported
  bool in_use = false;                    // state.in_use (DRBD Primary)
};

// The replicas of `rd` (empty when the sim has none or could not be read).
std::vector<ReplicaView> ReadReplicas(Backend& backend, const std::string& rd);
const ReplicaView* FindReplica(const std::vector<ReplicaView>& replicas, const std::string& node);

struct Verdict {
  bool usable = false;            // the replica on the node can serve I/O now
  bool in_use_elsewhere = false;  // Primary on another node
  std::string state;              // what was seen, for messages
};
Verdict Judge(const std::vector<ReplicaView>& replicas, const std::string& node);
// No fault anywhere: every disk UpToDate (Diskless for a diskless resource), every connection up,
// nobody Primary, every non-tiebreaker may be promoted. `problem` says what is not.
bool AllHealthy(const std::vector<ReplicaView>& replicas, std::string* problem);

enum class Expect { kUsable, kUnusable, kInUseElsewhere };
const char* ExpectName(Expect e);

// One fault: DRBD states set on some replicas and/or a replica in use on another node.
struct DrbdFaultPlan {
  std::string kind;  // "local Outdated", "peer disconnected, quorum kept", ...
  Expect expect = Expect::kUnusable;
  std::vector<std::pair<std::string, std::string>> drbd;  // node -> admin POST body
  std::string in_use_node;                                // "" = none
};

// The faults that fit the replicas of one volume for the replica on `node` (which must exist,
// except for in-use faults: `for_publish` asks for those alone, the volume not yet attached).
// `sync_done` is the progress a syncing replica reports.
std::vector<DrbdFaultPlan> ApplicableFaults(const std::vector<ReplicaView>& replicas,
                                            const std::string& node, bool for_publish,
                                            double sync_done);

// Sets / clears the plan's states through the admin API (the admin API has no injected faults).
Status ApplyFault(testing::SimAdmin& admin, const std::string& rd, const DrbdFaultPlan& plan);
Status ClearFault(testing::SimAdmin& admin, const std::string& rd, const DrbdFaultPlan& plan);

// Every I/O the soak sends to a mounted volume, with what the sim reported at that moment.
struct IoRecord {
  std::string volume, op, fault;  // fault: the injected fault in effect, "" = none
  bool usable = false;
  std::string state;
};

class IoLedger {
 public:
  void Record(IoRecord record);
  int64_t total() const;
  int64_t under_usable_fault() const;  // I/O while a fault left the replica usable
  // One line per I/O that went to a replica that could not serve it.
  std::vector<std::string> Unsafe() const;

 private:
  mutable std::mutex mu_;
  std::vector<IoRecord> records_;
};

}  // namespace lcsi::soak
