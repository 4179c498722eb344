#include "registry/blob_locations.h"

#include <algorithm>

namespace plinth::registry {

void BlobLocations::Add(const std::string& registry, const oci::Digest& blob,
                        const std::string& repo) {
  std::lock_guard lock(mu_);
  auto& repos = repos_[{registry, blob}];
  if (std::find(repos.begin(), repos.end(), repo) == repos.end()) repos.push_back(repo);
}

std::vector<std::string> BlobLocations::Repositories(const std::string& registry,
                                                     const oci::Digest& blob) const {
  std::lock_guard lock(mu_);
  auto it = repos_.find({registry, blob});
  return it == repos_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace plinth::registry
