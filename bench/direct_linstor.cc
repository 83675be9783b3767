#include "bench/direct_linstor.h"

#include <httplib.h>

#include "linstor/decode.h"
#include "linstor/encode.h"

namespace lcsi::bench {

namespace {

Reply ToReply(const httplib::Result& r) {
  if (!r) return {};
  return {r->status, r->body};
}

}  // namespace

DirectLinstor::DirectLinstor(std::string url, int workers) : url_(std::move(url)) {
  for (int i = 0; i < std::max(workers, 1); ++i) {
    auto c = std::make_unique<httplib::Client>(url_);
    c->set_keep_alive(true);
    c->set_tcp_nodelay(true);
    c->set_read_timeout(120, 0);
    clients_.push_back(std::move(c));
  }
}

DirectLinstor::~DirectLinstor() = default;

Reply DirectLinstor::Get(int worker, const std::string& path_and_query) {
  return ToReply(clients_.at(static_cast<size_t>(worker))->Get(path_and_query));
}

Reply DirectLinstor::Post(int worker, const std::string& path, const std::string& body) {
  return ToReply(clients_.at(static_cast<size_t>(worker))->Post(path, body, "application/json"));
}

Result<linstor::ResourceDefinition> DirectLinstor::GetResourceDefinition(const std::string& name) {
  // The single-RD GET has no volume definitions (ResourceDefinitions.listSingleResourceDefinition):
  // the list call with a name filter has them.
  Reply r = Get(
      0, "/v1/resource-definitions?resource_definitions=" + name + "&with_volume_definitions=true");
  if (r.status != 200) {
    return Internal("GET resource definition " + name + ": HTTP " + std::to_string(r.status));
  }
  auto rds = linstor::DecodeResourceDefinitions(r.body);
  if (!rds.ok())
    return Internal("decoding resource definition " + name + ": " + rds.error().message());
  if (rds->size() != 1) return Internal("resource definition " + name + " not found");
  return std::move(rds->front());
}

std::string SpawnBodyLike(const linstor::ResourceDefinition& template_rd, const std::string& rd,
                          const std::string& csi_name) {
  linstor::ResourceGroupSpawn spawn;
  spawn.resource_definition_name = rd;
  for (const auto& vd : template_rd.volume_definitions) spawn.volume_sizes.push_back(vd.size_kib);
  // Only the plugin's own marks: what CreateVolume puts into resource_definition_props.
  for (const auto& [k, v] : template_rd.props) {
    if (k.rfind("Aux/csi-", 0) == 0) spawn.resource_definition_props[k] = v;
  }
  spawn.resource_definition_props["Aux/csi-name"] = csi_name;
  return linstor::EncodeSpawn(spawn);
}

}  // namespace lcsi::bench
