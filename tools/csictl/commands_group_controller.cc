// csictl's group commands: one function per csi.v1.GroupController RPC.
#include "csi/csi.grpc.pb.h"
#include "tools/csictl/command_builders.h"
#include "tools/csictl/command_groups.h"

namespace lcsi::csictl {
namespace {

namespace v1 = ::csi::v1;

Command GroupControllerGetCapabilitiesCommand() {
  return {"group",
          "get-capabilities",
          "GroupControllerGetCapabilities",
          "group controller service capabilities",
          {},
          EmptyBuilder<v1::GroupControllerGetCapabilitiesRequest>(),
          Caller(&v1::GroupController::Stub::GroupControllerGetCapabilities)};
}

Command CreateVolumeGroupSnapshotCommand() {
  return {"group",
          "create-group-snapshot",
          "CreateVolumeGroupSnapshot",
          "snapshot several volumes at one point in time",
          Concat({{Req("name", "group snapshot name", "NAME"),
                   List("source-volume-id", "volume to include", true, "ID"),
                   KeyValues("param", "VolumeGroupSnapshotClass parameter")},
                  SecretFlags()}),
          Builder<v1::CreateVolumeGroupSnapshotRequest>(
              [](const FlagSet& f, v1::CreateVolumeGroupSnapshotRequest* r) -> Status {
                r->set_name(f.GetString("name"));
                for (const auto& id : f.GetList("source-volume-id")) r->add_source_volume_ids(id);
                CopyMap(f.GetMap("param"), r->mutable_parameters());
                CopyMap(f.GetMap("secret"), r->mutable_secrets());
                return Status::Ok();
              }),
          Caller(&v1::GroupController::Stub::CreateVolumeGroupSnapshot)};
}

Command DeleteVolumeGroupSnapshotCommand() {
  return {"group",
          "delete-group-snapshot",
          "DeleteVolumeGroupSnapshot",
          "delete a group snapshot and its snapshots",
          Concat({{Req("group-snapshot-id", "group snapshot id", "ID"),
                   List("snapshot-id", "member snapshot id", false, "ID")},
                  SecretFlags()}),
          Builder<v1::DeleteVolumeGroupSnapshotRequest>(
              [](const FlagSet& f, v1::DeleteVolumeGroupSnapshotRequest* r) -> Status {
                r->set_group_snapshot_id(f.GetString("group-snapshot-id"));
                for (const auto& id : f.GetList("snapshot-id")) r->add_snapshot_ids(id);
                CopyMap(f.GetMap("secret"), r->mutable_secrets());
                return Status::Ok();
              }),
          Caller(&v1::GroupController::Stub::DeleteVolumeGroupSnapshot)};
}

Command GetVolumeGroupSnapshotCommand() {
  return {"group",
          "get-group-snapshot",
          "GetVolumeGroupSnapshot",
          "one group snapshot",
          Concat({{Req("group-snapshot-id", "group snapshot id", "ID"),
                   List("snapshot-id", "member snapshot id", false, "ID")},
                  SecretFlags()}),
          Builder<v1::GetVolumeGroupSnapshotRequest>(
              [](const FlagSet& f, v1::GetVolumeGroupSnapshotRequest* r) -> Status {
                r->set_group_snapshot_id(f.GetString("group-snapshot-id"));
                for (const auto& id : f.GetList("snapshot-id")) r->add_snapshot_ids(id);
                CopyMap(f.GetMap("secret"), r->mutable_secrets());
                return Status::Ok();
              }),
          Caller(&v1::GroupController::Stub::GetVolumeGroupSnapshot)};
}

}  // namespace

std::vector<Command> GroupControllerCommands() {
  return {GroupControllerGetCapabilitiesCommand(), CreateVolumeGroupSnapshotCommand(),
          DeleteVolumeGroupSnapshotCommand(), GetVolumeGroupSnapshotCommand()};
}

}  // namespace lcsi::csictl
