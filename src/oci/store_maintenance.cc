#include "oci/store_maintenance.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <set>

#include "oci/media_types.h"
#include "oci/referrers.h"
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

// The manifests and indexes the images named in `entries` are or hold (an index's manifests).
std::set<Digest> NamedManifests(const LayoutStore& store, const std::vector<StoreEntry>& entries) {
  std::set<Digest> out;
  for (const auto& e : entries) {
    out.insert(e.descriptor.digest);
    if (!IsIndexType(e.descriptor.media_type)) continue;
    auto index = store.ReadIndex(e.descriptor.digest);
    if (!index) continue;  // the walk reports it
    for (const auto& m : index->manifests) out.insert(m.digest);
  }
  return out;
}

}  // namespace

Result<std::vector<Descriptor>> ReachableBlobs(const LayoutStore& store, const Descriptor& root) {
  std::set<Digest> seen;
  std::vector<Descriptor> out;
  PLINTH_CHECK(Walk(store, root, &seen, &out));
  return out;
}

Result<std::vector<std::vector<Digest>>> StoredDiffIdLists(const LayoutStore& store) {
  std::vector<std::vector<Digest>> lists;
  PLINTH_TRY(std::vector<StoreEntry> entries, store.List());
  for (const auto& entry : entries) {
    auto blobs = ReachableBlobs(store, entry.descriptor);
    if (!blobs) continue;
    for (const auto& d : *blobs) {
      if (!IsManifestType(d.media_type)) continue;
      auto manifest = store.ReadManifest(d.digest);
      if (!manifest) continue;
      auto config = store.ReadConfig(manifest->config.digest);
      if (!config) continue;
      lists.push_back(config->diff_ids);
    }
  }
  return lists;
}

Result<VerifyReport> VerifyStore(const LayoutStore& store, const VerifyOptions& options) {
  PLINTH_TRY(FileLock reader, store.ReaderLock());
  VerifyReport report;
  std::map<Digest, Result<Digest>> diff_ids;  // by layer blob, computed once
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
        if (m->config.media_type == kOciEmpty) continue;  // an artifact: no image config
        auto config = store.ReadConfig(m->config.digest);
        if (config && config->diff_ids.size() != m->layers.size()) {
          report.problems.push_back(entry.name + ": manifest " + d.digest.str() + " has " +
                                    std::to_string(m->layers.size()) + " layers but its config " +
                                    std::to_string(config->diff_ids.size()) + " diff_ids");
          continue;
        }
        if (!config || !options.diff_id_of) continue;
        for (size_t i = 0; i < m->layers.size(); ++i) {
          const Descriptor& l = m->layers[i];
          auto it = diff_ids.find(l.digest);
          if (it == diff_ids.end()) {
            auto blob = store.OpenBlob(l);
            it = diff_ids.emplace(l.digest, blob ? options.diff_id_of(*blob) : Result<Digest>(blob.error()))
                     .first;
          }
          if (!it->second) {
            report.problems.push_back(entry.name + ": layer " + l.digest.str() + ": " +
                                      it->second.error().message());
          } else if (*it->second != config->diff_ids[i]) {
            report.problems.push_back(entry.name + ": layer " + l.digest.str() + " unpacks to " +
                                      it->second->str() + " but config " +
                                      m->config.digest.str() + " names diff_id " +
                                      config->diff_ids[i].str());
          }
        }
      }
    }
  }
  return report;
}

Result<GcReport> CollectGarbage(const LayoutStore& store, const FileLock&, GcMode mode) {
  PLINTH_TRY(std::vector<StoreEntry> entries, store.List());
  std::set<Digest> live;
  // Artifacts attached to an image (oci/referrers.h) live while their subject does: images
  // first, then the artifacts whose subject they reach; the others are untagged.
  std::vector<StoreEntry> referrers;
  std::erase_if(entries, [&](const StoreEntry& e) {
    if (!e.descriptor.annotations.count(kSubjectAnnotation)) return false;
    referrers.push_back(e);
    return true;
  });
  const std::set<Digest> subjects = referrers.empty() ? std::set<Digest>{}
                                                      : NamedManifests(store, entries);
  for (const auto& e : referrers) {
    auto subject = Digest::Parse(e.descriptor.annotations.at(kSubjectAnnotation));
    if (subject && subjects.count(*subject)) {
      entries.push_back(e);
    } else if (mode == GcMode::kRemove) {
      PLINTH_CHECK(store.Untag(e.name));
    }
  }
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
  // With the gc lock held no writer is active, so every temp blob is left over from a kill.
  for (const std::string& name : ListDir(store.dir() + "/plinth/tmp")) {
    if (mode == GcMode::kRemove) unlink((store.dir() + "/plinth/tmp/" + name).c_str());
    ++report.temp_files_removed;
  }
  // index.json is rewritten through a temp file beside it under the index lock (Tag, Untag),
  // which a rewrite holds until its rename: once held here, every such temp file is orphaned.
  PLINTH_TRY(FileLock index_lock, FileLock::Acquire(store.dir() + "/plinth/index.lock"));
  for (const std::string& name : ListDir(store.dir())) {
    if (!name.starts_with("index.json.tmp.")) continue;
    if (mode == GcMode::kRemove) unlink((store.dir() + "/" + name).c_str());
    ++report.temp_files_removed;
  }
  return report;
}

}  // namespace plinth::oci
