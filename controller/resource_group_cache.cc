#include "controller/resource_group_cache.h"

#include <spdlog/spdlog.h>

#include "controller/linstor_status.h"
#include "controller/props.h"

namespace lcsi::controller {

ResourceGroupCache::ResourceGroupCache(linstor::LinstorClient* client, std::string owner_id)
    : client_(client), owner_id_(std::move(owner_id)) {}

bool ResourceGroupCache::IsCached(const std::string& name) const {
  std::lock_guard l(mu_);
  return ensured_.count(name) > 0;
}

void ResourceGroupCache::Invalidate(const std::string& name) {
  std::lock_guard l(mu_);
  ensured_.erase(name);
}

Status ResourceGroupCache::Ensure(const ResourceGroupSpec& spec) {
  {
    std::lock_guard l(mu_);
    auto it = ensured_.find(spec.name);
    if (it != ensured_.end() && it->second == spec.fingerprint) return Status::Ok();
  }
  std::lock_guard cold(cold_mu_);
  {
    std::lock_guard l(mu_);  // another thread may have finished meanwhile
    auto it = ensured_.find(spec.name);
    if (it != ensured_.end() && it->second == spec.fingerprint) return Status::Ok();
  }
  LCSI_RETURN_IF_ERROR(EnsureUncached(spec));
  std::lock_guard l(mu_);
  ensured_[spec.name] = spec.fingerprint;
  return Status::Ok();
}

Status ResourceGroupCache::EnsureUncached(const ResourceGroupSpec& spec) {
  const std::string what = "resource group " + spec.name;
  auto existing = client_->GetResourceGroup(spec.name);
  if (existing.IsNotFound()) {
    auto created = client_->CreateResourceGroup(NewResourceGroup(spec));
    if (created.ok()) {
      spdlog::info("created resource group {}", spec.name);
      return Status::Ok();
    }
    if (!created.Is(linstor::LinstorErrorKind::kAlreadyExists)) {
      return FromLinstor(created, "creating " + what);
    }
    existing = client_->GetResourceGroup(spec.name);  // lost a race: reconcile what is there
  }
  if (!existing.ok()) return FromLinstor(existing, "reading " + what);
  if (!props::OwnedBy(existing->props, owner_id_)) {
    spdlog::info("{} is not owned by owner id {}; using it unchanged", what, owner_id_);
    return Status::Ok();
  }
  if (props::Is(existing->props, props::kSpec, spec.fingerprint)) return Status::Ok();
  auto modify = ReconcileResourceGroup(*existing, spec);
  if (!modify) return Status::Ok();
  auto modified = client_->ModifyResourceGroup(spec.name, *modify);
  if (!modified.ok()) return FromLinstor(modified, "updating " + what);
  spdlog::info("reconciled resource group {} to the storage class parameters", spec.name);
  return Status::Ok();
}

}  // namespace lcsi::controller
