// SpawnExec: Exec on posix_spawn with pipes for stdout/stderr and a kill on timeout.
#pragma once

#include "nodeplugin/exec.h"

namespace lcsi::node {

class SpawnExec final : public Exec {
 public:
  Result<ExecResult> Run(const Command& command) override;
};

// Finds `program` in $PATH, then in /usr/sbin:/sbin:/usr/bin:/bin (containers often lack sbin in
// PATH). A program containing '/' is returned as is when executable.
Result<std::string> FindProgram(const std::string& program);

}  // namespace lcsi::node
