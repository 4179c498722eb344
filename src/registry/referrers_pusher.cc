#include "registry/referrers_pusher.h"

#include <algorithm>

#include "oci/manifest.h"
#include "oci/media_types.h"
#include "oci/referrers.h"

namespace plinth::registry {
namespace {

// Lists `artifact` among the referrers of `subject` unless the registry already does.
Status EnsureListed(RegistryClient& client, const std::string& repo, const oci::Digest& subject,
                    const oci::Descriptor& artifact, PushCounts* counts) {
  const std::string type = artifact.artifact_type.value_or("");
  PLINTH_TRY(auto listed, client.Referrers(repo, subject, type));
  auto has = [&](const oci::Index& index) {
    return std::any_of(index.manifests.begin(), index.manifests.end(),
                       [&](const oci::Descriptor& d) { return d.digest == artifact.digest; });
  };
  if (listed && has(*listed)) return Ok{};
  // No referrers API (or it does not list it yet): the fallback tag, as it stands plus this one.
  const std::string tag = oci::ReferrersTag(subject);
  oci::Index index;
  PLINTH_TRY(auto existing, client.StatManifest(repo, tag));
  if (existing) {
    PLINTH_TRY(RemoteManifest remote, client.GetManifest(repo, tag));
    auto parsed = oci::Index::Parse(remote.bytes);
    if (!parsed) return parsed.error().Context("reading the referrers tag " + repo + ":" + tag);
    index = std::move(*parsed);
  }
  // One artifact of a type per subject: a newer SBOM replaces the one listed before.
  std::erase_if(index.manifests, [&](const oci::Descriptor& d) {
    return d.artifact_type.value_or("") == type || d.digest == artifact.digest;
  });
  oci::Descriptor entry{.media_type = artifact.media_type,
                        .digest = artifact.digest,
                        .size = artifact.size,
                        .artifact_type = artifact.artifact_type};
  index.manifests.push_back(entry);
  PLINTH_CHECK(client.PutManifest(repo, tag, index.ToJsonString(),
                                  std::string(oci::Index::kOciIndexType())));
  ++counts->manifests_put;
  return Ok{};
}

}  // namespace

Result<int> PushReferrers(RegistryClient& client, Pusher& pusher, const oci::LayoutStore& store,
                          const oci::Descriptor& root, const std::string& repo,
                          PushCounts* counts) {
  std::vector<oci::Digest> subjects = {root.digest};
  if (oci::IsIndexType(root.media_type)) {
    PLINTH_TRY(oci::Index index, store.ReadIndex(root.digest));
    for (const auto& m : index.manifests) subjects.push_back(m.digest);
  }
  int pushed = 0;
  for (const auto& subject : subjects) {
    PLINTH_TRY(auto referrers, oci::FindReferrers(store, subject));
    for (const auto& r : referrers) {
      oci::Descriptor artifact = r.descriptor;
      artifact.annotations.clear();
      auto sent = pusher.Push(artifact, repo, "");
      if (!sent) return sent.error().Context("pushing " + r.name + " to " + repo);
      *counts += *sent;
      PLINTH_CHECK(EnsureListed(client, repo, subject, artifact, counts));
      ++pushed;
    }
  }
  return pushed;
}

}  // namespace plinth::registry
