// `plinth push NAME [DEST]`: an image (or multi-arch index) from the store to a registry. DEST
// defaults to NAME read as a reference; blobs the registry has are not uploaded again. Artifacts
// attached to the image in the store (its SBOM) are pushed with it (registry/referrers_pusher.h).
#include <iostream>

#include "cli/command.h"
#include "cli/format.h"
#include "cli/registry_flags.h"
#include "registry/pusher.h"
#include "registry/referrers_pusher.h"
#include "registry/registry_context.h"

namespace plinth::cli {
namespace {

struct PushArgs {
  std::string name;
  std::string destination;
  RegistryFlags flags;
  std::string format = "text";
};

int Push(const GlobalOptions& global, const PushArgs& args) {
  auto ref = oci::Reference::Parse(args.destination.empty() ? args.name : args.destination);
  if (!ref) return ReportError(ref.error());
  auto store = oci::LayoutStore::OpenExisting(global.StorePath());
  if (!store) return ReportError(store.error());
  auto root = store->Resolve(args.name);
  if (!root) return ReportError(root.error());
  registry::RegistryContext registries;
  ApplyRegistryFlags(args.flags, ref->domain(), registries.hosts());
  registry::Pusher pusher(registries.Client(ref->domain()), *store, {.jobs = args.flags.jobs});
  if (ref->has_digest() && ref->digest() != root->digest)
    return ReportError(
        InvalidInput(args.name + " is " + root->digest.str() + ", not " + ref->digest().str()));
  auto pushed = pusher.Push(*root, ref->path(), ref->has_digest() ? "" : ref->tag());
  if (!pushed) return ReportError(pushed.error());
  // The artifacts the store attaches to the image (build --sbom) go with it.
  auto referrers = registry::PushReferrers(registries.Client(ref->domain()), pusher, *store, *root,
                                           ref->path(), &*pushed);
  if (!referrers)
    return ReportError(referrers.error().Context("pushing the artifacts of " + args.name));
  if (args.format == "json") {
    std::cout << DumpJson({{"reference", ref->str()},
                           {"digest", pushed->root.digest.str()},
                           {"blobs_uploaded", pushed->blobs_uploaded},
                           {"blobs_present", pushed->blobs_present},
                           {"blobs_mounted", pushed->blobs_mounted}})
              << "\n";
    return 0;
  }
  std::cout << "pushed " << ref->str() << " " << pushed->root.digest.str() << " ("
            << pushed->blobs_uploaded << " blobs uploaded, " << pushed->blobs_present
            << " already there, " << pushed->blobs_mounted << " mounted)\n";
  return 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("push", "Push an image or index from the store to a registry");
  auto args = std::make_shared<PushArgs>();
  cmd->add_option("NAME", args->name, "image name in the store")->required();
  cmd->add_option("DEST", args->destination, "destination reference (default: NAME)");
  AddRegistryFlags(cmd, args->flags, "the destination registry");
  AddFormatOption(cmd, &args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([&global, args] { global.exit_code = Push(global, *args); });
}

const bool kRegistered = RegisterCommand(301, Setup);

}  // namespace
}  // namespace plinth::cli
