#include "nodeplugin/node_service.h"

#include "csi/grpc_status.h"

namespace lcsi::node {
namespace {

using csi::v1::NodeServiceCapability;

constexpr int kMaxStackedUnmounts = 8;

}  // namespace

std::map<std::string, std::string> TopologySegments(
    const std::string& driver_name, const std::string& satellite,
    const std::map<std::string, std::string>& node_props) {
  std::map<std::string, std::string> segments;
  const std::string prefix = kTopologyPropPrefix;
  for (const auto& [key, value] : node_props) {
    if (key.rfind(prefix, 0) != 0 || key.size() == prefix.size()) continue;
    std::string name = key.substr(prefix.size());
    segments[name.find('/') != std::string::npos ? name : driver_name + "/" + name] = value;
  }
  segments[driver_name + "/node"] = satellite;
  return segments;
}

NodeService::NodeService(NodeServiceConfig config, NodeDependencies deps)
    : config_(std::move(config)),
      deps_(deps),
      policy_(deps_.files, config_.allowed_path_prefixes),
      locator_(policy_, deps_.files, deps_.mounter, deps_.directory, config_.satellite) {}

Result<VolumeLocks::Guard> NodeService::Lock(const std::string& volume_id) {
  auto guard = locks_.TryLock(volume_id);
  if (!guard) return Aborted("an operation on volume " + volume_id + " is already in progress");
  return std::move(*guard);
}

Result<std::string> NodeService::LocateDevice(
    const std::string& volume_id, const google::protobuf::Map<std::string, std::string>& ctx) {
  auto it = ctx.find(kDevicePathKey);
  if (it != ctx.end() && !it->second.empty()) return it->second;
  auto device = deps_.directory.DevicePath(volume_id, config_.satellite);
  if (device.ok()) return device;
  if (device.status().code() == Code::kNotFound) {
    return NotFound("volume " + volume_id + " has no device on satellite " + config_.satellite +
                    " (publish_context has no " + kDevicePathKey +
                    " and LINSTOR says: " + device.status().message() + ")");
  }
  return device.status().WithContext("looking up the device of volume " + volume_id);
}

Status NodeService::UnmountAll(const std::string& path) {
  for (int i = 0; i < kMaxStackedUnmounts; ++i) {
    auto mounted = deps_.mounter.IsMountPoint(path);
    if (!mounted.ok()) return mounted.status();
    if (!*mounted) return Status::Ok();
    LCSI_RETURN_IF_ERROR(deps_.mounter.Unmount(path));
  }
  return Internal(path + " is still mounted after " + std::to_string(kMaxStackedUnmounts) +
                  " unmounts");
}

Result<csi::v1::NodeGetInfoResponse> NodeService::GetInfo() {
  LCSI_RETURN_IF_ERROR(deps_.satellite_check.Check());
  auto props = deps_.directory.SatelliteProps(config_.satellite);
  if (!props.ok()) {
    return props.status().WithContext("reading LINSTOR node " + config_.satellite);
  }
  csi::v1::NodeGetInfoResponse resp;
  resp.set_node_id(config_.satellite);
  if (config_.max_volumes_per_node > 0) {
    resp.set_max_volumes_per_node(config_.max_volumes_per_node);
  }
  auto* segments = resp.mutable_accessible_topology()->mutable_segments();
  for (const auto& [key, value] :
       TopologySegments(config_.driver_name, config_.satellite, *props)) {
    (*segments)[key] = value;
  }
  return resp;
}

grpc::Status NodeService::NodeGetCapabilities(grpc::ServerContext*,
                                              const csi::v1::NodeGetCapabilitiesRequest*,
                                              csi::v1::NodeGetCapabilitiesResponse* resp) {
  for (auto type :
       {NodeServiceCapability::RPC::STAGE_UNSTAGE_VOLUME,
        NodeServiceCapability::RPC::GET_VOLUME_STATS, NodeServiceCapability::RPC::EXPAND_VOLUME,
        NodeServiceCapability::RPC::VOLUME_CONDITION,
        NodeServiceCapability::RPC::SINGLE_NODE_MULTI_WRITER}) {
    resp->add_capabilities()->mutable_rpc()->set_type(type);
  }
  return grpc::Status::OK;
}

grpc::Status NodeService::NodeGetInfo(grpc::ServerContext*, const csi::v1::NodeGetInfoRequest*,
                                      csi::v1::NodeGetInfoResponse* resp) {
  auto result = GetInfo();
  if (!result.ok()) return ToGrpcStatus(result.status());
  *resp = std::move(result).value();
  return grpc::Status::OK;
}

}  // namespace lcsi::node
