// csictl's node commands: one function per csi.v1.Node RPC.
#include "csi/csi.grpc.pb.h"
#include "tools/csictl/command_builders.h"
#include "tools/csictl/command_groups.h"

namespace lcsi::csictl {
namespace {

namespace v1 = ::csi::v1;

Command NodeStageVolumeCommand() {
  return {"node",
          "stage",
          "NodeStageVolume",
          "make a volume's device ready and mount it at the staging path",
          Concat({{Req("volume-id", "volume id", "ID"),
                   Req("staging-path", "staging target path", "PATH"),
                   KeyValues("publish-context", "publish context from publish-volume"),
                   KeyValues("volume-context", "volume context from create-volume")},
                  CapabilityFlags(),
                  SecretFlags()}),
          Builder<v1::NodeStageVolumeRequest>(
              [](const FlagSet& f, v1::NodeStageVolumeRequest* r) -> Status {
                r->set_volume_id(f.GetString("volume-id"));
                r->set_staging_target_path(f.GetString("staging-path"));
                CopyMap(f.GetMap("publish-context"), r->mutable_publish_context());
                CopyMap(f.GetMap("volume-context"), r->mutable_volume_context());
                LCSI_RETURN_IF_ERROR(FillCapability(f, r->mutable_volume_capability()));
                CopyMap(f.GetMap("secret"), r->mutable_secrets());
                return Status::Ok();
              }),
          Caller(&v1::Node::Stub::NodeStageVolume)};
}

Command NodeUnstageVolumeCommand() {
  return {"node",
          "unstage",
          "NodeUnstageVolume",
          "unmount the staging path",
          {Req("volume-id", "volume id", "ID"), Req("staging-path", "staging target path", "PATH")},
          Builder<v1::NodeUnstageVolumeRequest>(
              [](const FlagSet& f, v1::NodeUnstageVolumeRequest* r) -> Status {
                r->set_volume_id(f.GetString("volume-id"));
                r->set_staging_target_path(f.GetString("staging-path"));
                return Status::Ok();
              }),
          Caller(&v1::Node::Stub::NodeUnstageVolume)};
}

Command NodePublishVolumeCommand() {
  return {"node",
          "publish",
          "NodePublishVolume",
          "bind-mount a staged volume at the target path",
          Concat({{Req("volume-id", "volume id", "ID"), Req("target-path", "target path", "PATH"),
                   Opt("staging-path", "staging target path used by stage", "PATH"),
                   KeyValues("publish-context", "publish context from publish-volume"),
                   KeyValues("volume-context", "volume context from create-volume"),
                   Bool("readonly", "publish read-only")},
                  CapabilityFlags(),
                  SecretFlags()}),
          Builder<v1::NodePublishVolumeRequest>(
              [](const FlagSet& f, v1::NodePublishVolumeRequest* r) -> Status {
                r->set_volume_id(f.GetString("volume-id"));
                r->set_target_path(f.GetString("target-path"));
                r->set_staging_target_path(f.GetString("staging-path"));
                CopyMap(f.GetMap("publish-context"), r->mutable_publish_context());
                CopyMap(f.GetMap("volume-context"), r->mutable_volume_context());
                r->set_readonly(f.GetBool("readonly"));
                LCSI_RETURN_IF_ERROR(FillCapability(f, r->mutable_volume_capability()));
                CopyMap(f.GetMap("secret"), r->mutable_secrets());
                return Status::Ok();
              }),
          Caller(&v1::Node::Stub::NodePublishVolume)};
}

Command NodeUnpublishVolumeCommand() {
  return {"node",
          "unpublish",
          "NodeUnpublishVolume",
          "unmount the target path",
          {Req("volume-id", "volume id", "ID"), Req("target-path", "target path", "PATH")},
          Builder<v1::NodeUnpublishVolumeRequest>(
              [](const FlagSet& f, v1::NodeUnpublishVolumeRequest* r) -> Status {
                r->set_volume_id(f.GetString("volume-id"));
                r->set_target_path(f.GetString("target-path"));
                return Status::Ok();
              }),
          Caller(&v1::Node::Stub::NodeUnpublishVolume)};
}

Command NodeGetVolumeStatsCommand() {
  return {"node",
          "get-volume-stats",
          "NodeGetVolumeStats",
          "bytes and inodes used/free of a published volume",
          {Req("volume-id", "volume id", "ID"),
           Req("volume-path", "a path where the volume is published or staged", "PATH"),
           Opt("staging-path", "staging target path", "PATH")},
          Builder<v1::NodeGetVolumeStatsRequest>(
              [](const FlagSet& f, v1::NodeGetVolumeStatsRequest* r) -> Status {
                r->set_volume_id(f.GetString("volume-id"));
                r->set_volume_path(f.GetString("volume-path"));
                r->set_staging_target_path(f.GetString("staging-path"));
                return Status::Ok();
              }),
          Caller(&v1::Node::Stub::NodeGetVolumeStats)};
}

Command NodeExpandVolumeCommand() {
  return {"node",
          "expand-volume",
          "NodeExpandVolume",
          "grow the filesystem (or check the device) after controller expand-volume",
          Concat({{Req("volume-id", "volume id", "ID"),
                   Req("volume-path", "a path where the volume is published", "PATH"),
                   Opt("staging-path", "staging target path", "PATH")},
                  CapacityFlags(false),
                  CapabilityFlags(),
                  SecretFlags()}),
          Builder<v1::NodeExpandVolumeRequest>(
              [](const FlagSet& f, v1::NodeExpandVolumeRequest* r) -> Status {
                r->set_volume_id(f.GetString("volume-id"));
                r->set_volume_path(f.GetString("volume-path"));
                r->set_staging_target_path(f.GetString("staging-path"));
                if (HasCapacityFlags(f))
                  LCSI_RETURN_IF_ERROR(FillCapacity(f, r->mutable_capacity_range()));
                if (HasCapabilityFlags(f)) {
                  LCSI_RETURN_IF_ERROR(FillCapability(f, r->mutable_volume_capability()));
                }
                CopyMap(f.GetMap("secret"), r->mutable_secrets());
                return Status::Ok();
              }),
          Caller(&v1::Node::Stub::NodeExpandVolume)};
}

Command NodeGetCapabilitiesCommand() {
  return {"node",
          "get-capabilities",
          "NodeGetCapabilities",
          "node service capabilities",
          {},
          EmptyBuilder<v1::NodeGetCapabilitiesRequest>(),
          Caller(&v1::Node::Stub::NodeGetCapabilities)};
}

Command NodeGetInfoCommand() {
  return {"node",
          "get-info",
          "NodeGetInfo",
          "node id, volume limit and topology",
          {},
          EmptyBuilder<v1::NodeGetInfoRequest>(),
          Caller(&v1::Node::Stub::NodeGetInfo)};
}

}  // namespace

std::vector<Command> NodeCommands() {
  return {NodeStageVolumeCommand(),     NodeUnstageVolumeCommand(),  NodePublishVolumeCommand(),
          NodeUnpublishVolumeCommand(), NodeGetVolumeStatsCommand(), NodeExpandVolumeCommand(),
          NodeGetCapabilitiesCommand(), NodeGetInfoCommand()};
}

}  // namespace lcsi::csictl
