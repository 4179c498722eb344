#include "builder/fleet_builder.h"

#include "builder/copy_sources.h"
#include "builder/image_rebaser.h"
#include "builder/rebase_safety.h"
#include "builder/stage_engine.h"
#include "debian/base_image_builder.h"
#include "debian/recipe.h"
#include "oci/media_types.h"
#include "oci/reference.h"
#include "registry/pusher.h"
#include "registry/remote_cache.h"
#include "oci/store_maintenance.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/sha256_stream.h"

namespace plinth::builder {
namespace {

std::string FileDigest(const std::string& path) {
  auto hex = Sha256HexOfFile(path);
  return hex ? "sha256:" + *hex : "unreadable";
}

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
      options_(std::move(options)), rootfs_(store),
      backend_(MakeStageBackend(options_.backend, store)) {}

Status FleetBuilder::BackendReady() {
  std::call_once(backend_checked_, [this] {
    backend_ready_ = backend_ ? (*backend_)->CheckAvailable() : Status(backend_.error());
  });
  return backend_ready_;
}

std::string FleetBuilder::TargetFile(plan::TargetId id) const {
  return store_.dir() + "/plinth/cache/targets/" + SafeName(plan_.graph.node(id).name) + ".json";
}

Result<plan::CacheKey> FleetBuilder::ComputeKey(plan::TargetId id) {
  const plan::TargetSpec& spec = plan_.specs[id];
  plan::CacheKey key;
  key.Add("format", std::to_string(plan::kCacheFormatVersion));
  key.Add("platform", spec.platform.str());
  for (const auto& [k, v] : spec.build_args) key.Add("arg:" + k, v);
  if (spec.source != plan::TargetSource::kDockerfile) {
    key.Add("recipe", FileDigest(spec.recipe));
    std::string lock = spec.recipe + ".lock";
    if (PathExists(lock)) key.Add("recipe-lock", FileDigest(lock));
    if (spec.image.find(":nonroot-") != std::string::npos) key.Add("user", "65532");
    return key;
  }
  const auto& graph = *spec.stages;
  std::string text;
  for (int index : graph.Closure(graph.target())) {
    const auto& stage = graph.stage(index);
    text += "FROM " + stage.base + (stage.platform.empty() ? "" : " --platform=" + stage.platform) + "\n";
    for (const auto& ins : stage.instructions) text += ins.original + "\n";
    for (const auto& edge : stage.edges) {
      if (edge.ref.kind != dockerfile::RefKind::kImage) continue;
      auto resolved = images_->Resolve(edge.ref.image, spec.platform);
      if (!resolved) {
        Error e = resolved.error();
        ErrorKind kind = e.kind() == ErrorKind::kNotFound ? ErrorKind::kUnavailable : e.kind();
        return Error(kind, "needs " + edge.ref.image + ": " + e.message(), edge.location);
      }
      key.Add("base:" + edge.ref.image, resolved->manifest.digest.str());
    }
    for (const auto& ins : stage.instructions) {
      bool copies = ins.kind == dockerfile::InstructionKind::kCopy ||
                    ins.kind == dockerfile::InstructionKind::kAdd;
      if (!copies || !ins.copy.from.empty()) continue;
      std::vector<std::string> sources;
      bool variable = false;
      for (const auto& s : ins.copy.sources) {
        if (s.rfind("<<", 0) == 0) continue;
        variable |= s.find('$') != std::string::npos;
        sources.push_back(s);
      }
      if (variable) sources = {"."};  // hash the whole context rather than guess the expansion
      if (sources.empty()) continue;
      auto selection = SelectSources(spec.context, sources, spec.ignore.get());
      if (!selection) return Error(selection.error().kind(), selection.error().message(), ins.location);
      for (const auto& p : selection->paths) {
        std::string abs = spec.context + "/" + p.root_relative;
        switch (p.type) {
          case SelectedPath::Type::kFile: key.Add("context:" + p.root_relative, FileDigest(abs)); break;
          case SelectedPath::Type::kDirectory: key.Add("context:" + p.root_relative, "dir"); break;
          case SelectedPath::Type::kSymlink: {
            std::vector<char> buf(4096);
            ssize_t n = readlink(abs.c_str(), buf.data(), buf.size());
            key.Add("context:" + p.root_relative, "link:" + std::string(buf.data(), n > 0 ? n : 0));
            break;
          }
        }
      }
    }
  }
  key.Add("dockerfile", Sha256::HexOf(text));
  return key;
}

std::optional<plan::CacheKey> FleetBuilder::PreviousKey(plan::TargetId id) const {
  auto text = ReadFile(TargetFile(id));
  if (!text) return std::nullopt;
  auto key = plan::CacheKey::FromJson(*text);
  if (!key) return std::nullopt;
  return *key;
}

std::optional<oci::Descriptor> FleetBuilder::CachedImage(const plan::CacheKey& key) const {
  std::string digest = key.Digest();
  auto text = ReadFile(store_.dir() + "/plinth/cache/keys/" + digest.substr(7));
  if (!text) return std::nullopt;
  auto d = oci::Digest::Parse(text->substr(0, text->find('\n')));
  if (!d || !store_.HasBlob(*d)) return std::nullopt;
  auto bytes = store_.ReadBlob(*d);
  if (!bytes) return std::nullopt;
  oci::Descriptor desc;
  desc.digest = *d;
  desc.size = static_cast<int64_t>(bytes->size());
  desc.media_type = oci::SniffMediaType(*bytes);
  // A cached image is only good if every blob it names is still there.
  auto blobs = oci::ReachableBlobs(store_, desc);
  if (!blobs) return std::nullopt;
  for (const auto& b : *blobs)
    if (!store_.HasBlob(b.digest)) return std::nullopt;
  return desc;
}

Status FleetBuilder::RecordKey(plan::TargetId id, const plan::CacheKey& key,
                               const oci::Descriptor& image) {
  PLINTH_CHECK(MakeDirs(store_.dir() + "/plinth/cache/keys"));
  PLINTH_CHECK(MakeDirs(store_.dir() + "/plinth/cache/targets"));
  PLINTH_CHECK(WriteFileAtomic(store_.dir() + "/plinth/cache/keys/" + key.Digest().substr(7),
                               image.digest.str() + "\n"));
  return WriteFileAtomic(TargetFile(id), key.ToJson());
}

Result<std::optional<oci::Descriptor>> FleetBuilder::FetchRemote(const plan::TargetSpec& spec,
                                                                 const plan::CacheKey& key) {
  if (options_.cache_from.empty() || !options_.registries) return std::optional<oci::Descriptor>();
  PLINTH_TRY(oci::Reference ref, oci::Reference::Parse(spec.image));
  registry::RemoteCache cache(options_.registries->Client(options_.cache_from), ref.path());
  auto fetched = cache.Fetch(key.Digest(), store_, spec.image);
  // A cache that cannot be reached is a miss, not a failed build.
  if (!fetched) return std::optional<oci::Descriptor>();
  return *fetched;
}

Status FleetBuilder::Push(const plan::TargetSpec& spec, const plan::CacheKey& key,
                          const oci::Descriptor& image) {
  PLINTH_TRY(oci::Reference ref, oci::Reference::Parse(spec.image));
  auto& client = options_.registries->Client(ref.domain());
  registry::Pusher pusher(client, store_);
  auto pushed = pusher.Push(image, ref.path(), ref.tag());
  if (!pushed) return pushed.error().Context("pushing " + spec.image);
  registry::RemoteCache cache(client, ref.path());
  auto recorded = cache.Record(key.Digest(), pushed->root);
  if (!recorded) return recorded.error().Context("recording the cache key of " + spec.image);
  return Ok{};
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
  // distroless publishes `:nonroot` variants of each image with USER 65532.
  if (spec.image.find(":nonroot-") != std::string::npos) {
    PLINTH_TRY(oci::Image image, oci::ReadImage(store_, manifest));
    image.config.config.user = "65532";
    PLINTH_TRY(manifest, oci::WriteImage(store_, image));
    PLINTH_CHECK(store_.Tag(spec.image, manifest));
  }
  return manifest;
}

Result<oci::Descriptor> FleetBuilder::BuildDockerfile(const plan::TargetSpec& spec) {
  const auto& graph = *spec.stages;
  StageEngineOptions options{.context_dir = spec.context,
                             .build_args = spec.build_args,
                             .ignore = spec.ignore.get(),
                             .platform = spec.platform,
                             .timestamp = options_.timestamp,
                             .progress = ProgressOf(options_, plan_, spec)};
  StageEngine engine(store_, *images_, rootfs_, options);
  StageResults done;
  for (int index : graph.Closure(graph.target())) {
    const auto& stage = graph.stage(index);
    if (stage.runs) {
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

std::optional<oci::Descriptor> FleetBuilder::RebasePrevious(plan::TargetId id,
                                                            const plan::CacheKey& key,
                                                            std::string* note) {
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
  auto previous = PreviousKey(id);
  if (base.empty() || !previous) return std::nullopt;
  if (key.Diff(*previous) != std::vector<std::string>{"base:" + base + " changed"}) return std::nullopt;
  auto image = CachedImage(*previous);
  auto new_base = images_->Resolve(base, spec.platform);
  if (!image || !new_base || new_base->manifest.digest.str() != key.inputs().at("base:" + base))
    return std::nullopt;
  // Unsafe, or the old base is gone from the store: the target is built as usual.
  auto rebased = RebaseStoredImage(store_, *image, *new_base, spec.image,
                                   spec.name + " (" + spec.platform.str() + ")");
  if (!rebased) return std::nullopt;
  *note = "rebased onto " + rebased->new_base.name + " " + rebased->new_base.digest.str() +
          " (was on " + rebased->old_base.digest.str() + "); no stage ran";
  return rebased->after;
}

Result<TargetOutcome> FleetBuilder::Run(plan::TargetId id, const std::atomic<bool>& cancelled) {
  if (cancelled) return Error(ErrorKind::kCancelled, "interrupted");
  const plan::TargetSpec& spec = plan_.specs[id];
  PLINTH_TRY(FileLock writer, store_.WriterLock());
  ProgressOf(options_, plan_, spec).Step("cache: computing the key");
  PLINTH_TRY(plan::CacheKey key, ComputeKey(id));
  TargetReport report;
  report.cache_key = key.Digest();
  std::optional<oci::Descriptor> image;
  TargetOutcome outcome = TargetOutcome::kCached;
  if (options_.cache == CacheMode::kUse) image = CachedImage(key);
  if (!image && options_.cache == CacheMode::kUse) {
    PLINTH_TRY(image, FetchRemote(spec, key));
    if (image) PLINTH_CHECK(RecordKey(id, key, *image));
  }
  if (!image && options_.cache == CacheMode::kUse) {
    image = RebasePrevious(id, key, &report.note);
    if (image) {
      outcome = TargetOutcome::kBuilt;
      PLINTH_CHECK(RecordKey(id, key, *image));
    }
  }
  if (image) {
    if (outcome == TargetOutcome::kCached) PLINTH_CHECK(store_.Tag(spec.image, *image));
  } else {
    outcome = TargetOutcome::kBuilt;
    auto built = spec.source == plan::TargetSource::kDockerfile ? BuildDockerfile(spec)
                                                                : BuildRecipe(spec);
    if (!built) return built.error();
    image = *built;
    // A recipe build writes its lock file, which is one of its inputs: record the key as the
    // next build will compute it.
    if (spec.source != plan::TargetSource::kDockerfile) {
      PLINTH_TRY(key, ComputeKey(id));
      report.cache_key = key.Digest();
    }
    PLINTH_CHECK(RecordKey(id, key, *image));
  }
  if (options_.push && options_.registries) {
    ProgressOf(options_, plan_, spec).Step("push: " + spec.image);
    PLINTH_CHECK(Push(spec, key, *image));
  }
  report.image_digest = image->digest.str();
  if (auto blobs = oci::ReachableBlobs(store_, *image); blobs) {
    for (const auto& b : *blobs) {
      report.size += b.size;
      report.layers += oci::IsManifestType(b.media_type) || b.media_type.find("config") !=
                       std::string::npos ? 0 : 1;
    }
  }
  std::lock_guard lock(mu_);
  reports_[id] = report;
  return outcome;
}

TargetReport FleetBuilder::Report(plan::TargetId id) const {
  std::lock_guard lock(mu_);
  auto it = reports_.find(id);
  return it == reports_.end() ? TargetReport{} : it->second;
}

}  // namespace plinth::builder
