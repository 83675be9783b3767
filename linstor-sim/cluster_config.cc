#include "linstor-sim/cluster_config.h"

#include <simdjson.h>
#include <fstream>
#include <set>
#include <sstream>

#include "linstor-sim/names.h"

namespace lcsi::sim {
namespace {

StoragePool MakePool(std::string name, std::string kind, int64_t capacity_kib) {
  StoragePool p;
  p.name = std::move(name);
  p.provider_kind = std::move(kind);
  p.total_kib = capacity_kib;
  if (p.provider_kind == "LVM_THIN") {
    p.props["StorDriver/LvmVg"] = "linstor_vg";
    p.props["StorDriver/ThinPool"] = "thinpool";
  } else if (p.provider_kind == "LVM") {
    p.props["StorDriver/LvmVg"] = "linstor_vg";
  } else if (p.provider_kind == "ZFS" || p.provider_kind == "ZFS_THIN") {
    p.props["StorDriver/ZPool"] = "linstor_zpool";
  } else if (p.provider_kind == "FILE" || p.provider_kind == "FILE_THIN") {
    p.props["StorDriver/FileDir"] = "/var/lib/linstor-pools/" + p.name;
  }
  return p;
}

void AddDisklessPool(Node& node) {
  StoragePool p = MakePool(kDisklessPoolName, "DISKLESS", 0);
  node.pools[NameKey(p.name)] = std::move(p);
}

const std::set<std::string>& KnownProviders() {
  static const std::set<std::string> k = {"LVM",  "LVM_THIN",  "ZFS", "ZFS_THIN",
                                          "FILE", "FILE_THIN", "SPDK"};
  return k;
}

Status ReadProps(simdjson::dom::element e, Props& out, const std::string& what) {
  simdjson::dom::object obj;
  if (e.get_object().get(obj) != simdjson::SUCCESS) {
    return InvalidArgument(what + ": props must be an object of strings");
  }
  for (auto [k, v] : obj) {
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS) {
      return InvalidArgument(what + ": property '" + std::string(k) + "' must be a string");
    }
    out[std::string(k)] = std::string(s);
  }
  return Status::Ok();
}

}  // namespace

ClusterConfig DefaultClusterConfig() {
  ClusterConfig c;
  const char* names[] = {"sat-alpha", "sat-bravo", "sat-charlie"};
  const char* zones[] = {"zone-a", "zone-b", "zone-c"};
  for (int i = 0; i < 3; ++i) {
    Node n;
    n.name = names[i];
    n.address = "10.42.0." + std::to_string(i + 11);
    n.props["Aux/topology/zone"] = zones[i];
    StoragePool p = MakePool("pool1", "LVM_THIN", kDefaultPoolCapacityKib);
    n.pools[NameKey(p.name)] = std::move(p);
    AddDisklessPool(n);
    c.nodes.push_back(std::move(n));
  }
  return c;
}

Result<ClusterConfig> ParseClusterConfig(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    return InvalidArgument("cluster file is not valid JSON");
  }
  simdjson::dom::array nodes;
  if (root["nodes"].get_array().get(nodes) != simdjson::SUCCESS) {
    return InvalidArgument("cluster file needs a \"nodes\" array");
  }
  ClusterConfig c;
  std::set<std::string> seen;
  int index = 0;
  for (simdjson::dom::element ne : nodes) {
    ++index;
    Node n;
    std::string_view name;
    if (ne["name"].get_string().get(name) != simdjson::SUCCESS) {
      return InvalidArgument("cluster file: node #" + std::to_string(index) + " needs a name");
    }
    n.name = std::string(name);
    if (!IsValidName(n.name)) return InvalidArgument("cluster file: invalid node name " + n.name);
    if (!seen.insert(NameKey(n.name)).second) {
      return InvalidArgument("cluster file: duplicate node " + n.name);
    }
    std::string_view address;
    n.address = ne["address"].get_string().get(address) == simdjson::SUCCESS
                    ? std::string(address)
                    : "10.42.0." + std::to_string(10 + index);
    simdjson::dom::element props;
    if (ne["props"].get(props) == simdjson::SUCCESS) {
      LCSI_RETURN_IF_ERROR(ReadProps(props, n.props, "node " + n.name));
    }
    bool online = true;
    if (ne["online"].get_bool().get(online) == simdjson::SUCCESS) n.online = online;
    bool diskless_only = false;
    if (ne["diskless_only"].get_bool().get(diskless_only)) {
    }
    simdjson::dom::array pools;
    if (ne["pools"].get_array().get(pools) == simdjson::SUCCESS) {
      for (simdjson::dom::element pe : pools) {
        std::string_view pname, kind = "LVM_THIN";
        if (pe["name"].get_string().get(pname) != simdjson::SUCCESS || !IsValidName(pname)) {
          return InvalidArgument("cluster file: node " + n.name + ": pool needs a valid name");
        }
        if (pe["provider_kind"].get_string().get(kind)) {
        }
        if (KnownProviders().count(std::string(kind)) == 0) {
          return InvalidArgument("cluster file: pool " + std::string(pname) +
                                 ": unknown provider_kind " + std::string(kind));
        }
        int64_t cap = kDefaultPoolCapacityKib;
        if (pe["capacity_kib"].get_int64().get(cap)) {
        }
        StoragePool p = MakePool(std::string(pname), std::string(kind), cap);
        simdjson::dom::element pprops;
        if (pe["props"].get(pprops) == simdjson::SUCCESS) {
          LCSI_RETURN_IF_ERROR(ReadProps(pprops, p.props, "pool " + p.name));
        }
        n.pools[NameKey(p.name)] = std::move(p);
      }
    } else if (!diskless_only) {
      StoragePool p = MakePool("pool1", "LVM_THIN", kDefaultPoolCapacityKib);
      n.pools[NameKey(p.name)] = std::move(p);
    }
    if (diskless_only) n.pools.clear();
    AddDisklessPool(n);
    c.nodes.push_back(std::move(n));
  }
  if (c.nodes.empty()) return InvalidArgument("cluster file: no nodes");
  return c;
}

Result<ClusterConfig> LoadClusterConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound("cannot read cluster file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto c = ParseClusterConfig(ss.str());
  if (!c.ok()) return c.status().WithContext(path);
  return c;
}

}  // namespace lcsi::sim
