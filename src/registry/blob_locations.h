// BlobLocations: which repositories of a registry are known to hold a blob, learnt from what
// this process pushed, so that pushing a fleet mounts a shared base layer from the repository
// that already has it instead of uploading it again for every service (docker keeps the same
// knowledge in its distribution metadata). Safe to share between threads.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "oci/digest.h"

namespace plinth::registry {

class BlobLocations {
 public:
  void Add(const std::string& registry, const oci::Digest& blob, const std::string& repo);
  // The repositories of `registry` known to hold `blob`, in the order they were learnt.
  std::vector<std::string> Repositories(const std::string& registry, const oci::Digest& blob) const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, oci::Digest>, std::vector<std::string>> repos_;
};

}  // namespace plinth::registry
