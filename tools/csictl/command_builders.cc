#include "tools/csictl/command_builders.h"

#include <cstdint>
#include <optional>

#include "base/parse_int.h"

#include "tools/csictl/values.h"

namespace lcsi::csictl {

namespace v1 = ::csi::v1;

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

FlagSpec Req(std::string name, std::string help, std::string value_name) {
  return {.name = std::move(name),
          .kind = FlagKind::kString,
          .help = std::move(help),
          .value_name = std::move(value_name),
          .required = true};
}
FlagSpec Opt(std::string name, std::string help, std::string value_name) {
  return {.name = std::move(name),
          .kind = FlagKind::kString,
          .help = std::move(help),
          .value_name = std::move(value_name)};
}
FlagSpec Bool(std::string name, std::string help) {
  return {.name = std::move(name), .kind = FlagKind::kBool, .help = std::move(help)};
}
FlagSpec KeyValues(std::string name, std::string help) {
  return {.name = std::move(name), .kind = FlagKind::kKeyValue, .help = std::move(help)};
}
FlagSpec List(std::string name, std::string help, bool required, std::string value_name) {
  return {.name = std::move(name),
          .kind = FlagKind::kRepeated,
          .help = std::move(help),
          .value_name = std::move(value_name),
          .required = required};
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

bool HasCapabilityFlags(const FlagSet& flags) {
  for (const FlagSpec& spec : CapabilityFlags()) {
    if (flags.IsSet(spec.name)) return true;
  }
  return false;
}

Status FillCapability(const FlagSet& flags, v1::VolumeCapability* capability) {
  auto mode = ParseAccessMode(flags.GetIfSet("access-mode").value_or("single-node-writer"));
  if (!mode.ok()) return mode.status().WithContext("--access-mode");
  capability->mutable_access_mode()->set_mode(*mode);
  if (flags.GetBool("block")) {
    if (flags.IsSet("fs-type") || flags.IsSet("mount-flag") || flags.IsSet("mount-group")) {
      return InvalidArgument(
          "--block cannot be combined with --fs-type, --mount-flag or "
          "--mount-group");
    }
    capability->mutable_block();
    return Status::Ok();
  }
  auto* mount = capability->mutable_mount();
  mount->set_fs_type(flags.GetString("fs-type"));
  for (const std::string& flag : flags.GetList("mount-flag")) mount->add_mount_flags(flag);
  mount->set_volume_mount_group(flags.GetString("mount-group"));
  return Status::Ok();
}

Status FillCapacity(const FlagSet& flags, v1::CapacityRange* range) {
  if (auto size = flags.GetIfSet("size")) {
    auto bytes = ParseSize(*size);
    if (!bytes.ok()) return bytes.status().WithContext("--size");
    range->set_required_bytes(*bytes);
  }
  if (auto limit = flags.GetIfSet("limit")) {
    auto bytes = ParseSize(*limit);
    if (!bytes.ok()) return bytes.status().WithContext("--limit");
    range->set_limit_bytes(*bytes);
  }
  return Status::Ok();
}

bool HasCapacityFlags(const FlagSet& flags) { return flags.IsSet("size") || flags.IsSet("limit"); }

Result<int32_t> ParseCount(const FlagSet& flags, const std::string& name) {
  auto text = flags.GetIfSet(name);
  if (!text) return 0;
  const std::optional<int32_t> value = ParseInt<int32_t>(*text);
  if (!value || *value < 0) {
    return InvalidArgument("--" + name + ": expected a non-negative number, got '" + *text + "'");
  }
  return *value;
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

}  // namespace lcsi::csictl
