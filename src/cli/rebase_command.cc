// `plinth rebase SERVICE… [--base NEW] [--platform P] [--format text|json]`: moves each named target's image in the
// store onto a new base without running any of its stages (crane rebase, with plinth's safety
// checks: see build/image_rebaser.h and build/rebase_safety.h). Without --base, the new base is
// what the base the image records resolves to in the store now (the fleet's base, rebuilt).
// Every image is checked before any is written: one refusal writes nothing.
#include <iostream>
#include <set>

#include "builder/fleet_image_source.h"
#include "builder/image_rebaser.h"
#include "builder/rebase_safety.h"
#include "cli/fleet_session.h"
#include "cli/format.h"
#include "oci/image.h"

namespace plinth::cli {
namespace {

struct RebaseArgs {
  std::vector<std::string> services;
  std::string base;
  std::vector<std::string> platforms;
  std::string format = "text";
};

struct Job {
  const plan::TargetSpec* spec;
  std::string what;
  builder::PreparedRebase prepared;
};

// The rebase of one target, checked, nothing written.
Result<Job> Prepare(const oci::LayoutStore& store, builder::ImageSource& images,
                    const plan::TargetSpec& spec, const std::string& what, const std::string& base) {
  if (spec.source != plan::TargetSource::kDockerfile)
    return InvalidInput(what + " is built from a Debian recipe, not on a base: there is nothing "
                        "to rebase");
  auto root = store.Resolve(spec.image);
  if (!root)
    return NotFound(what + " has no image in the store (" + spec.image + "): build it first "
                    "(plinth build " + spec.name + ")");
  PLINTH_TRY(oci::Descriptor manifest, store.SelectPlatform(*root, spec.platform));
  // The Dockerfile's verdict too: an image built by an older plinth does not carry one.
  if (auto unsafe = builder::RebaseUnsafeReason(*spec.stages))
    return InvalidInput("cannot rebase " + what + ": " + *unsafe + "; rebuild it instead (plinth build)");
  std::string new_base = base;
  if (new_base.empty()) {
    PLINTH_TRY(oci::Image image, oci::ReadImage(store, manifest));
    PLINTH_TRY(builder::RecordedBase recorded, builder::RecordedBaseOf(image, what));
    if (recorded.name.empty())
      return InvalidInput(what + " records its base's digest but not its name; pass --base NEW");
    new_base = recorded.name;
  }
  auto resolved = images.Resolve(new_base, spec.platform);
  if (!resolved) return resolved.error().Context("finding the new base of " + what);
  PLINTH_TRY(builder::PreparedRebase prepared, builder::PrepareRebase(store, manifest, *resolved, what));
  return Job{&spec, what, std::move(prepared)};
}

int Rebase(const GlobalOptions& global, const RebaseArgs& args) {
  auto session = OpenFleetSession(global, args.services, args.platforms);
  if (!session) return ReportError(session.error());
  const oci::LayoutStore& store = *session->store;
  // Pulls off: a rebase works on what is in the store (`plinth pull` a new base first).
  builder::FleetImageSource images(session->fleet, store, nullptr);
  std::set<std::string> asked(args.services.begin(), args.services.end());
  auto writer = store.WriterLock();
  if (!writer) return ReportError(writer.error());

  std::vector<Job> jobs;
  int failed = 0, code = 0;
  for (plan::TargetId id : session->plan.graph.TopologicalOrder()) {
    const auto& spec = session->plan.specs[id];
    if (!session->plan.selected.count(id) || !asked.count(spec.name)) continue;
    auto job = Prepare(store, images, spec, session->plan.graph.node(id).name, args.base);
    if (!job) {
      ++failed;
      int exit_code = ReportError(job.error());
      if (code == 0) code = exit_code;
      continue;
    }
    jobs.push_back(std::move(*job));
  }
  if (failed > 0) {
    if (args.format == "json") return code;  // each refusal was one JSON error line
    std::cerr << "plinth: nothing rebased (" << failed << " of " << failed + jobs.size()
              << " images refused)\n";
    return code;
  }
  nlohmann::json rebased = nlohmann::json::array();
  for (const auto& job : jobs) {
    auto done = builder::CommitRebase(store, job.prepared, job.spec->image);
    if (!done) return ReportError(done.error().Context("writing the rebased " + job.what));
    const auto& r = *done;
    if (args.format == "json") {
      rebased.push_back({{"target", job.what}, {"image", job.spec->image}, {"unchanged", r.unchanged},
                         {"old_digest", r.before.digest.str()}, {"new_digest", r.after.digest.str()},
                         {"old_base", {{"name", r.old_base.name}, {"digest", r.old_base.digest.str()}}},
                         {"new_base", {{"name", r.new_base.name}, {"digest", r.new_base.digest.str()}}}});
      continue;
    }
    std::cout << job.what << "  " << job.spec->image << "\n";
    if (r.unchanged) {
      std::cout << "  already on " << r.new_base.name << " " << r.new_base.digest.str() << "\n";
      continue;
    }
    std::cout << "  image " << r.before.digest.str() << " -> " << r.after.digest.str() << "\n"
              << "  base  " << r.old_base.name << " " << r.old_base.digest.str() << " -> "
              << r.new_base.name << " " << r.new_base.digest.str() << "\n";
  }
  if (args.format == "json") std::cout << DumpJson(rebased, 2) << "\n";
  return 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand(
      "rebase", "Move images onto a new base without rebuilding them (base security fixes)");
  auto args = std::make_shared<RebaseArgs>();
  cmd->add_option("SERVICE", args->services, "fleet targets whose images to rebase")->required();
  cmd->add_option("--base", args->base,
                  "the new base image (default: what each image's recorded base is now)");
  cmd->add_option("--platform", args->platforms, "os/arch[,os/arch] (default: the manifest's)");
  AddFormatOption(cmd, &args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([&global, args] { global.exit_code = Rebase(global, *args); });
}

const bool kRegistered = RegisterCommand(22, Setup);

}  // namespace
}  // namespace plinth::cli
