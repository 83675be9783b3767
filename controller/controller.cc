#include "controller/controller.h"
#include "controller/remote_access_topology.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "controller/linstor_status.h"
#include "controller/names.h"
#include "controller/props.h"

namespace lcsi::controller {

Controller::Controller(ControllerOptions options, linstor::LinstorClient* client)
    : options_([&] {
        if (options.owner_id.empty()) options.owner_id = options.driver_name;
        if (options.clock == nullptr) options.clock = &SystemClock::Instance();
        return std::move(options);
      }()),
      client_(client),
      groups_(client, options_.owner_id),
      topology_(options_.driver_name),
      list_cache_(options_.list_cache_ttl, *options_.clock) {}

Result<VolumeLocks::Guard> Controller::Lock(const std::string& key, const std::string& what) {
  auto guard = locks_.TryLock(key);
  if (!guard) return Aborted("an operation on " + what + " is already in progress");
  return std::move(*guard);
}

linstor::LinstorResult<linstor::ResourceDefinition> Controller::ReadDefinitionWithSizes(
    const std::string& name) {
  linstor::ResourceDefinitionFilter filter;
  filter.resource_definitions = {name};
  filter.with_volume_definitions = true;
  auto list = client_->ListResourceDefinitions(filter);
  if (!list.ok()) return list.error();
  for (auto& rd : *list) {
    if (rd.name.size() == name.size() &&
        std::equal(rd.name.begin(), rd.name.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return std::move(rd);
    }
  }
  return linstor::LinstorError(linstor::LinstorErrorKind::kNotFound,
                               "resource definition '" + name + "' not found", 404);
}

Result<linstor::ResourceDefinition> Controller::LoadVolume(const std::string& volume_id,
                                                           bool with_sizes) {
  if (!IsValidLinstorName(volume_id)) {
    return NotFound("volume " + volume_id + " does not exist (not a LINSTOR resource name)");
  }
  auto rd =
      with_sizes ? ReadDefinitionWithSizes(volume_id) : client_->GetResourceDefinition(volume_id);
  if (rd.IsNotFound()) return NotFound("volume " + volume_id + " does not exist");
  if (!rd.ok()) return FromLinstor(rd, "reading volume " + volume_id);
  if (!Owns(rd->props)) {
    return NotFound("volume " + volume_id +
                    " does not exist for this plugin (its resource definition is not owned by "
                    "owner id " +
                    options_.owner_id + ")");
  }
  if (props::Get(rd->props, props::kDeleted)) {
    return NotFound("volume " + volume_id + " was deleted (only its snapshots remain)");
  }
  return std::move(*rd);
}

Result<std::vector<linstor::Resource>> Controller::VolumeResources(const std::string& rd) {
  linstor::ResourceViewFilter filter;
  filter.resources = {rd};
  auto r = client_->ViewResources(filter);
  if (!r.ok()) return FromLinstor(r, "reading the resources of volume " + rd);
  return std::move(*r);
}

Result<std::map<std::string, linstor::Node>> Controller::NodesByName(
    const std::vector<std::string>& names) {
  std::map<std::string, linstor::Node> out;
  if (names.empty()) return out;
  auto nodes = client_->ListNodes(names);
  if (!nodes.ok()) return FromLinstor(nodes, "listing LINSTOR nodes");
  for (auto& n : *nodes) out.emplace(n.name, std::move(n));
  return out;
}

std::vector<std::string> Controller::PublishedNodes(const linstor::Props& p) {
  std::vector<std::string> out;
  const std::string prefix(props::kPublishedPrefix);
  for (auto it = p.lower_bound(prefix); it != p.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    out.push_back(it->first.substr(prefix.size()));
  }
  return out;
}

void Controller::FillVolume(const linstor::ResourceDefinition& rd,
                            const std::vector<linstor::Resource>* resources, csi::v1::Volume* out,
                            const std::map<std::string, linstor::Node>* nodes) const {
  out->set_volume_id(rd.name);
  for (const auto& vd : rd.volume_definitions) {
    if (vd.volume_number == 0) out->set_capacity_bytes(KibToBytes(vd.size_kib));
  }
  if (auto source = props::Get(rd.props, props::kSource)) {
    if (source->rfind("snapshot:", 0) == 0) {
      out->mutable_content_source()->mutable_snapshot()->set_snapshot_id(source->substr(9));
    } else if (source->rfind("volume:", 0) == 0) {
      out->mutable_content_source()->mutable_volume()->set_volume_id(source->substr(7));
    }
  }
  const auto policy =
      RemoteAccessPolicy::FromCanonical(props::Get(rd.props, props::kRemoteAccess).value_or(""));
  if (!policy.anywhere() && resources != nullptr) {
    std::vector<std::string> diskful;
    for (const auto& r : *resources)
      if (r.name == rd.name && r.IsDiskful()) diskful.push_back(r.node_name);
    static const std::map<std::string, linstor::Node> kNone;
    for (auto& t : ServedTopologies(topology_, policy, diskful, nodes ? *nodes : kNone)) {
      *out->add_accessible_topology() = std::move(t);
    }
  }
}

Status Controller::CleanupDeletedVolume(const std::string& rd_name) {
  auto rd = client_->GetResourceDefinition(rd_name);
  if (rd.IsNotFound()) return Status::Ok();
  if (!rd.ok()) return FromLinstor(rd, "reading volume " + rd_name);
  if (!Owns(rd->props) || !props::Get(rd->props, props::kDeleted)) return Status::Ok();
  auto snaps = client_->ListSnapshots(rd_name);
  if (snaps.IsNotFound()) return Status::Ok();
  if (!snaps.ok()) return FromLinstor(snaps, "listing the snapshots of deleted volume " + rd_name);
  if (!snaps->empty()) return Status::Ok();
  auto deleted = client_->DeleteResourceDefinition(rd_name);
  if (!deleted.ok() && !deleted.IsNotFound()) {
    return FromLinstor(deleted, "removing deleted volume " + rd_name + " after its last snapshot");
  }
  spdlog::info("removed resource definition {} of a deleted volume: its last snapshot is gone",
               rd_name);
  return Status::Ok();
}

void Controller::DeleteIfOurs(const std::string& rd_name, const std::string& csi_name) {
  auto rd = client_->GetResourceDefinition(rd_name);
  if (!rd.ok()) return;
  if (!Owns(rd->props)) return;
  if (!props::Is(rd->props, props::kName, csi_name) &&
      !props::IsUnfinishedCreateOf(rd->props, csi_name)) {
    return;
  }
  auto deleted = client_->DeleteResourceDefinition(rd_name);
  if (deleted.ok()) {
    spdlog::info("removed partially created volume {}", rd_name);
  } else if (!deleted.IsNotFound()) {
    spdlog::warn("could not remove partially created volume {} (a retry will): {}", rd_name,
                 deleted.error().message());
  }
}

}  // namespace lcsi::controller
