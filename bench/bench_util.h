// Small helpers every benchmark shares (their flags: base/flags_main.h): the header that records
// the command line and the machine, latency statistics, /proc/PID/status memory readings, and a
// tiny worker pool that keeps N operations in flight. Benchmarks print numbers; they assert
// nothing about time.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/flags.h"
#include "base/status.h"

namespace lcsi::bench {

// --log-level LEVEL: the log level of the plugins a benchmark starts (default info).
void AddLogLevelFlag(FlagSet& flags);
// --param KEY=VALUE (the StorageClass parameters of the volumes) and --controller-arg ARG (extra
// arguments for the controller), both repeatable.
void AddControllerFlags(FlagSet& flags);

// The command line, shell-quoted, as it would be typed again.
std::string CommandLine(int argc, char** argv);
// "2 x Intel(R) Xeon(R) ..., kernel 6.1.0, build RelWithDebInfo".
std::string MachineLine();
// Prints "== title ==", the command line and the machine line.
void PrintHeader(const std::string& title, int argc, char** argv);

// Percentiles over collected samples (milliseconds).
class Samples {
 public:
  void Add(double ms) { values_.push_back(ms); }
  size_t size() const { return values_.size(); }
  double Last() const { return values_.empty() ? 0 : values_.back(); }
  double Percentile(double p) const;  // p in [0, 100], nearest-rank
  double Mean() const;
  double Min() const { return Percentile(0); }
  double Max() const { return Percentile(100); }
  // "n=.. min .. p50 .. p90 .. p99 .. max .. ms"
  std::string Summary() const;

 private:
  std::vector<double> values_;
};

double MsSince(std::chrono::steady_clock::time_point t0);

// From /proc/PID/status, in KiB.
struct ProcMemory {
  int64_t rss_anon_kib = 0;
  int64_t rss_file_kib = 0;
  int64_t rss_shmem_kib = 0;
  int64_t vm_rss_kib = 0;  // total RSS
  int64_t vm_hwm_kib = 0;  // peak total RSS
  int threads = 0;
  std::string ToString() const;  // "RssAnon 3.1 MiB, RSS 17.4 MiB (peak 18.0), 5 threads"
};
Result<ProcMemory> ReadProcMemory(pid_t pid);
std::string Mib(int64_t kib);

// User + system CPU time a process has used so far, in ms (/proc/PID/stat); -1 if unknown.
double ProcCpuMs(pid_t pid);

// Samples a process's memory every `interval` in a background thread while alive; the peak of
// RssAnon and of VmRSS seen.
class MemorySampler {
 public:
  MemorySampler(pid_t pid, std::chrono::milliseconds interval);
  ~MemorySampler();
  MemorySampler(const MemorySampler&) = delete;
  MemorySampler& operator=(const MemorySampler&) = delete;
  ProcMemory Stop();  // the peaks (each field its own maximum)

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Runs op(worker, i) for i in [0, count) on `in_flight` threads (worker in [0, in_flight)),
// each taking the next index. Returns the wall time in ms.
double RunConcurrently(int count, int in_flight, const std::function<void(int, int)>& op);

// A name like a Kubernetes PV: "pvc-<8 hex>-<4>-<4>-<4>-<12>" derived from (tag, i).
std::string PvcName(const std::string& tag, int i);

// Runs argv (absolute path) and waits; returns the exit code (127 if it could not start).
// Output goes to /dev/null unless `output` is given.
int RunProgram(const std::vector<std::string>& argv, std::string* output = nullptr);

// Runs a benchmark's Main and turns an escaping exception into a message and exit code 1, after
// unwinding (so the destructors stop the processes the benchmark started).
int RunBenchmark(int (*main)(int, char**), int argc, char** argv);

}  // namespace lcsi::bench
