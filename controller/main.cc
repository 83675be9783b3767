// linstor-csi-controller: CSI Identity + Controller services backed by LINSTOR.
#include "csi/identity_service.h"
#include "csi/plugin_main.h"

namespace {

class ControllerParts final : public lcsi::PluginParts {
 public:
  explicit ControllerParts(const lcsi::CommonConfig& common)
      : identity_(common.driver_name,
                  {lcsi::ServiceCapability(csi::v1::PluginCapability::Service::CONTROLLER_SERVICE)},
                  nullptr) {}
  std::vector<grpc::Service*> Services() override { return {&identity_, &controller_}; }

 private:
  lcsi::IdentityService identity_;
  csi::v1::Controller::Service controller_;  // every RPC answers UNIMPLEMENTED until filled
};

}  // namespace

int main(int argc, char** argv) {
  lcsi::PluginSpec spec;
  spec.program = "linstor-csi-controller";
  spec.component = "controller";
  spec.summary = "CSI controller plugin for LINSTOR: provisions volumes and snapshots.";
  spec.build =
      [](const lcsi::FlagSet&,
         const lcsi::CommonConfig& common) -> lcsi::Result<std::unique_ptr<lcsi::PluginParts>> {
    return std::unique_ptr<lcsi::PluginParts>(std::make_unique<ControllerParts>(common));
  };
  return lcsi::RunPlugin(spec, argc, argv);
}
