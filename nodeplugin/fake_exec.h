// FakeExec: replays scripted results in order and records every command it was asked to run.
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "nodeplugin/exec.h"

namespace lcsi::node {

class FakeExec final : public Exec {
 public:
  // Scripts the next call: it must run `program` (and exactly `args`, when given); it answers
  // `result`, or `status` when that is not OK.
  void Expect(std::string program, std::optional<std::vector<std::string>> args, ExecResult result,
              Status status = Status::Ok());
  // Convenience: exit code plus output.
  void Expect(std::string program, int exit_code, std::string out = "", std::string err = "");

  // A call with no script left, or one that does not match, is Internal (and recorded).
  Result<ExecResult> Run(const Command& command) override;

  std::vector<Command> calls() const;
  // "blkid -p -o export /dev/x" per call.
  std::vector<std::string> call_lines() const;
  size_t pending() const;

 private:
  struct Step {
    std::string program;
    std::optional<std::vector<std::string>> args;
    ExecResult result;
    Status status;
  };
  mutable std::mutex mu_;
  std::deque<Step> steps_;
  std::vector<Command> calls_;
};

}  // namespace lcsi::node
