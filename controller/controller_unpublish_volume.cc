// ControllerUnpublishVolume: removes the publication marks ControllerPublishVolume recorded
// (controller_publish_volume.cc) and only a diskless resource the plugin made; diskful replicas
// and (still) tiebreakers stay.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/names.h"
#include "controller/props.h"

namespace lcsi::controller {

Status Controller::ControllerUnpublishVolume(const csi::v1::ControllerUnpublishVolumeRequest& req) {
  const std::string& id = req.volume_id();
  if (id.empty()) return InvalidArgument("ControllerUnpublishVolume: volume_id is required");
  if (!IsValidLinstorName(id)) return Status::Ok();
  auto guard = Lock("vol:" + id, "volume " + id);
  if (!guard.ok()) return guard.status();

  // A volume or node that is gone is unpublished by definition (the spec allows OK here).
  auto rd = client_->GetResourceDefinition(id);
  if (rd.IsNotFound()) return Status::Ok();
  if (!rd.ok()) return FromLinstor(rd, "reading volume " + id);
  if (!Owns(rd->props)) return Status::Ok();

  // Without node_id the spec wants the volume unpublished from every node.
  std::vector<std::string> nodes;
  if (!req.node_id().empty()) {
    nodes.push_back(req.node_id());
  } else {
    nodes = PublishedNodes(rd->props);
    const std::string prefix(props::kDisklessMadePrefix);
    for (auto it = rd->props.lower_bound(prefix);
         it != rd->props.end() && it->first.rfind(prefix, 0) == 0; ++it) {
      const std::string n = it->first.substr(prefix.size());
      if (std::find(nodes.begin(), nodes.end(), n) == nodes.end()) nodes.push_back(n);
    }
  }
  for (const auto& node : nodes) LCSI_RETURN_IF_ERROR(UnpublishFromNode(*rd, node));
  return Status::Ok();
}

Status Controller::UnpublishFromNode(const linstor::ResourceDefinition& rd,
                                     const std::string& node) {
  const std::string& id = rd.name;
  const std::string published_key = props::Published(node);
  const std::string made_key = props::DisklessMade(node);
  const bool published = props::Get(rd.props, published_key).has_value();
  const bool made = props::Get(rd.props, made_key).has_value();
  if (!published && !made) return Status::Ok();

  if (made) {
    auto r = client_->GetResource(id, node);
    if (r.ok()) {
      if (r->IsDiskless() && !r->IsTieBreaker()) {
        auto deleted = client_->DeleteResource(id, node);
        if (deleted.Is(linstor::LinstorErrorKind::kInUse)) {
          return FromLinstorAs(Code::kFailedPrecondition, deleted.error(),
                               "volume " + id + " is still in use on node " + node);
        }
        if (!deleted.ok() && !deleted.IsNotFound()) {
          return FromLinstor(deleted, "removing the diskless resource of " + id + " on " + node);
        }
      } else {
        spdlog::info("volume {}: resource on {} became {}; leaving it in place", id, node,
                     r->IsTieBreaker() ? "a tiebreaker" : "diskful");
      }
    } else if (!r.IsNotFound()) {
      return FromLinstor(r, "reading the resource of " + id + " on " + node);
    }
  }
  linstor::PropsModify unmark;
  if (published) unmark.delete_props.push_back(published_key);
  if (made) unmark.delete_props.push_back(made_key);
  auto done = client_->ModifyResourceDefinition(id, unmark);
  if (!done.ok() && !done.IsNotFound()) {
    return FromLinstor(done, "clearing the publication of " + id + " on " + node);
  }
  return Status::Ok();
}

}  // namespace lcsi::controller
