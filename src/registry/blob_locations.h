// BlobLocations: which repositories of a registry are known to hold a blob, learnt from what
// this process pushed, so that pushing a fleet mounts a shared base layer from the repository
// that already has it instead of uploading it again for every service (docker keeps the same
// knowledge in its distribution metadata). It also keeps the pushes of one process from sending
// one blob to one repository at the same time (two platform images of a service share their
// arch-independent layers): the registry (distribution's filesystem driver) can lose a blob
// whose concurrent uploads commit together, and the manifest put after them is then refused as
// MANIFEST_BLOB_UNKNOWN, as containerd's pusher found (nerdctl #2404). Safe to share between
// threads.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
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

  // Held while a push checks, mounts or uploads `blob` into `repo`; another push of the same
  // blob to the same repository waits for it, then finds the blob there.
  class Claim {
   public:
    Claim(BlobLocations& owner, std::tuple<std::string, std::string, oci::Digest> key)
        : owner_(&owner), key_(std::move(key)) {}
    Claim(Claim&& other) noexcept : owner_(other.owner_), key_(std::move(other.key_)) {
      other.owner_ = nullptr;
    }
    Claim(const Claim&) = delete;
    Claim& operator=(const Claim&) = delete;
    Claim& operator=(Claim&&) = delete;
    ~Claim();

   private:
    BlobLocations* owner_;
    std::tuple<std::string, std::string, oci::Digest> key_;
  };
  Claim ClaimUpload(const std::string& registry, const std::string& repo, const oci::Digest& blob);

 private:
  mutable std::mutex mu_;
  std::condition_variable released_;
  std::set<std::tuple<std::string, std::string, oci::Digest>> in_flight_;
  std::map<std::pair<std::string, oci::Digest>, std::vector<std::string>> repos_;
};

}  // namespace plinth::registry
