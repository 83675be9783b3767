// csictl's controller commands: one function per csi.v1.Controller RPC.
#include "csi/csi.grpc.pb.h"
#include "tools/csictl/command_builders.h"
#include "tools/csictl/command_groups.h"
#include "tools/csictl/values.h"

namespace lcsi::csictl {
namespace {

namespace v1 = ::csi::v1;

Command CreateVolumeCommand() {
  return {
      "controller",
      "create-volume",
      "CreateVolume",
      "create (or find, by name) a volume",
      Concat({{Req("name", "volume name; the same name is idempotent", "NAME")},
              CapacityFlags(false),
              CapabilityFlags(),
              {KeyValues("param", "StorageClass parameter"),
               KeyValues("mutable-param", "mutable parameter (VolumeAttributesClass)"),
               Opt("from-snapshot", "create from this snapshot id", "SNAPSHOT_ID"),
               Opt("from-volume", "clone this volume id", "VOLUME_ID"),
               List("requisite-topology", "requisite topology, e.g. zone=a,rack=1", false,
                    "K=V[,K=V]"),
               List("preferred-topology", "preferred topology, in order", false, "K=V[,K=V]")},
              SecretFlags()}),
      Builder<v1::CreateVolumeRequest>([](const FlagSet& f, v1::CreateVolumeRequest* r) -> Status {
        r->set_name(f.GetString("name"));
        if (HasCapacityFlags(f)) LCSI_RETURN_IF_ERROR(FillCapacity(f, r->mutable_capacity_range()));
        LCSI_RETURN_IF_ERROR(FillCapability(f, r->add_volume_capabilities()));
        CopyMap(f.GetMap("param"), r->mutable_parameters());
        CopyMap(f.GetMap("mutable-param"), r->mutable_mutable_parameters());
        CopyMap(f.GetMap("secret"), r->mutable_secrets());
        if (f.IsSet("from-snapshot") && f.IsSet("from-volume")) {
          return InvalidArgument("--from-snapshot and --from-volume are exclusive");
        }
        if (auto id = f.GetIfSet("from-snapshot")) {
          r->mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(*id);
        }
        if (auto id = f.GetIfSet("from-volume")) {
          r->mutable_volume_content_source()->mutable_volume()->set_volume_id(*id);
        }
        if (f.IsSet("requisite-topology") || f.IsSet("preferred-topology")) {
          auto* req = r->mutable_accessibility_requirements();
          LCSI_RETURN_IF_ERROR(AddTopologies(f.GetList("requisite-topology"), "requisite-topology",
                                             req->mutable_requisite()));
          LCSI_RETURN_IF_ERROR(AddTopologies(f.GetList("preferred-topology"), "preferred-topology",
                                             req->mutable_preferred()));
        }
        return Status::Ok();
      }),
      Caller(&v1::Controller::Stub::CreateVolume)};
}

Command DeleteVolumeCommand() {
  return {
      "controller",
      "delete-volume",
      "DeleteVolume",
      "delete a volume",
      Concat({{Req("volume-id", "volume id", "ID")}, SecretFlags()}),
      Builder<v1::DeleteVolumeRequest>([](const FlagSet& f, v1::DeleteVolumeRequest* r) -> Status {
        r->set_volume_id(f.GetString("volume-id"));
        CopyMap(f.GetMap("secret"), r->mutable_secrets());
        return Status::Ok();
      }),
      Caller(&v1::Controller::Stub::DeleteVolume)};
}

Command ControllerPublishVolumeCommand() {
  return {"controller",
          "publish-volume",
          "ControllerPublishVolume",
          "make a volume available on a node (attach)",
          Concat({{Req("volume-id", "volume id", "ID"), Req("node-id", "node id", "NODE")},
                  CapabilityFlags(),
                  {Bool("readonly", "publish read-only"),
                   KeyValues("volume-context", "volume context from create-volume")},
                  SecretFlags()}),
          Builder<v1::ControllerPublishVolumeRequest>(
              [](const FlagSet& f, v1::ControllerPublishVolumeRequest* r) -> Status {
                r->set_volume_id(f.GetString("volume-id"));
                r->set_node_id(f.GetString("node-id"));
                LCSI_RETURN_IF_ERROR(FillCapability(f, r->mutable_volume_capability()));
                r->set_readonly(f.GetBool("readonly"));
                CopyMap(f.GetMap("volume-context"), r->mutable_volume_context());
                CopyMap(f.GetMap("secret"), r->mutable_secrets());
                return Status::Ok();
              }),
          Caller(&v1::Controller::Stub::ControllerPublishVolume)};
}

Command ControllerUnpublishVolumeCommand() {
  return {"controller",
          "unpublish-volume",
          "ControllerUnpublishVolume",
          "remove a volume from a node (detach); without --node-id from all nodes",
          Concat({{Req("volume-id", "volume id", "ID"), Opt("node-id", "node id", "NODE")},
                  SecretFlags()}),
          Builder<v1::ControllerUnpublishVolumeRequest>(
              [](const FlagSet& f, v1::ControllerUnpublishVolumeRequest* r) -> Status {
                r->set_volume_id(f.GetString("volume-id"));
                r->set_node_id(f.GetString("node-id"));
                CopyMap(f.GetMap("secret"), r->mutable_secrets());
                return Status::Ok();
              }),
          Caller(&v1::Controller::Stub::ControllerUnpublishVolume)};
}

Command ValidateVolumeCapabilitiesCommand() {
  return {"controller",
          "validate-volume-capabilities",
          "ValidateVolumeCapabilities",
          "check whether a volume supports a capability",
          Concat({{Req("volume-id", "volume id", "ID")},
                  CapabilityFlags(),
                  {KeyValues("volume-context", "volume context from create-volume"),
                   KeyValues("param", "StorageClass parameter"),
                   KeyValues("mutable-param", "mutable parameter")},
                  SecretFlags()}),
          Builder<v1::ValidateVolumeCapabilitiesRequest>(
              [](const FlagSet& f, v1::ValidateVolumeCapabilitiesRequest* r) -> Status {
                r->set_volume_id(f.GetString("volume-id"));
                LCSI_RETURN_IF_ERROR(FillCapability(f, r->add_volume_capabilities()));
                CopyMap(f.GetMap("volume-context"), r->mutable_volume_context());
                CopyMap(f.GetMap("param"), r->mutable_parameters());
                CopyMap(f.GetMap("mutable-param"), r->mutable_mutable_parameters());
                CopyMap(f.GetMap("secret"), r->mutable_secrets());
                return Status::Ok();
              }),
          Caller(&v1::Controller::Stub::ValidateVolumeCapabilities)};
}

Command ListVolumesCommand() {
  return {
      "controller",
      "list-volumes",
      "ListVolumes",
      "list volumes (paged)",
      {Opt("max-entries", "page size (0: all)", "N"),
       Opt("starting-token", "next_token of the previous page", "TOKEN")},
      Builder<v1::ListVolumesRequest>([](const FlagSet& f, v1::ListVolumesRequest* r) -> Status {
        auto max = ParseCount(f, "max-entries");
        if (!max.ok()) return max.status();
        r->set_max_entries(*max);
        r->set_starting_token(f.GetString("starting-token"));
        return Status::Ok();
      }),
      Caller(&v1::Controller::Stub::ListVolumes)};
}

Command GetCapacityCommand() {
  return {
      "controller",
      "get-capacity",
      "GetCapacity",
      "free capacity for parameters and topology",
      Concat({CapabilityFlags(),
              {KeyValues("param", "StorageClass parameter"),
               Opt("topology", "accessible topology, e.g. zone=a", "K=V[,K=V]")}}),
      Builder<v1::GetCapacityRequest>([](const FlagSet& f, v1::GetCapacityRequest* r) -> Status {
        if (HasCapabilityFlags(f)) {
          LCSI_RETURN_IF_ERROR(FillCapability(f, r->add_volume_capabilities()));
        }
        CopyMap(f.GetMap("param"), r->mutable_parameters());
        if (auto text = f.GetIfSet("topology")) {
          auto topology = ParseTopology(*text);
          if (!topology.ok()) return topology.status().WithContext("--topology");
          *r->mutable_accessible_topology() = std::move(*topology);
        }
        return Status::Ok();
      }),
      Caller(&v1::Controller::Stub::GetCapacity)};
}

Command ControllerGetCapabilitiesCommand() {
  return {"controller",
          "get-capabilities",
          "ControllerGetCapabilities",
          "controller service capabilities",
          {},
          EmptyBuilder<v1::ControllerGetCapabilitiesRequest>(),
          Caller(&v1::Controller::Stub::ControllerGetCapabilities)};
}

Command CreateSnapshotCommand() {
  return {"controller",
          "create-snapshot",
          "CreateSnapshot",
          "snapshot a volume",
          Concat({{Req("source-volume-id", "volume to snapshot", "ID"),
                   Req("name", "snapshot name; the same name is idempotent", "NAME"),
                   KeyValues("param", "VolumeSnapshotClass parameter")},
                  SecretFlags()}),
          Builder<v1::CreateSnapshotRequest>(
              [](const FlagSet& f, v1::CreateSnapshotRequest* r) -> Status {
                r->set_source_volume_id(f.GetString("source-volume-id"));
                r->set_name(f.GetString("name"));
                CopyMap(f.GetMap("param"), r->mutable_parameters());
                CopyMap(f.GetMap("secret"), r->mutable_secrets());
                return Status::Ok();
              }),
          Caller(&v1::Controller::Stub::CreateSnapshot)};
}

Command DeleteSnapshotCommand() {
  return {"controller",
          "delete-snapshot",
          "DeleteSnapshot",
          "delete a snapshot",
          Concat({{Req("snapshot-id", "snapshot id", "ID")}, SecretFlags()}),
          Builder<v1::DeleteSnapshotRequest>(
              [](const FlagSet& f, v1::DeleteSnapshotRequest* r) -> Status {
                r->set_snapshot_id(f.GetString("snapshot-id"));
                CopyMap(f.GetMap("secret"), r->mutable_secrets());
                return Status::Ok();
              }),
          Caller(&v1::Controller::Stub::DeleteSnapshot)};
}

Command ListSnapshotsCommand() {
  return {"controller",
          "list-snapshots",
          "ListSnapshots",
          "list snapshots (paged)",
          Concat({{Opt("max-entries", "page size (0: all)", "N"),
                   Opt("starting-token", "next_token of the previous page", "TOKEN"),
                   Opt("source-volume-id", "only snapshots of this volume", "ID"),
                   Opt("snapshot-id", "only this snapshot", "ID")},
                  SecretFlags()}),
          Builder<v1::ListSnapshotsRequest>(
              [](const FlagSet& f, v1::ListSnapshotsRequest* r) -> Status {
                auto max = ParseCount(f, "max-entries");
                if (!max.ok()) return max.status();
                r->set_max_entries(*max);
                r->set_starting_token(f.GetString("starting-token"));
                r->set_source_volume_id(f.GetString("source-volume-id"));
                r->set_snapshot_id(f.GetString("snapshot-id"));
                CopyMap(f.GetMap("secret"), r->mutable_secrets());
                return Status::Ok();
              }),
          Caller(&v1::Controller::Stub::ListSnapshots)};
}

Command GetSnapshotCommand() {
  return {
      "controller",
      "get-snapshot",
      "GetSnapshot",
      "one snapshot by id",
      Concat({{Req("snapshot-id", "snapshot id", "ID")}, SecretFlags()}),
      Builder<v1::GetSnapshotRequest>([](const FlagSet& f, v1::GetSnapshotRequest* r) -> Status {
        r->set_snapshot_id(f.GetString("snapshot-id"));
        CopyMap(f.GetMap("secret"), r->mutable_secrets());
        return Status::Ok();
      }),
      Caller(&v1::Controller::Stub::GetSnapshot)};
}

Command ControllerExpandVolumeCommand() {
  return {"controller",
          "expand-volume",
          "ControllerExpandVolume",
          "grow a volume",
          Concat({{Req("volume-id", "volume id", "ID")},
                  CapacityFlags(true),
                  CapabilityFlags(),
                  SecretFlags()}),
          Builder<v1::ControllerExpandVolumeRequest>(
              [](const FlagSet& f, v1::ControllerExpandVolumeRequest* r) -> Status {
                r->set_volume_id(f.GetString("volume-id"));
                LCSI_RETURN_IF_ERROR(FillCapacity(f, r->mutable_capacity_range()));
                if (HasCapabilityFlags(f)) {
                  LCSI_RETURN_IF_ERROR(FillCapability(f, r->mutable_volume_capability()));
                }
                CopyMap(f.GetMap("secret"), r->mutable_secrets());
                return Status::Ok();
              }),
          Caller(&v1::Controller::Stub::ControllerExpandVolume)};
}

Command ControllerGetVolumeCommand() {
  return {"controller",
          "get-volume",
          "ControllerGetVolume",
          "one volume with its published nodes and condition",
          {Req("volume-id", "volume id", "ID")},
          Builder<v1::ControllerGetVolumeRequest>(
              [](const FlagSet& f, v1::ControllerGetVolumeRequest* r) -> Status {
                r->set_volume_id(f.GetString("volume-id"));
                return Status::Ok();
              }),
          Caller(&v1::Controller::Stub::ControllerGetVolume)};
}

Command ControllerModifyVolumeCommand() {
  return {"controller",
          "modify-volume",
          "ControllerModifyVolume",
          "change mutable parameters (VolumeAttributesClass)",
          Concat({{Req("volume-id", "volume id", "ID"),
                   KeyValues("mutable-param", "mutable parameter to set")},
                  SecretFlags()}),
          Builder<v1::ControllerModifyVolumeRequest>(
              [](const FlagSet& f, v1::ControllerModifyVolumeRequest* r) -> Status {
                r->set_volume_id(f.GetString("volume-id"));
                CopyMap(f.GetMap("mutable-param"), r->mutable_mutable_parameters());
                CopyMap(f.GetMap("secret"), r->mutable_secrets());
                return Status::Ok();
              }),
          Caller(&v1::Controller::Stub::ControllerModifyVolume)};
}

}  // namespace

std::vector<Command> ControllerCommands() {
  return {CreateVolumeCommand(),
          DeleteVolumeCommand(),
          ControllerPublishVolumeCommand(),
          ControllerUnpublishVolumeCommand(),
          ValidateVolumeCapabilitiesCommand(),
          ListVolumesCommand(),
          GetCapacityCommand(),
          ControllerGetCapabilitiesCommand(),
          CreateSnapshotCommand(),
          DeleteSnapshotCommand(),
          ListSnapshotsCommand(),
          GetSnapshotCommand(),
          ControllerExpandVolumeCommand(),
          ControllerGetVolumeCommand(),
          ControllerModifyVolumeCommand()};
}

}  // namespace lcsi::csictl
