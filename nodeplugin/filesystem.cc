#include "nodeplugin/filesystem.h"

#include "nodeplugin/tool_output.h"

namespace lcsi::node {
namespace {

std::string OutputOf(const ExecResult& result) {
  return SummarizeToolOutput(result.err, result.out);
}

}  // namespace

bool IsFormattableFs(const std::string& fs_type) {
  return FilesystemMinimumKib(fs_type).has_value();
}

bool IsMountableFs(const std::string& fs_type) {
  return IsFormattableFs(fs_type) || fs_type == "ext3" || fs_type == "ext2";
}

Status ValidateRequestedFs(const std::string& fs_type) {
  if (fs_type.empty() || IsFormattableFs(fs_type)) return Status::Ok();
  return InvalidArgument("unsupported fs_type '" + fs_type +
                         "' (supported: " + FormattableFilesystemNames() + ")");
}

Result<FsPlan> DecideFilesystem(const ProbeResult& probe, const std::string& requested_fs,
                                bool read_only, const std::string& device) {
  LCSI_RETURN_IF_ERROR(ValidateRequestedFs(requested_fs));
  FsPlan plan;
  switch (probe.kind) {
    case ProbeResult::Kind::kBlank:
      if (read_only) {
        return FailedPrecondition(device +
                                  " has no filesystem and the volume is staged "
                                  "read-only: refusing to format it");
      }
      plan.action = FsPlan::Action::kFormat;
      plan.fs_type = requested_fs.empty() ? kDefaultFs : requested_fs;
      return plan;
    case ProbeResult::Kind::kFilesystem: {
      if (!requested_fs.empty() && probe.type != requested_fs) {
        return FailedPrecondition(device + " already holds " + probe.Describe() + ", not the " +
                                  "requested " + requested_fs + ": refusing to reformat it");
      }
      if (!IsMountableFs(probe.type)) {
        return FailedPrecondition(device + " holds " + probe.Describe() +
                                  ", which this plugin does not mount");
      }
      plan.fs_type = probe.type;
      bool ext = plan.fs_type != "xfs";
      plan.action = (ext && !read_only) ? FsPlan::Action::kCheck : FsPlan::Action::kMountAsIs;
      return plan;
    }
    case ProbeResult::Kind::kPartitionTable:
    case ProbeResult::Kind::kOtherSignature:
    case ProbeResult::Kind::kAmbivalent:
      return FailedPrecondition(device + " holds " + probe.Describe() +
                                ": refusing to format or mount it");
  }
  return Internal("unhandled probe result");
}

Result<std::vector<std::string>> ParseFsOpts(const std::string& fs_opts) {
  std::vector<std::string> words;
  std::string current;
  bool in_word = false;
  char quote = 0;
  for (char c : fs_opts) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        current += c;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(current));
      current.clear();
      in_word = false;
    } else {
      current += c;
      in_word = true;
    }
  }
  if (quote != 0) return InvalidArgument("fsOpts has an unterminated quote: " + fs_opts);
  if (in_word) words.push_back(std::move(current));
  for (const auto& word : words) {
    if (word == "-F" || word == "-f" || word == "--force") {
      return InvalidArgument("fsOpts must not contain " + word +
                             ": the plugin only formats blank devices and never forces mkfs");
    }
  }
  return words;
}

Command MkfsCommand(const std::string& fs_type, const std::string& device,
                    const std::vector<std::string>& fs_opts, std::chrono::milliseconds timeout) {
  Command command{"mkfs." + fs_type, fs_opts, timeout};
  command.args.push_back(device);
  return command;
}

Command FsckCommand(const std::string& device, std::chrono::milliseconds timeout) {
  return Command{"e2fsck", {"-p", device}, timeout};
}

Status InterpretFsck(const ExecResult& result, const std::string& device, std::string* warning) {
  int code = result.exit_code;
  if (code == 0 || code == 1) return Status::Ok();
  if (code == 2) {
    if (warning != nullptr) {
      *warning =
          "e2fsck corrected errors on " + device + " and asks for a reboot: " + OutputOf(result);
    }
    return Status::Ok();
  }
  if (code == 4) {
    return FailedPrecondition(
        "e2fsck -p found errors on " + device +
        " it could not correct; repair it manually (e2fsck -f): " + OutputOf(result));
  }
  return Internal("e2fsck -p " + device + " failed with exit code " + std::to_string(code) + ": " +
                  OutputOf(result));
}

Result<Command> GrowCommand(const std::string& fs_type, const std::string& device,
                            const std::string& mount_point, std::chrono::milliseconds timeout) {
  if (fs_type == "ext4" || fs_type == "ext3" || fs_type == "ext2") {
    return Command{"resize2fs", {device}, timeout};
  }
  if (fs_type == "xfs") return Command{"xfs_growfs", {"-d", mount_point}, timeout};
  return FailedPrecondition("cannot grow a " + fs_type + " filesystem");
}

Result<PreparedFilesystem> PrepareFilesystem(DeviceProbe& prober, Exec& exec,
                                             const std::string& device,
                                             const std::string& requested_fs, bool read_only,
                                             const std::vector<std::string>& fs_opts,
                                             const FsToolTimeouts& timeouts) {
  auto probe = prober.Probe(device);
  if (!probe.ok()) return probe.status().WithContext("probing " + device);
  auto plan = DecideFilesystem(*probe, requested_fs, read_only, device);
  if (!plan.ok()) return plan.status();

  PreparedFilesystem prepared;
  prepared.fs_type = plan->fs_type;
  switch (plan->action) {
    case FsPlan::Action::kFormat: {
      Command mkfs = MkfsCommand(plan->fs_type, device, fs_opts, timeouts.mkfs);
      auto run = exec.Run(mkfs);
      if (!run.ok()) return run.status();
      if (run->exit_code != 0) {
        return Internal(mkfs.ToString() + " failed with exit code " +
                        std::to_string(run->exit_code) + ": " + OutputOf(*run));
      }
      prepared.formatted = true;
      break;
    }
    case FsPlan::Action::kCheck: {
      auto run = exec.Run(FsckCommand(device, timeouts.fsck));
      if (!run.ok()) return run.status();
      LCSI_RETURN_IF_ERROR(InterpretFsck(*run, device, &prepared.warning));
      break;
    }
    case FsPlan::Action::kMountAsIs:
      break;
  }
  return prepared;
}

}  // namespace lcsi::node
