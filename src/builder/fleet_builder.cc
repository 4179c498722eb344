#include "builder/fleet_builder.h"

#include <chrono>

#include "audit/sbom_attach.h"
#include "builder/image_rebaser.h"
#include "builder/rebase_safety.h"
#include "builder/stage_engine.h"
#include "debian/base_image_builder.h"
#include "debian/recipe.h"
#include "oci/media_types.h"
#include "oci/reference.h"
#include "oci/store_maintenance.h"
#include "registry/pusher.h"
#include "registry/remote_cache.h"
#include "util/fs.h"

namespace plinth::builder {
namespace {

std::string SafeName(std::string s) {
  for (char& c : s)
    if (c == '/' || c == ':' || c == '@') c = '_';
  return s;
}

// The progress handle of the target `spec` (specs are indexed by TargetId).
TargetProgress ProgressOf(const FleetBuildOptions& options, const plan::BuildPlan& plan,
                          const plan::TargetSpec& spec) {
  return {options.progress, static_cast<plan::TargetId>(&spec - plan.specs.data())};
}

}  // namespace

FleetBuilder::FleetBuilder(const fleet::Fleet& fleet, const plan::BuildPlan& plan,
                           const oci::LayoutStore& store, std::shared_ptr<ImageSource> images,
                           FleetBuildOptions options)
    : fleet_(fleet), plan_(plan), store_(store), images_(std::move(images)),
      options_(std::move(options)), records_(store), key_sources_(fleet, store), rootfs_(store),
      backend_(MakeStageBackend(options_.backend == "native" ? kNativeFallbackBackend
                                                             : std::string_view(options_.backend),
                                store)),
      native_(options_.backend == "native"), step_cache_(store) {
  if (!native_) return;
  runner_ = options_.step_runner;
  if (!runner_) {
    own_runner_ = std::make_unique<run::RuncStepRunner>(run::RuncStateDir(store.dir()));
    runner_ = own_runner_.get();
  }
  snapshots_ = std::make_unique<run::SnapshotStore>(store);
  native_run_ = {.runner = runner_,
                 .snapshots = snapshots_.get(),
                 .cache = &step_cache_,
                 .reuse = options_.cache == CacheMode::kUse,
                 .secrets = &options_.secrets,
                 .run_cache_dir = store.dir() + "/plinth/run-cache",
                 .ready = [this] { return NativeReady(); }};
}

Status FleetBuilder::NativeAvailable() {
  std::call_once(native_checked_, [this] { native_ready_ = runner_->CheckAvailable(); });
  return native_ready_;
}

Status FleetBuilder::NativeReady() {
  PLINTH_CHECK(NativeAvailable());
  std::call_once(native_cleaned_, [this] {
    // A killed build's containers, mounts and step folders go before this build adds its own.
    // Failing to clean is not failing the build: they are removed next time.
    (void)runner_->RemoveStale();
    (void)snapshots_->RemoveStale();
  });
  return Ok{};
}

Status FleetBuilder::BackendReady() {
  std::call_once(backend_checked_, [this] {
    backend_ready_ = backend_ ? (*backend_)->CheckAvailable() : Status(backend_.error());
  });
  return backend_ready_;
}

plan::KeyOptions KeyOptionsOf(const FleetBuildOptions& options, const Status& native_available) {
  bool fallback = options.backend == "native" && !native_available;
  return {.epoch = options.timestamp,
          .backend = fallback ? std::string(kNativeFallbackBackend) : options.backend};
}

Result<plan::TargetKey> FleetBuilder::KeyOf(plan::TargetId id) {
  const plan::TargetSpec& spec = plan_.specs[id];
  plan::KeySources sources = key_sources_.sources();
  const plan::KeyOptions key_options =
      KeyOptionsOf(options_, native_ ? NativeAvailable() : Status(Ok{}));
  PLINTH_TRY(plan::TargetKey key, plan::ComputeTargetKey(spec, key_options, sources));
  if (key.complete()) return key;
  // The key reads bases from the store only; the build needs them there anyway.
  for (const auto& missing : key.missing) {
    auto resolved = images_->Resolve(missing.ref, missing.platform);
    if (!resolved) {
      const Error& e = resolved.error();
      ErrorKind kind = e.kind() == ErrorKind::kNotFound ? ErrorKind::kUnavailable : e.kind();
      return Error(kind, "needs " + missing.ref + ": " + e.message());
    }
  }
  return plan::ComputeTargetKey(spec, key_options, sources);
}

Result<oci::Descriptor> FleetBuilder::BuildRecipe(const plan::TargetSpec& spec) {
  ProgressOf(options_, plan_, spec)
      .Step("recipe: resolving and unpacking " + spec.recipe.substr(spec.recipe.rfind('/') + 1));
  PLINTH_TRY(debian::Recipe recipe, debian::LoadRecipeFile(spec.recipe));
  // apt's lists and archives under the cache are shared: one recipe build at a time uses them
  // (two apt-get updates into one lists folder leave it half-written).
  PLINTH_CHECK(MakeDirs(options_.debian_cache_dir));
  PLINTH_TRY(FileLock apt_lock, FileLock::Acquire(options_.debian_cache_dir + "/build.lock"));
  debian::BaseBuildOptions options;
  options.cache_dir = options_.debian_cache_dir;
  options.lock_path = spec.recipe + ".lock";
  options.architectures = {spec.platform.architecture};
  options.tag = spec.image;
  options.source_date_epoch = options_.timestamp;
  options.jobs = 1;  // the executor already runs targets side by side
  auto built = debian::BuildBaseImage(recipe, store_, options);
  if (!built) return built.error().Context("building recipe " + spec.recipe);
  oci::Descriptor manifest = built->descriptor;
  if (!spec.user.empty()) {
    PLINTH_TRY(oci::Image image, oci::ReadImage(store_, manifest));
    image.config.config.user = spec.user;
    PLINTH_TRY(manifest, oci::WriteImage(store_, image));
    PLINTH_CHECK(store_.Tag(spec.image, manifest));
  }
  return manifest;
}

Result<oci::Descriptor> FleetBuilder::BuildDockerfile(const plan::TargetSpec& spec,
                                                      std::string* note) {
  const auto& graph = *spec.stages;
  StageEngineOptions options{.context_dir = spec.context,
                             .build_args = spec.build_args,
                             .ignore = spec.ignore.get(),
                             .platform = spec.platform,
                             .timestamp = options_.timestamp,
                             .progress = ProgressOf(options_, plan_, spec)};
  auto closure = graph.Closure(graph.target());
  bool runs = std::any_of(closure.begin(), closure.end(), [&](int i) { return graph.stage(i).runs; });
  bool native = false;
  bool host = spec.platform.architecture == oci::Platform::Host().architecture;
  // A stage without RUN of its own may still meet a base's ONBUILD RUN trigger: the engine
  // runs it natively, asking NativeReady then.
  if (!runs && native_ && host) options.native_run = &native_run_;
  if (runs && native_ && host) {
    if (auto ready = NativeReady(); ready) {
      native = true;
      options.native_run = &native_run_;
    } else if (auto fallback = BackendReady(); fallback) {
      std::string why = "native RUN unavailable: " + ready.error().message() + "; built with " +
                        std::string(kNativeFallbackBackend);
      options.progress.Step(why);
      *note = why;
    } else {
      return Error(ErrorKind::kFailed,
                   "RUN cannot run natively here (" + ready.error().message() + ") and the " +
                       std::string(kNativeFallbackBackend) + " fallback is not available either (" +
                       fallback.error().message() + ")");
    }
  }
  StageEngine engine(store_, *images_, rootfs_, options);
  StageResults done;
  for (int index : closure) {
    const auto& stage = graph.stage(index);
    if (stage.runs && !native) {
      if (spec.platform.architecture != oci::Platform::Host().architecture)
        return Error(ErrorKind::kUnavailable,
                     "stage " + stage.DisplayName() + " RUNs commands for " + spec.platform.str() +
                         ", which this " + oci::Platform::Host().architecture +
                         " machine cannot run without emulation",
                     stage.location);
      if (auto ready = BackendReady(); !ready)
        return Error(ErrorKind::kFailed,
                     "stage " + stage.DisplayName() + " RUNs commands, which needs a build backend: " +
                         ready.error().message(),
                     stage.location);
      // The backend reads the base from the store by name: give stage bases a name.
      BackendStageRequest request{&graph, index, "", spec.context, spec.build_args, spec.platform};
      request.timestamp = options_.timestamp;
      request.secrets = &options_.secrets;
      if (stage.base_ref.kind != dockerfile::RefKind::kScratch) {
        PLINTH_TRY(ResolvedImage base, engine.ResolveBase(graph, index, done));
        request.base_name = "plinth.local/stage-bases/" + SafeName(spec.name) + "-" +
                            std::to_string(index) + ":" + spec.platform.architecture;
        PLINTH_CHECK(store_.Tag(request.base_name, base.manifest));
        request.base = base.manifest;
      }
      options.progress.Step(std::string((*backend_)->name()) + ": stage " + stage.DisplayName());
      auto built = (*backend_)->BuildStage(request);
      if (!request.base_name.empty()) (void)store_.Untag(request.base_name);
      if (!built) return built.error();
      done[index] = std::move(*built);
      continue;
    }
    PLINTH_TRY(oci::Image image, engine.BuildStage(graph, index, done));
    PLINTH_TRY(oci::Descriptor manifest, oci::WriteImage(store_, image));
    done[index] = ResolvedImage{stage.DisplayName(), manifest, std::move(image)};
  }
  PLINTH_TRY(ResolvedImage result, RecordBase(spec, std::move(done.at(graph.target()))));
  PLINTH_CHECK(store_.Tag(spec.image, result.manifest));
  return result.manifest;
}

Result<ResolvedImage> FleetBuilder::RecordBase(const plan::TargetSpec& spec, ResolvedImage result) {
  auto annotations = result.image.annotations;
  annotations.erase(oci::kBaseNameAnnotation);
  annotations.erase(oci::kBaseDigestAnnotation);
  annotations.erase(kRebaseUnsafeAnnotation);
  std::string base = BaseImageRef(*spec.stages);
  if (!base.empty()) {
    PLINTH_TRY(ResolvedImage resolved, images_->Resolve(base, spec.platform));
    auto ref = oci::Reference::Parse(base);
    annotations[oci::kBaseNameAnnotation] = ref ? ref->Familiar() : base;
    annotations[oci::kBaseDigestAnnotation] = resolved.manifest.digest.str();
    if (auto unsafe = RebaseUnsafeReason(*spec.stages)) annotations[kRebaseUnsafeAnnotation] = *unsafe;
  }
  if (annotations == result.image.annotations) return result;
  result.image.annotations = std::move(annotations);
  PLINTH_TRY(result.manifest, oci::WriteImage(store_, result.image));
  return result;
}

Result<TargetOutcome> FleetBuilder::Run(plan::TargetId id, const std::atomic<bool>& cancelled) {
  if (cancelled) return Error(ErrorKind::kCancelled, "interrupted");
  PLINTH_TRY(FileLock writer, store_.WriterLock());
  ProgressOf(options_, plan_, plan_.specs[id]).Step("cache: computing the key");
  PLINTH_TRY(plan::TargetKey key, KeyOf(id));
  auto start = std::chrono::steady_clock::now();
  PLINTH_TRY(Made made, Make(id, key));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Finish(id, key, std::move(made), seconds);
}

Result<FleetBuilder::Made> FleetBuilder::Make(plan::TargetId id, plan::TargetKey& key) {
  if (options_.cache == CacheMode::kUse && key.complete()) {
    if (auto made = FromCache(id, key)) return *made;
    if (auto made = FromRemote(id, key)) return *made;
    if (auto made = Rebased(id, key)) return *made;
  }
  return Built(id, key);
}

std::optional<FleetBuilder::Made> FleetBuilder::FromCache(plan::TargetId id,
                                                          const plan::TargetKey& key) {
  auto image = records_.Image(key.key);
  if (!image || !store_.Tag(plan_.specs[id].image, *image)) return std::nullopt;
  return Made{*image, TargetOutcome::kCached, "", false};
}

std::optional<FleetBuilder::Made> FleetBuilder::FromRemote(plan::TargetId id,
                                                           const plan::TargetKey& key) {
  if (options_.cache_from.empty() || !options_.registries) return std::nullopt;
  const plan::TargetSpec& spec = plan_.specs[id];
  auto ref = oci::Reference::Parse(spec.image);
  if (!ref) return std::nullopt;
  registry::RemoteCache cache(options_.registries->Client(options_.cache_from), ref->path());
  auto fetched = cache.Fetch(key.key.Digest(), store_, spec.image);
  // A cache that cannot be reached, or does not have the key, is a miss, not a failed build.
  if (!fetched || !*fetched) return std::nullopt;
  return Made{**fetched, TargetOutcome::kCached, "fetched from " + options_.cache_from, true};
}

std::optional<FleetBuilder::Made> FleetBuilder::Rebased(plan::TargetId id,
                                                        const plan::TargetKey& key) {
  const plan::TargetSpec& spec = plan_.specs[id];
  if (spec.source != plan::TargetSource::kDockerfile) return std::nullopt;
  const auto& graph = *spec.stages;
  // Only targets with RUN stages: a native rebuild is cheap, and exact where a rebase is not
  // (COPY --chown=NAME reads the base's /etc/passwd, WORKDIR looks for the folder).
  auto closure = graph.Closure(graph.target());
  if (std::none_of(closure.begin(), closure.end(), [&](int i) { return graph.stage(i).runs; }))
    return std::nullopt;
  // The Dockerfile's verdict as well as the image's: an image built by an older plinth carries
  // none (its Dockerfile is unchanged, or the key would differ in more than the base).
  if (RebaseUnsafeReason(graph)) return std::nullopt;
  std::string base = BaseImageRef(graph);
  auto previous = records_.Last(plan_.graph.node(id).name);
  if (base.empty() || !previous) return std::nullopt;
  if (key.key.Diff(previous->key) != std::vector<std::string>{"base:" + base + " changed"})
    return std::nullopt;
  auto image = records_.Image(previous->key);
  auto new_base = images_->Resolve(base, spec.platform);
  if (!image || !new_base || new_base->manifest.digest.str() != key.key.inputs().at("base:" + base))
    return std::nullopt;
  // Unsafe, or the old base is gone from the store: the target is built as usual.
  auto rebased = RebaseStoredImage(store_, *image, *new_base, spec.image,
                                   spec.name + " (" + spec.platform.str() + ")");
  if (!rebased) return std::nullopt;
  return Made{rebased->after, TargetOutcome::kBuilt,
              "rebased onto " + rebased->new_base.name + " " + rebased->new_base.digest.str() +
                  " (was on " + rebased->old_base.digest.str() + "); no stage ran",
              true};
}

Result<FleetBuilder::Made> FleetBuilder::Built(plan::TargetId id, plan::TargetKey& key) {
  const plan::TargetSpec& spec = plan_.specs[id];
  bool dockerfile = spec.source == plan::TargetSource::kDockerfile;
  std::string note;
  PLINTH_TRY(oci::Descriptor image, dockerfile ? BuildDockerfile(spec, &note) : BuildRecipe(spec));
  // A recipe build writes its lock section, which is one of its inputs: record the key as the
  // next build will compute it.
  if (!dockerfile) {
    PLINTH_TRY(key, KeyOf(id));
  }
  return Made{image, TargetOutcome::kBuilt, note, true};
}

Result<TargetOutcome> FleetBuilder::Finish(plan::TargetId id, const plan::TargetKey& key,
                                           Made made, double seconds) {
  const plan::TargetSpec& spec = plan_.specs[id];
  if (options_.vet) PLINTH_CHECK(options_.vet(id));
  TargetReport report;
  report.cache_key = key.key.Digest();
  report.note = made.note;
  auto note = [&](const std::string& text) {
    report.note += (report.note.empty() ? "" : "; ") + text;
  };
  if (made.record && !key.complete()) {
    note("not recorded in the cache: its key could not read every image it names");
  } else if (made.record) {
    // A cache that cannot be written is a miss next time, not a failed target.
    if (auto recorded = records_.Record(plan_.graph.node(id).name, key.key, made.image, seconds);
        !recorded)
      note("cache record not written (" + recorded.error().message() + "); the next build makes it again");
  }
  if (options_.sbom) {
    ProgressOf(options_, plan_, spec).Step("sbom: " + spec.image);
    PLINTH_CHECK(audit::AttachSbom(store_, made.image, spec.image));
  }
  if (options_.pusher) {
    ProgressOf(options_, plan_, spec).Step("push: " + spec.image);
    PLINTH_TRY(registry::PushResult pushed, options_.pusher->Push(store_, spec.image, made.image));
    report.pushed = pushed;
    if (auto recorded = options_.pusher->RecordKey(spec.image, key.key.Digest(), pushed.root);
        !recorded)
      note("cache key not recorded (" + recorded.error().message() + ")");
  }
  report.image_digest = made.image.digest.str();
  if (auto blobs = oci::ReachableBlobs(store_, made.image); blobs) {
    for (const auto& b : *blobs) {
      report.size += b.size;
      report.layers += oci::IsManifestType(b.media_type) || b.media_type.find("config") !=
                       std::string::npos ? 0 : 1;
    }
  }
  std::lock_guard lock(mu_);
  reports_[id] = report;
  return made.outcome;
}

TargetReport FleetBuilder::Report(plan::TargetId id) const {
  std::lock_guard lock(mu_);
  auto it = reports_.find(id);
  return it == reports_.end() ? TargetReport{} : it->second;
}

}  // namespace plinth::builder
