#include "builder/rootfs_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "layer/layer_extractor.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace plinth::builder {
namespace {

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

std::string RootfsCache::ChainDir(const oci::Image& image, size_t layers) const {
  Sha256 chain;
  for (size_t i = 0; i < layers && i < image.config.diff_ids.size(); ++i)
    chain.Update(image.config.diff_ids[i].str() + "\n");
  return store_.dir() + "/plinth/rootfs/" + chain.FinishHex();
}

Result<std::string> RootfsCache::Materialize(const oci::Image& image) {
  const size_t total = image.layers.size();
  std::string dir = ChainDir(image, total);
  std::lock_guard lock(mu_);
  if (IsDirectory(dir)) return dir;
  PLINTH_CHECK(MakeDirs(store_.dir() + "/plinth/rootfs"));
  std::string temp = dir + ".tmp." + std::to_string(getpid());
  (void)RemoveAll(temp);
  // Start from the longest prefix of the chain that is unpacked already.
  size_t start = 0;
  for (size_t k = total; k-- > 1;) {
    std::string prefix = ChainDir(image, k);
    if (!IsDirectory(prefix)) continue;
    if (CloneTreeWithHardLinks(prefix, temp)) {
      start = k;
      break;
    }
    (void)RemoveAll(temp);  // e.g. a file at its link limit: unpack from further down
  }
  if (start == 0) PLINTH_CHECK(MakeDirs(temp));
  layer::ExtractOptions options{.ownership = geteuid() == 0 ? layer::OwnershipPolicy::kPreserve
                                                            : layer::OwnershipPolicy::kCurrentUser};
  for (size_t i = start; i < total; ++i) {
    const auto& l = image.layers[i];
    auto blob = store_.OpenBlob(l.digest);
    if (!blob) {
      (void)RemoveAll(temp);
      return blob.error();
    }
    auto stats = layer::ExtractLayer(*blob, temp, options);
    if (!stats) {
      (void)RemoveAll(temp);
      return stats.error().Context("unpacking layer " + l.digest.str());
    }
  }
  if (rename(temp.c_str(), dir.c_str()) != 0) {
    // Another process unpacked the same chain first: use theirs.
    (void)RemoveAll(temp);
    if (!IsDirectory(dir)) return ErrnoError("publishing " + dir, errno);
  }
  return dir;
}

}  // namespace plinth::builder
