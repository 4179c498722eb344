#include "registry/puller.h"

#include <functional>
#include <set>

#include "oci/media_types.h"
#include "registry/parallel_for.h"

namespace plinth::registry {
namespace {

struct Plan {
  std::vector<RemoteManifest> manifests;          // children before the indexes that list them
  std::vector<oci::Descriptor> blobs;      // configs and layers, each digest once
};

}  // namespace

Status Puller::FetchBlob(const std::string& repo, const oci::Descriptor& blob,
                         PullResult& result) {
  if (store_.HasBlob(blob.digest)) {
    std::lock_guard lock(mu_);
    ++result.blobs_present;
    return Ok{};
  }
  auto fetched = WithRetries<Ok>(client_.options().retry.WithoutBudget(), [&]() -> Result<Ok> {
    // A fresh writer per attempt: an abandoned one removes its partial temp file.
    PLINTH_TRY(oci::BlobWriter writer, store_.NewBlob());
    PLINTH_CHECK(client_.FetchBlob(repo, blob, writer));
    auto committed = writer.Commit(blob.media_type, blob.digest);
    if (!committed) return committed.error();
    return Ok{};
  });
  if (!fetched) return fetched.error();
  std::lock_guard lock(mu_);
  ++result.blobs_fetched;
  result.bytes_fetched += blob.size;
  return Ok{};
}

Result<PullResult> Puller::Pull(const std::string& repo, const std::string& reference,
                                const std::string& store_name) {
  std::string where = client_.registry() + "/" + repo +
                      (reference.starts_with("sha256:") ? "@" : ":") + reference;
  auto context = [&](const Error& e) { return e.Context("pulling " + where); };
  // Blobs written but not yet tagged must survive a concurrent gc.
  auto lock = store_.WriterLock();
  if (!lock) return context(lock.error());

  auto root = client_.GetManifest(repo, reference);
  if (!root) return context(root.error());
  Plan plan;
  std::set<oci::Digest> seen;
  std::vector<RemoteManifest> pending = {std::move(*root)};
  if (oci::IsIndexType(pending[0].descriptor.media_type) && options_.platform) {
    auto index = oci::Index::Parse(pending[0].bytes);
    if (!index) return context(index.error());
    const oci::Descriptor* chosen = nullptr;
    std::string have;
    for (const auto& d : index->manifests) {
      if (!d.platform) continue;
      have += (have.empty() ? "" : ", ") + d.platform->str();
      if (!chosen && d.platform->os == options_.platform->os &&
          d.platform->architecture == options_.platform->architecture &&
          (options_.platform->variant.empty() || d.platform->variant == options_.platform->variant))
        chosen = &d;
    }
    if (!chosen)
      return context(NotFound("no manifest for " + options_.platform->str() +
                              (have.empty() ? "" : " (the index has " + have + ")")));
    auto child = client_.GetManifest(repo, chosen->digest.str());
    if (!child) return context(child.error());
    child->descriptor.platform = chosen->platform;
    pending = {std::move(*child)};
  }
  // Walk depth-first; record each document after its children.
  std::function<Status(RemoteManifest)> walk = [&](RemoteManifest doc) -> Status {
    if (!seen.insert(doc.descriptor.digest).second) return Ok{};
    if (oci::IsIndexType(doc.descriptor.media_type)) {
      PLINTH_TRY(oci::Index index, oci::Index::Parse(doc.bytes));
      for (const auto& d : index.manifests) {
        if (!oci::IsManifestType(d.media_type) && !oci::IsIndexType(d.media_type)) continue;
        PLINTH_TRY(RemoteManifest child, client_.GetManifest(repo, d.digest.str()));
        PLINTH_CHECK(walk(std::move(child)));
      }
    } else {
      PLINTH_TRY(oci::Manifest m, oci::Manifest::Parse(doc.bytes));
      std::vector<oci::Descriptor> blobs = {m.config};
      blobs.insert(blobs.end(), m.layers.begin(), m.layers.end());
      for (const auto& b : blobs) {
        if (b.size < 0) return IntegrityError("blob " + b.digest.str() + " has a negative size");
        if (seen.insert(b.digest).second) plan.blobs.push_back(b);
      }
    }
    plan.manifests.push_back(std::move(doc));
    return Ok{};
  };
  auto walked = walk(std::move(pending[0]));
  if (!walked) return context(walked.error());

  PullResult result;
  auto pulled = ParallelFor(plan.blobs.size(), options_.jobs, [&](size_t i) {
    return FetchBlob(repo, plan.blobs[i], result);
  });
  if (!pulled) return context(pulled.error());

  for (auto& m : plan.manifests) {
    // The bytes were verified against their digest by the client; the store checks again.
    PLINTH_TRY(oci::BlobWriter writer, store_.NewBlob());
    PLINTH_CHECK(writer.Write(m.bytes));
    auto stored = writer.Commit(m.descriptor.media_type, m.descriptor.digest);
    if (!stored) return context(stored.error());
  }
  result.root = plan.manifests.back().descriptor;
  if (!store_name.empty()) {
    auto tagged = store_.Tag(store_name, result.root);
    if (!tagged) return context(tagged.error());
  }
  return result;
}

}  // namespace plinth::registry
