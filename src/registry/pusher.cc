#include "registry/pusher.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <set>

#include "oci/media_types.h"
#include "registry/parallel_for.h"

namespace plinth::registry {
namespace {

struct Plan {
  std::vector<oci::Descriptor> blobs;      // configs and layers, each digest once
  std::vector<oci::Descriptor> manifests;  // children before the indexes that list them
};

Status Collect(const oci::LayoutStore& store, const oci::Descriptor& d, Plan& plan,
               std::set<oci::Digest>& seen) {
  if (!seen.insert(d.digest).second) return Ok{};
  if (oci::IsIndexType(d.media_type)) {
    PLINTH_TRY(oci::Index index, store.ReadIndex(d.digest));
    for (const auto& child : index.manifests) PLINTH_CHECK(Collect(store, child, plan, seen));
  } else if (oci::IsManifestType(d.media_type)) {
    PLINTH_TRY(oci::Manifest m, store.ReadManifest(d.digest));
    std::vector<oci::Descriptor> blobs = {m.config};
    blobs.insert(blobs.end(), m.layers.begin(), m.layers.end());
    for (const auto& blob : blobs) {
      if (!seen.insert(blob.digest).second) continue;
      if (!store.HasBlob(blob.digest))
        return NotFound("blob " + blob.digest.str() + " of manifest " + d.digest.str() +
                        " is not in the store");
      plan.blobs.push_back(blob);
    }
  } else {
    return InvalidInput("cannot push '" + d.media_type + "' " + d.digest.str() +
                        ": not an image manifest or index");
  }
  plan.manifests.push_back(d);
  return Ok{};
}

}  // namespace

Status Pusher::PushBlob(const std::string& repo, const oci::Descriptor& blob,
                        PushResult& result) {
  std::optional<BlobLocations::Claim> claim;
  if (options_.known) claim.emplace(options_.known->ClaimUpload(client_.registry(), repo, blob.digest));
  PLINTH_TRY(std::optional<int64_t> present, client_.StatBlob(repo, blob.digest));
  if (present) {
    Learn(repo, blob);
    std::lock_guard lock(mu_);
    ++result.blobs_present;
    return Ok{};
  }
  std::vector<std::string> sources = options_.mount_from;
  if (options_.known) {
    for (auto& r : options_.known->Repositories(client_.registry(), blob.digest))
      if (std::find(sources.begin(), sources.end(), r) == sources.end()) sources.push_back(r);
  }
  for (const auto& from : sources) {
    if (from == repo) continue;
    PLINTH_TRY(bool mounted, client_.MountBlob(repo, blob.digest, from));
    if (mounted) {
      Learn(repo, blob);
      std::lock_guard lock(mu_);
      ++result.blobs_mounted;
      result.bytes_mounted += blob.size;
      return Ok{};
    }
  }
  // Each attempt reopens the blob: a failed upload may have consumed part of the stream.
  auto uploaded = WithRetries<Ok>(client_.options().retry.WithoutBudget(), [&]() -> Result<Ok> {
    PLINTH_TRY(FileSource source, store_.OpenBlob(blob.digest));
    PLINTH_CHECK(client_.UploadBlob(repo, blob, source));
    return Ok{};
  });
  if (!uploaded) return uploaded.error();
  Learn(repo, blob);
  std::lock_guard lock(mu_);
  ++result.blobs_uploaded;
  result.bytes_uploaded += blob.size;
  return Ok{};
}

PushCounts& PushCounts::operator+=(const PushCounts& other) {
  blobs_uploaded += other.blobs_uploaded;
  blobs_present += other.blobs_present;
  blobs_mounted += other.blobs_mounted;
  manifests_put += other.manifests_put;
  bytes_uploaded += other.bytes_uploaded;
  bytes_mounted += other.bytes_mounted;
  return *this;
}

void Pusher::Learn(const std::string& repo, const oci::Descriptor& blob) {
  if (options_.known) options_.known->Add(client_.registry(), blob.digest, repo);
}

Result<PushResult> Pusher::Push(const oci::Descriptor& root, const std::string& repo,
                                const std::string& tag) {
  std::string where = client_.registry() + "/" + repo + (tag.empty() ? "@" + root.digest.str()
                                                                     : ":" + tag);
  PushResult result;
  result.root = root;
  Plan plan;
  std::set<oci::Digest> seen;
  auto collected = Collect(store_, root, plan, seen);
  if (!collected) return collected.error().Context("pushing " + where);
  if (!tag.empty()) {
    PLINTH_TRY(auto existing, client_.StatManifest(repo, tag));
    if (existing && existing->digest == root.digest) {
      // Nothing to send; its blobs are there for the pushes that follow to mount.
      for (const auto& blob : plan.blobs) Learn(repo, blob);
      return result;
    }
  }

  auto pushed = ParallelFor(plan.blobs.size(), options_.jobs, [&](size_t i) {
    return PushBlob(repo, plan.blobs[i], result);
  });
  if (!pushed) return pushed.error().Context("pushing " + where);

  for (const auto& m : plan.manifests) {
    bool is_root = m.digest == root.digest;
    std::string reference = is_root && !tag.empty() ? tag : m.digest.str();
    PLINTH_TRY(std::string bytes, store_.ReadBlob(m.digest));
    auto put = client_.PutManifest(repo, reference, bytes, m.media_type);
    if (!put) return put.error().Context("pushing " + where);
    ++result.manifests_put;
  }
  return result;
}

}  // namespace plinth::registry
