// allowRemoteVolumeAccess: from which nodes a volume may be used without a diskful replica
// there (a diskless DRBD attach). As in linstor-csi, the value is either a boolean or a list of
// rules:
//   true   anywhere (one rule without keys)
//   false  only on nodes with a diskful replica (one rule: same node)
//   - fromSame: [topology.kubernetes.io/zone]   a node may attach when it has the same value for
//                                               every listed key as some diskful node
// Rule keys are topology keys: "linbit.com/hostname" (linstor-csi's node key) and
// "<driver-name>/node" mean the LINSTOR node name; any other key K is the node property
// Aux/topology/K. A diskful node without a rule's key does not constrain it (linstor-csi's
// AccessibleSegments skips missing keys).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "csi/status.h"

namespace lcsi::controller {

// linstor-csi's node key; a rule key that names the node itself.
inline constexpr char kLinstorCsiNodeKey[] = "linbit.com/hostname";

using Segments = std::map<std::string, std::string>;

class RemoteAccessPolicy {
 public:
  static RemoteAccessPolicy Anywhere() {
    return RemoteAccessPolicy(std::vector<std::vector<std::string>>(1));
  }
  static RemoteAccessPolicy LocalOnly() {
    return RemoteAccessPolicy(
        std::vector<std::vector<std::string>>{std::vector<std::string>{kLinstorCsiNodeKey}});
  }

  // "true"/"false" (also yes/no, 1/0) or a YAML (or JSON) list of {fromSame: [keys]}; a rule
  // key equal to `node_key` ("<driver-name>/node") is read as kLinstorCsiNodeKey.
  // InvalidArgument naming `key` for anything else.
  static Result<RemoteAccessPolicy> Parse(const std::string& key, const std::string& value,
                                          const std::string& node_key = "");

  bool anywhere() const;    // some rule has no key: every node may attach
  bool local_only() const;  // only nodes with a diskful replica
  const std::vector<std::vector<std::string>>& rules() const { return rules_; }

  // "true", "false", or the rules as "fromSame=a,b;fromSame=c" (stored on the volume as
  // Aux/csi-remote-access and part of the parameter fingerprint).
  std::string Canonical() const;
  // Inverse of Canonical(); anything unreadable counts as "true" (older volumes store only
  // true/false).
  static RemoteAccessPolicy FromCanonical(const std::string& text);

  // The segments from which a node with `node_segments` (its topology keys and values,
  // including kLinstorCsiNodeKey = its name) can be reached: one per rule, each holding the
  // rule's keys that the node has, with duplicates and segments covered by a broader one
  // removed. An empty segment means "from anywhere".
  std::vector<Segments> AccessibleSegments(const Segments& node_segments) const;

  // True when `node` (its segments) may attach a volume whose diskful replicas have `replicas`.
  bool Allows(const Segments& node, const std::vector<Segments>& replicas) const;

  bool operator==(const RemoteAccessPolicy&) const = default;

 private:
  explicit RemoteAccessPolicy(std::vector<std::vector<std::string>> rules)
      : rules_(std::move(rules)) {}
  std::vector<std::vector<std::string>> rules_;
};

// Drops duplicates and segments that a broader one (a subset) already covers.
std::vector<Segments> PruneSegments(std::vector<Segments> segments);

}  // namespace lcsi::controller
