#include "layer/layer_extractor.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <deque>
#include <set>
#include <vector>

#include "layer/decompressing_source.h"
#include "layer/hashing_source.h"
#include "layer/tar_reader.h"
#include "util/safe_path.h"

namespace plinth::layer {
namespace {

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueWhiteout = ".wh..wh..opq";
constexpr int kMaxSymlinkHops = 40;
constexpr char kOpaqueXattr[] = "trusted.overlay.opaque";

std::deque<std::string> SplitPath(std::string_view path) {
  std::deque<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string JoinParts(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out.empty() ? "." : out;
}

int RemoveOne(const char* path, const struct stat*, int, FTW*) { return remove(path); }

// Removes a file, link or tree without following symlinks; a missing path is fine.
Status RemovePath(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Ok{};
    return ErrnoError("inspecting " + path, errno);
  }
  if (!S_ISDIR(st.st_mode)) {
    if (unlink(path.c_str()) != 0) return ErrnoError("removing " + path, errno);
    return Ok{};
  }
  if (nftw(path.c_str(), RemoveOne, 16, FTW_DEPTH | FTW_PHYS) != 0)
    return ErrnoError("removing " + path, errno);
  return Ok{};
}

class Extractor {
 public:
  Extractor(std::string root, const ExtractOptions& options)
      : root_(std::move(root)), options_(options) {}

  Status Apply(TarReader& tar, const TarEntry& e);
  // kOverlay: gives folders their members' mtimes again, now that nothing more is written in
  // them.
  void RestoreFolderTimes();
  ExtractStats stats;

 private:
  std::string Disk(const std::string& rel) const { return rel == "." ? root_ : root_ + "/" + rel; }
  // Resolves a directory path inside the root, following symlinks that stay inside it;
  // creates missing directories (0755) when `create` is set.
  Result<std::string> ResolveDir(const std::string& rel, bool create);
  Status Finish(const std::string& path, const TarEntry& e);
  Status Opaque(const std::string& dir);
  Status OverlayWhiteout(const std::string& parent, const std::string& base, const TarEntry& e);

  std::string root_;
  ExtractOptions options_;
  std::set<std::string> created_;  // resolved names written by this layer
  std::vector<std::pair<std::string, int64_t>> folder_times_;  // kOverlay: path, mtime
  std::set<std::string> whited_out_;  // kOverlay: names this layer made whiteout devices
};

void Extractor::RestoreFolderTimes() {
  for (auto it = folder_times_.rbegin(); it != folder_times_.rend(); ++it) {
    timespec times[2] = {{it->second, 0}, {it->second, 0}};
    utimensat(AT_FDCWD, it->first.c_str(), times, AT_SYMLINK_NOFOLLOW);
  }
}

Status Extractor::OverlayWhiteout(const std::string& parent, const std::string& base,
                                  const TarEntry& e) {
  PLINTH_TRY(std::string dir, ResolveDir(parent, /*create=*/true));
  if (base == kOpaqueWhiteout) {
    std::string path = Disk(dir);
    if (lsetxattr(path.c_str(), kOpaqueXattr, "y", 1, 0) != 0)
      return ErrnoError("marking " + path + " opaque", errno);
    return Ok{};
  }
  std::string target = base.substr(kWhiteoutPrefix.size());
  if (target.empty() || target == "." || target == "..")
    return InvalidInput("bad whiteout '" + e.name + "'");
  std::string rel = dir == "." ? target : dir + "/" + target;
  std::string path = Disk(rel);
  if (created_.count(rel)) {
    // A whiteout hides what the layers below have, never this layer's own NAME (OCI); a
    // folder of this layer then hides the lower one's contents: it is opaque.
    struct stat st;
    if (lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
        lsetxattr(path.c_str(), kOpaqueXattr, "y", 1, 0) != 0)
      return ErrnoError("marking " + path + " opaque", errno);
    return Ok{};
  }
  PLINTH_CHECK(RemovePath(path));
  if (mknod(path.c_str(), S_IFCHR | 0600, makedev(0, 0)) != 0)
    return ErrnoError("creating the whiteout " + path, errno);
  created_.insert(rel);
  whited_out_.insert(rel);
  TarEntry device = e;
  device.type = EntryType::kCharDevice;
  return Finish(path, device);
}

Result<std::string> Extractor::ResolveDir(const std::string& rel, bool create) {
  std::deque<std::string> todo = SplitPath(rel == "." ? "" : rel);
  std::vector<std::string> done;
  int hops = 0;
  while (!todo.empty()) {
    std::string part = std::move(todo.front());
    todo.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      if (done.empty()) return InvalidInput("'" + rel + "' resolves outside the root");
      done.pop_back();
      continue;
    }
    done.push_back(part);
    std::string path = Disk(JoinParts(done));
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) {
      if (errno != ENOENT || !create) return ErrnoError("resolving " + path, errno);
      if (mkdir(path.c_str(), 0755) != 0) return ErrnoError("creating " + path, errno);
      created_.insert(JoinParts(done));
      continue;
    }
    if (S_ISDIR(st.st_mode)) continue;
    if (!S_ISLNK(st.st_mode))
      return InvalidInput("'" + rel + "': '" + JoinParts(done) + "' is not a directory");
    if (++hops > kMaxSymlinkHops) return InvalidInput("'" + rel + "': too many symlinks");
    std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
    ssize_t n = readlink(path.c_str(), target.data(), target.size());
    if (n < 0) return ErrnoError("reading symlink " + path, errno);
    target.resize(static_cast<size_t>(n));
    std::string link_rel = JoinParts(done);
    auto resolved = ResolveLinkInsideRoot(link_rel, target);
    if (!resolved)
      return InvalidInput("refusing to write '" + rel + "' through symlink '" + link_rel +
                          "' -> '" + target + "', which leaves the root");
    done = {};
    std::deque<std::string> expanded = SplitPath(*resolved == "." ? "" : *resolved);
    todo.insert(todo.begin(), expanded.begin(), expanded.end());
  }
  return JoinParts(done);
}

