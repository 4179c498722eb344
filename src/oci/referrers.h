// Referrers in the store: artifacts (an SBOM, …) attached to an image manifest the way OCI 1.1
// attaches them in a registry: an image manifest with `artifactType`, the empty config
// (application/vnd.oci.empty.v1+json, "{}"), the document as its one layer, and `subject`
// naming the image's manifest. In the layout's index.json the artifact is named
// "sha256-<subject hex>.<kind>" (the registry's fallback tag scheme, one name per kind) and
// carries the subject's digest in kSubjectAnnotation, so it is found from the subject's digest
// without reading every manifest, and `plinth store gc` keeps it exactly while its subject is
// kept (oci/store_maintenance.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "oci/descriptor.h"
#include "oci/layout_store.h"
#include "util/result.h"

namespace plinth::oci {

inline constexpr const char* kSubjectAnnotation = "dev.plinth.referrer.subject";
// The most an attached document may hold (SBOMs of large images are a few MiB).
inline constexpr uint64_t kMaxArtifactBytes = 64u << 20;

// The kinds of artifact the store names ("sha256-<hex>.<kind>"): looking one up is one index
// lookup per kind, not a scan of the store, so a build or push of thousands of images stays
// linear.
inline constexpr const char* kArtifactKinds[] = {"spdx", "cyclonedx"};

// The fallback tag of a subject: "sha256-<hex>".
std::string ReferrersTag(const Digest& subject);

// Stores `content` as an artifact of `artifact_type` whose subject is `subject` (an image
// manifest), names it "sha256-<hex>.<kind>" in index.json (replacing an earlier one of that
// kind; `kind` one of kArtifactKinds), and returns the artifact manifest's descriptor
// (artifact_type set).
Result<Descriptor> AttachArtifact(const LayoutStore& store, const Descriptor& subject,
                                  const std::string& artifact_type, const std::string& kind,
                                  std::string_view content);

// The artifacts attached to `subject` (of `artifact_type` when not empty), by name.
Result<std::vector<StoreEntry>> FindReferrers(const LayoutStore& store, const Digest& subject,
                                              const std::string& artifact_type = "");

// The document an artifact manifest carries (its first layer), at most kMaxArtifactBytes.
Result<std::string> ReadArtifact(const LayoutStore& store, const Descriptor& artifact);

}  // namespace plinth::oci
