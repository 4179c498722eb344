#include "oci/referrers.h"

#include "oci/manifest.h"
#include "oci/media_types.h"

namespace plinth::oci {

std::string ReferrersTag(const Digest& subject) { return "sha256-" + subject.hex(); }

Result<Descriptor> AttachArtifact(const LayoutStore& store, const Descriptor& subject,
                                  const std::string& artifact_type, const std::string& kind,
                                  std::string_view content) {
  if (content.size() > kMaxArtifactBytes)
    return InvalidInput("an artifact of " + std::to_string(content.size()) +
                        " bytes is more than the store attaches");
  PLINTH_TRY(Descriptor config, store.PutBlob("{}", std::string(kOciEmpty)));
  PLINTH_TRY(Descriptor layer, store.PutBlob(content, artifact_type));
  Manifest manifest;
  manifest.config = config;
  manifest.layers = {layer};
  manifest.artifact_type = artifact_type;
  Descriptor subject_ref{
      .media_type = subject.media_type, .digest = subject.digest, .size = subject.size};
  manifest.subject = subject_ref;
  PLINTH_TRY(Descriptor stored,
             store.PutBlob(manifest.ToJsonString(), std::string(Manifest::kOciManifestType())));
  stored.artifact_type = artifact_type;
  Descriptor entry = stored;
  entry.annotations[kSubjectAnnotation] = subject.digest.str();
  PLINTH_CHECK(store.Tag(ReferrersTag(subject.digest) + "." + kind, entry));
  return stored;
}

Result<std::vector<StoreEntry>> FindReferrers(const LayoutStore& store, const Digest& subject,
                                              const std::string& artifact_type) {
  PLINTH_TRY(auto entries, store.List());
  std::vector<StoreEntry> out;
  const std::string prefix = ReferrersTag(subject) + ".";
  for (auto& e : entries) {
    auto it = e.descriptor.annotations.find(kSubjectAnnotation);
    if (it == e.descriptor.annotations.end() || it->second != subject.str()) continue;
    if (!e.name.starts_with(prefix)) continue;
    if (!artifact_type.empty() && e.descriptor.artifact_type.value_or("") != artifact_type)
      continue;
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::string> ReadArtifact(const LayoutStore& store, const Descriptor& artifact) {
  PLINTH_TRY(Manifest manifest, store.ReadManifest(artifact.digest));
  if (manifest.layers.empty())
    return IntegrityError("artifact " + artifact.digest.str() + " carries no document");
  const Descriptor& layer = manifest.layers.front();
  if (layer.size < 0 || static_cast<uint64_t>(layer.size) > kMaxArtifactBytes)
    return IntegrityError("artifact " + artifact.digest.str() + "'s document is " +
                          std::to_string(layer.size) + " bytes, more than plinth reads");
  PLINTH_TRY(FileSource source, store.OpenBlob(layer));
  std::string text(static_cast<size_t>(layer.size), '\0');
  size_t done = 0;
  while (done < text.size()) {
    PLINTH_TRY(size_t n, source.Read(text.data() + done, text.size() - done));
    if (n == 0) return IntegrityError("artifact " + artifact.digest.str() + " is cut short");
    done += n;
  }
  return text;
}

}  // namespace plinth::oci
