#include "test/soak/soak_runner.h"

#include <simdjson.h>
#include <sys/mount.h>

#include <cstdio>
#include <iostream>
#include <set>
#include <thread>

#include "test/soak/soak_worker.h"

namespace lcsi::soak {

namespace v1 = csi::v1;
using namespace std::chrono_literals;

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
  // Every DRBD fault was cleared: all replicas of the live volumes are healthy again.
  for (const auto& id : live_volumes) {
    std::string problem;
    if (!AllHealthy(ReadReplicas(backend, id), &problem)) {
      Violation("DRBD state left behind on " + id + ": " + problem);
    }
  }
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

// No I/O went to a replica that could not serve it (the ledger holds every write of the run
// with the DRBD state the sim reported at that moment).
void SoakRunner::CheckIo() {
  report_.io_ops = ledger_.total();
  report_.io_under_usable_fault = ledger_.under_usable_fault();
  const auto unsafe = ledger_.Unsafe();
  report_.io_unsafe = static_cast<int64_t>(unsafe.size());
  for (const auto& u : unsafe) Violation("unsafe I/O: " + u);
  // The DRBD check must have had something to check.
  int64_t refused = 0;
  for (const auto& [answer, n] : report_.drbd_answers) {
    if (answer.rfind("NodeStageVolume ", 0) == 0 && answer != "NodeStageVolume OK") refused += n;
  }
  if (options_.drbd_rate > 0 && report_.actions >= 500 && refused == 0) {
    Violation("no NodeStageVolume was refused under a DRBD fault: the DRBD check did not run");
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
  if (options_.plant_unsafe_io) raw[0]->PlantUnsafeIo();
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
  CheckIo();
  report_.total_seconds = Seconds(start);
  return report_;
}

}  // namespace lcsi::soak
