#include "tools/csictl/command_builders.h"

#include <cstdint>
#include <cstdlib>

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
  return {std::move(name), FlagKind::kString, std::move(help), true, std::move(value_name)};
}
FlagSpec Opt(std::string name, std::string help, std::string value_name) {
  return {std::move(name), FlagKind::kString, std::move(help), false, std::move(value_name)};
}
FlagSpec Bool(std::string name, std::string help) {
  return {std::move(name), FlagKind::kBool, std::move(help), false, ""};
}
FlagSpec KeyValues(std::string name, std::string help) {
  return {std::move(name), FlagKind::kKeyValue, std::move(help), false, "KEY=VALUE"};
}
FlagSpec List(std::string name, std::string help, bool required, std::string value_name) {
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

}  // namespace lcsi::csictl
