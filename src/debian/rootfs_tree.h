// RootfsTree: merges packages' entries into one root filesystem as they stream to a sink.
// It remembers every path it emitted (type and link target only) so that:
//   - a path under a symlinked directory is written where the link points (`bin/ls` becomes
//     `usr/bin/ls` once `bin -> usr/bin` exists: merged /usr is honoured, not undone);
//   - a directory several packages ship is emitted once, missing parents are created;
//   - a second file at a path is dropped (first wins, deterministic) and counted;
//   - paths reserved for generated files (passwd, the CA bundle, status.d) are left to them;
//   - no link is followed out of the root.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "debian/rootfs_sink.h"
#include "debian/tar_entry.h"
#include "util/result.h"

namespace plinth::debian {

class RootfsTree {
 public:
  RootfsTree(RootfsSink* sink, int64_t generated_mtime)
      : sink_(sink), generated_mtime_(generated_mtime) {}

  void Reserve(const std::string& path) { reserved_.insert(path); }

  // An entry from package `package` (path clean and relative).
  Status AddFromPackage(TarEntry entry, ByteSource* content, const std::string& package);
  // An entry plinth generates (skeleton, passwd, records); reservations do not apply.
  Status AddGenerated(TarEntry entry, ByteSource* content);
  Status AddGeneratedFile(const std::string& path, const std::string& data, uint32_t mode = 0644,
                          uint32_t uid = 0, uint32_t gid = 0);
  Status AddGeneratedDirectory(const std::string& path, uint32_t mode = 0755, uint32_t uid = 0,
                               uint32_t gid = 0);
  Status AddGeneratedSymlink(const std::string& path, const std::string& target);

  bool Exists(const std::string& path) const { return nodes_.count(path) > 0; }
  // Follows symlinked parents of `path` (not the last component).
  Result<std::string> ResolveParents(const std::string& path) const;

  size_t entries() const { return nodes_.size(); }
  // "path (from package, kept from other)" for every dropped duplicate file.
  const std::vector<std::string>& duplicates() const { return duplicates_; }

 private:
  struct Node {
    EntryType type;
    std::string target;   // symlinks
    std::string package;  // who put it there
  };
  Status Emit(TarEntry entry, ByteSource* content, const std::string& package);
  Status EnsureParents(const std::string& path);

  RootfsSink* sink_;
  int64_t generated_mtime_;
  std::unordered_map<std::string, Node> nodes_;
  std::set<std::string> reserved_;
  std::vector<std::string> duplicates_;
};

}  // namespace plinth::debian
