#include "controller/parameters.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "base/duration.h"
#include "base/parse_int.h"
#include "controller/hashing.h"
#include "controller/linstor_csi_values.h"
#include "controller/names.h"

namespace lcsi::controller {

namespace {

constexpr std::string_view kK8sPrefix = "csi.storage.k8s.io/";
constexpr std::string_view kPropertyPrefix = "property.";
constexpr std::string_view kDrbdOptions = "DrbdOptions/";
constexpr std::string_view kOnNoQuorumProp = "DrbdOptions/Resource/on-no-quorum";
constexpr std::string_view kAutoDiskfulProp = "DrbdOptions/auto-diskful";
constexpr std::string_view kAutoTiebreakerProp = "DrbdOptions/auto-add-quorum-tiebreaker";
constexpr int32_t kMaxPlacementCount = 32;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && Lower(s.substr(0, prefix.size())) == Lower(prefix);
}

// Where a parameter key belongs.
struct Classified {
  enum Kind { kOurs, kProperty, kKubernetes, kForeign } kind;
  std::string name;  // key without its namespace
};

Result<Classified> Classify(const std::string& key, std::string_view driver_name) {
  if (StartsWith(key, kK8sPrefix)) {
    return Classified{Classified::kKubernetes, key.substr(kK8sPrefix.size())};
  }
  if (StartsWithNoCase(key, kPropertyPrefix)) {
    const std::string rest = key.substr(kPropertyPrefix.size());
    for (std::string_view ns : {driver_name, kLinstorCsiPrefix}) {
      const std::string prefix = std::string(ns) + "/";
      if (StartsWith(rest, prefix) && rest.size() > prefix.size()) {
        return Classified{Classified::kProperty, rest.substr(prefix.size())};
      }
    }
    return InvalidArgument("parameter '" + key + "': expected property." +
                           std::string(driver_name) + "/<LINSTOR property key>");
  }
  for (std::string_view ns : {driver_name, kLinstorCsiPrefix}) {
    const std::string prefix = std::string(ns) + "/";
    if (StartsWith(key, prefix)) return Classified{Classified::kOurs, key.substr(prefix.size())};
  }
  const size_t slash = key.find('/');
  if (slash != std::string::npos && key.substr(0, slash).find('.') != std::string::npos) {
    return Classified{Classified::kForeign, key};
  }
  return Classified{Classified::kOurs, key};
}

Result<bool> ParseBool(const std::string& key, const std::string& value) {
  const std::string v = Lower(value);
  if (v == "true" || v == "yes" || v == "1") return true;
  if (v == "false" || v == "no" || v == "0") return false;
  return InvalidArgument("parameter '" + key + "': '" + value + "' is not a boolean (true/false)");
}

Result<int32_t> ParsePlacementCount(const std::string& key, const std::string& value) {
  const std::optional<int32_t> parsed = ParseInt<int32_t>(value);
  if (!parsed) {
    return InvalidArgument("parameter '" + key + "': '" + value + "' is not an integer");
  }
  const int32_t n = *parsed;
  if (n < 1 || n > kMaxPlacementCount) {
    return InvalidArgument("parameter '" + key + "': " + value + " is outside 1.." +
                           std::to_string(kMaxPlacementCount));
  }
  return n;
}

std::vector<std::string> SplitList(const std::string& value) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : value) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

Result<std::vector<std::string>> ParseNameList(const std::string& key, const std::string& value) {
  std::vector<std::string> out = SplitList(value);
  if (out.empty()) return InvalidArgument("parameter '" + key + "' is empty");
  std::set<std::string> seen;
  for (const auto& name : out) {
    if (!seen.insert(name).second) {
      return InvalidArgument("parameter '" + key + "' lists '" + name + "' twice");
    }
  }
  return out;
}

