// A child process for tests: started with fork/exec, output captured to a file, stopped with
// a signal, always reaped (RAII) so no test leaves processes behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace lcsi::testing {

class TestProcess {
 public:
  // Starts `argv[0]` with `argv`; stdout and stderr go to `log_path`.
  TestProcess(std::vector<std::string> argv, std::string log_path,
              std::vector<std::string> extra_env = {});
  ~TestProcess();
  TestProcess(const TestProcess&) = delete;
  TestProcess& operator=(const TestProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void Signal(int sig);
  // Waits for exit; returns the exit status (or 128+signal), nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  std::string Output() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
  std::string log_path_;
};

// Polls `predicate` every few milliseconds until it holds or `timeout` passes.
template <typename Predicate>
bool WaitFor(Predicate predicate, std::chrono::milliseconds timeout);

// Waits until `proc` has created its unix socket `socket`; false when it exits first or
// `timeout` passes.
bool WaitUntilListening(TestProcess& proc, const std::string& socket,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

std::string MakeTempDir(const std::string& prefix);

// A fresh directory below /tmp for one test's sockets and logs, removed with its contents on
// destruction unless KEEP is set (to read the logs of a failed run).
class TestDir {
 public:
  explicit TestDir(const std::string& prefix) : path_(MakeTempDir(prefix)) {}
  ~TestDir();
  TestDir(const TestDir&) = delete;
  TestDir& operator=(const TestDir&) = delete;

  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The port a plugin binary started with --http-address 127.0.0.1:0 logged for its /metrics
// endpoint; 0 when `log` has no such line yet. (A port chosen by the caller and closed again
// could be taken by another test's outgoing connection before the binary binds it.)
int LoggedHttpPort(const std::string& log);

}  // namespace lcsi::testing

#include <thread>

template <typename Predicate>
bool lcsi::testing::WaitFor(Predicate predicate, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return predicate();
}
