#include "debian/rootfs_tree.h"

#include "util/safe_path.h"

namespace plinth::debian {

Result<std::string> RootfsTree::ResolveParents(const std::string& path) const {
  std::string current;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) break;
    std::string next = (current.empty() ? "" : current + "/") + path.substr(start, slash - start);
    for (int hops = 0;; ++hops) {
      auto it = nodes_.find(next);
      if (it == nodes_.end() || it->second.type != EntryType::kSymlink) break;
      if (hops > 40) return InvalidInput(path + ": too many levels of symbolic links");
      auto resolved = ResolveLinkInsideRoot(next, it->second.target);
      if (!resolved) return InvalidInput(path + ": goes through a symlink that escapes the root");
      next = *resolved == "." ? "" : *resolved;
    }
    current = next;
    start = slash + 1;
  }
  std::string last = path.substr(start);
  return current.empty() ? last : current + "/" + last;
}

Status RootfsTree::EnsureParents(const std::string& path) {
  for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    std::string dir = path.substr(0, slash);
    if (nodes_.count(dir)) continue;
    TarEntry e;
    e.path = dir;
    e.type = EntryType::kDirectory;
    e.mode = 0755;
    e.mtime = generated_mtime_;
    nodes_[dir] = {EntryType::kDirectory, "", ""};
    PLINTH_CHECK(sink_->Add(e, nullptr));
  }
  return Ok{};
}

Status RootfsTree::Emit(TarEntry entry, ByteSource* content, const std::string& package) {
  PLINTH_CHECK(EnsureParents(entry.path));
  nodes_[entry.path] = {entry.type, entry.link_target, package};
  return sink_->Add(entry, entry.type == EntryType::kFile ? content : nullptr);
}

Status RootfsTree::AddFromPackage(TarEntry entry, ByteSource* content, const std::string& package) {
  PLINTH_TRY(entry.path, ResolveParents(entry.path));
  if (reserved_.count(entry.path)) return Ok{};
  auto it = nodes_.find(entry.path);
  if (it != nodes_.end()) {
    // Directories shared between packages, and a directory where a symlink already stands
    // (`lib` under merged /usr), are not errors: the first entry stays.
    if (entry.type != EntryType::kDirectory &&
        !(entry.type == EntryType::kSymlink && it->second.type == EntryType::kSymlink &&
          it->second.target == entry.link_target) &&
        it->second.type != EntryType::kDirectory)
      duplicates_.push_back("/" + entry.path + " (from " + package + ", kept from " + it->second.package + ")");
    return Ok{};
  }
  if (entry.type == EntryType::kHardlink) {
    PLINTH_TRY(entry.link_target, ResolveParents(entry.link_target));
    auto target = nodes_.find(entry.link_target);
    // The link's target was left out (a path exclude) or is not a file: drop the link too.
    if (target == nodes_.end() || target->second.type != EntryType::kFile) return Ok{};
  }
  return Emit(std::move(entry), content, package);
}

Status RootfsTree::AddGenerated(TarEntry entry, ByteSource* content) {
  if (nodes_.count(entry.path)) {
    if (entry.type == EntryType::kDirectory && nodes_[entry.path].type == EntryType::kDirectory)
      return Ok{};
    return Internal("generated path /" + entry.path + " was already written");
  }
  entry.mtime = generated_mtime_;
  return Emit(std::move(entry), content, "plinth");
}

Status RootfsTree::AddGeneratedFile(const std::string& path, const std::string& data, uint32_t mode,
                                    uint32_t uid, uint32_t gid) {
  TarEntry e;
  e.path = path;
  e.type = EntryType::kFile;
  e.mode = mode;
  e.uid = uid;
  e.gid = gid;
  e.size = data.size();
  StringSource source(data);
  return AddGenerated(e, &source);
}

Status RootfsTree::AddGeneratedDirectory(const std::string& path, uint32_t mode, uint32_t uid,
                                         uint32_t gid) {
  TarEntry e;
  e.path = path;
  e.type = EntryType::kDirectory;
  e.mode = mode;
  e.uid = uid;
  e.gid = gid;
  return AddGenerated(e, nullptr);
}

Status RootfsTree::AddGeneratedSymlink(const std::string& path, const std::string& target) {
  PLINTH_CHECK(ResolveLinkInsideRoot(path, target));
  TarEntry e;
  e.path = path;
  e.type = EntryType::kSymlink;
  e.mode = 0777;
  e.link_target = target;
  return AddGenerated(e, nullptr);
}

}  // namespace plinth::debian
