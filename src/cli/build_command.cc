// `plinth build [TARGET…]`: builds the fleet's targets and what they need into the store, in
// DAG order on a worker pool, skipping every target whose cache key is already there.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>

#include "builder/build_exit.h"
#include "builder/build_policy.h"
#include "builder/executor.h"
#include "builder/fleet_builder.h"
#include "builder/fleet_image_source.h"
#include "builder/platform_index.h"
#include "builder/target_records.h"
#include "cli/audit_session.h"
#include "cli/fleet_session.h"
#include "cli/format.h"
#include "cli/image_load.h"
#include "cli/progress_reporter.h"
#include "lint/build_refusal.h"
#include "metrics/build_records.h"
#include "oci/image.h"
#include "registry/registry_context.h"

namespace plinth::cli {
namespace {

struct BuildArgs {
  std::vector<std::string> targets;
  std::vector<std::string> platforms;
  int jobs = 0;
  bool keep_going = false;
  bool no_cache = false;
  std::string pull = "missing";
  std::string progress = "auto";
  std::string format = "text";
  bool push = false;
  std::string push_to;
  bool load = false;  // --load: then into podman or docker (cli/image_load.h)
  std::string cache_from;
  std::vector<std::string> insecure;
  std::string backend{builder::kDefaultStageBackend};
  std::vector<std::string> secrets;  // --secret id=ID,src=PATH|env=VAR (native RUN)
  std::vector<std::string> allow_unreachable;
  bool no_lint = false;
  bool sbom = false;  // --sbom: attach each image's SBOM (builder/sbom_attacher.h)
  bool audit = false;  // --audit: each image made is audited (cli/audit_session.h)
  PlanOverrideFlags overrides;  // --build-arg, --target
};

// Which selected targets the fleet's lint rules refuse (lint/build_refusal.h), by target name;
// none with --no-lint, which says once that the policy was not checked.
Result<std::map<std::string, std::string>> LintRefusals(const FleetSession& session, bool no_lint) {
  if (no_lint) {
    std::cerr << "plinth: --no-lint: the fleet's lint rules are not checked; targets with "
                 "error findings are built too\n";
    return std::map<std::string, std::string>{};
  }
  std::set<std::string> names;
  lint::LintOptions options;  // the build args the targets are built with (--build-arg)
  for (plan::TargetId id : session.plan.selected) {
    const plan::TargetSpec& spec = session.plan.specs[id];
    if (!spec.target) continue;
    names.insert(spec.target->name);
    options.build_args[spec.target->name] = spec.build_args;
  }
  if (names.empty()) return std::map<std::string, std::string>{};
  PLINTH_TRY(auto by_target, lint::LintFleetTargets(session.fleet, names, options));
  return lint::BuildRefusals(by_target);
}

// --audit: the image each fleet target is made into, against its tier's audit rules.
std::function<Status(plan::TargetId)> AuditHook(const FleetSession& session, bool audit) {
  if (!audit) return {};
  return [&session](plan::TargetId id) -> Status {
    const plan::TargetSpec& spec = session.plan.specs[id];
    if (!spec.target) return Ok{};  // an upstream image a recipe makes: not the fleet's own
    return AuditBuiltImage(session.fleet, *spec.target, *session.store, spec.image);
  };
}

std::atomic<builder::Executor*> g_executor{nullptr};
std::atomic<bool> g_interrupted{false};
void OnInterrupt(int) {
  g_interrupted = true;
  if (auto* e = g_executor.load()) e->Cancel();
}

int Build(const GlobalOptions& global, const BuildArgs& args) {
  if (args.format != "text" && args.format != "json")
    return ReportError(InvalidInput("--format '" + args.format + "': use text or json"));
  if (args.pull != "missing" && args.pull != "never")
    return ReportError(InvalidInput("--pull '" + args.pull + "': use missing or never"));
  auto progress = ParseProgressMode(args.progress);
  if (!progress) return ReportError(progress.error());
  if (auto known = builder::CheckStageBackendName(args.backend); !known)
    return ReportError(known.error());
  builder::BuildSecrets secrets;
  for (const auto& flag : args.secrets) {
    auto secret = builder::ParseSecretFlag(flag);
    if (!secret) return ReportError(secret.error());
    // A file that is not there is a mistake on the command line, said before anything builds.
    if (!secret->src.empty() && access(secret->src.c_str(), R_OK) != 0)
      return ReportError(InvalidInput("--secret id=" + secret->id + ": cannot read src " +
                                      secret->src + " (" + std::strerror(errno) + ")"));
    secrets[secret->id] = *secret;
  }
  auto session = OpenFleetSession(global, args.targets, args.platforms, args.overrides);
  if (!session) return ReportError(session.error());
  auto timestamp = oci::BuildTimestamp();
  if (!timestamp) return ReportError(timestamp.error());
  const char* home = std::getenv("HOME");
  auto allowed = builder::AllowedSkips::Parse(args.allow_unreachable, session->plan.graph);
  if (!allowed) return ReportError(allowed.error());
  auto refusals = LintRefusals(*session, args.no_lint);
  if (!refusals) return ReportError(refusals.error());
  builder::FleetBuildOptions options{
      .cache = args.no_cache ? builder::CacheMode::kIgnore : builder::CacheMode::kUse,
      .timestamp = *timestamp,
      .debian_cache_dir =
          DebianCacheDir(std::string(home && *home ? home : "/tmp") + "/.cache/plinth/debian")};
  registry::RegistryHosts hosts;
  for (const auto& [host, mirrors] : session->fleet.mirrors) {
    registry::RegistryConfig config;
    config.mirrors = mirrors;
    hosts.Set(host, config);
  }
  registry::RegistryContext registries(std::move(hosts));
  for (const auto& host : args.insecure) registries.hosts().AllowPlainHttp(host);
  std::optional<builder::FleetPusher> pusher;
  if (args.push || !args.push_to.empty()) options.pusher = &pusher.emplace(registries, args.push_to);
  options.cache_from = args.cache_from;
  options.sbom = args.sbom;
  options.vet = AuditHook(*session, args.audit);
  options.registries = &registries;
  options.backend = args.backend;
  options.secrets = std::move(secrets);
  // --format json streams events whatever --progress says; a terminal gets the live view.
  std::unique_ptr<BuildReporter> reporter =
      args.format == "json" ? MakeJsonReporter(session->plan, std::cout)
      : *progress == ProgressMode::kTty || (*progress == ProgressMode::kAuto && isatty(STDOUT_FILENO))
          ? MakeTtyReporter(session->plan, STDOUT_FILENO)
          : MakePlainReporter(session->plan, std::cout, *progress == ProgressMode::kPlain);
  options.progress = reporter.get();
  auto images = std::make_shared<builder::FleetImageSource>(
      session->fleet, *session->store, args.pull == "never" ? nullptr : &registries);
  builder::FleetBuilder builder(session->fleet, session->plan, *session->store, images, options);
  int jobs = args.jobs > 0 ? args.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  reporter->Attach(builder);
  builder::PolicyGate gate(builder, builder::MakeBuildPolicy(session->fleet, session->plan, *refusals),
                           [&builder](plan::TargetId id) { return builder.Report(id).size; });
  builder::Executor executor(session->plan.graph, gate,
                           {.jobs = jobs, .on_failure = args.keep_going ? builder::FailureMode::kKeepGoing
                                                                        : builder::FailureMode::kStop},
                           reporter.get());
  g_executor = &executor;
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  auto started = std::chrono::system_clock::now();
  auto results = executor.Run(session->plan.selected);
  g_executor = nullptr;
  // Images built for several platforms are joined under their multi-platform names.
  auto indexes = builder::JoinPlatformImages(*session->store, session->plan, results, builder,
                                           options.pusher);
  for (const auto& index : indexes) reporter->OnIndex(index);
  reporter->Close();
  int indexes_written = 0, indexes_failed = 0;
  for (const auto& index : indexes) {
    indexes_written += index.index && !index.failed ? 1 : 0;
    indexes_failed += index.failed ? 1 : 0;
  }
  double seconds = std::chrono::duration<double>(std::chrono::system_clock::now() - started).count();

  metrics::BuildRecord record{
      .started = std::chrono::duration<double>(started.time_since_epoch()).count(),
      .seconds = seconds};
  int64_t total_size = 0;
  std::vector<std::string> skipped;
  for (const auto& r : results) {
    auto report = builder.Report(r.id);
    switch (r.outcome) {
      case builder::TargetOutcome::kBuilt: ++record.built; break;
      case builder::TargetOutcome::kCached: ++record.cached; break;
      case builder::TargetOutcome::kFailed: ++record.failed; break;
      default:
        ++record.skipped;
        skipped.push_back(session->plan.graph.node(r.id).name + ": " + r.detail);
    }
    total_size += report.size;
  }
  record.targets = builder::TargetRecords(session->plan, results, builder);
  if (auto db = metrics::BuildRecords::Open(session->store->dir() + "/plinth/builds.db"); db) {
    if (auto added = db->Add(record); !added)
      std::cerr << "plinth: warning: " << added.error().ToString() << "\n";
  }
  builder::BuildExit exit = builder::ExitFor(results, session->plan.graph, *allowed,
                                            indexes_failed > 0, g_interrupted.load());
  if (args.format == "json") {
    nlohmann::json summary{{"event", "summary"}, {"exit_code", static_cast<int>(exit)},
                           {"built", record.built}, {"cached", record.cached},
                           {"failed", record.failed}, {"skipped", record.skipped},
                           {"indexes", indexes_written}, {"seconds", seconds}, {"size", total_size}};
    if (pusher) {
      builder::PushTotals t = pusher->Totals();
      summary["pushed"] = {{"images", t.images}, {"blobs_uploaded", t.blobs_uploaded},
                           {"blobs_mounted", t.blobs_mounted}, {"blobs_present", t.blobs_present},
                           {"bytes_uploaded", t.bytes_uploaded}, {"bytes_mounted", t.bytes_mounted}};
    }
    std::cout << summary.dump() << "\n";
  } else {
    std::cout << "\nbuilt " << record.built << ", cached " << record.cached << ", failed "
              << record.failed << ", skipped " << record.skipped << " in "
              << HumanDuration(seconds) << " (" << HumanBytes(total_size) << " in "
              << session->store->dir() << ")\n";
    for (const auto& s : skipped) std::cout << "  skipped " << s << "\n";
    if (pusher) {
      builder::PushTotals t = pusher->Totals();
      std::cout << "  pushed " << t.images << " image" << (t.images == 1 ? "" : "s") << ": "
                << t.blobs_uploaded << " blobs uploaded (" << HumanBytes(t.bytes_uploaded) << "), "
                << t.blobs_mounted << " mounted from other repositories ("
                << HumanBytes(t.bytes_mounted) << " not sent), " << t.blobs_present
                << " already there\n";
    }
    if (exit != builder::BuildExit::kComplete && record.skipped > 0 && record.failed == 0)
      std::cout << "  the fleet is not complete (exit " << static_cast<int>(exit)
                << "): allow a target this machine cannot build with --allow-unreachable NAME\n";
    if (indexes_written > 0)
      std::cout << "  " << indexes_written << " multi-platform image"
                << (indexes_written == 1 ? "" : "s") << " joined in an OCI index\n";
    for (const auto& index : indexes) {
      if (index.failed)
        std::cout << "  index " << index.spec->image << " failed: " << index.detail << "\n";
      else if (!index.index)
        std::cout << "  no index for " << index.spec->image << ": " << index.detail << "\n";
    }
  }
  if (args.load && exit != builder::BuildExit::kFailed && !g_interrupted.load()) {
    // One platform goes into an engine: the one asked for, else this machine's.
    std::string platform = args.platforms.size() == 1 ? args.platforms[0] : "";
    auto loaded = LoadFleetImages(session->fleet, *session->store, {.targets = args.targets, .platform = platform},
                                  args.format == "json" ? std::cerr : std::cout);
    if (!loaded) return ReportError(loaded.error());
  }
  return static_cast<int>(exit);
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("build", "Build the fleet (or the named targets) into the store");
  auto args = std::make_shared<BuildArgs>();
  cmd->add_option("TARGET", args->targets, "targets to build (default: all)");
  cmd->add_option("--platform", args->platforms, "os/arch[,os/arch] (default: the manifest's)");
  cmd->add_option("-j,--jobs", args->jobs, "targets built at once (default: cores)");
  cmd->add_flag("-k,--keep-going", args->keep_going, "build what does not depend on a failure");
  cmd->add_flag("--no-cache", args->no_cache, "rebuild even when the cache key is in the store");
  cmd->add_option("--pull", args->pull, "missing (default) or never: fetch absent images from registries");
  cmd->add_option("--progress", args->progress, "auto (a live view on a terminal), tty or plain");
  AddFormatOption(cmd, &args->format, "text or json (one event per line)");
  cmd->add_flag("--push", args->push, "push each image to its registry and record its cache key there");
  cmd->add_option("--push-to", args->push_to,
                  "REGISTRY (host[:port]) to push every image to under its own repository path "
                  "(implies --push)");
  cmd->add_flag("--load", args->load, "then put the images into podman or docker, as `plinth load` does");
  cmd->add_flag("--sbom", args->sbom,
                "attach each image's SPDX SBOM to it in the store (pushed with --push)");
  cmd->add_option("--cache-from", args->cache_from, "REGISTRY whose recorded cache keys let targets be pulled, not built");
  cmd->add_option("--backend", args->backend,
                  "what runs RUN steps: native (default: plinth itself, on runc over overlay "
                  "snapshots, falling back to buildah where it cannot), buildah, podman, "
                  "docker-buildx or none");
  cmd->add_option("--secret", args->secrets,
                  "id=ID,src=PATH (or env=VAR): a secret RUN --mount=type=secret reads; never "
                  "stored in an image, a log or a cache key (repeatable)");
  cmd->add_option("--insecure", args->insecure, "REGISTRY (host:port) to reach over plain http (repeatable)");
  cmd->add_option("--allow-unreachable", args->allow_unreachable,
                  "TARGET or TARGET@os/arch that may be skipped when its inputs cannot be reached "
                  "here without failing the build (repeatable)");
  args->overrides.AddTo(*cmd);
  cmd->add_flag("--audit", args->audit,
                "audit each image made against its tier's rules (as `plinth audit`); a target "
                "with an error finding fails");
  cmd->add_flag("--no-lint", args->no_lint,
                "build targets whose Dockerfiles have error-severity lint findings too");
  cmd->callback([&global, args] { global.exit_code = Build(global, *args); });
}

const bool kRegistered = RegisterCommand(20, Setup);

}  // namespace
}  // namespace plinth::cli
