#include "builder/rootfs_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <set>
#include <sstream>

#include "oci/media_types.h"
#include "oci/store_maintenance.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace plinth::builder {
namespace {

// Names trees of this layout; trees of an older one (unchecked, with setuid bits) never match.
constexpr std::string_view kLayoutVersion = "plinth-rootfs-v2\n";
constexpr std::string_view kModesFile = "setid-modes";

std::string RootfsDir(const oci::LayoutStore& store) { return store.dir() + "/plinth/rootfs"; }

std::string ChainName(const std::vector<oci::Digest>& diff_ids, size_t layers) {
  Sha256 chain;
  chain.Update(kLayoutVersion);
  for (size_t i = 0; i < layers && i < diff_ids.size(); ++i) chain.Update(diff_ids[i].str() + "\n");
  return chain.FinishHex();
}

// The parent of a tree Materialize returned: "<chain>/tree" -> "<chain>".
std::string ChainOf(const std::string& tree) { return tree.substr(0, tree.rfind('/')); }

layer::SetidModes ReadModes(const std::string& chain_dir) {
  layer::SetidModes modes;
  auto text = ReadFile(chain_dir + "/" + std::string(kModesFile));
  if (!text) return modes;
  std::istringstream in(*text);
  uint64_t ino = 0;
  uint32_t mode = 0;
  while (in >> std::dec >> ino >> std::oct >> mode) modes[ino] = mode;
  return modes;
}

// Into a temp tree not yet published: no temp file or sync of its own needed.
Status WriteModes(const std::string& chain_dir, const layer::SetidModes& modes) {
  std::ostringstream out;
  for (const auto& [ino, mode] : modes) out << std::dec << ino << ' ' << std::oct << mode << '\n';
  std::string path = chain_dir + "/" + std::string(kModesFile);
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError("creating " + path, errno);
  std::string text = out.str();
  ssize_t n = write(fd, text.data(), text.size());
  int err = errno;
  if (close(fd) != 0 && n >= 0) return ErrnoError("writing " + path, errno);
  if (n != static_cast<ssize_t>(text.size())) return ErrnoError("writing " + path, n < 0 ? err : EIO);
  return Ok{};
}

int MakeWritable(const char* path, const struct stat* st, int type, FTW*) {
  if (type == FTW_D || type == FTW_DNR) chmod(path, 0700);
  return 0;
}

// Removes a tree even where an image made folders read-only (which stops a non-root owner).
Status RemoveTree(const std::string& path) {
  if (RemoveAll(path)) return Ok{};
  nftw(path.c_str(), MakeWritable, 16, FTW_PHYS);
  return RemoveAll(path);
}

Status CloneDir(const std::string& from, const std::string& to, const struct stat& st) {
  if (mkdir(to.c_str(), 0700) != 0) return ErrnoError("creating " + to, errno);
  DIR* dir = opendir(from.c_str());
  if (!dir) return ErrnoError("reading " + from, errno);
  Status status = Ok{};
  while (struct dirent* d = readdir(dir)) {
    std::string name = d->d_name;
    if (name == "." || name == "..") continue;
    std::string src = from + "/" + name, dst = to + "/" + name;
    struct stat child;
    if (lstat(src.c_str(), &child) != 0) {
      status = ErrnoError("inspecting " + src, errno);
      break;
    }
    if (S_ISDIR(child.st_mode)) {
      status = CloneDir(src, dst, child);
      if (!status) break;
      continue;
    }
    // linkat without AT_SYMLINK_FOLLOW links a symlink itself, never what it points to.
    if (linkat(AT_FDCWD, src.c_str(), AT_FDCWD, dst.c_str(), 0) != 0) {
      status = ErrnoError("linking " + dst, errno);
      break;
    }
  }
  closedir(dir);
  if (!status) return status;
  // The folder's own metadata last: filling it changed its times.
  if (lchown(to.c_str(), st.st_uid, st.st_gid) != 0 && geteuid() == 0)
    return ErrnoError("setting the owner of " + to, errno);
  if (chmod(to.c_str(), st.st_mode & 07777) != 0) return ErrnoError("setting the mode of " + to, errno);
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  utimensat(AT_FDCWD, to.c_str(), times, AT_SYMLINK_NOFOLLOW);
  return Ok{};
}

}  // namespace

