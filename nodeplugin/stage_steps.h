// The steps of NodeStageVolume, timed into lcsi_node_stage_step_seconds{step}: an operator sees
// whether a slow stage waited for DRBD, for the device, probed, formatted, checked or mounted.
#pragma once

#include <chrono>
#include <string>

#include "nodeplugin/device_probe.h"
#include "nodeplugin/exec.h"

namespace lcsi::node {

// Observes the time from construction to destruction as step `name`, whatever the outcome.
class StageStep {
 public:
  explicit StageStep(std::string name)
      : name_(std::move(name)), start_(std::chrono::steady_clock::now()) {}
  ~StageStep();
  StageStep(const StageStep&) = delete;
  StageStep& operator=(const StageStep&) = delete;

 private:
  std::string name_;
  std::chrono::steady_clock::time_point start_;
};

// Times every probe as step "probe".
class TimedProbe final : public DeviceProbe {
 public:
  explicit TimedProbe(DeviceProbe& inner) : inner_(inner) {}
  Result<ProbeResult> Probe(const std::string& device) override;

 private:
  DeviceProbe& inner_;
};

// Times every command as a step named after its program ("mkfs.ext4", "e2fsck").
class TimedExec final : public Exec {
 public:
  explicit TimedExec(Exec& inner) : inner_(inner) {}
  Result<ExecResult> Run(const Command& command) override;

 private:
  Exec& inner_;
};

}  // namespace lcsi::node
