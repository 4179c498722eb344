// `plinth sbom IMAGE [--format spdx-json|cyclonedx-json] [-o FILE] [--platform P]`: the SBOM of
// an image in the store (a name, "store:NAME"), in an OCI layout ("oci:DIR[:NAME]") or in a
// registry ("docker://REF"). An SBOM attached to the image (`plinth build --sbom`,
// oci/referrers.h; in a registry, its referrers) in the requested format is returned as stored;
// otherwise one is computed from the image's dpkg records (a registry image is pulled into the
// store first, verified). stderr says which. Exit 0: written; 2: bad input (unknown image,
// hostile records, unknown format).
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>

#include "audit/sbom_maker.h"
#include "cli/command.h"
#include "cli/registry_flags.h"
#include "oci/image.h"
#include "oci/manifest.h"
#include "oci/media_types.h"
#include "oci/referrers.h"
#include "registry/image_location.h"
#include "registry/puller.h"
#include "registry/registry_context.h"
#include "util/atomic_file.h"

namespace plinth::cli {
namespace {

struct SbomArgs {
  std::string image;
  std::string format = "spdx-json";
  std::string output;
  std::string platform;
  RegistryFlags flags;  // --insecure, --ca-file, -j for docker://
};

// A sink that refuses more than `max` bytes (an attached document from a registry).
class BoundedSink : public ByteSink {
 public:
  explicit BoundedSink(uint64_t max) : max_(max) {}
  Status Write(const void* data, size_t size) override {
    if (text_.size() + size > max_)
      return IntegrityError("the attached document is larger than " + std::to_string(max_) +
                            " bytes");
    text_.append(static_cast<const char*>(data), size);
    return Ok{};
  }
  using ByteSink::Write;
  std::string& text() { return text_; }