Status Extractor::Opaque(const std::string& dir) {
  std::string path = Disk(dir);
  std::vector<std::string> children;
  if (DIR* d = opendir(path.c_str())) {
    while (dirent* ent = readdir(d)) {
      std::string name = ent->d_name;
      if (name != "." && name != "..") children.push_back(name);
    }
    closedir(d);
  }
  for (const std::string& child : children) {
    std::string rel = dir == "." ? child : dir + "/" + child;
    if (created_.count(rel)) continue;
    PLINTH_CHECK(RemovePath(Disk(rel)));
  }
  return Ok{};
}

Status Extractor::Finish(const std::string& path, const TarEntry& e) {
  if (options_.ownership == OwnershipPolicy::kPreserve &&
      lchown(path.c_str(), static_cast<uid_t>(e.uid), static_cast<gid_t>(e.gid)) != 0)
    return ErrnoError("changing owner of " + path, errno);
  uint32_t mode = e.mode & 07777;
  if (e.type == EntryType::kDirectory && options_.whiteouts == WhiteoutMode::kOverlay)
    folder_times_.emplace_back(path, e.mtime);
  if (options_.setid_modes && e.type != EntryType::kDirectory) {
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) return ErrnoError("inspecting " + path, errno);
    // A new file: whatever an earlier file of this inode number left here is not about it.
    options_.setid_modes->erase(st.st_ino);
    if (mode & (S_ISUID | S_ISGID)) {
      (*options_.setid_modes)[st.st_ino] = mode;
      mode &= ~static_cast<uint32_t>(S_ISUID | S_ISGID);
    }
  }
  // After chown, which clears setuid/setgid bits.
  if (e.type != EntryType::kSymlink && chmod(path.c_str(), mode) != 0)
    return ErrnoError("changing mode of " + path, errno);
  timespec times[2] = {{e.mtime, 0}, {e.mtime, 0}};
  utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW);
  return Ok{};
}

