// `plinth sbom IMAGE [--format spdx-json|cyclonedx-json] [-o FILE] [--platform P]`: the SBOM of
// an image in the store (a name, "store:NAME") or in an OCI layout ("oci:DIR[:NAME]"). An SBOM
// attached to the image (`plinth build --sbom`, oci/referrers.h) in the requested format is
// returned as stored; otherwise one is computed from the image's dpkg records. stderr says which.
// Exit 0: written; 2: bad input (unknown image, hostile records, unknown format).
#include <iostream>
#include <memory>
#include <optional>

#include "audit/sbom_maker.h"
#include "cli/command.h"
#include "oci/image.h"
#include "oci/media_types.h"
#include "oci/referrers.h"
#include "registry/image_location.h"
#include "util/atomic_file.h"

namespace plinth::cli {
namespace {

struct SbomArgs {
  std::string image;
  std::string format = "spdx-json";
  std::string output;
  std::string platform;
};

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

int Sbom(const GlobalOptions& global, const SbomArgs& args) {
  auto format = audit::ParseSbomFormat(args.format);
  if (!format) return ReportError(format.error().Context("--format"));
  oci::Platform platform = oci::Platform::Host();
  if (!args.platform.empty()) {
    auto parsed = oci::Platform::Parse(args.platform);
    if (!parsed) return ReportError(parsed.error().Context("--platform"));
    platform = *parsed;
  }
  auto opened = OpenImageStore(global, args.image);
  if (!opened) return ReportError(opened.error());
  auto& [store, name] = *opened;
  auto root = store.Resolve(name);
  if (!root) return ReportError(root.error());
  auto manifest = store.SelectPlatform(*root, platform);
  if (!manifest) return ReportError(manifest.error().Context("sbom of " + args.image));

  std::string text;
  const std::string media_type = audit::SbomMediaType(*format);
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
  cmd->add_option("IMAGE", args->image, "store name, store:NAME or oci:DIR[:NAME]")->required();
  AddFormatOption(cmd, &args->format, "spdx-json or cyclonedx-json")->capture_default_str();
  cmd->add_option("-o,--output", args->output, "write to FILE instead of stdout");
  cmd->add_option("--platform", args->platform,
                  "the platform of a multi-platform image (default: this machine's)");
  cmd->callback([&global, args] { global.exit_code = Sbom(global, *args); });
}

const bool kRegistered = RegisterCommand(24, Setup);

}  // namespace
}  // namespace plinth::cli
