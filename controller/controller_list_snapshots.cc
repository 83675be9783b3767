// ListSnapshots: the snapshots this plugin owns (temporary ones of clones left out), by id,
// by source volume, or all; paged.
#include <algorithm>

#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/names.h"
#include "controller/pagination.h"
#include "controller/props.h"

namespace lcsi::controller {

Status Controller::ListSnapshots(const csi::v1::ListSnapshotsRequest& req,
                                 csi::v1::ListSnapshotsResponse* resp) {
  if (req.max_entries() < 0) return InvalidArgument("ListSnapshots: max_entries is negative");
  if (!req.starting_token().empty()) {
    auto token = DecodePageToken(req.starting_token());
    if (!token.ok()) return token.status();
  }
  std::vector<linstor::Snapshot> snaps;
  if (!req.snapshot_id().empty()) {
    auto ref = DecodeSnapshotId(req.snapshot_id());
    if (!ref) return Status::Ok();  // unknown id: empty list
    if (!req.source_volume_id().empty() && req.source_volume_id() != ref->resource_definition) {
      return Status::Ok();
    }
    auto s = client_->GetSnapshot(ref->resource_definition, ref->snapshot);
    if (s.IsNotFound()) return Status::Ok();
    if (!s.ok()) return FromLinstor(s, "reading snapshot " + req.snapshot_id());
    snaps.push_back(std::move(*s));
  } else if (!req.source_volume_id().empty()) {
    auto list = client_->ListSnapshots(req.source_volume_id());
    if (list.IsNotFound()) return Status::Ok();
    if (!list.ok()) {
      return FromLinstor(list, "listing the snapshots of volume " + req.source_volume_id());
    }
    snaps = std::move(*list);
  } else {
    auto list = client_->ViewSnapshots({});
    if (!list.ok()) return FromLinstor(list, "listing snapshots");
    snaps = std::move(*list);
  }
  std::vector<std::pair<std::string, const linstor::Snapshot*>> owned;
  for (const auto& s : snaps) {
    if (!OwnsSnapshot(s) || props::Get(s.definition_props, props::kTemporary)) continue;
    owned.emplace_back(EncodeSnapshotId({s.resource_name, s.name}), &s);
  }
  std::sort(owned.begin(), owned.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> keys;
  for (const auto& [id, s] : owned) keys.push_back(id);
  auto page = Paginate(keys, req.max_entries(), req.starting_token());
  if (!page.ok()) return page.status();
  for (size_t i = page->begin; i < page->end; ++i) {
    FillSnapshot(*owned[i].second, resp->add_entries()->mutable_snapshot());
  }
  resp->set_next_token(page->next_token);
  return Status::Ok();
}

}  // namespace lcsi::controller
