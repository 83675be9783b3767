#include "nodeplugin/spawn_exec.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace lcsi::node {
namespace {

constexpr size_t kMaxCapture = 1 << 20;

// Closes the fd when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Destroys posix_spawn attribute objects.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

bool IsExecutable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::string Command::ToString() const {
  std::string out = program;
  for (const auto& arg : args) out += " " + arg;
  return out;
}

Result<std::string> FindProgram(const std::string& program) {
  if (program.empty()) return FailedPrecondition("empty program name");
  if (program.find('/') != std::string::npos) {
    if (IsExecutable(program)) return program;
    return FailedPrecondition("program " + program + " is not executable");
  }
  std::string search;
  if (const char* path = std::getenv("PATH")) search = path;
  search += ":/usr/sbin:/sbin:/usr/bin:/bin";
  size_t pos = 0;
  while (pos <= search.size()) {
    size_t end = search.find(':', pos);
    if (end == std::string::npos) end = search.size();
    std::string dir = search.substr(pos, end - pos);
    pos = end + 1;
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + program;
    if (IsExecutable(candidate)) return candidate;
  }
  return FailedPrecondition("program " + program + " not found (is it installed?)");
}

Result<ExecResult> SpawnExec::Run(const Command& command) {
  auto path = FindProgram(command.program);
  if (!path.ok()) return path.status();

  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return Internal("pipe: " + std::string(strerror(errno)));
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) return Internal("pipe: " + std::string(strerror(errno)));
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);

  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.actions, out_write.get(), 1);
  posix_spawn_file_actions_adddup2(&setup.actions, err_write.get(), 2);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  // Nothing else of ours (sockets, files without O_CLOEXEC) leaks into mkfs and friends.
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
#endif
  // Own process group, so a timeout kills helpers the program started too; default signal
  // dispositions and an empty mask, whatever the server's threads block.
  sigset_t empty_mask, default_signals;
  sigemptyset(&empty_mask);
  sigfillset(&default_signals);
  posix_spawnattr_setsigmask(&setup.attr, &empty_mask);
  posix_spawnattr_setsigdefault(&setup.attr, &default_signals);
  posix_spawnattr_setpgroup(&setup.attr, 0);
  posix_spawnattr_setflags(&setup.attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> argv_storage;
  argv_storage.push_back(command.program);
  argv_storage.insert(argv_storage.end(), command.args.begin(), command.args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, path->c_str(), &setup.actions, &setup.attr, argv.data(), environ);
  if (rc != 0) {
    return FailedPrecondition("cannot start " + *path + ": " + std::strerror(rc));
  }
  out_write.Reset();
  err_write.Reset();

  ExecResult result;
  auto deadline = std::chrono::steady_clock::now() + command.timeout;
  bool timed_out = false;
  bool out_open = true, err_open = true;
  char buffer[65536];
  while (out_open || err_open) {
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (remaining.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd fds[2];
    int n = 0;
    if (out_open) fds[n++] = {out_read.get(), POLLIN, 0};
    if (err_open) fds[n++] = {err_read.get(), POLLIN, 0};
    int ready = ::poll(fds, n, static_cast<int>(std::min<long long>(remaining.count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      bool is_out = fds[i].fd == out_read.get();
      ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        (is_out ? out_open : err_open) = false;
        continue;
      }
      std::string& sink = is_out ? result.out : result.err;
      size_t room = kMaxCapture > sink.size() ? kMaxCapture - sink.size() : 0;
      sink.append(buffer, std::min<size_t>(room, static_cast<size_t>(got)));
    }
  }
  if (timed_out) ::kill(-pid, SIGKILL);

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return DeadlineExceeded(command.ToString() + " did not finish within " +
                            std::to_string(command.timeout.count()) + " ms and was killed");
  }
  result.exit_code = DecodeWaitStatus(status);
  return result;
}

}  // namespace lcsi::node
