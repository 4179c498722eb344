// `plinth store ls|verify|gc`: look after the local OCI layout store.
#include <iomanip>
#include <iostream>

#include "builder/containers_storage_backend.h"
#include "builder/rootfs_cache.h"
#include "builder/step_cache.h"
#include "cli/command.h"
#include "cli/format.h"
#include "layer/decompressing_source.h"
#include "oci/media_types.h"
#include "oci/image.h"
#include "oci/store_maintenance.h"
#include "run/snapshot_store.h"
#include "run/step_runner.h"
#include "util/fs.h"

namespace plinth::cli {
namespace {

// The prefixes of the TempDirs plinth makes (debian/, builder/): what killed runs leave in $TMPDIR.
const std::vector<std::string> kTempDirPrefixes = {"plinth-base",   "plinth-buildah",
                                                   "plinth-podman", "plinth-buildx",
                                                   "plinth-apt",    "plinth-gpgv",
                                                   "plinth-load"};

int List(const GlobalOptions& global, const std::string& format) {
  auto store = oci::LayoutStore::OpenExisting(global.StorePath());
  if (!store) return ReportError(store.error());
  auto entries = store->List();
  if (!entries) return ReportError(entries.error());
  struct Row {
    std::string name, digest, kind;
    std::vector<std::string> platforms;
    int64_t size = 0;
    std::string PlatformsText() const {
      std::string text;
      for (const auto& p : platforms) text += (text.empty() ? "" : ",") + p;
      return text.empty() ? "-" : text;
    }
  };
  std::vector<Row> rows;
  size_t name_width = 4;
  for (const auto& e : *entries) {
    Row row{e.name, e.descriptor.digest.str(),
            oci::IsIndexType(e.descriptor.media_type) ? "index" : "image", {}};
    if (auto blobs = oci::ReachableBlobs(*store, e.descriptor); blobs) {
      for (const auto& b : *blobs) {
        row.size += b.size;
        if (b.platform && oci::IsManifestType(b.media_type))
          row.platforms.push_back(b.platform->str());
      }
    }
    if (row.platforms.empty() && e.descriptor.platform)
      row.platforms.push_back(e.descriptor.platform->str());
    // index.json need not carry an image's platform: its config always does.
    if (row.platforms.empty() && row.kind == "image")
      if (auto image = oci::ReadImage(*store, e.descriptor); image)
        row.platforms.push_back(image->config.platform.str());
    name_width = std::max(name_width, row.name.size());
    rows.push_back(std::move(row));
  }
  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows)
      out.push_back({{"name", r.name}, {"digest", r.digest}, {"kind", r.kind},
                     {"platforms", r.platforms}, {"size", r.size}});
    std::cout << DumpJson(out, 2) << "\n";
    return 0;
  }
  std::cout << std::left << std::setw(static_cast<int>(name_width + 2)) << "NAME" << std::setw(21)
            << "DIGEST" << std::setw(7) << "KIND" << std::setw(26) << "PLATFORMS" << "SIZE\n";
  for (const auto& r : rows)
    std::cout << std::setw(static_cast<int>(name_width + 2)) << r.name << std::setw(21)
              << r.digest.substr(0, 19)
              << std::setw(7) << r.kind << std::setw(26) << r.PlatformsText()
              << HumanBytes(r.size) << "\n";
  return 0;
}

int Verify(const GlobalOptions& global) {
  auto store = oci::LayoutStore::OpenExisting(global.StorePath());
  if (!store) return ReportError(store.error());
  auto report = oci::VerifyStore(
      *store, {.diff_id_of = [](ByteSource& blob) { return layer::UncompressedDigest(blob); }});
  if (!report) return ReportError(report.error());
  for (const auto& p : report->problems) std::cout << store->dir() << ": " << p << "\n";
  std::cout << "verified " << report->blobs_checked << " blobs and " << report->images_checked
            << " images: " << (report->ok() ? "ok" : std::to_string(report->problems.size()) + " problems")
            << "\n";
  return report->ok() ? 0 : 1;
}

