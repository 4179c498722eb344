#include "registry/blob_locations.h"

#include <algorithm>

namespace plinth::registry {

void BlobLocations::Add(const std::string& registry, const oci::Digest& blob,
                        const std::string& repo) {
  std::lock_guard lock(mu_);
  auto& repos = repos_[{registry, blob}];
  if (std::find(repos.begin(), repos.end(), repo) == repos.end()) repos.push_back(repo);
}

BlobLocations::Claim BlobLocations::ClaimUpload(const std::string& registry,
                                                const std::string& repo, const oci::Digest& blob) {
  std::tuple<std::string, std::string, oci::Digest> key{registry, repo, blob};
  std::unique_lock lock(mu_);
  released_.wait(lock, [&] { return !in_flight_.contains(key); });
  in_flight_.insert(key);
  return Claim(*this, std::move(key));
}

BlobLocations::Claim::~Claim() {
  if (!owner_) return;
  {
    std::lock_guard lock(owner_->mu_);
    owner_->in_flight_.erase(key_);
  }
  owner_->released_.notify_all();
}

std::vector<std::string> BlobLocations::Repositories(const std::string& registry,
                                                     const oci::Digest& blob) const {
  std::lock_guard lock(mu_);
  auto it = repos_.find({registry, blob});
  return it == repos_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace plinth::registry
