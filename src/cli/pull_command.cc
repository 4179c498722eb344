// `plinth pull REF [--platform P]`: an image from its registry into the store, named by its
// familiar reference ("redis:7").
#include <iostream>

#include "cli/command.h"
#include "cli/format.h"
#include "cli/registry_flags.h"
#include "registry/puller.h"
#include "registry/registry_context.h"

namespace plinth::cli {
namespace {

struct PullArgs {
  std::string reference;
  RegistryFlags flags;
  std::string format = "text";
};

int Pull(const GlobalOptions& global, const PullArgs& args) {
  auto ref = oci::Reference::Parse(args.reference);
  if (!ref) return ReportError(ref.error());
  registry::PullOptions options{.jobs = args.flags.jobs};
  if (!args.flags.platform.empty()) {
    auto platform = oci::Platform::Parse(args.flags.platform);
    if (!platform) return ReportError(platform.error());
    options.platform = *platform;
  }
  auto store = global.OpenStoreForWriting();
  if (!store) return ReportError(store.error());
  registry::RegistryContext registries;
  ApplyRegistryFlags(args.flags, ref->domain(), registries.hosts());
  registry::Puller puller(registries.Client(ref->domain()), *store, options);
  auto pulled = puller.Pull(ref->path(), ref->has_digest() ? ref->digest().str() : ref->tag(),
                            ref->Familiar());
  if (!pulled) return ReportError(pulled.error());
  if (args.format == "json") {
    std::cout << DumpJson({{"reference", ref->Familiar()}, {"digest", pulled->root.digest.str()},
                           {"blobs_fetched", pulled->blobs_fetched},
                           {"blobs_present", pulled->blobs_present}})
              << "\n";
    return 0;
  }
  std::cout << "pulled " << ref->Familiar() << " " << pulled->root.digest.str() << " ("
            << pulled->blobs_fetched << " blobs fetched, " << pulled->blobs_present
            << " already in the store)\n";
  return 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("pull", "Pull an image from a registry into the store");
  auto args = std::make_shared<PullArgs>();
  cmd->add_option("REF", args->reference, "image reference, e.g. redis:7 or host:5000/a/b:tag")
      ->required();
  cmd->add_option("--platform", args->flags.platform,
                  "pull only this platform of a multi-arch image (e.g. linux/arm64)");
  AddRegistryFlags(cmd, args->flags, "the source registry");
  AddFormatOption(cmd, &args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([&global, args] { global.exit_code = Pull(global, *args); });
}

const bool kRegistered = RegisterCommand(300, Setup);

}  // namespace
}  // namespace plinth::cli
