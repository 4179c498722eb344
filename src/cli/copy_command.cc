// `plinth copy SRC DEST`: between registries, the store (store:NAME), OCI layout folders
// (oci:DIR[:NAME]) and oci-archives (oci-archive:PATH[:NAME]); references are registries.
#include <iostream>

#include "cli/command.h"
#include "cli/format.h"
#include "cli/registry_flags.h"
#include "registry/image_copier.h"

namespace plinth::cli {
namespace {

struct CopyArgs {
  std::string source;
  std::string destination;
  RegistryFlags flags;
  bool source_insecure = false;
  std::string format = "text";
};

int Copy(const GlobalOptions& global, const CopyArgs& args) {
  auto src = registry::ImageLocation::Parse(args.source);
  if (!src) return ReportError(src.error());
  auto dst = registry::ImageLocation::Parse(args.destination);
  if (!dst) return ReportError(dst.error());
  registry::CopyOptions options{.jobs = args.flags.jobs};
  if (!args.flags.platform.empty()) {
    auto platform = oci::Platform::Parse(args.flags.platform);
    if (!platform) return ReportError(platform.error());
    options.platform = *platform;
  }
  auto store = global.OpenStoreForWriting();
  if (!store) return ReportError(store.error());
  registry::RegistryContext registries;
  // --insecure/--ca-file belong to the destination registry, or to the source when only the
  // source is a registry; --src-insecure names the source explicitly.
  bool dst_is_registry = dst->kind == registry::LocationKind::kRegistry;
  bool src_is_registry = src->kind == registry::LocationKind::kRegistry;
  if (dst_is_registry) {
    ApplyRegistryFlags(args.flags, dst->reference.domain(), registries.hosts());
  } else if (src_is_registry) {
    ApplyRegistryFlags(args.flags, src->reference.domain(), registries.hosts());
  }
  if (args.source_insecure && src_is_registry)
    registries.hosts().AllowPlainHttp(src->reference.domain());
  auto copied = registry::CopyImage(registries, *store, *src, *dst, options);
  if (!copied) return ReportError(copied.error());
  if (args.format == "json") {
    std::cout << DumpJson({{"source", src->str()}, {"destination", dst->str()},
                           {"digest", copied->root.digest.str()},
                           {"blobs_copied", copied->blobs_copied},
                           {"blobs_mounted", copied->blobs_mounted},
                           {"blobs_present", copied->blobs_present}})
              << "\n";
    return 0;
  }
  std::cout << "copied " << src->str() << " to " << dst->str() << " "
            << copied->root.digest.str() << " (" << copied->blobs_copied << " blobs copied, "
            << copied->blobs_mounted << " mounted, "
            << copied->blobs_present << " already there)\n";
  return 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand(
      "copy", "Copy an image between registries, the store (store:NAME), OCI layouts "
              "(oci:DIR[:NAME]) and oci-archives (oci-archive:PATH[:NAME])");
  auto args = std::make_shared<CopyArgs>();
  cmd->add_option("SRC", args->source, "where the image is")->required();
  cmd->add_option("DEST", args->destination, "where it goes")->required();
  cmd->add_option("--platform", args->flags.platform, "copy only this platform of an index");
  AddRegistryFlags(cmd, args->flags, "the destination registry (the source if only it is one)");
  cmd->add_flag("--src-insecure", args->source_insecure, "plain http to the source registry");
  AddFormatOption(cmd, &args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([&global, args] { global.exit_code = Copy(global, *args); });
}

const bool kRegistered = RegisterCommand(302, Setup);

}  // namespace
}  // namespace plinth::cli