Status CloneTreeWithHardLinks(const std::string& from, const std::string& to) {
  struct stat st;
  if (lstat(from.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return ErrnoError("reading " + from, errno ? errno : ENOTDIR);
  return CloneDir(from, to, st);
}

Status RootfsCache::PrepareRoot() {
  if (root_ready_) return Ok{};
  std::string root = RootfsDir(store_);
  PLINTH_CHECK(MakeDirs(store_.dir() + "/plinth"));
  PLINTH_CHECK(MakePrivateDir(root));
  root_ready_ = true;
  return Ok{};
}

Result<std::string> RootfsCache::Materialize(const oci::Image& image) {
  const size_t total = image.layers.size();
  const auto& diff_ids = image.config.diff_ids;
  if (diff_ids.size() != total)
    return IntegrityError("the image has " + std::to_string(total) + " layers but its config " +
                          std::to_string(diff_ids.size()) + " diff_ids");
  std::string root = RootfsDir(store_);
  std::string dir = root + "/" + ChainName(diff_ids, total);
  std::lock_guard lock(mu_);
  if (IsDirectory(dir)) return dir + "/tree";
  PLINTH_CHECK(PrepareRoot());
  std::string temp = dir + ".tmp." + std::to_string(getpid());
  (void)RemoveTree(temp);
  if (mkdir(temp.c_str(), 0700) != 0) return ErrnoError("creating " + temp, errno);
  auto fail = [&](const Error& e) {
    (void)RemoveTree(temp);
    return e;
  };
  // Start from the longest prefix of the chain that is unpacked already.
  size_t start = 0;
  layer::SetidModes modes;
  for (size_t k = total; k-- > 1;) {
    std::string prefix = root + "/" + ChainName(diff_ids, k);
    if (!IsDirectory(prefix)) continue;
    if (CloneTreeWithHardLinks(prefix + "/tree", temp + "/tree")) {
      start = k;
      modes = ReadModes(prefix);
      break;
    }
    (void)RemoveTree(temp + "/tree");  // e.g. a file at its link limit: unpack from further down
  }
  if (start == 0 && mkdir((temp + "/tree").c_str(), 0755) != 0)
    return fail(ErrnoError("creating " + temp + "/tree", errno));
  layer::ExtractOptions options{.ownership = geteuid() == 0 ? layer::OwnershipPolicy::kPreserve
                                                            : layer::OwnershipPolicy::kCurrentUser,
                                .setid_modes = &modes};
  for (size_t i = start; i < total; ++i) {
    const auto& l = image.layers[i];
    auto context = [&](const Error& e) { return fail(e.Context("unpacking layer " + l.digest.str())); };
    auto limit = layer::UnpackLimit(static_cast<uint64_t>(std::max<int64_t>(l.size, 0)));
    if (!limit) return context(limit.error());
    auto blob = store_.OpenBlob(l);
    if (!blob) return context(blob.error());
    options.digest = l.digest;
    options.diff_id = diff_ids[i];
    options.max_unpacked_bytes = *limit;
    auto stats = layer::ExtractLayer(*blob, temp + "/tree", options);
    if (!stats) return context(stats.error());
  }
  if (Status written = WriteModes(temp, modes); !written) return fail(written.error());
  if (rename(temp.c_str(), dir.c_str()) != 0) {
    // Another process unpacked the same chain first: use theirs.
    int err = errno;
    (void)RemoveTree(temp);
    if (!IsDirectory(dir)) return ErrnoError("publishing " + dir, err);
  }
  return dir + "/tree";
}

const layer::SetidModes& RootfsCache::ModesOf(const std::string& tree) {
  auto it = modes_.find(tree);
  if (it == modes_.end()) it = modes_.emplace(tree, ReadModes(ChainOf(tree))).first;
  return it->second;
}

uint32_t RootfsCache::ModeOf(const std::string& tree, const struct stat& st) {
  uint32_t on_disk = st.st_mode & 07777;
  if (S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode)) return on_disk;
  if (!tree.starts_with(RootfsDir(store_) + "/")) return on_disk;  // not one of ours
  std::lock_guard lock(mu_);
  const layer::SetidModes& modes = ModesOf(tree);
  auto it = modes.find(st.st_ino);
  constexpr uint32_t kSetid = S_ISUID | S_ISGID;
  // Only for the file it was written for: the same mode but the setid bits.
  if (it == modes.end() || (it->second & ~kSetid) != (on_disk & ~kSetid)) return on_disk;
  return it->second;
}

Result<RootfsPruneReport> RootfsCache::Prune(const oci::LayoutStore& store, const FileLock&,
                                             bool dry_run) {
  // Every chain some image in the store starts with: its prefixes are what its rebuilds clone.
  std::set<std::string> live;
  PLINTH_TRY(auto diff_id_lists, oci::StoredDiffIdLists(store));
  for (const auto& diff_ids : diff_id_lists)
    for (size_t k = 1; k <= diff_ids.size(); ++k) live.insert(ChainName(diff_ids, k));
  RootfsPruneReport report;
  std::string root = RootfsDir(store);
  DIR* d = opendir(root.c_str());
  if (!d) {
    if (errno == ENOENT) return report;
    return ErrnoError("reading " + root, errno);
  }
  std::vector<std::string> names;
  while (struct dirent* e = readdir(d))
    if (std::string_view(e->d_name) != "." && std::string_view(e->d_name) != "..")
      names.push_back(e->d_name);
  closedir(d);
  for (const std::string& name : names) {
    if (live.count(name)) {
      ++report.trees_kept;
      continue;
    }
    // With the gc lock held no build runs: a temp tree's process is gone.
    bool temp = name.find('.') != std::string::npos ||
                !IsDirectory(root + "/" + name + "/tree");
    if (!dry_run) PLINTH_CHECK(RemoveTree(root + "/" + name));
    ++(temp ? report.temps_removed : report.trees_removed);
  }
  return report;
}

}  // namespace plinth::builder
