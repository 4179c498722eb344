#include "oci/referrers.h"

#include <algorithm>
#include <iterator>

#include "oci/manifest.h"
#include "oci/media_types.h"

namespace plinth::oci {

std::string ReferrersTag(const Digest& subject) { return "sha256-" + subject.hex(); }

Result<Descriptor> AttachArtifact(const LayoutStore& store, const Descriptor& subject,
                                  const std::string& artifact_type, const std::string& kind,
                                  std::string_view content) {
  if (std::find(std::begin(kArtifactKinds), std::end(kArtifactKinds), kind) ==
      std::end(kArtifactKinds))
    return Internal("no artifact kind \"" + kind + "\"");
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
  std::vector<StoreEntry> out;
  for (const char* kind : kArtifactKinds) {
    std::string name = ReferrersTag(subject) + "." + kind;
    auto found = store.Resolve(name);
    if (!found) {
      if (found.error().kind() == ErrorKind::kNotFound) continue;
      return found.error();
    }
    // Resolve also answers familiar forms: only the entry that names this subject counts.
    auto it = found->annotations.find(kSubjectAnnotation);
    if (it == found->annotations.end() || it->second != subject.str()) continue;
    if (!artifact_type.empty() && found->artifact_type.value_or("") != artifact_type) continue;
    out.push_back({name, *found});
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
