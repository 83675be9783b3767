// The CSI Node service: stages LINSTOR/DRBD devices (format-if-blank, fsck, mount; or nothing
// for block), publishes them with bind mounts, grows filesystems and reports usage.
//
// Contracts:
//  - Every path in a request must pass the PathPolicy (InvalidArgument otherwise; NotFound for
//    NodeGetVolumeStats, whose only error is "the volume is not at volume_path").
//  - Order of checks: required fields, then existence (NotFound), then everything else.
//  - Stage/Unstage/Publish/Unpublish/Expand hold a per-volume lock; a concurrent call for the
//    same volume gets Aborted and the CO retries.
//  - Every RPC is idempotent: repeating a successful call succeeds without doing anything; a
//    repeat with a different capability at the same path is AlreadyExists.
//  - What Stage did is recorded next to the staging path (stage_record.h), so a restarted plugin
//    answers the same way.
//  - Files and directories are touched only through the Filesystem seam (filesystem_seam.h).
//
// One file per RPC group, each with its gRPC adapter: node_stage.cc (Stage, Unstage),
// node_publish.cc (Publish, Unpublish), node_stats.cc, node_expand.cc; node_service.cc holds
// GetInfo, GetCapabilities and the helpers they share.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "csi/csi.grpc.pb.h"
#include "csi/volume_locks.h"
#include "nodeplugin/block_devices.h"
#include "nodeplugin/device_probe.h"
#include "nodeplugin/exec.h"
#include "nodeplugin/filesystem.h"
#include "nodeplugin/filesystem_seam.h"
#include "nodeplugin/mounter.h"
#include "nodeplugin/path_policy.h"
#include "nodeplugin/satellite_check.h"
#include "nodeplugin/satellite_directory.h"
#include "nodeplugin/volume_access.h"
#include "nodeplugin/volume_locator.h"

namespace lcsi::node {

// publish_context key the controller fills with the device path on this node.
inline constexpr const char* kDevicePathKey = "devicePath";
// volume_context key (StorageClass parameter) with how long NodeStageVolume waits for a
// single-node volume to stop being in use on another node ("30s"; default: refuse at once).
inline constexpr const char* kInUseWaitKey = "inUseWaitTimeout";
// LINSTOR node properties under this prefix become topology segments (see TopologySegments).
inline constexpr const char* kTopologyPropPrefix = "Aux/topology/";

struct NodeServiceConfig {
  std::string driver_name;
  std::string satellite;  // resolved satellite name = node_id
  std::vector<std::string> allowed_path_prefixes;
  int64_t max_volumes_per_node = 0;  // 0 = not reported (unlimited)
  std::chrono::milliseconds device_wait_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds device_poll_interval{std::chrono::milliseconds(100)};
  // How long NodeStageVolume waits for LINSTOR to report a DRBD replica here that can serve
  // I/O (replica_wait.h), polling from replica_poll_interval with back-off.
  std::chrono::milliseconds replica_wait_timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds replica_poll_interval{std::chrono::milliseconds(100)};
  FsToolTimeouts tool_timeouts;
};

// The seams the service works through; all must outlive it.
struct NodeDependencies {
  Mounter& mounter;
  Exec& exec;
  DeviceProbe& prober;
  BlockDevices& devices;
  Clock& clock;
  SatelliteDirectory& directory;
  SatelliteCheck& satellite_check;
  Filesystem& files;
};

// Topology of this node: "<driver>/node" = satellite, plus every "Aux/topology/<key>" property:
// a key that contains '/' is used as is (e.g. "topology.kubernetes.io/zone", as linstor-csi
// does), a bare key becomes "<driver>/<key>" (e.g. "linstor-cpp.csi.io/zone").
std::map<std::string, std::string> TopologySegments(
    const std::string& driver_name, const std::string& satellite,
    const std::map<std::string, std::string>& node_props);

class NodeService final : public csi::v1::Node::Service {
 public:
  NodeService(NodeServiceConfig config, NodeDependencies deps);