Status Extractor::Apply(TarReader& tar, const TarEntry& e) {
  ++stats.entries;
  if (e.name == ".") return Ok{};
  size_t slash = e.name.rfind('/');
  std::string parent = slash == std::string::npos ? "." : e.name.substr(0, slash);
  std::string base = slash == std::string::npos ? e.name : e.name.substr(slash + 1);

  if (base == kOpaqueWhiteout || base.starts_with(kWhiteoutPrefix)) {
    ++stats.whiteouts;
    if (options_.whiteouts == WhiteoutMode::kOverlay) return OverlayWhiteout(parent, base, e);
    auto dir = ResolveDir(parent, /*create=*/base == kOpaqueWhiteout);
    if (!dir) {
      if (base != kOpaqueWhiteout) return Ok{};  // nothing to white out below a missing dir
      return dir.error();
    }
    if (base == kOpaqueWhiteout) return Opaque(*dir);
    std::string target = base.substr(kWhiteoutPrefix.size());
    if (target.empty() || target == "." || target == "..")
      return InvalidInput("bad whiteout '" + e.name + "'");
    return RemovePath(Disk(*dir == "." ? target : *dir + "/" + target));
  }

  PLINTH_TRY(std::string dir, ResolveDir(parent, /*create=*/true));
  std::string rel = dir == "." ? base : dir + "/" + base;
  std::string path = Disk(rel);
  created_.insert(rel);

  struct stat st;
  bool exists = lstat(path.c_str(), &st) == 0;
  if (exists && !(e.type == EntryType::kDirectory && S_ISDIR(st.st_mode)))
    PLINTH_CHECK(RemovePath(path));

  switch (e.type) {
    case EntryType::kDirectory:
      if (!(exists && S_ISDIR(st.st_mode)) && mkdir(path.c_str(), 0700) != 0)
        return ErrnoError("creating " + path, errno);
      // kOverlay: the layer whited NAME out and then made it a folder: the folder replaces the
      // lower ones, so it is opaque (as kApply's would be fresh).
      if (whited_out_.count(rel) && lsetxattr(path.c_str(), kOpaqueXattr, "y", 1, 0) != 0)
        return ErrnoError("marking " + path + " opaque", errno);
      break;
    case EntryType::kRegular: {
      int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0) return ErrnoError("creating " + path, errno);
      std::vector<char> buf(1 << 20);
      for (;;) {
        auto n = tar.Read(buf.data(), buf.size());
        if (!n) {
          close(fd);
          return n.error();
        }
        if (*n == 0) break;
        size_t off = 0;
        while (off < *n) {
          ssize_t w = write(fd, buf.data() + off, *n - off);
          if (w < 0 && errno == EINTR) continue;
          if (w < 0) {
            int err = errno;
            close(fd);
            return ErrnoError("writing " + path, err);
          }
          off += static_cast<size_t>(w);
        }
        stats.bytes += *n;
      }
      if (close(fd) != 0) return ErrnoError("writing " + path, errno);
      break;
    }
    case EntryType::kSymlink: {
      auto inside = ResolveLinkInsideRoot(rel, e.link_target);
      if (!inside)
        return InvalidInput("refusing symlink '" + e.name + "' -> '" + e.link_target +
                            "': it points outside the root");
      if (symlink(e.link_target.c_str(), path.c_str()) != 0)
        return ErrnoError("creating symlink " + path, errno);
      break;
    }
    case EntryType::kHardLink: {
      size_t tslash = e.link_target.rfind('/');
      std::string tparent = tslash == std::string::npos ? "." : e.link_target.substr(0, tslash);
      std::string tbase = tslash == std::string::npos ? e.link_target : e.link_target.substr(tslash + 1);
      PLINTH_TRY(std::string tdir, ResolveDir(tparent, /*create=*/false));
      std::string target = Disk(tdir == "." ? tbase : tdir + "/" + tbase);
      // linkat without AT_SYMLINK_FOLLOW links the symlink itself, never what it points to.
      if (linkat(AT_FDCWD, target.c_str(), AT_FDCWD, path.c_str(), 0) != 0)
        return ErrnoError("linking " + path + " to " + target, errno);
      return Ok{};  // a hard link shares its target's metadata
    }
    case EntryType::kFifo:
      if (mkfifo(path.c_str(), 0600) != 0) return ErrnoError("creating fifo " + path, errno);
      break;
    case EntryType::kCharDevice:
    case EntryType::kBlockDevice:
      return InvalidInput("refusing device '" + e.name + "': layers extracted by plinth may "
                          "not contain device files");
  }
  return Finish(path, e);
}

}  // namespace

Result<ExtractStats> ExtractLayer(ByteSource& layer, const std::string& root,
                                  const ExtractOptions& options) {
  HashingSource blob(layer);
  PLINTH_TRY(std::unique_ptr<ByteSource> plain, OpenDecompressed(blob));
  uint64_t limit = options.max_unpacked_bytes ? options.max_unpacked_bytes : UINT64_MAX;
  HashingSource tar_stream(*plain, limit,
                           "the layer unpacks to more than " + std::to_string(limit) +
                               " bytes, the limit for its size (see PLINTH_LAYER_UNPACK_RATIO and "
                               "PLINTH_LAYER_UNPACK_MIN_BYTES)");
  TarReader tar(tar_stream);
  Extractor extractor(root, options);
  for (;;) {
    auto next = tar.Next();
    if (!next) return next.error().Context("extracting layer into " + root);
    if (!*next) break;
    Status applied = extractor.Apply(tar, **next);
    if (!applied)
      return applied.error().Context("extracting '" + (*next)->name + "' into " + root);
  }
  extractor.RestoreFolderTimes();
  if (options.digest || options.diff_id) {
    // The digests cover every byte: what follows the tar's end marker, and the blob's tail.
    PLINTH_CHECK(tar_stream.Drain());
    PLINTH_CHECK(blob.Drain());
  }
  if (options.digest) {
    oci::Digest got = blob.Finish();
    if (got != *options.digest)
      return IntegrityError("blob " + options.digest->str() + " holds content whose digest is " +
                            got.str() + "; run `plinth store verify`");
  }
  if (options.diff_id) {
    oci::Digest got = tar_stream.Finish();
    if (got != *options.diff_id)
      return IntegrityError("the layer's content is not what its image says: it unpacks to " +
                            got.str() + ", the image's config names diff_id " +
                            options.diff_id->str());
  }
  return extractor.stats;
}

namespace {

Result<uint64_t> PositiveFromEnv(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  std::string_view view(text);
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(view.data(), view.data() + view.size(), value);
  if (ec != std::errc() || end != view.data() + view.size() || value == 0)
    return InvalidInput(std::string(name) + "='" + text + "' must be a positive whole number");
  return value;
}

}  // namespace

Result<uint64_t> UnpackLimit(uint64_t compressed_size) {
  PLINTH_TRY(uint64_t ratio, PositiveFromEnv("PLINTH_LAYER_UNPACK_RATIO", 100));
  PLINTH_TRY(uint64_t floor, PositiveFromEnv("PLINTH_LAYER_UNPACK_MIN_BYTES", uint64_t{1} << 30));
  uint64_t scaled = compressed_size > UINT64_MAX / ratio ? UINT64_MAX : compressed_size * ratio;
  return std::max(floor, scaled);
}

}  // namespace plinth::layer
