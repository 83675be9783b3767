// linstor-csi-node: CSI Identity + Node services, mounting LINSTOR/DRBD devices on this node.
#include "csi/identity_service.h"
#include "csi/plugin_main.h"

namespace {

class NodeParts final : public lcsi::PluginParts {
 public:
  explicit NodeParts(const lcsi::CommonConfig& common)
      : identity_(common.driver_name, {}, nullptr) {}
  std::vector<grpc::Service*> Services() override { return {&identity_, &node_}; }

 private:
  lcsi::IdentityService identity_;
  csi::v1::Node::Service node_;  // every RPC answers UNIMPLEMENTED until filled
};

}  // namespace

int main(int argc, char** argv) {
  lcsi::PluginSpec spec;
  spec.program = "linstor-csi-node";
  spec.component = "node";
  spec.summary = "CSI node plugin for LINSTOR: stages and publishes DRBD devices on this node.";
  spec.build =
      [](const lcsi::FlagSet&,
         const lcsi::CommonConfig& common) -> lcsi::Result<std::unique_ptr<lcsi::PluginParts>> {
    return std::unique_ptr<lcsi::PluginParts>(std::make_unique<NodeParts>(common));
  };
  return lcsi::RunPlugin(spec, argc, argv);
}
