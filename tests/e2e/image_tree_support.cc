#include "e2e/image_tree_support.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <tuple>

#include "layer/decompressing_source.h"
#include "layer/tar_reader.h"
#include "oci/image.h"
#include "oci/layout_store.h"
#include "oci/platform.h"
#include "support/plinth_runner.h"
#include "util/byte_stream.h"
#include "util/sha256.h"

namespace plinth::testing {
namespace {

namespace fs = std::filesystem;

char TypeOf(mode_t mode) {
  if (S_ISREG(mode)) return 'f';
  if (S_ISDIR(mode)) return 'd';
  if (S_ISLNK(mode)) return 'l';
  if (S_ISCHR(mode)) return 'c';
  if (S_ISBLK(mode)) return 'b';
  if (S_ISFIFO(mode)) return 'p';
  if (S_ISSOCK(mode)) return 's';
  return '?';
}

std::string FileSha256(const std::string& path) {
  auto source = FileSource::Open(path);
  if (!source) return "unreadable: " + source.error().ToString();
  Sha256 hash;
  char buffer[1 << 16];
  for (;;) {
    auto n = source->Read(buffer, sizeof buffer);
    if (!n) return "unreadable: " + n.error().ToString();
    if (*n == 0) break;
    hash.Update(buffer, *n);
  }
  return hash.FinishHex();
}

// Whether `source` yields `needle` anywhere, streaming (a window of needle.size()-1 bytes is
// kept across reads, so a match split between two reads is found).
bool StreamHolds(ByteSource& source, const std::string& needle) {
  std::string window;
  char buffer[1 << 16];
  for (;;) {
    auto n = source.Read(buffer, sizeof buffer);
    if (!n || *n == 0) return false;
    window.append(buffer, *n);
    if (window.find(needle) != std::string::npos) return true;
    if (window.size() >= needle.size()) window.erase(0, window.size() - needle.size() + 1);
  }
}

}  // namespace

std::string Describe(const TreeEntry& e) {
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", e.mode);
  std::string text = std::string(1, e.type) + " " + mode + " " + std::to_string(e.uid) + ":" +
                     std::to_string(e.gid);
  if (e.type == 'f') text += " " + std::to_string(e.size) + " sha256:" + e.sha256.substr(0, 16);
  if (e.type == 'l') text += " -> " + e.link_target;
  if (!e.hardlink.empty()) text += " (hard link group " + e.hardlink + ")";
  return text;
}

FileTree ReadFileTree(const std::string& root) {
  FileTree tree;
  std::map<std::pair<dev_t, ino_t>, std::string> first_name;  // of files with several names
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    std::string path = it->path().string();
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0) continue;
    TreeEntry e;
    e.type = TypeOf(st.st_mode);
    e.mode = st.st_mode & 07777;
    e.uid = st.st_uid;
    e.gid = st.st_gid;
    if (e.type == 'f') {
      e.size = st.st_size;
      e.sha256 = FileSha256(path);
      if (st.st_nlink > 1) {
        auto [at, fresh] = first_name.try_emplace({st.st_dev, st.st_ino}, path.substr(root.size()));
        if (!fresh && path.substr(root.size()) < at->second) at->second = path.substr(root.size());
      }
    }
    if (e.type == 'l') e.link_target = fs::read_symlink(path, ec).string();
    tree[path.substr(root.size())] = e;
  }
  EXPECT_FALSE(ec) << "reading " << root << ": " << ec.message();
  // Second pass: every name of a linked file gets its group's first name.
  for (auto& [path, e] : tree) {
    if (e.type != 'f') continue;
    struct stat st {};
    if (lstat((root + path).c_str(), &st) != 0 || st.st_nlink < 2) continue;
    e.hardlink = first_name[{st.st_dev, st.st_ino}];
  }
  return tree;
}

FileTree UnpackedImageTree(const std::string& layout, const std::string& ref,
                           const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  auto copied = Run({"skopeo", "copy", "--quiet", "--dest-compress", "--dest-compress-format",
                     "gzip", "oci:" + layout + ":" + ref, "oci:" + dir + "/gz:image"});
  if (copied.exit_code != 0) {
    ADD_FAILURE() << "skopeo copy of " << ref << " from " << layout << ": " << copied.err;
    return {};
  }
  auto unpacked = Run({"umoci", "unpack", "--image", dir + "/gz:image", dir + "/bundle"});
  if (unpacked.exit_code != 0) {
    ADD_FAILURE() << "umoci unpack of " << ref << ": " << unpacked.err;
    return {};
  }
  return ReadFileTree(dir + "/bundle/rootfs");
}

std::vector<std::string> TreeDifferences(const FileTree& a, const FileTree& b,
                                         const std::string& name_a, const std::string& name_b) {
  std::vector<std::string> out;
  auto ia = a.begin();
  auto ib = b.begin();
  while (ia != a.end() || ib != b.end()) {
    if (ib == b.end() || (ia != a.end() && ia->first < ib->first)) {
      out.push_back(ia->first + ": only in " + name_a + ": " + Describe(ia->second));
      ++ia;
    } else if (ia == a.end() || ib->first < ia->first) {
      out.push_back(ib->first + ": only in " + name_b + ": " + Describe(ib->second));
      ++ib;
    } else {
      if (!(ia->second == ib->second))
        out.push_back(ia->first + ": " + name_a + " " + Describe(ia->second) + ", " + name_b + " " +
                      Describe(ib->second));
      ++ia;
      ++ib;
    }
  }
  return out;
}

std::vector<std::vector<std::string>> LayerMemberNames(const std::string& store_dir,
                                                       const std::string& ref) {
  std::vector<std::vector<std::string>> layers;
  auto store = oci::LayoutStore::OpenExisting(store_dir);
  if (!store) {
    ADD_FAILURE() << "opening " << store_dir << ": " << store.error().ToString();
    return layers;
  }
  auto image = oci::ReadImage(*store, ref, oci::Platform::Host());
  if (!image) {
    ADD_FAILURE() << "reading " << ref << ": " << image.error().ToString();
    return layers;
  }
  for (const auto& descriptor : image->layers) {
    auto fail = [&](const Error& error) {
      ADD_FAILURE() << "reading layer " << descriptor.digest.str() << " of " << ref << ": "
                    << error.ToString();
    };
    auto blob = store->OpenBlob(descriptor);
    if (!blob) return fail(blob.error()), layers;
    auto tar = layer::OpenDecompressed(*blob);
    if (!tar) return fail(tar.error()), layers;
    layer::TarReader reader(**tar);
    std::vector<std::string> names;
    for (;;) {
      auto entry = reader.Next();
      if (!entry) return fail(entry.error()), layers;
      if (!*entry) break;
      names.push_back((*entry)->name);
    }
    layers.push_back(std::move(names));
  }
  return layers;
}

std::vector<std::string> FilesHolding(const std::string& dir, const std::string& needle) {
  std::vector<std::string> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    std::string path = it->path().string();
    auto raw = FileSource::Open(path);
    if (raw && StreamHolds(*raw, needle)) {
      found.push_back(path);
      continue;
    }
    auto compressed = FileSource::Open(path);
    if (!compressed) continue;
    layer::DetectedCompression kind = layer::DetectedCompression::kNone;
    auto plain = layer::OpenDecompressed(*compressed, &kind);
    if (plain && kind != layer::DetectedCompression::kNone && StreamHolds(**plain, needle))
      found.push_back(path + " (decompressed)");
  }
  EXPECT_FALSE(ec) << "searching " << dir << ": " << ec.message();
  return found;
}

}  // namespace plinth::testing
