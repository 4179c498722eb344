#include "registry/image_copier.h"

#include "oci/archive_export.h"
#include "oci/media_types.h"
#include "oci/store_maintenance.h"
#include "registry/oci_archive_import.h"
#include "registry/puller.h"
#include "registry/pusher.h"

namespace plinth::registry {
namespace {

// An image found at its source: which layout holds it now, and its root.
struct Staged {
  Staged() = default;
  Staged(const Staged&) = delete;
  std::optional<oci::LayoutStore> own_layout;  // a layout folder opened for this copy
  const oci::LayoutStore* layout = nullptr;
  oci::Descriptor root;
  std::string name;  // a name for it where one is needed
  int blobs_copied = 0;
  int blobs_present = 0;
};

std::string RegistryTag(const oci::Reference& ref) {
  return ref.has_digest() ? ref.digest().str() : ref.tag();
}

Result<oci::Descriptor> ResolveInLayout(const oci::LayoutStore& layout, const std::string& name,
                                        const std::string& where) {
  if (!name.empty()) {
    auto d = layout.Resolve(name);
    if (!d) return d.error().Context("finding " + name + " in " + where);
    return d;
  }
  PLINTH_TRY(std::vector<oci::StoreEntry> entries, layout.List());
  if (entries.size() != 1)
    return InvalidInput(where + " holds " + std::to_string(entries.size()) +
                        " images: name one as oci:DIR:NAME");
  return entries[0].descriptor;
}

// Fills `s` in place: it may point into itself (own_layout), so it must not move.
Status Stage(RegistryContext& registries, const oci::LayoutStore& store,
             const ImageLocation& source, const ImageLocation& destination,
             const CopyOptions& options, Staged& s) {
  switch (source.kind) {
    case LocationKind::kRegistry: {
      const oci::Reference& ref = source.reference;
      s.name = ref.Familiar();
      s.layout = &store;
      // Only an archive or a store destination needs the image named in the store.
      bool named = destination.kind == LocationKind::kArchive ||
                   destination.kind == LocationKind::kStore;
      Puller puller(registries.Client(ref.domain()), store,
                    {.jobs = options.jobs, .platform = options.platform});
      PLINTH_TRY(PullResult pulled, puller.Pull(ref.path(), RegistryTag(ref), named ? s.name : ""));
      s.root = pulled.root;
      s.blobs_copied = pulled.blobs_fetched;
      s.blobs_present = pulled.blobs_present;
      return Ok{};
    }
    case LocationKind::kStore: {
      s.layout = &store;
      s.name = source.name;
      PLINTH_TRY(s.root, ResolveInLayout(store, source.name, "the store"));
      break;
    }
    case LocationKind::kLayout: {
      auto layout = oci::LayoutStore::OpenExisting(source.path);
      if (!layout) return layout.error().Context("opening " + source.str());
      s.own_layout.emplace(std::move(*layout));
      s.layout = &*s.own_layout;
      PLINTH_TRY(s.root, ResolveInLayout(*s.layout, source.name, source.str()));
      s.name = source.name;
      break;
    }
    case LocationKind::kArchive: {
      s.layout = &store;
      PLINTH_TRY(s.root, ImportOciArchive(source.path, source.name, store));
      s.name = source.name.empty() ? "oci-archive/" + s.root.digest.hex().substr(0, 12) : source.name;
      if (destination.kind == LocationKind::kArchive) PLINTH_CHECK(store.Tag(s.name, s.root));
      break;
    }
  }
  if (options.platform && oci::IsIndexType(s.root.media_type)) {
    PLINTH_TRY(s.root, s.layout->SelectPlatform(s.root, *options.platform));
  }
  return Ok{};
}

}  // namespace

Result<int> CopyBetweenLayouts(const oci::LayoutStore& from, const oci::LayoutStore& to,
                               const oci::Descriptor& root, const std::string& name) {
  PLINTH_TRY(std::vector<oci::Descriptor> blobs, oci::ReachableBlobs(from, root));
  int copied = 0;
  for (const auto& blob : blobs) {
    if (to.HasBlob(blob.digest)) continue;
    if (!from.HasBlob(blob.digest))
      return NotFound("blob " + blob.digest.str() + " of " + root.digest.str() + " is missing",
                      Location{from.dir()});
    PLINTH_TRY(FileSource source, from.OpenBlob(blob));
    PLINTH_TRY(oci::BlobWriter writer, to.NewBlob());
    PLINTH_CHECK(CopyStream(source, writer));
    auto committed = writer.Commit(blob.media_type, blob.digest);
    if (!committed) return committed.error().Context("copying blob " + blob.digest.str());
    ++copied;
  }
  if (!name.empty()) PLINTH_CHECK(to.Tag(name, root));
  return copied;
}

Result<CopyResult> CopyImage(RegistryContext& registries, const oci::LayoutStore& store,
                             const ImageLocation& source, const ImageLocation& destination,
                             const CopyOptions& options) {
  auto context = [&](const Error& e) {
    return e.Context("copying " + source.str() + " to " + destination.str());
  };
  // Blobs written to the store (pulled, imported, copied in) stay untagged until the end: gc
  // must wait. A source layout is only read, and never locked (it may be read-only).
  auto writer = store.WriterLock();
  if (!writer) return context(writer.error());
  Staged s;
  auto staged = Stage(registries, store, source, destination, options, s);
  if (!staged) return context(staged.error());
  CopyResult result{.root = s.root, .blobs_copied = s.blobs_copied, .blobs_present = s.blobs_present};
  switch (destination.kind) {
    case LocationKind::kRegistry: {
      const oci::Reference& ref = destination.reference;
      PushOptions push{.jobs = options.jobs};
      if (source.kind == LocationKind::kRegistry &&
          source.reference.domain() == ref.domain())
        push.mount_from = {source.reference.path()};
      Pusher pusher(registries.Client(ref.domain()), *s.layout, push);
      std::string tag = ref.has_digest() ? "" : ref.tag();
      if (ref.has_digest() && ref.digest() != s.root.digest)
        return context(InvalidInput("the destination names digest " + ref.digest().str() +
                                    " but the image is " + s.root.digest.str()));
      auto pushed = pusher.Push(s.root, ref.path(), tag);
      if (!pushed) return context(pushed.error());
      // Counted at the destination: the blobs pulled into the store on the way are not copies.
      result.blobs_copied = pushed->blobs_uploaded;
      result.blobs_mounted = pushed->blobs_mounted;
      result.blobs_present = pushed->blobs_present;
      return result;
    }
    case LocationKind::kStore: {
      auto copied = s.layout == &store ? Result<int>(0)
                                        : CopyBetweenLayouts(*s.layout, store, s.root, "");
      if (!copied) return context(copied.error());
      auto tagged = store.Tag(destination.name, s.root);
      if (!tagged) return context(tagged.error());
      result.blobs_copied += *copied;
      return result;
    }
    case LocationKind::kLayout: {
      auto layout = oci::LayoutStore::Open(destination.path);
      if (!layout) return context(layout.error());
      auto layout_writer = layout->WriterLock();
      if (!layout_writer) return context(layout_writer.error());
      std::string name = destination.name.empty() ? s.name : destination.name;
      if (name.empty()) name = s.root.digest.str();
      auto copied = CopyBetweenLayouts(*s.layout, *layout, s.root, name);
      if (!copied) return context(copied.error());
      result.blobs_copied += *copied;
      return result;
    }
    case LocationKind::kArchive: {
      std::string name = s.name;
      if (name.empty()) {
        name = "image/" + s.root.digest.hex().substr(0, 12);
        auto tagged = s.layout->Tag(name, s.root);
        if (!tagged) return context(tagged.error());
      }
      oci::ExportOptions export_options{.format = oci::ArchiveFormat::kOci, .name = name};
      if (options.platform) export_options.platform = *options.platform;
      auto exported = oci::ExportArchive(*s.layout, export_options, destination.path);
      if (!exported) return context(exported.error());
      result.blobs_copied = static_cast<int>(*exported);
      result.blobs_present = 0;
      return result;
    }
  }
  return result;
}

}  // namespace plinth::registry
