// The LINSTOR REST routes linstor-sim serves: each method and path template with the
// ClusterState call behind it (request bodies parsed by requests.h).
#include "linstor-sim/sim_routes.h"

#include <memory>

#include "linstor-sim/cluster_state.h"
#include "linstor-sim/requests.h"
#include "linstor-sim/schema_check.h"
#include "linstor-sim/sim_server.h"

namespace lcsi::sim {

void SimServer::RegisterRoutes() {
  auto add = [this](const std::string& method, const std::string& tmpl,
                    std::function<Reply(const Context&)> fn) {
    auto r = std::make_unique<Route>();
    r->method = method;
    r->key = method + " " + tmpl;
    r->segments = SplitPath(tmpl);
    r->mutating = method != "GET";
    r->handler = std::move(fn);
    routes_.push_back(std::move(r));
  };
  ClusterState& s = *state_;
  auto body = [](const Context& c) -> const std::string& { return *c.body; };

  add("GET", "/v1/controller/version", [&s](const Context&) { return s.Version(); });
  add("GET", "/v1/nodes", [&s](const Context& c) { return s.ListNodes(c.query); });
  add("GET", "/v1/nodes/{node}", [&s](const Context& c) { return s.GetNode(c.params[0]); });
  add("GET", "/v1/nodes/{node}/storage-pools",
      [&s](const Context& c) { return s.NodeStoragePools(c.params[0], c.query); });
  add("GET", "/v1/view/storage-pools",
      [&s](const Context& c) { return s.ListStoragePools(c.query); });

  add("GET", "/v1/resource-groups",
      [&s](const Context& c) { return s.ListResourceGroups(c.query); });
  add("POST", "/v1/resource-groups", [&s, body](const Context& c) {
    auto r = ParseRgCreate(body(c));
    return r.ok() ? s.CreateResourceGroup(*r) : ParseError(r.status());
  });
  add("GET", "/v1/resource-groups/{resource_group}",
      [&s](const Context& c) { return s.GetResourceGroup(c.params[0]); });
  add("PUT", "/v1/resource-groups/{resource_group}", [&s, body](const Context& c) {
    auto r = ParseRgModify(body(c));
    return r.ok() ? s.ModifyResourceGroup(c.params[0], *r) : ParseError(r.status());
  });
  add("DELETE", "/v1/resource-groups/{resource_group}",
      [&s](const Context& c) { return s.DeleteResourceGroup(c.params[0]); });
  add("POST", "/v1/resource-groups/{resource_group}/spawn", [&s, body](const Context& c) {
    auto r = ParseSpawn(body(c));
    return r.ok() ? s.Spawn(c.params[0], *r) : ParseError(r.status());
  });
  add("POST", "/v1/resource-groups/{resource_group}/query-size-info", [&s, body](const Context& c) {
    auto r = ParseQuerySizeInfo(body(c));
    return r.ok() ? s.QuerySizeInfo(c.params[0], *r) : ParseError(r.status());
  });

  add("GET", "/v1/resource-definitions",
      [&s](const Context& c) { return s.ListResourceDefinitions(c.query); });
  add("POST", "/v1/resource-definitions", [&s, body](const Context& c) {
    auto r = ParseRdCreate(body(c));
    return r.ok() ? s.CreateResourceDefinition(*r) : ParseError(r.status());
  });
  add("GET", "/v1/resource-definitions/{resource}",
      [&s](const Context& c) { return s.GetResourceDefinition(c.params[0]); });
  add("PUT", "/v1/resource-definitions/{resource}", [&s, body](const Context& c) {
    auto r = ParseRdModify(body(c));
    return r.ok() ? s.ModifyResourceDefinition(c.params[0], *r) : ParseError(r.status());
  });
  add("DELETE", "/v1/resource-definitions/{resource}",
      [&s](const Context& c) { return s.DeleteResourceDefinition(c.params[0]); });
  add("GET", "/v1/resource-definitions/{resource}/volume-definitions",
      [&s](const Context& c) { return s.ListVolumeDefinitions(c.params[0], c.query); });
  add("POST", "/v1/resource-definitions/{resource}/volume-definitions",
      [&s, body](const Context& c) {
        auto r = ParseVdCreate(body(c));
        return r.ok() ? s.CreateVolumeDefinition(c.params[0], *r) : ParseError(r.status());
      });
  add("PUT", "/v1/resource-definitions/{resource}/volume-definitions/{volume_number}",
      [&s, body](const Context& c) {
        auto r = ParseVdModify(body(c));
        return r.ok() ? s.ModifyVolumeDefinition(c.params[0], c.params[1], *r)
                      : ParseError(r.status());
      });

  add("GET", "/v1/resource-definitions/{resource}/resources",
      [&s](const Context& c) { return s.ListResources(c.params[0], c.query); });
  add("POST", "/v1/resource-definitions/{resource}/resources", [&s, body](const Context& c) {
    auto r = ParseResourceCreateList(body(c));
    return r.ok() ? s.CreateResources(c.params[0], *r) : ParseError(r.status());
  });
  add("GET", "/v1/resource-definitions/{resource}/resources/{node}",
      [&s](const Context& c) { return s.GetResource(c.params[0], c.params[1]); });
  add("POST", "/v1/resource-definitions/{resource}/resources/{node}", [&s, body](const Context& c) {
    auto r = ParseResourceCreate(body(c));
    if (!r.ok()) return ParseError(r.status());
    r->node = c.params[1];  // Resources.createResource(rscName, nodeName): the path's node wins
    return s.CreateResources(c.params[0], {*r});
  });
  add("DELETE", "/v1/resource-definitions/{resource}/resources/{node}",
      [&s](const Context& c) { return s.DeleteResource(c.params[0], c.params[1]); });
  add("POST", "/v1/resource-definitions/{resource}/resources/{node}/make-available",
      [&s, body](const Context& c) {
        auto r = ParseMakeAvailable(body(c));
        return r.ok() ? s.MakeAvailable(c.params[0], c.params[1], *r) : ParseError(r.status());
      });
  add("POST", "/v1/resource-definitions/{resource}/autoplace", [&s, body](const Context& c) {
    auto r = ParseAutoplace(body(c));
    return r.ok() ? s.Autoplace(c.params[0], *r) : ParseError(r.status());
  });
  add("GET", "/v1/view/resources", [&s](const Context& c) { return s.ViewResources(c.query); });

  add("GET", "/v1/resource-definitions/{resource}/snapshots",
      [&s](const Context& c) { return s.ListSnapshots(c.params[0]); });
  add("POST", "/v1/resource-definitions/{resource}/snapshots", [&s, body](const Context& c) {
    auto r = ParseSnapshotCreate(body(c));
    return r.ok() ? s.CreateSnapshot(c.params[0], *r) : ParseError(r.status());
  });
  add("GET", "/v1/resource-definitions/{resource}/snapshots/{snapshot}",
      [&s](const Context& c) { return s.GetSnapshot(c.params[0], c.params[1]); });
  add("DELETE", "/v1/resource-definitions/{resource}/snapshots/{snapshot}",
      [&s](const Context& c) { return s.DeleteSnapshot(c.params[0], c.params[1], c.query.nodes); });
  add("POST", "/v1/actions/snapshot/multi", [&s, body](const Context& c) {
    auto r = ParseMultiSnapshot(body(c));
    return r.ok() ? s.CreateMultiSnapshot(*r) : ParseError(r.status());
  });
  add("GET", "/v1/view/snapshots", [&s](const Context& c) { return s.ViewSnapshots(c.query); });
  add("POST", "/v1/resource-definitions/{resource}/snapshot-restore-volume-definition/{snapshot}",
      [&s, body](const Context& c) {
        auto r = ParseSnapshotRestore(body(c));
        return r.ok() ? s.RestoreVolumeDefinition(c.params[0], c.params[1], *r)
                      : ParseError(r.status());
      });
  add("POST", "/v1/resource-definitions/{resource}/snapshot-restore-resource/{snapshot}",
      [&s, body](const Context& c) {
        auto r = ParseSnapshotRestore(body(c));
        return r.ok() ? s.RestoreResource(c.params[0], c.params[1], *r) : ParseError(r.status());
      });
  add("POST", "/v1/resource-definitions/{resource}/snapshot-rollback/{snapshot}",
      [&s](const Context& c) { return s.Rollback(c.params[0], c.params[1]); });
  add("POST", "/v1/resource-definitions/{resource}/clone", [&s, body](const Context& c) {
    auto r = ParseClone(body(c));
    return r.ok() ? s.Clone(c.params[0], *r) : ParseError(r.status());
  });
  add("GET", "/v1/resource-definitions/{resource}/clone/{resourceClone}",
      [&s](const Context& c) { return s.CloneStatus(c.params[0], c.params[1]); });
}

}  // namespace lcsi::sim