  grpc::Status NodeStageVolume(grpc::ServerContext*, const csi::v1::NodeStageVolumeRequest* req,
                               csi::v1::NodeStageVolumeResponse*) override;
  grpc::Status NodeUnstageVolume(grpc::ServerContext*, const csi::v1::NodeUnstageVolumeRequest* req,
                                 csi::v1::NodeUnstageVolumeResponse*) override;
  grpc::Status NodePublishVolume(grpc::ServerContext*, const csi::v1::NodePublishVolumeRequest* req,
                                 csi::v1::NodePublishVolumeResponse*) override;
  grpc::Status NodeUnpublishVolume(grpc::ServerContext*,
                                   const csi::v1::NodeUnpublishVolumeRequest* req,
                                   csi::v1::NodeUnpublishVolumeResponse*) override;
  grpc::Status NodeGetVolumeStats(grpc::ServerContext*,
                                  const csi::v1::NodeGetVolumeStatsRequest* req,
                                  csi::v1::NodeGetVolumeStatsResponse* resp) override;
  grpc::Status NodeExpandVolume(grpc::ServerContext*, const csi::v1::NodeExpandVolumeRequest* req,
                                csi::v1::NodeExpandVolumeResponse* resp) override;
  grpc::Status NodeGetCapabilities(grpc::ServerContext*, const csi::v1::NodeGetCapabilitiesRequest*,
                                   csi::v1::NodeGetCapabilitiesResponse* resp) override;
  grpc::Status NodeGetInfo(grpc::ServerContext*, const csi::v1::NodeGetInfoRequest*,
                           csi::v1::NodeGetInfoResponse* resp) override;

  // The same operations on lcsi::Status, for tests and the gRPC wrappers above.
  Status Stage(const csi::v1::NodeStageVolumeRequest& req);
  Status Unstage(const csi::v1::NodeUnstageVolumeRequest& req);
  Status Publish(const csi::v1::NodePublishVolumeRequest& req);
  Status Unpublish(const csi::v1::NodeUnpublishVolumeRequest& req);
  Result<csi::v1::NodeGetVolumeStatsResponse> GetVolumeStats(
      const csi::v1::NodeGetVolumeStatsRequest& req);
  Result<csi::v1::NodeExpandVolumeResponse> Expand(const csi::v1::NodeExpandVolumeRequest& req);
  Result<csi::v1::NodeGetInfoResponse> GetInfo();

 private:
  Result<VolumeLocks::Guard> Lock(const std::string& volume_id);
  Result<std::string> LocateDevice(const std::string& volume_id,
                                   const google::protobuf::Map<std::string, std::string>& ctx);
  // Marks `condition` abnormal when LINSTOR reports the volume's DRBD replicas unhealthy
  // (linstor/drbd_health.h); leaves it as is when LINSTOR cannot be asked.
  void AddDrbdCondition(const std::string& volume_id, csi::v1::VolumeCondition* condition);
  // Unmounts everything stacked at `path` (bounded); OK when nothing was mounted.
  Status UnmountAll(const std::string& path);
  Status StageFilesystem(const std::string& volume_id, const std::string& staging,
                         const std::string& device, const VolumeAccess& access,
                         const std::vector<std::string>& fs_opts,
                         const std::vector<std::string>& mount_opts);
  Status PublishMount(const csi::v1::NodePublishVolumeRequest& req, const VolumeAccess& access,
                      const std::string& staging, const std::string& target, bool read_only);
  Status PublishBlock(const csi::v1::NodePublishVolumeRequest& req, const std::string& staging,
                      const std::string& target, bool read_only);
  // Another target (not `target`) below the allowed prefixes where `device` is published as a
  // block device; "" when there is none.
  Result<std::string> OtherBlockPublish(const std::string& device, const std::string& target);

  // Removes a target this call created, after the bind mount failed (logs when it cannot).
  void RemoveCreated(const std::string& target);

  // Directories the plugin creates (staging and target paths, their parents), and the file a
  // block volume is bind-mounted on.
  static constexpr mode_t kDirectoryMode = 0750;
  static constexpr mode_t kBlockTargetMode = 0640;

  const NodeServiceConfig config_;
  NodeDependencies deps_;
  PathPolicy policy_;
  VolumeLocator locator_;
  VolumeLocks locks_;
};

}  // namespace lcsi::node
