#include "debian/base_image_builder.h"

#include <thread>

#include "debian/installed_packages.h"
#include "debian/layer_sink.h"
#include "debian/package_source.h"
#include "debian/rootfs_assembler.h"
#include "oci/image.h"
#include "oci/image_config.h"
#include "oci/manifest.h"
#include "oci/reference.h"
#include "util/fs.h"

namespace plinth::debian {
namespace {

std::string Basename(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// The image a layered recipe goes on, for one architecture, and what it has installed.
struct Underneath {
  std::string name;
  oci::Image image;
  std::vector<PresentPackage> present;
};

Result<std::optional<Underneath>> ReadUnderneath(const Recipe& recipe, const std::string& arch,
                                                 const oci::LayoutStore& store) {
  if (recipe.from.empty()) return std::optional<Underneath>();
  Underneath out;
  out.name = recipe.FromFor(arch);
  auto ref = oci::Reference::Parse(out.name);
  if (!ref) return InvalidInput("'from: " + recipe.from + "': " + ref.error().message(), {recipe.file});
  out.name = ref->Familiar();
  PLINTH_TRY(oci::Platform platform, oci::Platform::Parse("linux/" + arch));
  auto image = oci::ReadImage(store, out.name, platform);
  if (!image) return image.error().Context("reading the image it layers over (from: " + recipe.from + ")");
  out.image = std::move(*image);
  PLINTH_TRY(StatusRecords records, ReadStatusRecords(store, out.image, out.name));
  PLINTH_TRY(out.present, ParseStatusRecords(records, out.name));
  return std::optional<Underneath>(std::move(out));
}

oci::ImageConfig MakeConfig(const Recipe& recipe, const std::string& arch, const LayerResult& layer,
                            const std::string& lock_digest, int64_t epoch,
                            const std::optional<Underneath>& under) {
  // A layer keeps what the image underneath says (its user, workdir, env, labels) unless the
  // recipe says otherwise.
  oci::ImageConfig config = under ? under->image.config : oci::ImageConfig();
  config.created = oci::FormatTimestamp(epoch);
  config.platform.os = "linux";
  config.platform.architecture = arch;
  if (arch == "arm64") config.platform.variant = "v8";
  for (const auto& [k, v] : recipe.env) config.config.SetEnv(k, ExpandArch(v, arch));
  if (!recipe.entrypoint.empty()) {
    std::vector<std::string> e;
    for (const auto& s : recipe.entrypoint) e.push_back(ExpandArch(s, arch));
    config.config.entrypoint = e;
  }
  if (!recipe.cmd.empty()) {
    std::vector<std::string> c;
    for (const auto& s : recipe.cmd) c.push_back(ExpandArch(s, arch));
    config.config.cmd = c;
  }
  if (!under || !recipe.user.empty()) config.config.user = recipe.user;
  if (!under || !recipe.workdir.empty()) config.config.working_dir = recipe.workdir;
  if (!under) config.config.labels.clear();
  for (const auto& [k, v] : recipe.labels) config.config.labels[k] = v;
  // Say what this is and where it came from; never claim to be someone else's image.
  config.config.labels["org.opencontainers.image.source"] = Basename(recipe.file);
  config.config.labels["org.opencontainers.image.title"] = recipe.name;
  config.config.labels["org.opencontainers.image.description"] =
      under ? "Debian " + recipe.suite + " packages layered by plinth over " + under->name
            : "distroless-style base built by plinth from Debian " + recipe.suite + " packages";
  config.config.labels["dev.plinth.base.recipe"] = recipe.name;
  config.config.labels["dev.plinth.base.lock-digest"] = "sha256:" + lock_digest;
  config.diff_ids.push_back(layer.diff_id);
  oci::HistoryEntry history;
  history.created = config.created;
  history.created_by = "plinth base build " + recipe.name + " (" + arch + ")" +
                       (under ? " over " + under->name : "");
  config.history.push_back(history);
  return config;
}

}  // namespace

Result<BaseBuildResult> BuildBaseImage(const Recipe& recipe, const oci::LayoutStore& store,
                                       const BaseBuildOptions& options) {
  std::string where = "building base " + recipe.name;
  std::vector<std::string> archs = options.architectures.empty() ? recipe.architectures : options.architectures;
  PLINTH_TRY(auto source, MakePackageSource(recipe, options.cache_dir));
  auto lock = LockFile::Load(options.lock_path);
  if (!lock) return lock.error().Context(where);
  bool lock_changed = false;
  PLINTH_TRY(FileLock writer_lock, store.WriterLock());

  BaseBuildResult result;
  result.tag = options.tag.empty() ? recipe.name + ":latest" : options.tag;
  int jobs = options.jobs > 0 ? options.jobs : static_cast<int>(std::thread::hardware_concurrency());
  for (const auto& arch : archs) {
    std::string at = where + " for " + arch;
    auto under = ReadUnderneath(recipe, arch, store);
    if (!under) return under.error().Context(at);
    std::vector<PresentPackage> present = *under ? (*under)->present : std::vector<PresentPackage>();
    auto pinned = PinPackages(recipe, arch, *source, *lock, options.lock_update, present);
    if (!pinned) return pinned.error().Context(at);
    if (pinned->from == PinnedPackages::From::kResolver) {
      const LockSection* old = lock->Find(recipe.name, arch);
      if (!old || old->packages != pinned->section.packages || old->inputs != pinned->section.inputs) {
        lock->Set(recipe.name, arch, pinned->section);
        lock_changed = true;
      }
    }
    const LockSection& section = pinned->section;
    if (auto s = source->Fetch(arch, section.packages); !s) return s.error().Context(at);
    std::vector<PackageFile> files;
    for (const auto& p : section.packages) files.push_back({p, source->cache().PathFor(p.sha256)});

    PLINTH_TRY(TempDir tmp, TempDir::Create("plinth-base"));
    PLINTH_TRY(auto sink, LayerSink::Create(store, recipe.compression));
    AssembleOptions assemble;
    assemble.arch = arch;
    assemble.tmp_dir = tmp.path();
    assemble.jobs = jobs;
    assemble.source_date_epoch = options.source_date_epoch;
    assemble.over_image = under->has_value();
    auto report = AssembleRootfs(recipe, files, assemble, sink.get());
    if (!report) return report.error().Context(at);
    auto layer = sink->Finish();
    if (!layer) return layer.error().Context(at);

    // The lock digest covers the section as it will be saved.
    LockFile scratch;
    scratch.Set(recipe.name, arch, section);
    std::string lock_digest = scratch.SectionDigest(recipe.name, arch);
    oci::ImageConfig config =
        MakeConfig(recipe, arch, *layer, lock_digest, options.source_date_epoch, *under);
    std::vector<oci::Descriptor> layers = *under ? (*under)->image.layers : std::vector<oci::Descriptor>();
    layers.push_back(layer->descriptor);
    auto manifest = store.WriteImage(config, layers);
    if (!manifest) return manifest.error().Context(at);
    ArchBuild build;
    build.arch = arch;
    build.manifest = *manifest;
    build.manifest.platform = config.platform;
    build.layer = layer->descriptor;
    build.uncompressed_size = layer->uncompressed_size;
    build.packages = section.packages.size();
    build.entries = report->entries;
    build.lock_digest = lock_digest;
    build.dropped.assign(pinned->resolution.dropped.begin(), pinned->resolution.dropped.end());
    result.builds.push_back(std::move(build));
  }

  if (result.builds.size() == 1) {
    result.descriptor = result.builds.front().manifest;
  } else {
    oci::Index index;
    for (const auto& b : result.builds) index.manifests.push_back(b.manifest);
    auto written = store.WriteIndex(index);
    if (!written) return written.error().Context(where);
    result.descriptor = *written;
  }
  if (lock_changed) {
    if (auto s = lock->Save(options.lock_path); !s) return s.error().Context(where);
    result.lock_written = true;
  }
  if (auto s = store.Tag(result.tag, result.descriptor); !s) return s.error().Context(where);
  if (result.builds.size() > 1) {
    for (const auto& b : result.builds) {
      if (auto s = store.Tag(result.tag + "-" + b.arch, b.manifest); !s) return s.error().Context(where);
    }
  }
  return result;
}

}  // namespace plinth::debian
