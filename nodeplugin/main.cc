// linstor-csi-node: CSI Identity + Node services, mounting LINSTOR/DRBD devices on this node.
#include <spdlog/spdlog.h>

#include "base/clock.h"
#include "csi/identity_service.h"
#include "csi/plugin_main.h"
#include "linstor/client_config.h"
#include "linstor/http_linstor_client.h"
#include "linstor/linstor_flags.h"
#include "nodeplugin/block_devices.h"
#include "nodeplugin/capabilities.h"
#include "nodeplugin/libblkid_probe.h"
#include "nodeplugin/linstor_satellite_directory.h"
#include "nodeplugin/node_service.h"
#include "nodeplugin/posix_filesystem.h"
#include "nodeplugin/satellite_check.h"
#include "nodeplugin/satellite_name.h"
#include "nodeplugin/spawn_exec.h"
#include "nodeplugin/system_mounter.h"

namespace {

using lcsi::Result;
using lcsi::Status;
namespace node = lcsi::node;

void AddNodeFlags(lcsi::FlagSet& flags) {
  lcsi::linstor::AddLinstorFlags(flags);
  flags.AddString("node-name", "KUBE_NODE_NAME", "",
                  "The orchestrator's name of this node (downward API spec.nodeName).");
  flags.AddString("satellite-name", "LINSTOR_SATELLITE_NAME", "",
                  "LINSTOR satellite name of this node; overrides --satellite-map and "
                  "--node-name.");
  flags.AddString("satellite-map", "SATELLITE_MAP_FILE", "",
                  "File mapping node names to satellite names: lines 'node-name "
                  "satellite-name' or YAML 'node-name: satellite-name', '#' comments.");
  flags.AddList("allowed-path-prefix", "CSI_ALLOWED_PATH_PREFIXES", "/var/lib/kubelet",
                "Directories below which staging and target paths must lie (repeatable, or "
                "comma-separated in the environment).");
  flags.AddString("max-volumes-per-node", "CSI_MAX_VOLUMES_PER_NODE", "0",
                  "max_volumes_per_node reported by NodeGetInfo; 0 = unlimited.");
  flags.AddString("device-wait-timeout", "CSI_DEVICE_WAIT_TIMEOUT", "30s",
                  "How long NodeStageVolume waits for the device node to appear.");
  flags.AddString("replica-wait-timeout", "CSI_REPLICA_WAIT_TIMEOUT", "60s",
                  "How long NodeStageVolume waits for LINSTOR to report a DRBD replica on this "
                  "node that can serve I/O (UpToDate, or syncing or diskless while connected to "
                  "an UpToDate peer) before answering UNAVAILABLE with the states it saw.");
}

class NodeParts final : public lcsi::PluginParts {
 public:
  static Result<std::unique_ptr<NodeParts>> Create(const lcsi::FlagSet& flags,
                                                   const lcsi::CommonConfig& common) {
    auto satellite = node::ResolveSatelliteNameFromFlags(flags.GetString("satellite-name"),
                                                         flags.GetString("satellite-map"),
                                                         flags.GetString("node-name"));
    if (!satellite.ok()) return satellite.status();
    auto linstor_config = lcsi::linstor::LinstorConfigFromFlags(flags, lcsi::ProcessEnv());
    if (!linstor_config.ok()) return linstor_config.status();
    auto client = lcsi::linstor::HttpLinstorClient::Create(*linstor_config);
    if (!client.ok()) return client.status();

    node::NodeServiceConfig config;
    config.driver_name = common.driver_name;
    config.satellite = satellite->name;
    config.allowed_path_prefixes = flags.GetList("allowed-path-prefix");
    for (const auto& prefix : config.allowed_path_prefixes) {
      if (prefix.empty() || prefix.front() != '/') {
        return lcsi::InvalidArgument("--allowed-path-prefix '" + prefix +
                                     "' is not an absolute path");
      }
    }
    auto max_volumes = flags.GetInt("max-volumes-per-node");
    if (!max_volumes.ok() || *max_volumes < 0) {
      return lcsi::InvalidArgument("--max-volumes-per-node must be a number >= 0");
    }
    config.max_volumes_per_node = *max_volumes;
    auto wait = flags.GetDuration("device-wait-timeout");
    if (!wait.ok()) return wait.status().WithContext("--device-wait-timeout");
    config.device_wait_timeout = *wait;
    auto replica_wait = flags.GetDuration("replica-wait-timeout");
    if (!replica_wait.ok()) return replica_wait.status().WithContext("--replica-wait-timeout");
    config.replica_wait_timeout = *replica_wait;

    spdlog::info("this node is LINSTOR satellite \"{}\" (from {}); LINSTOR at {}", satellite->name,
                 satellite->source, linstor_config->Describe());
    if (node::HasEffectiveCapability(node::kCapSysAdmin) == false) {
      spdlog::warn("no CAP_SYS_ADMIN: mounting will fail; run the node plugin privileged");
    }
    if (node::HasEffectiveCapability(node::kCapSysResource) == false) {
      spdlog::warn("no CAP_SYS_RESOURCE: ext4 volumes cannot be grown online");
    }
    return std::make_unique<NodeParts>(std::move(config), satellite->source,
                                       std::move(client).value());
  }

  // Use Create(), which validates the flags first.
  NodeParts(node::NodeServiceConfig config, const std::string& satellite_source,
            std::unique_ptr<lcsi::linstor::HttpLinstorClient> client)
      : client_(std::move(client)),
        directory_(*client_),
        check_(config.satellite, satellite_source, directory_, clock_),
        identity_(config.driver_name, lcsi::DriverPluginCapabilities(),
                  [this] { return check_.Check(); }) {
    service_ = std::make_unique<node::NodeService>(
        std::move(config), node::NodeDependencies{mounter_, exec_, prober_, devices_, clock_,
                                                  directory_, check_, files_});
    // Ask LINSTOR once now, so a wrong satellite name is reported at start-up; Probe keeps
    // answering not-ready (with back-off) until it is fixed. Never fatal.
    (void)check_.Check();
  }

  std::vector<grpc::Service*> Services() override { return {&identity_, service_.get()}; }

 private:
  std::unique_ptr<lcsi::linstor::HttpLinstorClient> client_;
  node::LinstorSatelliteDirectory directory_;
  node::SystemMounter mounter_;
  node::SpawnExec exec_;
  node::LibblkidProbe prober_;
  node::SystemBlockDevices devices_;
  node::PosixFilesystem files_;
  lcsi::Clock& clock_ = lcsi::SystemClock::Instance();
  node::SatelliteCheck check_;
  lcsi::IdentityService identity_;
  std::unique_ptr<node::NodeService> service_;
};

}  // namespace

int main(int argc, char** argv) {
  lcsi::PluginSpec spec;
  spec.program = "linstor-csi-node";
  spec.component = "node";
  spec.summary =
      "CSI node plugin for LINSTOR: stages and publishes DRBD devices on this node. Satellite "
      "name: --satellite-name, else this node's entry in --satellite-map, else --node-name, "
      "else the host name.";
  spec.add_flags = AddNodeFlags;
  spec.build = lcsi::BuildParts<NodeParts>;
  return lcsi::RunPlugin(spec, argc, argv);
}
