// What CreateVolume decided from its request, shared by its paths (controller_create_volume*.cc).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controller/controller.h"

namespace lcsi::controller {

struct Controller::CreatePlan {
  std::string csi_name;
  std::string rd;
  VolumeParameters params;
  MutableParameters mutable_params;
  ResourceGroupSpec rg;
  const csi::v1::CapacityRange* range = nullptr;
  // From the accessibility requirements (topology_placement.h).
  std::optional<std::vector<std::string>> allowed_nodes;
  std::vector<std::string> near_nodes;
  const google::protobuf::RepeatedPtrField<csi::v1::Topology>* requisite_to_verify = nullptr;
  // placementPolicy FollowTopology: the nodes of the preferred, then requisite, topologies in
  // order, and whether there was a requisite topology.
  std::vector<std::string> follow_nodes;
  bool follow_requisite = false;
  const csi::v1::VolumeContentSource* content_source = nullptr;
  std::string source;  // "" | "snapshot:<id>" | "volume:<id>"
  std::string fingerprint;
  linstor::Props rd_props;
  int64_t size_kib = 0;  // decided by each path
};

}  // namespace lcsi::controller
