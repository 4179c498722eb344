#include "oci/store_maintenance.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>

#include "oci/media_types.h"
#include "util/file_lock.h"
#include "util/fs.h"
#include "util/sha256_stream.h"

namespace plinth::oci {
namespace {

// Walks the graph below `root`, appending each descriptor once (parents before children).
Status Walk(const LayoutStore& store, const Descriptor& root, std::set<Digest>* seen,
            std::vector<Descriptor>* out) {
  if (!seen->insert(root.digest).second) return Ok{};
  out->push_back(root);
  if (IsIndexType(root.media_type)) {
    PLINTH_TRY(Index index, store.ReadIndex(root.digest));
    for (const auto& d : index.manifests) PLINTH_CHECK(Walk(store, d, seen, out));
  } else if (IsManifestType(root.media_type)) {
    PLINTH_TRY(Manifest m, store.ReadManifest(root.digest));
    PLINTH_CHECK(Walk(store, m.config, seen, out));
    for (const auto& l : m.layers) PLINTH_CHECK(Walk(store, l, seen, out));
  }
  return Ok{};
}

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') names.push_back(e->d_name);
    closedir(d);
  }
  return names;
}

}  // namespace

Result<std::vector<Descriptor>> ReachableBlobs(const LayoutStore& store, const Descriptor& root) {
  std::set<Digest> seen;
  std::vector<Descriptor> out;
  PLINTH_CHECK(Walk(store, root, &seen, &out));
  return out;
}

Result<VerifyReport> VerifyStore(const LayoutStore& store) {
  VerifyReport report;
  for (const std::string& name : ListDir(store.dir() + "/blobs/sha256")) {
    auto digest = Digest::Parse("sha256:" + name);
    if (!digest) {
      report.problems.push_back("blobs/sha256/" + name + ": not a sha256 name");
      continue;
    }
    auto source = store.OpenBlob(*digest);
    if (!source) {
      report.problems.push_back("blobs/sha256/" + name + ": " + source.error().message());
      continue;
    }
    auto hex = Sha256HexOf(*source);
    if (!hex)
      report.problems.push_back("blobs/sha256/" + name + ": " + hex.error().message());
    else if (*hex != name)
      report.problems.push_back("blobs/sha256/" + name + ": content does not match its name");
    ++report.blobs_checked;
  }
  PLINTH_TRY(std::vector<StoreEntry> entries, store.List());
  for (const auto& entry : entries) {
    ++report.images_checked;
    std::set<Digest> seen;
    std::vector<Descriptor> stack{entry.descriptor};
    while (!stack.empty()) {
      Descriptor d = stack.back();
      stack.pop_back();
      if (!seen.insert(d.digest).second) continue;
      struct stat st;
      if (stat(store.BlobPath(d.digest).c_str(), &st) != 0) {
        report.problems.push_back(entry.name + ": missing blob " + d.digest.str());
        continue;
      }
      if (st.st_size != d.size) {
        report.problems.push_back(entry.name + ": blob " + d.digest.str() + " has " +
                                  std::to_string(st.st_size) + " bytes, descriptor says " +
                                  std::to_string(d.size));
        continue;
      }
      if (IsIndexType(d.media_type)) {
        auto index = store.ReadIndex(d.digest);
        if (!index) report.problems.push_back(entry.name + ": " + index.error().message());
        else for (const auto& m : index->manifests) stack.push_back(m);
      } else if (IsManifestType(d.media_type)) {
        auto m = store.ReadManifest(d.digest);
        if (!m) {
          report.problems.push_back(entry.name + ": " + m.error().message());
          continue;
        }
        stack.push_back(m->config);
        for (const auto& l : m->layers) stack.push_back(l);
        auto config = store.ReadConfig(m->config.digest);
        if (config && config->diff_ids.size() != m->layers.size())
          report.problems.push_back(entry.name + ": manifest " + d.digest.str() + " has " +
                                    std::to_string(m->layers.size()) + " layers but its config " +
                                    std::to_string(config->diff_ids.size()) + " diff_ids");
      }
    }
  }
  return report;
}

Result<GcReport> CollectGarbage(const LayoutStore& store, GcMode mode) {
  PLINTH_TRY(FileLock gc_lock, FileLock::Acquire(store.dir() + "/plinth/gc.lock"));
  PLINTH_TRY(std::vector<StoreEntry> entries, store.List());
  std::set<Digest> live;
  for (const auto& e : entries) {
    std::vector<Descriptor> reachable;
    auto walked = Walk(store, e.descriptor, &live, &reachable);
    if (!walked)
      return walked.error().Context("walking image '" + e.name + "' (run `plinth store verify`)");
  }
  GcReport report;
  for (const std::string& name : ListDir(store.dir() + "/blobs/sha256")) {
    auto digest = Digest::Parse("sha256:" + name);
    if (digest && live.count(*digest)) {
      ++report.blobs_kept;
      continue;
    }
    std::string path = store.dir() + "/blobs/sha256/" + name;
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) continue;
    if (mode == GcMode::kRemove && unlink(path.c_str()) != 0)
      return ErrnoError("removing " + path, errno);
    ++report.blobs_removed;
    report.bytes_freed += static_cast<uint64_t>(st.st_size);
  }
  // With the gc lock held no writer is active, so every temp file is left over from a kill.
  if (mode == GcMode::kRemove)
    for (const std::string& name : ListDir(store.dir() + "/plinth/tmp"))
      unlink((store.dir() + "/plinth/tmp/" + name).c_str());
  return report;
}

}  // namespace plinth::oci
