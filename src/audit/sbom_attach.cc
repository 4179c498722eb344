#include "audit/sbom_attach.h"

#include "audit/sbom_maker.h"
#include "oci/image.h"
#include "oci/manifest.h"
#include "oci/media_types.h"
#include "oci/referrers.h"

namespace plinth::audit {
namespace {

Result<bool> AttachOne(const oci::LayoutStore& store, const oci::Descriptor& manifest,
                       const std::string& name) {
  const std::string type = SbomMediaType(SbomFormat::kSpdxJson);
  PLINTH_TRY(auto attached, oci::FindReferrers(store, manifest.digest, type));
  if (!attached.empty()) return false;
  PLINTH_TRY(oci::Image image, oci::ReadImage(store, manifest));
  PLINTH_TRY(SbomDocument document, MakeSbom(store, image, manifest, name));
  std::string text = SbomText(document, SbomFormat::kSpdxJson);
  PLINTH_CHECK(oci::AttachArtifact(store, manifest, type, "spdx", text));
  return true;
}

}  // namespace

Result<int> AttachSbom(const oci::LayoutStore& store, const oci::Descriptor& image,
                       const std::string& name) {
  std::vector<oci::Descriptor> manifests = {image};
  if (oci::IsIndexType(image.media_type)) {
    PLINTH_TRY(oci::Index index, store.ReadIndex(image.digest));
    manifests = index.manifests;
  }
  int made = 0;
  for (const auto& m : manifests) {
    auto attached = AttachOne(store, m, name);
    if (!attached) return attached.error().Context("attaching the SBOM of " + name);
    made += *attached ? 1 : 0;
  }
  return made;
}

}  // namespace plinth::audit