 private:
  uint64_t max_;
  std::string text_;
};

// The SBOM attached to `reference` in its registry (its platform manifest's referrers of
// `media_type`), or nullopt. `subject` is set to the manifest's digest.
Result<std::optional<std::string>> AttachedInRegistry(registry::RegistryClient& client,
                                                      const oci::Reference& ref,
                                                      const oci::Platform& platform,
                                                      const std::string& media_type,
                                                      std::string* subject) {
  const std::string repo = ref.path();
  PLINTH_TRY(registry::RemoteManifest root,
             client.GetManifest(repo, ref.has_digest() ? ref.digest().str() : ref.tag()));
  oci::Descriptor manifest = root.descriptor;
  if (oci::IsIndexType(root.descriptor.media_type)) {
    PLINTH_TRY(oci::Index index, oci::Index::Parse(root.bytes));
    auto it = std::find_if(index.manifests.begin(), index.manifests.end(),
                           [&](const oci::Descriptor& d) { return d.platform == platform; });
    if (it == index.manifests.end())
      return NotFound(ref.str() + " has no image for " + platform.str());
    manifest = *it;
  }
  *subject = manifest.digest.str();
  PLINTH_TRY(auto referrers, client.Referrers(repo, manifest.digest, media_type));
  if (!referrers || referrers->manifests.empty()) return std::optional<std::string>();
  const oci::Descriptor& listed = referrers->manifests.front();
  PLINTH_TRY(registry::RemoteManifest artifact, client.GetManifest(repo, listed.digest.str()));
  PLINTH_TRY(oci::Manifest parsed, oci::Manifest::Parse(artifact.bytes));
  if (!parsed.subject || parsed.subject->digest != manifest.digest || parsed.layers.empty())
    return IntegrityError("referrer " + listed.digest.str() + " of " + ref.str() +
                          " is not a document attached to it");
  const oci::Descriptor& layer = parsed.layers.front();
  if (layer.size < 0 || static_cast<uint64_t>(layer.size) > oci::kMaxArtifactBytes)
    return IntegrityError("the document attached to " + ref.str() + " is " +
                          std::to_string(layer.size) + " bytes, more than plinth reads");
  BoundedSink sink(oci::kMaxArtifactBytes);
  PLINTH_CHECK(client.FetchBlob(repo, layer, sink));  // checks size and digest
  return std::optional<std::string>(std::move(sink.text()));
}

// docker://REF: the attached SBOM from the registry, else the image pulled into the store
// (named by its familiar reference) for the caller to compute one. Returns the text when one
// was attached, else "" with `*pulled_name` set.
Result<std::string> FromRegistry(const GlobalOptions& global, const SbomArgs& args,
                                 const std::string& text, const oci::Platform& platform,
                                 const std::string& media_type, std::string* pulled_name) {
  PLINTH_TRY(auto location, registry::ImageLocation::Parse(text));
  const oci::Reference& ref = location.reference;
  registry::RegistryContext registries;
  ApplyRegistryFlags(args.flags, ref.domain(), registries.hosts());
  registry::RegistryClient& client = registries.Client(ref.domain());
  std::string subject;
  PLINTH_TRY(auto attached, AttachedInRegistry(client, ref, platform, media_type, &subject));
  if (attached) {
    std::cerr << "plinth: sbom: the SBOM attached to " << ref.str() << " (" << subject
              << ") in its registry\n";
    return std::move(*attached);
  }
  PLINTH_TRY(auto store, global.OpenStoreForWriting());
  registry::Puller puller(client, store, {.jobs = args.flags.jobs, .platform = platform});
  PLINTH_TRY(auto pulled, puller.Pull(ref.path(), ref.has_digest() ? ref.digest().str() : ref.tag(),
                                      ref.Familiar()));
  std::cerr << "plinth: sbom: no SBOM attached to " << ref.str() << "; pulled it ("
            << pulled.root.digest.str() << ")\n";
  *pulled_name = ref.Familiar();
  return std::string();
}

// The store (or layout) the image is in and its name there.
Result<std::pair<oci::LayoutStore, std::string>> OpenImageStore(const GlobalOptions& global,
                                                                const std::string& image) {
  if (image.starts_with("oci:")) {
    PLINTH_TRY(auto location, registry::ImageLocation::Parse(image));
    PLINTH_TRY(auto layout, oci::LayoutStore::OpenExisting(location.path));
    std::string name = location.name;
    if (name.empty()) {
      PLINTH_TRY(auto entries, layout.List());
      if (entries.size() != 1)
        return InvalidInput(image + ": the layout holds " + std::to_string(entries.size()) +
                            " images; name one (oci:DIR:NAME)");
      name = entries.front().name;
    }
    return std::make_pair(std::move(layout), name);
  }
  if (image.starts_with("oci-archive:") || image.starts_with("docker://"))
    return InvalidInput(image +
                        ": plinth sbom reads the store or an OCI layout; bring the image "
                        "in first (plinth pull, plinth copy)");
  std::string name = image.starts_with("store:") ? image.substr(6) : image;
  PLINTH_TRY(auto store, oci::LayoutStore::OpenExisting(global.StorePath()));
  return std::make_pair(std::move(store), name);
}

int Write(const SbomArgs& args, const std::string& text);

int Sbom(const GlobalOptions& global, const SbomArgs& args) {
  auto format = audit::ParseSbomFormat(args.format);
  if (!format) return ReportError(format.error().Context("--format"));
  oci::Platform platform = oci::Platform::Host();
  if (!args.platform.empty()) {
    auto parsed = oci::Platform::Parse(args.platform);
    if (!parsed) return ReportError(parsed.error().Context("--platform"));
    platform = *parsed;
  }
  const std::string media_type = audit::SbomMediaType(*format);
  std::string image_name = args.image;
  if (args.image.starts_with("docker://")) {
    std::string pulled;
    auto remote = FromRegistry(global, args, args.image, platform, media_type, &pulled);
    if (!remote) return ReportError(remote.error().Context("sbom of " + args.image));
    if (pulled.empty()) return Write(args, *remote);
    image_name = pulled;
  }
  auto opened = OpenImageStore(global, image_name);
  if (!opened) return ReportError(opened.error());
  auto& [store, name] = *opened;
  auto root = store.Resolve(name);
  if (!root) return ReportError(root.error());
  auto manifest = store.SelectPlatform(*root, platform);
  if (!manifest) return ReportError(manifest.error().Context("sbom of " + args.image));

  std::string text;
  auto attached = oci::FindReferrers(store, manifest->digest, media_type);
  if (!attached) return ReportError(attached.error());
  if (!attached->empty()) {
    auto stored = oci::ReadArtifact(store, attached->front().descriptor);
    if (!stored) return ReportError(stored.error().Context("reading the SBOM attached to " + name));
    text = std::move(*stored);
    std::cerr << "plinth: sbom: the SBOM attached to " << name << " ("
              << attached->front().descriptor.digest.str() << ")\n";
  } else {
    auto image = oci::ReadImage(store, *manifest);
    if (!image) return ReportError(image.error().Context("sbom of " + args.image));
    auto document = audit::MakeSbom(store, *image, *manifest, name);
    if (!document) return ReportError(document.error());
    text = audit::SbomText(*document, *format);
    std::cerr << "plinth: sbom: computed from the package records of " << name << " ("
              << document->packages.size() << " packages, " << document->unowned_files.size()
              << " files no package owns)\n";
  }
  return Write(args, text);
}

int Write(const SbomArgs& args, const std::string& text) {
  if (args.output.empty() || args.output == "-") {
    std::cout << text;
    std::cout.flush();
    return std::cout ? 0 : ReportError(IoError("writing the SBOM to stdout"));
  }
  if (auto written = WriteFileAtomic(args.output, text); !written)
    return ReportError(written.error());
  return 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<SbomArgs>();
  auto* cmd = app.add_subcommand(
      "sbom",
      "Write an image's SBOM (SPDX 2.3 or CycloneDX 1.5 JSON): the attached one, or "
      "computed from its package records");
  cmd->add_option("IMAGE", args->image, "store name, store:NAME, oci:DIR[:NAME] or docker://REF")
      ->required();
  AddFormatOption(cmd, &args->format, "spdx-json or cyclonedx-json")->capture_default_str();
  cmd->add_option("-o,--output", args->output, "write to FILE instead of stdout");
  cmd->add_option("--platform", args->platform,
                  "the platform of a multi-platform image (default: this machine's)");
  AddRegistryFlags(cmd, args->flags, "the registry of a docker:// IMAGE");
  cmd->callback([&global, args] { global.exit_code = Sbom(global, *args); });
}

const bool kRegistered = RegisterCommand(24, Setup);

}  // namespace
}  // namespace plinth::cli
