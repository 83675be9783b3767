// ListVolumes: every live volume this plugin owns, with its published nodes and condition,
// paged. The pages after the first are cut from the first page's read (volume_list_cache.h).
#include <algorithm>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/pagination.h"
#include "controller/props.h"
#include "controller/volume_status.h"

namespace lcsi::controller {

namespace {

// A full listing allocates and frees megabytes in many small pieces; glibc keeps freed pages
// of its heaps resident (RssAnon) until trimmed. Hand them back.
void ReturnFreeMemory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

// What a ListVolumes entry needs of a resource definition: name, size of volume 0, and the
// properties FillVolume and PublishedNodes read.
linstor::ResourceDefinition TrimForListing(linstor::ResourceDefinition&& rd) {
  linstor::ResourceDefinition out;
  out.name = std::move(rd.name);
  for (auto& vd : rd.volume_definitions) {
    if (vd.volume_number != 0) continue;
    linstor::VolumeDefinition v;
    v.volume_number = 0;
    v.size_kib = vd.size_kib;
    out.volume_definitions.push_back(std::move(v));
  }
  const std::string published(props::kPublishedPrefix);
  for (auto& [k, v] : rd.props) {
    if (k == props::kSource || k == props::kRemoteAccess || k.rfind(published, 0) == 0) {
      out.props.emplace(k, std::move(v));
    }
  }
  return out;
}

// What EvaluateVolumeHealth and FillVolume read of a resource.
linstor::Resource TrimForListing(linstor::Resource&& r) {
  linstor::Resource out;
  out.name = std::move(r.name);
  out.node_name = std::move(r.node_name);
  out.flags = std::move(r.flags);
  if (const linstor::Volume* v0 = r.volume(0)) {
    linstor::Volume v;
    v.volume_number = 0;
    v.disk_state = v0->disk_state;
    out.volumes.push_back(std::move(v));
  }
  out.drbd_connections = std::move(r.drbd_connections);  // connected, message
  out.drbd_promotion_score = r.drbd_promotion_score;     // 0: I/O suspended
  out.in_use = r.in_use;
  return out;
}

}  // namespace

Status Controller::ListVolumes(const csi::v1::ListVolumesRequest& req,
                               csi::v1::ListVolumesResponse* resp) {
  if (req.max_entries() < 0) return InvalidArgument("ListVolumes: max_entries is negative");
  if (!req.starting_token().empty()) {
    auto token = DecodePageToken(req.starting_token());
    if (!token.ok()) return token.status();
  }
  // A continued listing is cut from its first page's read while that is fresh.
  std::shared_ptr<const VolumeListCache::Snapshot> list;
  if (!req.starting_token().empty()) list = list_cache_.Fresh();
  if (list == nullptr) {
    auto read = ReadVolumeList();
    if (!read.ok()) return read.status();
    list = std::move(*read);
    list_cache_.Put(list);
  }
  auto page = Paginate(list->keys, req.max_entries(), req.starting_token());
  if (!page.ok()) return page.status();
  for (size_t i = page->begin; i < page->end; ++i) {
    if (!resp->add_entries()->ParseFromString(list->entries[i])) {
      return Internal("ListVolumes: a kept entry does not parse");
    }
  }
  resp->set_next_token(page->next_token);
  if (page->next_token.empty()) {
    // The listing is complete; the next one starts with a fresh read anyway.
    list_cache_.Drop();
    list.reset();
    ReturnFreeMemory();
  }
  return Status::Ok();
}

Result<std::shared_ptr<const VolumeListCache::Snapshot>> Controller::ReadVolumeList() {
  // LINSTOR's answers are streamed and each object is cut down to what an entry needs as it
  // arrives: 10,000 volumes are tens of MB of JSON, but a few MB of kept state.
  linstor::ResourceDefinitionFilter filter;
  filter.props = {props::Key(props::kOwner) + "=" + options_.owner_id};
  filter.with_volume_definitions = true;
  std::vector<linstor::ResourceDefinition> live;
  auto listed = client_->ForEachResourceDefinition(filter, [&](linstor::ResourceDefinition&& rd) {
    if (Owns(rd.props) && !props::Get(rd.props, props::kDeleted)) {
      live.push_back(TrimForListing(std::move(rd)));
    }
  });
  if (!listed.ok()) return FromLinstor(listed, "listing volumes");
  std::sort(live.begin(), live.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  auto list = std::make_shared<VolumeListCache::Snapshot>();
  if (live.empty()) return std::shared_ptr<const VolumeListCache::Snapshot>(std::move(list));

  // A few volumes: ask for just their resources; many: read all resources at once rather than
  // building a huge query string (and skip those of other RDs).
  constexpr size_t kMaxNamesInQuery = 50;
  linstor::ResourceViewFilter view;
  if (live.size() <= kMaxNamesInQuery) {
    for (const auto& rd : live) view.resources.push_back(rd.name);
  }
  std::map<std::string, std::vector<linstor::Resource>> by_rd;
  for (const auto& rd : live) by_rd.emplace(rd.name, std::vector<linstor::Resource>{});
  std::vector<std::string> node_names;
  auto viewed = client_->ForEachResource(view, [&](linstor::Resource&& r) {
    auto it = by_rd.find(r.name);
    if (it == by_rd.end()) return;
    if (std::find(node_names.begin(), node_names.end(), r.node_name) == node_names.end()) {
      node_names.push_back(r.node_name);
    }
    it->second.push_back(TrimForListing(std::move(r)));
  });
  if (!viewed.ok()) return FromLinstor(viewed, "listing the resources of volumes");
  auto nodes = NodesByName(node_names);
  if (!nodes.ok()) return nodes.status();

  list->keys.reserve(live.size());
  list->entries.reserve(live.size());
  csi::v1::ListVolumesResponse::Entry entry;
  for (auto& rd : live) {
    entry.Clear();
    auto it = by_rd.find(rd.name);
    FillVolume(rd, &it->second, entry.mutable_volume(), &*nodes);
    FillVolumeStatus(PublishedNodes(rd.props), EvaluateVolumeHealth(it->second, *nodes),
                     entry.mutable_status());
    list->keys.push_back(rd.name);
    list->entries.push_back(entry.SerializeAsString());
    by_rd.erase(it);
    rd = {};
  }
  live = {};
  ReturnFreeMemory();
  return std::shared_ptr<const VolumeListCache::Snapshot>(std::move(list));
}

}  // namespace lcsi::controller