// replicasOnSame/Different entries are node property keys (optionally key=value): "Aux/..." as
// is, anything else a topology key under "Aux/topology/" (as linstor-csi under piraeus).
Result<std::vector<std::string>> ParsePlacementProps(const std::string& key,
                                                     const std::string& value) {
  auto list = ParseNameList(key, value);
  if (!list.ok()) return list.status();
  for (auto& entry : *list) {
    if (entry.front() == '=' || entry.back() == '/') {
      return InvalidArgument("parameter '" + key + "': '" + entry + "' is not a property key");
    }
    entry = TopologyPropertyKey(entry);
  }
  return list;
}

Result<std::vector<std::string>> ParseLayerList(const std::string& key, const std::string& value) {
  static const std::set<std::string> kLayers = {"DRBD",       "LUKS",  "STORAGE", "NVME",
                                                "WRITECACHE", "CACHE", "BCACHE"};
  auto list = ParseNameList(key, value);
  if (!list.ok()) return list.status();
  for (auto& layer : *list) {
    std::transform(layer.begin(), layer.end(), layer.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (!kLayers.count(layer)) {
      return InvalidArgument("parameter '" + key + "': unknown layer '" + layer +
                             "' (known: drbd luks storage nvme writecache cache bcache)");
    }
  }
  for (size_t i = 0; i < list->size(); ++i) {
    for (size_t j = i + 1; j < list->size(); ++j) {
      if ((*list)[i] == (*list)[j]) {
        return InvalidArgument("parameter '" + key + "' lists layer " + (*list)[i] + " twice");
      }
    }
  }
  if (std::find(list->begin(), list->end(), "STORAGE") != list->end() &&
      list->back() != "STORAGE") {
    return InvalidArgument("parameter '" + key + "': the storage layer must be the last one");
  }
  return list;
}

Result<std::string> ParseOnNoQuorum(const std::string& key, const std::string& value) {
  const std::string v = Lower(value);
  if (v == "io-error" || v == "suspend-io") return v;
  return InvalidArgument("parameter '" + key + "': '" + value +
                         "' is not one of io-error, suspend-io");
}

// Minutes for LINSTOR's DrbdOptions/auto-diskful: a bare number is minutes; a duration
// ("90s", "30m", "2h") is rounded up to whole minutes.
Result<std::string> ParseAutoDiskful(const std::string& key, const std::string& value) {
  const bool digits = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  long long minutes = 0;
  if (digits) {
    minutes = ParseInt<long long>(value).value_or(-1);
  } else {
    auto d = ParseDuration(value);
    if (!d.ok()) {
      return InvalidArgument("parameter '" + key + "': '" + value +
                             "' is neither minutes nor a duration like 30m");
    }
    minutes = (d->count() + 59999) / 60000;
  }
  if (minutes < 1 || minutes > 1000000) {
    return InvalidArgument("parameter '" + key + "': '" + value + "' must be at least one minute");
  }
  return std::to_string(minutes);
}

Status ValidateLinstorPropKey(const std::string& param, const std::string& prop) {
  if (prop.empty() || prop.front() == '/' || prop.back() == '/' ||
      prop.find("//") != std::string::npos) {
    return InvalidArgument("parameter '" + param + "': '" + prop +
                           "' is not a valid LINSTOR property key");
  }
  for (char c : prop) {
    if (std::iscntrl(static_cast<unsigned char>(c)) || c == ' ' || c == '=') {
      return InvalidArgument("parameter '" + param + "': '" + prop +
                             "' is not a valid LINSTOR property key");
    }
  }
  if (StartsWith(prop, "Aux/csi-")) {
    return InvalidArgument("parameter '" + param + "': '" + prop +
                           "' is reserved for the plugin's own bookkeeping");
  }
  return Status::Ok();
}

// Records a LINSTOR property, refusing two different values for the same key.
Status SetProp(linstor::Props& props, const std::string& param, const std::string& prop,
               const std::string& value) {
  auto [it, inserted] = props.emplace(prop, value);
  if (!inserted && it->second != value) {
    return InvalidArgument("parameter '" + param + "' sets " + prop + "='" + value +
                           "' but another parameter already set it to '" + it->second + "'");
  }
  return Status::Ok();
}

// A DRBD-option key (DrbdOptions/... or an Incus-style knob): fills `prop`/`value` and returns
// true when `lower` is one of them.
Result<bool> ParseDrbdKey(const std::string& key, const std::string& name, const std::string& lower,
                          const std::string& value, std::string* prop, std::string* out_value) {
  if (StartsWithNoCase(name, kDrbdOptions)) {
    *prop = std::string(kDrbdOptions) + name.substr(kDrbdOptions.size());
    if (name.size() == kDrbdOptions.size()) {
      return InvalidArgument("parameter '" + key + "' names no DRBD option");
    }
    LCSI_RETURN_IF_ERROR(ValidateLinstorPropKey(key, *prop));
    *out_value = value;
    return true;
  }
  if (lower == "on-no-quorum" || lower == "onnoquorum" || lower == "drbd.on_no_quorum") {
    auto v = ParseOnNoQuorum(key, value);
    if (!v.ok()) return v.status();
    *prop = kOnNoQuorumProp;
    *out_value = *v;
    return true;
  }
  if (lower == "auto-diskful" || lower == "autodiskful" || lower == "drbd.auto_diskful") {
    auto v = ParseAutoDiskful(key, value);
    if (!v.ok()) return v.status();
    *prop = kAutoDiskfulProp;
    *out_value = *v;
    return true;
  }
  if (lower == "auto-add-quorum-tiebreaker" || lower == "autoaddquorumtiebreaker" ||
      lower == "drbd.auto_add_quorum_tiebreaker") {
    auto v = ParseBool(key, value);
    if (!v.ok()) return v.status();
    *prop = kAutoTiebreakerProp;
    *out_value = *v ? "True" : "False";
    return true;
  }
  return false;
}

// Each logical key may be given once, under any of its spellings.
Status NoteKey(std::map<std::string, std::string>& seen, const std::string& logical,
               const std::string& key) {
  auto [it, inserted] = seen.emplace(logical, key);
  if (!inserted) {
    return InvalidArgument("parameters '" + it->second + "' and '" + key +
                           "' set the same thing; give only one");
  }
  return Status::Ok();
}

void RecordKubernetes(VolumeParameters& p, const std::string& name, const std::string& value) {
  if (name == "pvc/name") p.pvc_name = value;
  if (name == "pvc/namespace") p.pvc_namespace = value;
  if (name == "pv/name") p.pv_name = value;
  if (name == "volumesnapshot/name") p.snapshot_name = value;
  if (name == "volumesnapshot/namespace") p.snapshot_namespace = value;
  if (name == "volumesnapshotcontent/name") p.snapshot_content_name = value;
  if (name == "fstype") p.fs_type = value;
  // Everything else (secret references, ...) is the sidecars' business.
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

}  // namespace

std::string VolumeNameFor(const std::string& csi_name, const VolumeParameters& params) {
  if (params.use_pvc_name && !params.pvc_name.empty() && !params.pvc_namespace.empty()) {
    const std::string name = params.pvc_namespace + "-" + params.pvc_name;
    if (IsValidLinstorName(name)) return name;
  }
  return LinstorNameFor(csi_name);
}

std::string PostMountXfsOptsContextKey(std::string_view driver_name) {
  return std::string(driver_name) + "/postMountXfsOpts";
}

std::string FsOptsContextKey(std::string_view driver_name) {
  return std::string(driver_name) + "/fsOpts";
}

std::string MountOptsContextKey(std::string_view driver_name) {
  return std::string(driver_name) + "/mountOpts";
}

std::string InUseWaitContextKey(std::string_view driver_name) {
  return std::string(driver_name) + "/inUseWaitTimeout";
}

Result<std::chrono::milliseconds> ParseInUseWait(const std::string& key, const std::string& value) {
  auto wait = ParseDuration(value);
  if (!wait.ok() || wait->count() < 0 || *wait > std::chrono::minutes(10)) {
    return InvalidArgument("parameter '" + key + "' must be a duration from 0s to 10m, not '" +
                           value + "'");
  }
  return *wait;
}

Result<VolumeParameters> ParseVolumeParameters(const ParameterMap& parameters,
                                               std::string_view driver_name) {
  VolumeParameters p;
  bool remote_access_given = false;
  std::map<std::string, std::string> seen;  // logical key -> spelling used
  for (const auto& [key, value] : parameters) {
    auto c = Classify(key, driver_name);
    if (!c.ok()) return c.status();
    switch (c->kind) {
      case Classified::kKubernetes:
        RecordKubernetes(p, c->name, value);
        continue;
      case Classified::kForeign:
        continue;
      case Classified::kProperty:
        LCSI_RETURN_IF_ERROR(ValidateLinstorPropKey(key, c->name));
        LCSI_RETURN_IF_ERROR(SetProp(p.linstor_props, key, c->name, value));
        continue;
      case Classified::kOurs:
        break;
    }
    const std::string& name = c->name;
    const std::string lower = Lower(name);
    std::string prop, prop_value;
    auto drbd = ParseDrbdKey(key, name, lower, value, &prop, &prop_value);
    if (!drbd.ok()) return drbd.status();
    if (*drbd) {
      LCSI_RETURN_IF_ERROR(SetProp(p.linstor_props, key, prop, prop_value));
      continue;
    }
    const std::string logical = lower == "autoplace" ? "placementcount" : lower;
    if (logical == "resourcegroup") {
      if (!IsValidLinstorName(value)) {
        return InvalidArgument("parameter '" + key + "': '" + value +
                               "' is not a valid LINSTOR resource group name");
      }
      p.resource_group = value;
    } else if (logical == "storagepool") {
      auto v = ParseNameList(key, value);
      if (!v.ok()) return v.status();
      p.storage_pools = *v;
    } else if (logical == "disklessstoragepool") {
      auto v = ParseNameList(key, value);
      if (!v.ok()) return v.status();
      p.diskless_storage_pools = *v;
    } else if (logical == "placementcount") {
      auto v = ParsePlacementCount(key, value);
      if (!v.ok()) return v.status();
      p.placement_count = *v;
    } else if (logical == "replicasonsame") {
      auto v = ParsePlacementProps(key, value);
      if (!v.ok()) return v.status();
      p.replicas_on_same = *v;
    } else if (logical == "replicasondifferent") {
      auto v = ParsePlacementProps(key, value);
      if (!v.ok()) return v.status();
      p.replicas_on_different = *v;
    } else if (logical == "nodelist") {
      auto v = ParseNameList(key, value);
      if (!v.ok()) return v.status();
      p.node_list = *v;
    } else if (logical == "donotplacewithregex") {
      if (value.empty()) return InvalidArgument("parameter '" + key + "' is empty");
      p.do_not_place_with_regex = value;
    } else if (logical == "disklessonremaining") {
      auto v = ParseBool(key, value);
      if (!v.ok()) return v.status();
      p.diskless_on_remaining = *v;
    } else if (logical == "layerlist") {
      auto v = ParseLayerList(key, value);
      if (!v.ok()) return v.status();
      p.layer_list = *v;
    } else if (logical == "encryption") {
      auto v = ParseBool(key, value);
      if (!v.ok()) return v.status();
      p.encryption = *v;
    } else if (logical == "allowremotevolumeaccess") {
      auto v = RemoteAccessPolicy::Parse(key, value, std::string(driver_name) + "/node");
      if (!v.ok()) return v.status();
      p.remote_access = *v;
      remote_access_given = true;
    } else if (logical == "clientlist") {
      auto v = ParseNameList(key, value);
      if (!v.ok()) return v.status();
      p.client_list = *v;
    } else if (logical == "placementpolicy") {
      auto v = ParsePlacementPolicy(key, value);
      if (!v.ok()) return v.status();
      p.placement_policy = *v;
    } else if (logical == "xreplicasondifferent") {
      auto v = ParseXReplicasOnDifferent(key, value);
      if (!v.ok()) return v.status();
      p.x_replicas_on_different = *v;
    } else if (logical == "usepvcname") {
      auto v = ParseBool(key, value);
      if (!v.ok()) return v.status();
      p.use_pvc_name = *v;
    } else if (logical == "overprovision") {
      auto v = ParseOverProvision(key, value);
      if (!v.ok()) return v.status();
      p.over_provision = *v;
    } else if (logical == "postmountxfsopts") {
      p.post_mount_xfs_opts = value;
    } else if (logical == "sizekib") {
      // linstor-csi ignores it too (sizes come from the CSI request); kept for old classes.
      spdlog::warn("StorageClass parameter '{}' has no effect: the size comes from the request",
                   key);
    } else if (logical == "nfsrecoveryvolumesize") {
      LCSI_RETURN_IF_ERROR(ParseQuantityBytes(key, value).status());
    } else if (logical == "nfsconfigtemplate" || logical == "nfsservicename" ||
               logical == "nfssquash") {
      // RWX over NFS only: this plugin refuses multi-writer filesystem volumes, so these
      // settings never apply (as in linstor-csi without --enable-rwx).
    } else if (logical == "fsopts") {
      p.fs_opts = value;
    } else if (logical == "mountopts") {
      p.mount_opts = value;
    } else if (logical == "inusewaittimeout") {
      LCSI_RETURN_IF_ERROR(ParseInUseWait(key, value).status());
      p.in_use_wait = value;
    } else {
      return InvalidArgument("unknown parameter '" + key + "' (see docs/parameters.md)");
    }
    LCSI_RETURN_IF_ERROR(NoteKey(seen, logical, key));
  }
  LCSI_RETURN_IF_ERROR(ResolveManualPlacement(p));
  // Without DRBD (or NVMe) no node can reach the data remotely: linstor-csi's default then is
  // local access only.
  if (!remote_access_given && !p.layer_list.empty() &&
      std::find(p.layer_list.begin(), p.layer_list.end(), "DRBD") == p.layer_list.end() &&
      std::find(p.layer_list.begin(), p.layer_list.end(), "NVME") == p.layer_list.end()) {
    p.remote_access = RemoteAccessPolicy::LocalOnly();
  }
  if (p.encryption) {
    if (p.layer_list.empty()) {
      p.layer_list = {"DRBD", "LUKS", "STORAGE"};
    } else if (std::find(p.layer_list.begin(), p.layer_list.end(), "LUKS") == p.layer_list.end()) {
      auto storage = std::find(p.layer_list.begin(), p.layer_list.end(), "STORAGE");
      p.layer_list.insert(storage, "LUKS");
    }
  }
  return p;
}

std::string VolumeParameters::Canonical() const {
  std::ostringstream out;
  out << "resourceGroup=" << resource_group << "\n"
      << "storagePool=" << Join(storage_pools) << "\n"
      << "disklessStoragePool=" << Join(diskless_storage_pools) << "\n"
      << "placementCount=" << (placement_count ? std::to_string(*placement_count) : "") << "\n"
      << "replicasOnSame=" << Join(replicas_on_same) << "\n"
      << "replicasOnDifferent=" << Join(replicas_on_different) << "\n"
      << "nodeList=" << Join(node_list) << "\n"
      << "doNotPlaceWithRegex=" << do_not_place_with_regex << "\n"
      << "disklessOnRemaining="
      << (diskless_on_remaining ? (*diskless_on_remaining ? "true" : "false") : "") << "\n"
      << "layerList=" << Join(layer_list) << "\n"
      << "encryption=" << (encryption ? "true" : "false") << "\n"
      << "allowRemoteVolumeAccess=" << remote_access.Canonical() << "\n"
      << "fsOpts=" << fs_opts << "\n"
      << "mountOpts=" << mount_opts << "\n";
  // Only when set, so that the fingerprints of classes without it stay what they were.
  if (!in_use_wait.empty()) out << "inUseWaitTimeout=" << in_use_wait << "\n";
  if (!client_list.empty()) out << "clientList=" << Join(client_list) << "\n";
  if (placement_policy == PlacementPolicy::kAutoPlace) out << "placementPolicy=AutoPlace\n";
  if (placement_policy == PlacementPolicy::kManual) out << "placementPolicy=Manual\n";
  if (placement_policy == PlacementPolicy::kFollowTopology) {
    out << "placementPolicy=FollowTopology\n";
  }
  for (const auto& [k, n] : x_replicas_on_different)
    out << "xReplicasOnDifferent:" << k << "=" << n << "\n";
  if (use_pvc_name) out << "usePvcName=true\n";
  if (!post_mount_xfs_opts.empty()) out << "postMountXfsOpts=" << post_mount_xfs_opts << "\n";
  for (const auto& [k, v] : linstor_props) out << "prop:" << k << "=" << v << "\n";
  return out.str();
}

std::string VolumeParameters::Fingerprint() const { return Sha256Hex(Canonical(), 16); }

std::string MutableParameters::Canonical() const {
  std::ostringstream out;
  out << "placementCount=" << (placement_count ? std::to_string(*placement_count) : "") << "\n";
  for (const auto& [k, v] : drbd_props) out << "prop:" << k << "=" << v << "\n";
  return out.str();
}

Result<MutableParameters> ParseMutableParameters(const ParameterMap& parameters,
                                                 std::string_view driver_name) {
  MutableParameters m;
  std::map<std::string, std::string> seen;
  for (const auto& [key, value] : parameters) {
    auto c = Classify(key, driver_name);
    if (!c.ok()) return c.status();
    if (c->kind == Classified::kKubernetes || c->kind == Classified::kForeign) continue;
    if (c->kind == Classified::kProperty) {
      return InvalidArgument("parameter '" + key +
                             "' is not mutable (only placementCount and DrbdOptions/* are)");
    }
    const std::string lower = Lower(c->name);
    std::string prop, prop_value;
    auto drbd = ParseDrbdKey(key, c->name, lower, value, &prop, &prop_value);
    if (!drbd.ok()) return drbd.status();
    if (*drbd) {
      LCSI_RETURN_IF_ERROR(SetProp(m.drbd_props, key, prop, prop_value));
      continue;
    }
    if (lower == "placementcount" || lower == "autoplace") {
      auto v = ParsePlacementCount(key, value);
      if (!v.ok()) return v.status();
      LCSI_RETURN_IF_ERROR(NoteKey(seen, "placementcount", key));
      m.placement_count = *v;
      continue;
    }
    // Tell "known but immutable" apart from "unknown" for a clearer message.
    ParameterMap probe{{key, value}};
    auto known = ParseVolumeParameters(probe, driver_name);
    if (known.ok() || known.status().message().rfind("unknown parameter", 0) != 0) {
      return InvalidArgument("parameter '" + key +
                             "' is not mutable (only placementCount and DrbdOptions/* are)");
    }
    return InvalidArgument("unknown mutable parameter '" + key + "' (see docs/parameters.md)");
  }
  return m;
}

Result<VolumeParameters> ParseSnapshotParameters(const ParameterMap& parameters,
                                                 std::string_view driver_name) {
  VolumeParameters p;
  for (const auto& [key, value] : parameters) {
    auto c = Classify(key, driver_name);
    if (!c.ok()) return c.status();
    if (c->kind == Classified::kKubernetes) {
      RecordKubernetes(p, c->name, value);
      continue;
    }
    if (c->kind == Classified::kForeign) continue;
    return InvalidArgument("unknown snapshot parameter '" + key +
                           "' (snapshot classes take no plugin parameters)");
  }
  return p;
}

}  // namespace lcsi::controller
