// linstor-csi-controller: CSI Identity + Controller + GroupController services backed by
// LINSTOR.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "controller/controller.h"
#include "controller/controller_service.h"
#include "controller/group_controller_service.h"
#include "controller/linstor_probe.h"
#include "csi/identity_service.h"
#include "csi/metrics.h"
#include "csi/plugin_main.h"
#include "linstor/http_linstor_client.h"
#include "linstor/linstor_flags.h"

namespace {

using lcsi::Result;
using lcsi::Status;
namespace ctl = lcsi::controller;

void AddControllerFlags(lcsi::FlagSet& flags) {
  lcsi::linstor::AddLinstorFlags(flags);
  flags.AddString("owner-id", "CSI_OWNER_ID", "",
                  "Marks the LINSTOR objects this installation owns (Aux/csi-owner); default: "
                  "the driver name. Installations sharing a LINSTOR cluster need distinct ids.");
  flags.AddString("worker-threads", "CSI_WORKER_THREADS", "16",
                  "Upper bound of Controller/GroupController calls worked on at once; more wait.");
}

void ObserveLinstorRequest(const lcsi::linstor::HttpRequestInfo& info) {
  lcsi::Metrics::Global().ObserveLinstorRequest(
      info.method, info.path_template, info.status,
      std::chrono::duration<double>(info.duration).count());
}

class ControllerParts final : public lcsi::PluginParts {
 public:
  static Result<std::unique_ptr<ControllerParts>> Create(const lcsi::FlagSet& flags,
                                                         const lcsi::CommonConfig& common) {
    auto config = lcsi::linstor::LinstorConfigFromFlags(flags, lcsi::ProcessEnv());
    if (!config.ok()) return config.status();
    auto threads = flags.GetInt("worker-threads");
    if (!threads.ok() || *threads < 1) {
      return lcsi::InvalidArgument("--worker-threads must be a positive integer");
    }
    // Up to --worker-threads LINSTOR requests run at once; keep that many connections alive
    // rather than reconnecting for every request above the pool's default size.
    config->max_idle_connections =
        std::max(config->max_idle_connections, static_cast<int>(*threads));
    auto client = lcsi::linstor::HttpLinstorClient::Create(*config, ObserveLinstorRequest);
    if (!client.ok()) return client.status();
    ctl::ControllerOptions options;
    options.driver_name = common.driver_name;
    options.owner_id = flags.GetString("owner-id");
    spdlog::info("LINSTOR: {}; owner id {}", config->Describe(),
                 options.owner_id.empty() ? common.driver_name : options.owner_id);
    return std::unique_ptr<ControllerParts>(new ControllerParts(
        std::move(*client), std::move(options), common.driver_name, static_cast<int>(*threads)));
  }

  std::vector<grpc::Service*> Services() override {
    return {&identity_, &controller_service_, &group_service_};
  }
  // /healthz: healthy while the gRPC server serves (checked by RunPlugin) and LINSTOR answers,
  // the same cached check Probe uses, so scraping it costs at most one request per second.
  Status Health() override { return probe_.Check(); }

 private:
  ControllerParts(std::unique_ptr<lcsi::linstor::HttpLinstorClient> client,
                  ctl::ControllerOptions options, const std::string& driver_name, int workers)
      : client_(std::move(client)),
        limiter_(workers),
        probe_(client_.get()),
        controller_(std::move(options), client_.get()),
        identity_(driver_name, lcsi::DriverPluginCapabilities(), [this] { return probe_.Check(); }),
        controller_service_(&controller_, &limiter_),
        group_service_(&controller_, &limiter_) {
    // Ask LINSTOR once now, so an unreachable or too old LINSTOR is reported at start-up;
    // Probe keeps answering not-ready until it is fixed. Never fatal.
    (void)probe_.Check();
  }

  std::unique_ptr<lcsi::linstor::HttpLinstorClient> client_;
  ctl::CallLimiter limiter_;
  ctl::LinstorProbe probe_;
  ctl::Controller controller_;
  lcsi::IdentityService identity_;
  ctl::ControllerService controller_service_;
  ctl::GroupControllerService group_service_;
};

}  // namespace

int main(int argc, char** argv) {
  lcsi::PluginSpec spec;
  spec.program = "linstor-csi-controller";
  spec.component = "controller";
  spec.summary =
      "CSI controller plugin for LINSTOR: provisions volumes, snapshots, clones and group "
      "snapshots, and attaches volumes to nodes.";
  spec.add_flags = AddControllerFlags;
  spec.build = lcsi::BuildParts<ControllerParts>;
  return lcsi::RunPlugin(spec, argc, argv);
}
