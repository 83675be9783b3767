// Exec: the seam for running external programs (blkid, mkfs.*, e2fsck, resize2fs, xfs_growfs).
// SpawnExec is the real one (posix_spawn); FakeExec replays scripted results.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "base/status.h"

namespace lcsi::node {

struct Command {
  std::string program;  // a name looked up in PATH (plus /usr/sbin:/sbin:/usr/bin:/bin) or a path
  std::vector<std::string> args;
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};

  // "mkfs.ext4 -q /dev/drbd1000" (for logs and error messages).
  std::string ToString() const;
};

struct ExecResult {
  int exit_code = 0;  // the program's exit status; 128+N when killed by signal N
  std::string out;    // stdout (capped at 1 MiB)
  std::string err;    // stderr (capped at 1 MiB)
};

class Exec {
 public:
  virtual ~Exec() = default;
  // Runs the command with stdin from /dev/null and waits for it. A non-zero exit status is a
  // successful Run (callers judge exit codes). Errors: FailedPrecondition when the program cannot
  // be found or started; DeadlineExceeded when it ran past its timeout (it and its process
  // group are killed and reaped first).
  virtual Result<ExecResult> Run(const Command& command) = 0;
};

}  // namespace lcsi::node
