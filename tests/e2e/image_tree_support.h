// The file tree of an image, for end-to-end tests that compare what two builds made: each path
// with its type, permission bits (setuid/setgid/sticky included), owner, size, content digest,
// symlink target and hard-link group. Images are unpacked by real tools, as a runtime would
// unpack them: skopeo copies the image into a gzip layout of its own (umoci reads gzip layers
// only) and `umoci unpack` (run as root, so owners are kept) applies its layers, whiteouts
// included. Also: the member names of an image's layers, and a search of a store's files for a
// string (raw and decompressed), for secrets that must not be there.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace plinth::testing {

struct TreeEntry {
  char type = '?';    // f file, d folder, l symlink, c/b device, p fifo, s socket
  uint32_t mode = 0;  // the 07777 bits
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;        // files only
  std::string sha256;       // files only
  std::string link_target;  // symlinks only
  // Files with more than one name: the first of those names in byte order (so two trees with
  // the same hard links agree); empty for a file with one name.
  std::string hardlink;
  bool operator==(const TreeEntry&) const = default;
};

// "/etc/passwd" → its entry; the root folder itself is not in it.
using FileTree = std::map<std::string, TreeEntry>;

// "f 0644 0:0 839 sha256:ab12…" and the like, for messages.
std::string Describe(const TreeEntry& entry);

// Reads the tree under `root` without following symlinks.
FileTree ReadFileTree(const std::string& root);

// Unpacks image `ref` of the OCI layout (or plinth store) `layout` into `dir` and reads its root
// filesystem (`dir`/bundle/rootfs). Records a test failure and returns an empty tree on failure.
FileTree UnpackedImageTree(const std::string& layout, const std::string& ref,
                           const std::string& dir);

// The differences between two trees, one line each, in path order:
//   "PATH: only in NAME_A: DESC", "PATH: NAME_A DESC, NAME_B DESC".
std::vector<std::string> TreeDifferences(const FileTree& a, const FileTree& b,
                                         const std::string& name_a, const std::string& name_b);

// The member names of each layer of image `ref` (this host's platform) in the plinth store
// `store`, bottom layer first, as layer/tar_reader.h cleans them ("etc/.wh.motd"). Records a test
// failure and returns what it got so far on failure.
std::vector<std::vector<std::string>> LayerMemberNames(const std::string& store,
                                                       const std::string& ref);

// The regular files under `dir` (recursively, symlinks not followed) that hold `needle`, in
// their bytes or, for gzip/zstd/xz/bzip2 files, in what they decompress to.
std::vector<std::string> FilesHolding(const std::string& dir, const std::string& needle);

}  // namespace plinth::testing
