#include "tools/csictl/commands.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>

#include "csi/csi.grpc.pb.h"
#include "tools/csictl/values.h"

namespace lcsi::csictl {
namespace {

namespace v1 = ::csi::v1;
using google::protobuf::Message;

// ---- generic glue --------------------------------------------------------------------------

template <typename Stub, typename Req, typename Resp>
auto Caller(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*)) {
  return [method](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext* context,
                  const Message& request, MessagePtr* response) {
    Stub stub(channel);
    auto typed = std::make_unique<Resp>();
    grpc::Status status = (stub.*method)(context, static_cast<const Req&>(request), typed.get());
    *response = std::move(typed);
    return status;
  };
}

template <typename Req>
std::function<Result<MessagePtr>(const ParsedFlags&)> Builder(
    std::function<Status(const ParsedFlags&, Req*)> fill) {
  return [fill](const ParsedFlags& flags) -> Result<MessagePtr> {
    auto request = std::make_unique<Req>();
    LCSI_RETURN_IF_ERROR(fill(flags, request.get()));
    return MessagePtr(std::move(request));
  };
}

// Requests without fields.
template <typename Req>
std::function<Result<MessagePtr>(const ParsedFlags&)> EmptyBuilder() {
  return [](const ParsedFlags&) -> Result<MessagePtr> { return MessagePtr(new Req()); };
}

std::vector<FlagSpec> Concat(std::initializer_list<std::vector<FlagSpec>> parts) {
  std::vector<FlagSpec> all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

void CopyMap(const std::map<std::string, std::string>& from,
             google::protobuf::Map<std::string, std::string>* to) {
  for (const auto& [key, value] : from) (*to)[key] = value;
}

// ---- flag groups shared by several RPCs ----------------------------------------------------

FlagSpec Req(std::string name, std::string help, std::string value_name = "VALUE") {
  return {std::move(name), FlagKind::kString, std::move(help), true, std::move(value_name)};
}
FlagSpec Opt(std::string name, std::string help, std::string value_name = "VALUE") {
  return {std::move(name), FlagKind::kString, std::move(help), false, std::move(value_name)};
}
FlagSpec Bool(std::string name, std::string help) {
  return {std::move(name), FlagKind::kBool, std::move(help), false, ""};
}
FlagSpec KeyValues(std::string name, std::string help) {
  return {std::move(name), FlagKind::kKeyValue, std::move(help), false, "KEY=VALUE"};
}
FlagSpec List(std::string name, std::string help, bool required = false,
              std::string value_name = "VALUE") {
  return {std::move(name), FlagKind::kList, std::move(help), required, std::move(value_name)};
}

const std::vector<FlagSpec>& SecretFlags() {
  static const std::vector<FlagSpec> flags = {
      KeyValues("secret", "secret passed to the plugin (never printed)")};
  return flags;
}

const std::vector<FlagSpec>& CapabilityFlags() {
  static const std::vector<FlagSpec> flags = {
      Opt("access-mode",
          "single-node-writer (default), single-node-reader-only, multi-node-reader-only, "
          "multi-node-single-writer, multi-node-multi-writer, single-node-single-writer, "
          "single-node-multi-writer",
          "MODE"),
      Bool("block", "raw block access instead of a filesystem mount"),
      Opt("fs-type", "filesystem type for mount access, e.g. ext4, xfs", "FSTYPE"),
      List("mount-flag", "mount option for mount access, e.g. noatime", false, "FLAG"),
      Opt("mount-group", "volume_mount_group (fsGroup) for mount access", "GID"),
  };
  return flags;
}

const std::vector<FlagSpec>& CapacityFlags(bool required) {
  static const std::vector<FlagSpec> optional = {
      Opt("size", "required bytes, e.g. 1Gi, 500M, 1073741824", "SIZE"),
      Opt("limit", "limit bytes (upper bound), same units as --size", "SIZE"),
  };
  static const std::vector<FlagSpec> needed = {
      Req("size", "required bytes, e.g. 1Gi, 500M, 1073741824", "SIZE"),
      Opt("limit", "limit bytes (upper bound), same units as --size", "SIZE"),
  };
  return required ? needed : optional;
}

bool HasCapabilityFlags(const ParsedFlags& flags) {
  for (const FlagSpec& spec : CapabilityFlags()) {
    if (flags.Has(spec.name)) return true;
  }
  return false;
}

Status FillCapability(const ParsedFlags& flags, v1::VolumeCapability* capability) {
  auto mode = ParseAccessMode(flags.GetOr("access-mode", "single-node-writer"));
  if (!mode.ok()) return mode.status().WithContext("--access-mode");
  capability->mutable_access_mode()->set_mode(*mode);
  if (flags.GetBool("block")) {
    if (flags.Has("fs-type") || flags.Has("mount-flag") || flags.Has("mount-group")) {
      return InvalidArgument(
          "--block cannot be combined with --fs-type, --mount-flag or "
          "--mount-group");
    }
    capability->mutable_block();
    return Status::Ok();
  }
  auto* mount = capability->mutable_mount();
  mount->set_fs_type(flags.GetOr("fs-type", ""));
  for (const std::string& flag : flags.List("mount-flag")) mount->add_mount_flags(flag);
  mount->set_volume_mount_group(flags.GetOr("mount-group", ""));
  return Status::Ok();
}

Status FillCapacity(const ParsedFlags& flags, v1::CapacityRange* range) {
  if (auto size = flags.Get("size")) {
    auto bytes = ParseSize(*size);
    if (!bytes.ok()) return bytes.status().WithContext("--size");
    range->set_required_bytes(*bytes);
  }
  if (auto limit = flags.Get("limit")) {
    auto bytes = ParseSize(*limit);
    if (!bytes.ok()) return bytes.status().WithContext("--limit");
    range->set_limit_bytes(*bytes);
  }
  return Status::Ok();
}

bool HasCapacityFlags(const ParsedFlags& flags) { return flags.Has("size") || flags.Has("limit"); }

Result<int32_t> ParseCount(const ParsedFlags& flags, const std::string& name) {
  auto text = flags.Get(name);
  if (!text) return 0;
  char* end = nullptr;
  long value = std::strtol(text->c_str(), &end, 10);
  if (text->empty() || *end != '\0' || value < 0 || value > INT32_MAX) {
    return InvalidArgument("--" + name + ": expected a non-negative number, got '" + *text + "'");
  }
  return static_cast<int32_t>(value);
}

Status AddTopologies(const std::vector<std::string>& texts, const std::string& flag,
                     google::protobuf::RepeatedPtrField<v1::Topology>* out) {
  for (const std::string& text : texts) {
    auto topology = ParseTopology(text);
    if (!topology.ok()) return topology.status().WithContext("--" + flag);
    *out->Add() = std::move(*topology);
  }
  return Status::Ok();
}

// ---- the command table -----------------------------------------------------------------------

std::vector<Command> MakeCommands() {
  std::vector<Command> c;

  // Identity
  c.push_back({"identity",
               "get-plugin-info",
               "GetPluginInfo",
               "name, vendor version and manifest of the plugin",
               {},
               EmptyBuilder<v1::GetPluginInfoRequest>(),
               Caller(&v1::Identity::Stub::GetPluginInfo)});
  c.push_back({"identity",
               "get-plugin-capabilities",
               "GetPluginCapabilities",
               "plugin capabilities (controller service, topology, ...)",
               {},
               EmptyBuilder<v1::GetPluginCapabilitiesRequest>(),
               Caller(&v1::Identity::Stub::GetPluginCapabilities)});
  c.push_back({"identity",
               "probe",
               "Probe",
               "whether the plugin is healthy and ready",
               {},
               EmptyBuilder<v1::ProbeRequest>(),
               Caller(&v1::Identity::Stub::Probe)});

  // Controller
  c.push_back(
      {"controller", "create-volume", "CreateVolume", "create (or find, by name) a volume",
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
       Builder<v1::CreateVolumeRequest>(
           [](const ParsedFlags& f, v1::CreateVolumeRequest* r) -> Status {
             r->set_name(*f.Get("name"));
             if (HasCapacityFlags(f))
               LCSI_RETURN_IF_ERROR(FillCapacity(f, r->mutable_capacity_range()));
             LCSI_RETURN_IF_ERROR(FillCapability(f, r->add_volume_capabilities()));
             CopyMap(f.Map("param"), r->mutable_parameters());
             CopyMap(f.Map("mutable-param"), r->mutable_mutable_parameters());
             CopyMap(f.Map("secret"), r->mutable_secrets());
             if (f.Has("from-snapshot") && f.Has("from-volume")) {
               return InvalidArgument("--from-snapshot and --from-volume are exclusive");
             }
             if (auto id = f.Get("from-snapshot")) {
               r->mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(*id);
             }
             if (auto id = f.Get("from-volume")) {
               r->mutable_volume_content_source()->mutable_volume()->set_volume_id(*id);
             }
             if (f.Has("requisite-topology") || f.Has("preferred-topology")) {
               auto* req = r->mutable_accessibility_requirements();
               LCSI_RETURN_IF_ERROR(AddTopologies(f.List("requisite-topology"),
                                                  "requisite-topology", req->mutable_requisite()));
               LCSI_RETURN_IF_ERROR(AddTopologies(f.List("preferred-topology"),
                                                  "preferred-topology", req->mutable_preferred()));
             }
             return Status::Ok();
           }),
       Caller(&v1::Controller::Stub::CreateVolume)});

  c.push_back({"controller", "delete-volume", "DeleteVolume", "delete a volume",
               Concat({{Req("volume-id", "volume id", "ID")}, SecretFlags()}),
               Builder<v1::DeleteVolumeRequest>(
                   [](const ParsedFlags& f, v1::DeleteVolumeRequest* r) -> Status {
                     r->set_volume_id(*f.Get("volume-id"));
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::Controller::Stub::DeleteVolume)});

  c.push_back({"controller", "publish-volume", "ControllerPublishVolume",
               "make a volume available on a node (attach)",
               Concat({{Req("volume-id", "volume id", "ID"), Req("node-id", "node id", "NODE")},
                       CapabilityFlags(),
                       {Bool("readonly", "publish read-only"),
                        KeyValues("volume-context", "volume context from create-volume")},
                       SecretFlags()}),
               Builder<v1::ControllerPublishVolumeRequest>(
                   [](const ParsedFlags& f, v1::ControllerPublishVolumeRequest* r) -> Status {
                     r->set_volume_id(*f.Get("volume-id"));
                     r->set_node_id(*f.Get("node-id"));
                     LCSI_RETURN_IF_ERROR(FillCapability(f, r->mutable_volume_capability()));
                     r->set_readonly(f.GetBool("readonly"));
                     CopyMap(f.Map("volume-context"), r->mutable_volume_context());
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::Controller::Stub::ControllerPublishVolume)});

  c.push_back({"controller", "unpublish-volume", "ControllerUnpublishVolume",
               "remove a volume from a node (detach); without --node-id from all nodes",
               Concat({{Req("volume-id", "volume id", "ID"), Opt("node-id", "node id", "NODE")},
                       SecretFlags()}),
               Builder<v1::ControllerUnpublishVolumeRequest>(
                   [](const ParsedFlags& f, v1::ControllerUnpublishVolumeRequest* r) -> Status {
                     r->set_volume_id(*f.Get("volume-id"));
                     r->set_node_id(f.GetOr("node-id", ""));
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::Controller::Stub::ControllerUnpublishVolume)});

  c.push_back({"controller", "validate-volume-capabilities", "ValidateVolumeCapabilities",
               "check whether a volume supports a capability",
               Concat({{Req("volume-id", "volume id", "ID")},
                       CapabilityFlags(),
                       {KeyValues("volume-context", "volume context from create-volume"),
                        KeyValues("param", "StorageClass parameter"),
                        KeyValues("mutable-param", "mutable parameter")},
                       SecretFlags()}),
               Builder<v1::ValidateVolumeCapabilitiesRequest>(
                   [](const ParsedFlags& f, v1::ValidateVolumeCapabilitiesRequest* r) -> Status {
                     r->set_volume_id(*f.Get("volume-id"));
                     LCSI_RETURN_IF_ERROR(FillCapability(f, r->add_volume_capabilities()));
                     CopyMap(f.Map("volume-context"), r->mutable_volume_context());
                     CopyMap(f.Map("param"), r->mutable_parameters());
                     CopyMap(f.Map("mutable-param"), r->mutable_mutable_parameters());
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::Controller::Stub::ValidateVolumeCapabilities)});

  c.push_back({"controller",
               "list-volumes",
               "ListVolumes",
               "list volumes (paged)",
               {Opt("max-entries", "page size (0: all)", "N"),
                Opt("starting-token", "next_token of the previous page", "TOKEN")},
               Builder<v1::ListVolumesRequest>(
                   [](const ParsedFlags& f, v1::ListVolumesRequest* r) -> Status {
                     auto max = ParseCount(f, "max-entries");
                     if (!max.ok()) return max.status();
                     r->set_max_entries(*max);
                     r->set_starting_token(f.GetOr("starting-token", ""));
                     return Status::Ok();
                   }),
               Caller(&v1::Controller::Stub::ListVolumes)});

  c.push_back({"controller", "get-capacity", "GetCapacity",
               "free capacity for parameters and topology",
               Concat({CapabilityFlags(),
                       {KeyValues("param", "StorageClass parameter"),
                        Opt("topology", "accessible topology, e.g. zone=a", "K=V[,K=V]")}}),
               Builder<v1::GetCapacityRequest>(
                   [](const ParsedFlags& f, v1::GetCapacityRequest* r) -> Status {
                     if (HasCapabilityFlags(f)) {
                       LCSI_RETURN_IF_ERROR(FillCapability(f, r->add_volume_capabilities()));
                     }
                     CopyMap(f.Map("param"), r->mutable_parameters());
                     if (auto text = f.Get("topology")) {
                       auto topology = ParseTopology(*text);
                       if (!topology.ok()) return topology.status().WithContext("--topology");
                       *r->mutable_accessible_topology() = std::move(*topology);
                     }
                     return Status::Ok();
                   }),
               Caller(&v1::Controller::Stub::GetCapacity)});

  c.push_back({"controller",
               "get-capabilities",
               "ControllerGetCapabilities",
               "controller service capabilities",
               {},
               EmptyBuilder<v1::ControllerGetCapabilitiesRequest>(),
               Caller(&v1::Controller::Stub::ControllerGetCapabilities)});

  c.push_back({"controller", "create-snapshot", "CreateSnapshot", "snapshot a volume",
               Concat({{Req("source-volume-id", "volume to snapshot", "ID"),
                        Req("name", "snapshot name; the same name is idempotent", "NAME"),
                        KeyValues("param", "VolumeSnapshotClass parameter")},
                       SecretFlags()}),
               Builder<v1::CreateSnapshotRequest>(
                   [](const ParsedFlags& f, v1::CreateSnapshotRequest* r) -> Status {
                     r->set_source_volume_id(*f.Get("source-volume-id"));
                     r->set_name(*f.Get("name"));
                     CopyMap(f.Map("param"), r->mutable_parameters());
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::Controller::Stub::CreateSnapshot)});

  c.push_back({"controller", "delete-snapshot", "DeleteSnapshot", "delete a snapshot",
               Concat({{Req("snapshot-id", "snapshot id", "ID")}, SecretFlags()}),
               Builder<v1::DeleteSnapshotRequest>(
                   [](const ParsedFlags& f, v1::DeleteSnapshotRequest* r) -> Status {
                     r->set_snapshot_id(*f.Get("snapshot-id"));
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::Controller::Stub::DeleteSnapshot)});

  c.push_back({"controller", "list-snapshots", "ListSnapshots", "list snapshots (paged)",
               Concat({{Opt("max-entries", "page size (0: all)", "N"),
                        Opt("starting-token", "next_token of the previous page", "TOKEN"),
                        Opt("source-volume-id", "only snapshots of this volume", "ID"),
                        Opt("snapshot-id", "only this snapshot", "ID")},
                       SecretFlags()}),
               Builder<v1::ListSnapshotsRequest>(
                   [](const ParsedFlags& f, v1::ListSnapshotsRequest* r) -> Status {
                     auto max = ParseCount(f, "max-entries");
                     if (!max.ok()) return max.status();
                     r->set_max_entries(*max);
                     r->set_starting_token(f.GetOr("starting-token", ""));
                     r->set_source_volume_id(f.GetOr("source-volume-id", ""));
                     r->set_snapshot_id(f.GetOr("snapshot-id", ""));
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::Controller::Stub::ListSnapshots)});

  c.push_back({"controller", "get-snapshot", "GetSnapshot", "one snapshot by id",
               Concat({{Req("snapshot-id", "snapshot id", "ID")}, SecretFlags()}),
               Builder<v1::GetSnapshotRequest>(
                   [](const ParsedFlags& f, v1::GetSnapshotRequest* r) -> Status {
                     r->set_snapshot_id(*f.Get("snapshot-id"));
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::Controller::Stub::GetSnapshot)});

  c.push_back({"controller", "expand-volume", "ControllerExpandVolume", "grow a volume",
               Concat({{Req("volume-id", "volume id", "ID")},
                       CapacityFlags(true),
                       CapabilityFlags(),
                       SecretFlags()}),
               Builder<v1::ControllerExpandVolumeRequest>(
                   [](const ParsedFlags& f, v1::ControllerExpandVolumeRequest* r) -> Status {
                     r->set_volume_id(*f.Get("volume-id"));
                     LCSI_RETURN_IF_ERROR(FillCapacity(f, r->mutable_capacity_range()));
                     if (HasCapabilityFlags(f)) {
                       LCSI_RETURN_IF_ERROR(FillCapability(f, r->mutable_volume_capability()));
                     }
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::Controller::Stub::ControllerExpandVolume)});

  c.push_back({"controller",
               "get-volume",
               "ControllerGetVolume",
               "one volume with its published nodes and condition",
               {Req("volume-id", "volume id", "ID")},
               Builder<v1::ControllerGetVolumeRequest>(
                   [](const ParsedFlags& f, v1::ControllerGetVolumeRequest* r) -> Status {
                     r->set_volume_id(*f.Get("volume-id"));
                     return Status::Ok();
                   }),
               Caller(&v1::Controller::Stub::ControllerGetVolume)});

  c.push_back({"controller", "modify-volume", "ControllerModifyVolume",
               "change mutable parameters (VolumeAttributesClass)",
               Concat({{Req("volume-id", "volume id", "ID"),
                        KeyValues("mutable-param", "mutable parameter to set")},
                       SecretFlags()}),
               Builder<v1::ControllerModifyVolumeRequest>(
                   [](const ParsedFlags& f, v1::ControllerModifyVolumeRequest* r) -> Status {
                     r->set_volume_id(*f.Get("volume-id"));
                     CopyMap(f.Map("mutable-param"), r->mutable_mutable_parameters());
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::Controller::Stub::ControllerModifyVolume)});

  // GroupController
  c.push_back({"group",
               "get-capabilities",
               "GroupControllerGetCapabilities",
               "group controller service capabilities",
               {},
               EmptyBuilder<v1::GroupControllerGetCapabilitiesRequest>(),
               Caller(&v1::GroupController::Stub::GroupControllerGetCapabilities)});

  c.push_back({"group", "create-group-snapshot", "CreateVolumeGroupSnapshot",
               "snapshot several volumes at one point in time",
               Concat({{Req("name", "group snapshot name", "NAME"),
                        List("source-volume-id", "volume to include", true, "ID"),
                        KeyValues("param", "VolumeGroupSnapshotClass parameter")},
                       SecretFlags()}),
               Builder<v1::CreateVolumeGroupSnapshotRequest>(
                   [](const ParsedFlags& f, v1::CreateVolumeGroupSnapshotRequest* r) -> Status {
                     r->set_name(*f.Get("name"));
                     for (const auto& id : f.List("source-volume-id")) r->add_source_volume_ids(id);
                     CopyMap(f.Map("param"), r->mutable_parameters());
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::GroupController::Stub::CreateVolumeGroupSnapshot)});

  c.push_back({"group", "delete-group-snapshot", "DeleteVolumeGroupSnapshot",
               "delete a group snapshot and its snapshots",
               Concat({{Req("group-snapshot-id", "group snapshot id", "ID"),
                        List("snapshot-id", "member snapshot id", false, "ID")},
                       SecretFlags()}),
               Builder<v1::DeleteVolumeGroupSnapshotRequest>(
                   [](const ParsedFlags& f, v1::DeleteVolumeGroupSnapshotRequest* r) -> Status {
                     r->set_group_snapshot_id(*f.Get("group-snapshot-id"));
                     for (const auto& id : f.List("snapshot-id")) r->add_snapshot_ids(id);
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::GroupController::Stub::DeleteVolumeGroupSnapshot)});

  c.push_back({"group", "get-group-snapshot", "GetVolumeGroupSnapshot", "one group snapshot",
               Concat({{Req("group-snapshot-id", "group snapshot id", "ID"),
                        List("snapshot-id", "member snapshot id", false, "ID")},
                       SecretFlags()}),
               Builder<v1::GetVolumeGroupSnapshotRequest>(
                   [](const ParsedFlags& f, v1::GetVolumeGroupSnapshotRequest* r) -> Status {
                     r->set_group_snapshot_id(*f.Get("group-snapshot-id"));
                     for (const auto& id : f.List("snapshot-id")) r->add_snapshot_ids(id);
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::GroupController::Stub::GetVolumeGroupSnapshot)});

  // Node
  c.push_back({"node", "stage", "NodeStageVolume",
               "make a volume's device ready and mount it at the staging path",
               Concat({{Req("volume-id", "volume id", "ID"),
                        Req("staging-path", "staging target path", "PATH"),
                        KeyValues("publish-context", "publish context from publish-volume"),
                        KeyValues("volume-context", "volume context from create-volume")},
                       CapabilityFlags(),
                       SecretFlags()}),
               Builder<v1::NodeStageVolumeRequest>(
                   [](const ParsedFlags& f, v1::NodeStageVolumeRequest* r) -> Status {
                     r->set_volume_id(*f.Get("volume-id"));
                     r->set_staging_target_path(*f.Get("staging-path"));
                     CopyMap(f.Map("publish-context"), r->mutable_publish_context());
                     CopyMap(f.Map("volume-context"), r->mutable_volume_context());
                     LCSI_RETURN_IF_ERROR(FillCapability(f, r->mutable_volume_capability()));
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::Node::Stub::NodeStageVolume)});

  c.push_back(
      {"node",
       "unstage",
       "NodeUnstageVolume",
       "unmount the staging path",
       {Req("volume-id", "volume id", "ID"), Req("staging-path", "staging target path", "PATH")},
       Builder<v1::NodeUnstageVolumeRequest>(
           [](const ParsedFlags& f, v1::NodeUnstageVolumeRequest* r) -> Status {
             r->set_volume_id(*f.Get("volume-id"));
             r->set_staging_target_path(*f.Get("staging-path"));
             return Status::Ok();
           }),
       Caller(&v1::Node::Stub::NodeUnstageVolume)});

  c.push_back(
      {"node", "publish", "NodePublishVolume", "bind-mount a staged volume at the target path",
       Concat({{Req("volume-id", "volume id", "ID"), Req("target-path", "target path", "PATH"),
                Opt("staging-path", "staging target path used by stage", "PATH"),
                KeyValues("publish-context", "publish context from publish-volume"),
                KeyValues("volume-context", "volume context from create-volume"),
                Bool("readonly", "publish read-only")},
               CapabilityFlags(),
               SecretFlags()}),
       Builder<v1::NodePublishVolumeRequest>(
           [](const ParsedFlags& f, v1::NodePublishVolumeRequest* r) -> Status {
             r->set_volume_id(*f.Get("volume-id"));
             r->set_target_path(*f.Get("target-path"));
             r->set_staging_target_path(f.GetOr("staging-path", ""));
             CopyMap(f.Map("publish-context"), r->mutable_publish_context());
             CopyMap(f.Map("volume-context"), r->mutable_volume_context());
             r->set_readonly(f.GetBool("readonly"));
             LCSI_RETURN_IF_ERROR(FillCapability(f, r->mutable_volume_capability()));
             CopyMap(f.Map("secret"), r->mutable_secrets());
             return Status::Ok();
           }),
       Caller(&v1::Node::Stub::NodePublishVolume)});

  c.push_back({"node",
               "unpublish",
               "NodeUnpublishVolume",
               "unmount the target path",
               {Req("volume-id", "volume id", "ID"), Req("target-path", "target path", "PATH")},
               Builder<v1::NodeUnpublishVolumeRequest>(
                   [](const ParsedFlags& f, v1::NodeUnpublishVolumeRequest* r) -> Status {
                     r->set_volume_id(*f.Get("volume-id"));
                     r->set_target_path(*f.Get("target-path"));
                     return Status::Ok();
                   }),
               Caller(&v1::Node::Stub::NodeUnpublishVolume)});

  c.push_back({"node",
               "get-volume-stats",
               "NodeGetVolumeStats",
               "bytes and inodes used/free of a published volume",
               {Req("volume-id", "volume id", "ID"),
                Req("volume-path", "a path where the volume is published or staged", "PATH"),
                Opt("staging-path", "staging target path", "PATH")},
               Builder<v1::NodeGetVolumeStatsRequest>(
                   [](const ParsedFlags& f, v1::NodeGetVolumeStatsRequest* r) -> Status {
                     r->set_volume_id(*f.Get("volume-id"));
                     r->set_volume_path(*f.Get("volume-path"));
                     r->set_staging_target_path(f.GetOr("staging-path", ""));
                     return Status::Ok();
                   }),
               Caller(&v1::Node::Stub::NodeGetVolumeStats)});

  c.push_back({"node", "expand-volume", "NodeExpandVolume",
               "grow the filesystem (or check the device) after controller expand-volume",
               Concat({{Req("volume-id", "volume id", "ID"),
                        Req("volume-path", "a path where the volume is published", "PATH"),
                        Opt("staging-path", "staging target path", "PATH")},
                       CapacityFlags(false),
                       CapabilityFlags(),
                       SecretFlags()}),
               Builder<v1::NodeExpandVolumeRequest>(
                   [](const ParsedFlags& f, v1::NodeExpandVolumeRequest* r) -> Status {
                     r->set_volume_id(*f.Get("volume-id"));
                     r->set_volume_path(*f.Get("volume-path"));
                     r->set_staging_target_path(f.GetOr("staging-path", ""));
                     if (HasCapacityFlags(f))
                       LCSI_RETURN_IF_ERROR(FillCapacity(f, r->mutable_capacity_range()));
                     if (HasCapabilityFlags(f)) {
                       LCSI_RETURN_IF_ERROR(FillCapability(f, r->mutable_volume_capability()));
                     }
                     CopyMap(f.Map("secret"), r->mutable_secrets());
                     return Status::Ok();
                   }),
               Caller(&v1::Node::Stub::NodeExpandVolume)});

  c.push_back({"node",
               "get-capabilities",
               "NodeGetCapabilities",
               "node service capabilities",
               {},
               EmptyBuilder<v1::NodeGetCapabilitiesRequest>(),
               Caller(&v1::Node::Stub::NodeGetCapabilities)});

  c.push_back({"node",
               "get-info",
               "NodeGetInfo",
               "node id, volume limit and topology",
               {},
               EmptyBuilder<v1::NodeGetInfoRequest>(),
               Caller(&v1::Node::Stub::NodeGetInfo)});
  return c;
}

// Lower case without '-' and '_': "Create-Volume" == "createvolume".
std::string Normalize(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '-' || ch == '_') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  }
  return out;
}

}  // namespace

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = MakeCommands();
  return commands;
}

const std::vector<std::string>& ServiceNames() {
  static const std::vector<std::string> names = {"identity", "controller", "group", "node"};
  return names;
}

const Command* FindCommand(std::string_view service, std::string_view name) {
  const std::string wanted = Normalize(name);
  for (const Command& command : Commands()) {
    if (command.service != service) continue;
    if (Normalize(command.name) == wanted || Normalize(command.rpc) == wanted) return &command;
    // "node stage-volume" / "controller publish" style shorthands.
    if (Normalize(command.name) + "volume" == wanted) return &command;
  }
  return nullptr;
}

Result<MessagePtr> BuildRequest(const Command& command, std::span<const std::string> args) {
  auto flags = ParseFlags(args, command.flags);
  if (!flags.ok()) return flags.status();
  return command.build(*flags);
}

std::string CommandHelp(const Command& command) {
  std::string out = "Usage: csictl [global flags] " + command.service + " " + command.name +
                    (command.flags.empty() ? "" : " [flags]") + "\n\n" + command.summary +
                    " (CSI " + command.rpc + ").\n";
  if (!command.flags.empty()) out += "\nFlags:\n" + FlagsHelp(command.flags);
  return out;
}

std::string ServiceHelp(std::string_view service) {
  std::string out;
  size_t width = 0;
  for (const Command& command : Commands()) {
    if (command.service == service) width = std::max(width, command.name.size());
  }
  for (const Command& command : Commands()) {
    if (command.service != service) continue;
    out += "  " + command.name + std::string(width - command.name.size() + 2, ' ') +
           command.summary + "\n";
  }
  return out;
}

}  // namespace lcsi::csictl
