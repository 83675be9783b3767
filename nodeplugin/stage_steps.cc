#include "nodeplugin/stage_steps.h"

#include "csi/metrics.h"

namespace lcsi::node {

StageStep::~StageStep() {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  Metrics::Global().ObserveStageStep(name_, seconds);
}

Result<ProbeResult> TimedProbe::Probe(const std::string& device) {
  StageStep step("probe");
  return inner_.Probe(device);
}

Result<ExecResult> TimedExec::Run(const Command& command) {
  // The program's base name keeps the label set small and free of install paths.
  std::string program = command.program.substr(command.program.rfind('/') + 1);
  StageStep step(program);
  return inner_.Run(command);
}

}  // namespace lcsi::node
