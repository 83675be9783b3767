#include "nodeplugin/fake_exec.h"

namespace lcsi::node {

void FakeExec::Expect(std::string program, std::optional<std::vector<std::string>> args,
                      ExecResult result, Status status) {
  std::lock_guard lock(mu_);
  steps_.push_back({std::move(program), std::move(args), std::move(result), std::move(status)});
}

void FakeExec::Expect(std::string program, int exit_code, std::string out, std::string err) {
  Expect(std::move(program), std::nullopt, ExecResult{exit_code, std::move(out), std::move(err)});
}

Result<ExecResult> FakeExec::Run(const Command& command) {
  std::lock_guard lock(mu_);
  calls_.push_back(command);
  if (steps_.empty()) return Internal("FakeExec: unexpected command " + command.ToString());
  Step step = std::move(steps_.front());
  steps_.pop_front();
  if (step.program != command.program || (step.args && *step.args != command.args)) {
    return Internal("FakeExec: expected " + step.program + ", got " + command.ToString());
  }
  if (!step.status.ok()) return step.status;
  return step.result;
}

std::vector<Command> FakeExec::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

std::vector<std::string> FakeExec::call_lines() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> lines;
  for (const auto& c : calls_) lines.push_back(c.ToString());
  return lines;
}

size_t FakeExec::pending() const {
  std::lock_guard lock(mu_);
  return steps_.size();
}

}  // namespace lcsi::node
