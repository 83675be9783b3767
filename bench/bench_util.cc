#include "bench/bench_util.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <mutex>
#include <numeric>
#include <optional>
#include <sstream>
#include <thread>

#include "base/parse_int.h"

#ifndef LCSI_BENCH_BUILD_TYPE
#define LCSI_BENCH_BUILD_TYPE "unknown"
#endif

extern char** environ;

namespace lcsi::bench {

void AddLogLevelFlag(FlagSet& flags) {
  flags.Add({.name = "log-level",
             .help = "The plugins' log level.",
             .value_name = "LEVEL",
             .def = "info"});
}

void AddControllerFlags(FlagSet& flags) {
  flags.Add({.name = "param",
             .kind = FlagKind::kKeyValue,
             .help = "StorageClass parameter of the volumes."});
  flags.Add({.name = "controller-arg",
             .kind = FlagKind::kRepeated,
             .help = "Extra argument for the controller (--controller-arg=--flag=value).",
             .value_name = "ARG"});
}

std::string CommandLine(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (i > 0) out += ' ';
    const bool plain = !a.empty() && a.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_=./:,+@%") == std::string::npos;
    if (plain) {
      out += a;
    } else {
      out += '\'';
      for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      out += '\'';
    }
  }
  return out;
}

std::string MachineLine() {
  std::string cpu = "unknown CPU";
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  }
  utsname u{};
  uname(&u);
  return std::to_string(std::thread::hardware_concurrency()) + " x " + cpu + ", kernel " +
         u.release + ", build " + LCSI_BENCH_BUILD_TYPE;
}

void PrintHeader(const std::string& title, int argc, char** argv) {
  std::printf("== %s ==\ncommand: %s\nmachine: %s\n", title.c_str(),
              CommandLine(argc, argv).c_str(), MachineLine().c_str());
  std::fflush(stdout);
}

double Samples::Percentile(double p) const {
  if (values_.empty()) return 0;
  std::vector<double> v = values_;
  std::sort(v.begin(), v.end());
  if (p <= 0) return v.front();
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::min(v.size(), std::max<size_t>(rank, 1)) - 1];
}

double Samples::Mean() const {
  if (values_.empty()) return 0;
  return std::accumulate(values_.begin(), values_.end(), 0.0) / static_cast<double>(values_.size());
}

std::string Samples::Summary() const {
  char buf[200];
  std::snprintf(buf, sizeof(buf), "n=%zu min %.2f p50 %.2f p90 %.2f p99 %.2f max %.2f mean %.2f ms",
                values_.size(), Min(), Percentile(50), Percentile(90), Percentile(99), Max(),
                Mean());
  return buf;
}

double MsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

std::string Mib(int64_t kib) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f MiB", static_cast<double>(kib) / 1024.0);
  return buf;
}

std::string ProcMemory::ToString() const {
  return "RssAnon " + Mib(rss_anon_kib) + ", RSS " + Mib(vm_rss_kib) + " (file " +
         Mib(rss_file_kib) + ", peak RSS " + Mib(vm_hwm_kib) + "), " + std::to_string(threads) +
         " threads";
}

Result<ProcMemory> ReadProcMemory(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  if (!in) return NotFound("no process " + std::to_string(pid));
  ProcMemory m;
  for (std::string line; std::getline(in, line);) {
    auto value = [&] { return std::atoll(line.c_str() + line.find(':') + 1); };
    if (line.rfind("RssAnon:", 0) == 0) m.rss_anon_kib = value();
    if (line.rfind("RssFile:", 0) == 0) m.rss_file_kib = value();
    if (line.rfind("RssShmem:", 0) == 0) m.rss_shmem_kib = value();
    if (line.rfind("VmRSS:", 0) == 0) m.vm_rss_kib = value();
    if (line.rfind("VmHWM:", 0) == 0) m.vm_hwm_kib = value();
    if (line.rfind("Threads:", 0) == 0) m.threads = static_cast<int>(value());
  }
  return m;
}

double ProcCpuMs(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return -1;
  // Fields after the command name (which may contain spaces) start after the last ')'.
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    // utime and stime are clock ticks.
    if (i == 14) utime = static_cast<double>(ParseInt<int64_t>(field).value_or(0));
    if (i == 15) stime = static_cast<double>(ParseInt<int64_t>(field).value_or(0));
  }
  return (utime + stime) * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct MemorySampler::State {
  pid_t pid;
  std::chrono::milliseconds interval;
  std::atomic<bool> stop{false};
  std::mutex mu;
  ProcMemory peak;
  std::thread thread;
};

MemorySampler::MemorySampler(pid_t pid, std::chrono::milliseconds interval)
    : state_(std::make_unique<State>()) {
  state_->pid = pid;
  state_->interval = interval;
  State* s = state_.get();
  s->thread = std::thread([s] {
    while (!s->stop.load()) {
      auto m = ReadProcMemory(s->pid);
      if (m.ok()) {
        std::lock_guard l(s->mu);
        s->peak.rss_anon_kib = std::max(s->peak.rss_anon_kib, m->rss_anon_kib);
        s->peak.rss_file_kib = std::max(s->peak.rss_file_kib, m->rss_file_kib);
        s->peak.rss_shmem_kib = std::max(s->peak.rss_shmem_kib, m->rss_shmem_kib);
        s->peak.vm_rss_kib = std::max(s->peak.vm_rss_kib, m->vm_rss_kib);
        s->peak.vm_hwm_kib = std::max(s->peak.vm_hwm_kib, m->vm_hwm_kib);
        s->peak.threads = std::max(s->peak.threads, m->threads);
      }
      std::this_thread::sleep_for(s->interval);
    }
  });
}

MemorySampler::~MemorySampler() { Stop(); }

ProcMemory MemorySampler::Stop() {
  if (!state_->stop.exchange(true) && state_->thread.joinable()) state_->thread.join();
  std::lock_guard l(state_->mu);
  return state_->peak;
}

double RunConcurrently(int count, int in_flight, const std::function<void(int, int)>& op) {
  std::atomic<int> next{0};
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int w = 0; w < in_flight; ++w) {
    workers.emplace_back([&, w] {
      for (int i = next++; i < count; i = next++) op(w, i);
    });
  }
  for (auto& t : workers) t.join();
  return MsSince(t0);
}

std::string PvcName(const std::string& tag, int i) {
  // Deterministic, unique per (tag, i), shaped like "pvc-<uuid>" (40 characters).
  uint64_t h = 1469598103934665603ULL;
  for (char c : tag + "/" + std::to_string(i))
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "pvc-%08x-%04x-%04x-%04x-%012llx", i,
                static_cast<unsigned>(h >> 48), static_cast<unsigned>((h >> 32) & 0xffff),
                static_cast<unsigned>((h >> 16) & 0xffff),
                static_cast<unsigned long long>(h & 0xffffffffffffULL));
  return buf;
}

int RunProgram(const std::vector<std::string>& argv, std::string* output) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  std::string out_path;
  if (output != nullptr) {
    char tmpl[] = "/tmp/lcsi-bench-out-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd >= 0) close(fd);
    out_path = tmpl;
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_TRUNC, 0600);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int code = 127;
  if (rc == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  if (output != nullptr) {
    std::ifstream in(out_path);
    std::stringstream ss;
    ss << in.rdbuf();
    *output = ss.str();
    unlink(out_path.c_str());
  }
  return code;
}

int RunBenchmark(int (*main)(int, char**), int argc, char** argv) {
  try {
    return main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}

}  // namespace lcsi::bench
