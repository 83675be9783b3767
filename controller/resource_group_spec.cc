#include "controller/resource_group_spec.h"

#include <sstream>

#include "controller/hashing.h"
#include "controller/props.h"

namespace lcsi::controller {

namespace {

std::string PlacementCanonical(const VolumeParameters& p, const linstor::SelectFilter& f) {
  std::ostringstream out;
  auto list = [&](const char* name, const std::optional<std::vector<std::string>>& v) {
    out << name << "=";
    if (v)
      for (const auto& s : *v) out << s << ",";
    out << "\n";
  };
  out << "place_count=" << (f.place_count ? std::to_string(*f.place_count) : "") << "\n";
  list("storage_pool_list", f.storage_pool_list);
  list("storage_pool_diskless_list", f.storage_pool_diskless_list);
  list("replicas_on_same", f.replicas_on_same);
  list("replicas_on_different", f.replicas_on_different);
  list("node_name_list", f.node_name_list);
  list("layer_stack", f.layer_stack);
  out << "not_place_with_rsc_regex=" << f.not_place_with_rsc_regex.value_or("") << "\n";
  out << "diskless_on_remaining="
      << (f.diskless_on_remaining ? (*f.diskless_on_remaining ? "true" : "false") : "") << "\n";
  // Only when set, so that the names of groups without it stay what they were.
  if (f.x_replicas_on_different_map)
    for (const auto& [k, n] : *f.x_replicas_on_different_map) out << "x:" << k << "=" << n << "\n";
  for (const auto& [k, v] : p.linstor_props) out << "prop:" << k << "=" << v << "\n";
  return out.str();
}

template <typename T>
void SetIfNotEmpty(std::optional<std::vector<T>>& dst, const std::vector<T>& src) {
  if (!src.empty()) dst = src;
}

}  // namespace

ResourceGroupSpec BuildResourceGroupSpec(const VolumeParameters& params,
                                         const std::string& owner_id) {
  ResourceGroupSpec spec;
  linstor::SelectFilter& f = spec.select_filter;
  // Manual placement: one diskful replica on each nodeList node (placementCount is ignored).
  f.place_count = params.placement_policy == PlacementPolicy::kManual
                      ? static_cast<int32_t>(params.node_list.size())
                      : params.placement_count.value_or(kDefaultPlacementCount);
  SetIfNotEmpty(f.storage_pool_list, params.storage_pools);
  SetIfNotEmpty(f.storage_pool_diskless_list, params.diskless_storage_pools);
  SetIfNotEmpty(f.replicas_on_same, params.replicas_on_same);
  SetIfNotEmpty(f.replicas_on_different, params.replicas_on_different);
  SetIfNotEmpty(f.node_name_list, params.node_list);
  if (!params.x_replicas_on_different.empty()) {
    f.x_replicas_on_different_map = params.x_replicas_on_different;
  }
  SetIfNotEmpty(f.layer_stack, params.layer_list);
  if (!params.do_not_place_with_regex.empty()) {
    f.not_place_with_rsc_regex = params.do_not_place_with_regex;
  }
  f.diskless_on_remaining = params.diskless_on_remaining;

  const std::string canonical = PlacementCanonical(params, f);
  spec.fingerprint = Sha256Hex(canonical, 16);
  if (params.resource_group.empty()) {
    spec.generated = true;
    spec.name = "csi-" + Sha256Hex("owner=" + owner_id + "\n" + canonical, 20);
  } else {
    spec.name = params.resource_group;
  }
  spec.props = params.linstor_props;
  spec.props[props::Key(props::kOwner)] = owner_id;
  spec.props[props::Key(props::kSpec)] = spec.fingerprint;
  return spec;
}

std::optional<linstor::ResourceGroupModify> ReconcileResourceGroup(
    const linstor::ResourceGroup& existing, const ResourceGroupSpec& spec) {
  linstor::ResourceGroupModify modify;
  bool changed = false;
  for (const auto& [k, v] : spec.props) {
    auto it = existing.props.find(k);
    if (it == existing.props.end() || it->second != v) {
      modify.override_props[k] = v;
      changed = true;
    }
  }
  // Settings the spec does not mention are left alone: a select filter PUT merges fields.
  const linstor::SelectFilter& want = spec.select_filter;
  const linstor::SelectFilter& have = existing.select_filter;
  linstor::SelectFilter diff;
  bool filter_changed = false;
  auto check = [&](auto& out, const auto& w, const auto& h) {
    if (w && w != h) {
      out = w;
      filter_changed = true;
    }
  };
  check(diff.place_count, want.place_count, have.place_count);
  check(diff.storage_pool_list, want.storage_pool_list, have.storage_pool_list);
  check(diff.storage_pool_diskless_list, want.storage_pool_diskless_list,
        have.storage_pool_diskless_list);
  check(diff.replicas_on_same, want.replicas_on_same, have.replicas_on_same);
  check(diff.replicas_on_different, want.replicas_on_different, have.replicas_on_different);
  check(diff.x_replicas_on_different_map, want.x_replicas_on_different_map,
        have.x_replicas_on_different_map);
  check(diff.node_name_list, want.node_name_list, have.node_name_list);
  check(diff.layer_stack, want.layer_stack, have.layer_stack);
  check(diff.not_place_with_rsc_regex, want.not_place_with_rsc_regex,
        have.not_place_with_rsc_regex);
  check(diff.diskless_on_remaining, want.diskless_on_remaining, have.diskless_on_remaining);
  if (filter_changed) {
    modify.select_filter = diff;
    changed = true;
  }
  if (!changed) return std::nullopt;
  return modify;
}

linstor::ResourceGroup NewResourceGroup(const ResourceGroupSpec& spec) {
  linstor::ResourceGroup rg;
  rg.name = spec.name;
  rg.description = "created by the LINSTOR CSI plugin (linstor-csi-cpp)";
  rg.props = spec.props;
  rg.select_filter = spec.select_filter;
  return rg;
}

}  // namespace lcsi::controller
