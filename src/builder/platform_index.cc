#include "builder/platform_index.h"

#include <algorithm>
#include <map>

#include "oci/manifest.h"
#include "oci/media_types.h"
#include "oci/reference.h"
#include "registry/pusher.h"

namespace plinth::builder {

Result<oci::Descriptor> WritePlatformIndex(const oci::LayoutStore& store, const std::string& name,
                                           std::vector<PlatformImage> images) {
  std::sort(images.begin(), images.end(),
            [](const PlatformImage& a, const PlatformImage& b) { return a.platform < b.platform; });
  oci::Index index;
  for (const auto& image : images) {
    PLINTH_TRY(std::string bytes, store.ReadBlob(image.manifest));
    oci::Descriptor d;
    d.media_type = oci::SniffMediaType(bytes);
    if (d.media_type.empty()) d.media_type = std::string(oci::kOciManifest);
    if (!oci::IsManifestType(d.media_type))
      return Internal("the " + image.platform.str() + " image of " + name + " (" +
                      image.manifest.str() + ") is not an image manifest");
    d.digest = image.manifest;
    d.size = static_cast<int64_t>(bytes.size());
    d.platform = image.platform;
    index.manifests.push_back(std::move(d));
  }
  // A no-op rebuild finds its index in place: leave index.json alone.
  std::string bytes = index.ToJsonString();
  if (auto tagged = store.Resolve(name);
      tagged && tagged->digest == oci::Digest::Of(bytes) && store.HasBlob(tagged->digest)) {
    tagged->annotations.clear();
    return *tagged;
  }
  // The index blob is untagged for a moment: hold off gc as the targets' writes do.
  PLINTH_TRY(FileLock writer, store.WriterLock());
  PLINTH_TRY(oci::Descriptor written, store.WriteIndex(index));
  PLINTH_CHECK(store.Tag(name, written));
  return written;
}

namespace {

Status PushIndex(FleetPusher& pusher, const oci::LayoutStore& store, const std::string& name,
                 const oci::Descriptor& index) {
  auto pushed = pusher.Push(store, name, index);
  if (!pushed) return pushed.error().Context("pushing the index " + name);
  return Ok{};
}

}  // namespace

std::vector<IndexResult> JoinPlatformImages(const oci::LayoutStore& store,
                                            const plan::BuildPlan& plan,
                                            const std::vector<TargetResult>& results,
                                            const FleetBuilder& builder,
                                            FleetPusher* pusher) {
  std::map<plan::TargetId, const TargetResult*> by_id;
  for (const auto& r : results) by_id[r.id] = &r;
  std::vector<IndexResult> out;
  for (const auto& spec : plan.indexes) {
    IndexResult result;
    result.spec = &spec;
    std::vector<PlatformImage> images;
    std::vector<std::string> missing;
    for (plan::TargetId id : spec.members) {
      const auto& target = plan.specs[id];
      auto it = by_id.find(id);
      bool ok = it != by_id.end() && (it->second->outcome == TargetOutcome::kBuilt ||
                                      it->second->outcome == TargetOutcome::kCached);
      auto digest = oci::Digest::Parse(builder.Report(id).image_digest);
      if (!ok || !digest) {
        missing.push_back(target.platform.str() + " " +
                          (it == by_id.end() ? "not built" : std::string(OutcomeName(it->second->outcome))));
        continue;
      }
      images.push_back({target.platform, *digest});
      result.platforms.push_back(target.platform.str());
    }
    if (!missing.empty()) {
      for (size_t i = 0; i < missing.size(); ++i) result.detail += (i ? ", " : "") + missing[i];
      result.platforms.clear();
      out.push_back(std::move(result));
      continue;
    }
    auto written = WritePlatformIndex(store, spec.image, std::move(images));
    if (!written) {
      result.failed = true;
      result.detail = written.error().ToString();
    } else {
      result.index = *written;
      if (pusher) {
        if (auto pushed = PushIndex(*pusher, store, spec.image, *written); !pushed) {
          result.failed = true;
          result.detail = pushed.error().ToString();
        }
      }
    }
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace plinth::builder
