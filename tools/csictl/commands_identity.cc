// csictl's identity commands: one function per csi.v1.Identity RPC.
#include "csi/csi.grpc.pb.h"
#include "tools/csictl/command_builders.h"
#include "tools/csictl/command_groups.h"

namespace lcsi::csictl {
namespace {

namespace v1 = ::csi::v1;

Command GetPluginInfoCommand() {
  return {"identity",
          "get-plugin-info",
          "GetPluginInfo",
          "name, vendor version and manifest of the plugin",
          {},
          EmptyBuilder<v1::GetPluginInfoRequest>(),
          Caller(&v1::Identity::Stub::GetPluginInfo)};
}

Command GetPluginCapabilitiesCommand() {
  return {"identity",
          "get-plugin-capabilities",
          "GetPluginCapabilities",
          "plugin capabilities (controller service, topology, ...)",
          {},
          EmptyBuilder<v1::GetPluginCapabilitiesRequest>(),
          Caller(&v1::Identity::Stub::GetPluginCapabilities)};
}

Command ProbeCommand() {
  return {"identity",
          "probe",
          "Probe",
          "whether the plugin is healthy and ready",
          {},
          EmptyBuilder<v1::ProbeRequest>(),
          Caller(&v1::Identity::Stub::Probe)};
}

}  // namespace

std::vector<Command> IdentityCommands() {
  return {GetPluginInfoCommand(), GetPluginCapabilitiesCommand(), ProbeCommand()};
}

}  // namespace lcsi::csictl
