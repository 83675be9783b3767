#include "nodeplugin/post_mount.h"

#include "nodeplugin/tool_output.h"

namespace lcsi::node {

Command PostMountXfsCommand(const std::string& opts, const std::string& target) {
  return Command{"xfs_io", {"-c", opts, target}, std::chrono::seconds(60)};
}

Status RunPostMountXfsOpts(Exec& exec, const std::string& opts, const std::string& target) {
  const Command command = PostMountXfsCommand(opts, target);
  auto ran = exec.Run(command);
  if (!ran.ok()) return Internal("postMountXfsOpts: " + ran.status().message());
  // xfs_io reports a failed command on stderr and may still exit 0.
  if (ran->exit_code != 0 || !ran->err.empty()) {
    return Internal("postMountXfsOpts: " + command.ToString() + " failed (exit " +
                    std::to_string(ran->exit_code) +
                    "): " + SummarizeToolOutput(ran->err, ran->out));
  }
  return Status::Ok();
}

}  // namespace lcsi::node