// Everything gc sweeps, under one hold of the store's gc lock: no build, pull, copy or import
// runs meanwhile, so whatever temp state the store holds belongs to a process that is gone.
int Gc(const GlobalOptions& global, bool dry_run) {
  auto store = oci::LayoutStore::OpenExisting(global.StorePath());
  if (!store) return ReportError(store.error());
  auto lock = store->GcLock();
  if (!lock) return ReportError(lock.error());
  auto report =
      oci::CollectGarbage(*store, *lock, dry_run ? oci::GcMode::kDryRun : oci::GcMode::kRemove);
  if (!report) return ReportError(report.error());
  auto trees = builder::RootfsCache::Prune(*store, *lock, dry_run);
  if (!trees) return ReportError(trees.error().Context("pruning unpacked trees"));
  auto steps_cached = builder::StepCache(*store).Prune(dry_run);
  if (!steps_cached) return ReportError(steps_cached.error().Context("pruning the RUN step cache"));
  auto snapshots = run::SnapshotStore::Prune(*store, *lock, dry_run);
  if (!snapshots) return ReportError(snapshots.error().Context("pruning layer snapshots"));
  // With the gc lock held no build runs: every step folder and runc container is a leftover.
  Result<int> steps = dry_run ? Result<int>(0) : run::SnapshotStore(*store).RemoveStale();
  if (!steps) return ReportError(steps.error().Context("removing leftover RUN step folders"));
  Result<int> runs = dry_run ? Result<int>(0) : run::RuncStepRunner(run::RuncStateDir(store->dir())).RemoveStale();
  if (!runs) return ReportError(runs.error().Context("removing leftover runc containers"));
  auto containers = builder::RemoveContainerLeftovers(*store, *lock, dry_run);
  if (!containers) return ReportError(containers.error().Context("removing leftover containers"));
  auto temp_dirs = RemoveAbandonedTempDirs(kTempDirPrefixes, dry_run);
  if (!temp_dirs) return ReportError(temp_dirs.error().Context("removing abandoned temp folders"));
  uint64_t leftovers = report->temp_files_removed + trees->temps_removed +
                       snapshots->temps_removed + static_cast<uint64_t>(*steps + *runs) +
                       static_cast<uint64_t>(*containers) + static_cast<uint64_t>(*temp_dirs);
  std::cout << (dry_run ? "would remove " : "removed ") << report->blobs_removed << " blobs ("
            << HumanBytes(static_cast<int64_t>(report->bytes_freed)) << "), kept "
            << report->blobs_kept << "; " << trees->trees_removed << " unpacked trees of images "
            << "no longer in the store; " << snapshots->snapshots_removed
            << " layer snapshots no image uses; " << *steps_cached
            << " RUN step cache records whose layer is gone; " << leftovers << " leftovers of killed runs\n";
  return 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* store = app.add_subcommand("store", "Inspect and maintain the local OCI layout store");
  store->require_subcommand(1);
  auto* ls = store->add_subcommand("ls", "List the images in the store");
  auto ls_format = std::make_shared<std::string>("text");
  AddFormatOption(ls, ls_format.get(), "text or json")->check(CLI::IsMember({"text", "json"}));
  ls->callback([&global, ls_format] { global.exit_code = List(global, *ls_format); });
  store->add_subcommand("verify",
                        "Re-hash every blob, check every image is complete and its layers unpack "
                        "to the diff_ids its config names")
      ->callback([&global] { global.exit_code = Verify(global); });
  auto* gc = store->add_subcommand(
      "gc", "Remove blobs no named image uses, unpacked trees of images no longer in the store, "
            "and what killed runs left");
  auto dry_run = std::make_shared<bool>(false);
  gc->add_flag("--dry-run", *dry_run, "only report what would be removed");
  gc->callback([&global, dry_run] { global.exit_code = Gc(global, *dry_run); });
}

const bool kRegistered = RegisterCommand(80, Setup);

}  // namespace
}  // namespace plinth::cli
