#include "run/snapshot_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

#include "layer/layer_extractor.h"
#include "util/fs.h"

namespace plinth::run {
namespace {

constexpr std::string_view kTempPrefix = ".tmp-";
constexpr char kOpaqueXattr[] = "trusted.overlay.opaque";

// One unpack of a snapshot at a time in this process (the targets of a build share their bases):
// a thread that waited finds the snapshot made. Other processes are covered by the rename.
std::shared_ptr<std::mutex> SnapshotMutex(const std::string& dir) {
  static std::mutex registry_mu;
  static std::map<std::string, std::weak_ptr<std::mutex>> registry;
  std::lock_guard lock(registry_mu);
  std::shared_ptr<std::mutex> mu = registry[dir].lock();
  if (!mu) {
    mu = std::make_shared<std::mutex>();
    registry[dir] = mu;
  }
  return mu;
}

// Numbers step folders and temporary snapshots within this process (every SnapshotStore).
std::atomic<uint64_t> next_number{0};

std::string Unique() { return std::to_string(getpid()) + "-" + std::to_string(next_number++); }

// The leading "<pid>-" of a step folder or of a temp snapshot's name after its prefix.
std::optional<pid_t> PidOf(std::string_view name) {
  size_t dash = name.find('-');
  if (dash == std::string_view::npos || dash == 0) return std::nullopt;
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + dash, pid);
  if (ec != std::errc() || end != name.data() + dash || pid <= 0) return std::nullopt;
  return pid;
}

bool Alive(pid_t pid) { return kill(pid, 0) == 0 || errno != ESRCH; }

// mkdir `path` 0700, or make an existing folder 0700 (a store's plinth/ folders hold images'
// private files; see builder/rootfs_cache.cc).
Status PrivateDir(const std::string& path) {
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
    return ErrnoError("creating " + path, errno);
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return ErrnoError("inspecting " + path, errno);
  if (!S_ISDIR(st.st_mode)) return IoError(path + " is not a folder");
  if ((st.st_mode & 07777) != 0700 && chmod(path.c_str(), 0700) != 0)
    return ErrnoError("making " + path + " private", errno);
  return Ok{};
}

// "\040" in a mountinfo field is a space, and so on.
std::string UnescapeMountField(std::string_view field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size()) {
      int value = 0;
      auto [end, ec] = std::from_chars(field.data() + i + 1, field.data() + i + 4, value, 8);
      if (ec == std::errc() && end == field.data() + i + 4) {
        out += static_cast<char>(value);
        i += 3;
        continue;
      }
    }
    out += field[i];
  }
  return out;
}

// Detaches whatever is mounted at or below `dir` in this mount namespace, deepest first. A
// killed build's overlay lived in a namespace of its own, so this is for what a runner left in
// ours.
Status UnmountBelow(const std::string& given) {
  // mountinfo names mount points by their absolute, resolved paths; the store may be relative.
  char* real = realpath(given.c_str(), nullptr);
  if (!real) {
    if (errno == ENOENT) return Ok{};
    return ErrnoError("resolving " + given, errno);
  }
  std::string dir(real);
  free(real);
  std::ifstream mountinfo("/proc/self/mountinfo");
  std::vector<std::string> points;
  std::string line;
  while (std::getline(mountinfo, line)) {
    // ID PARENT MAJ:MIN ROOT MOUNT_POINT ...
    size_t field_start = 0;
    for (int i = 0; i < 4 && field_start != std::string::npos; ++i) {
      field_start = line.find(' ', field_start);
      if (field_start != std::string::npos) ++field_start;
    }
    if (field_start == std::string::npos) continue;
    size_t field_end = line.find(' ', field_start);
    std::string point =
        UnescapeMountField(std::string_view(line).substr(field_start, field_end - field_start));
    if (point == dir || point.starts_with(dir + "/")) points.push_back(point);
  }
  std::sort(points.begin(), points.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& point : points) {
    if (umount2(point.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT)
      return ErrnoError("unmounting " + point, errno);
  }
  return Ok{};
}

Status RemoveTree(const std::string& path) {
  PLINTH_CHECK(UnmountBelow(path));
  return RemoveAll(path);
}

// The names in `dir` (none if it does not exist).
Result<std::vector<std::string>> List(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (!d) {
    if (errno == ENOENT) return names;
    return ErrnoError("reading " + dir, errno);
  }
  while (dirent* e = readdir(d)) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  closedir(d);
  return names;
}

// What makes a snapshot's root the same however it was made: the overlay takes "/" from the
// upper, so a lower's root is never seen; it gets fixed metadata.
Status NormalizeRoot(const std::string& fs) {
  if (lchown(fs.c_str(), 0, 0) != 0) return ErrnoError("changing owner of " + fs, errno);
  if (chmod(fs.c_str(), 0755) != 0) return ErrnoError("changing mode of " + fs, errno);
  timespec times[2] = {{0, 0}, {0, 0}};
  if (utimensat(AT_FDCWD, fs.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
    return ErrnoError("setting times of " + fs, errno);
  return Ok{};
}

// Adopt's walk (nftw gives its callback no context of its own).
struct AdoptWalk {
  int64_t timestamp = 0;
  std::string root;
  Status status = Ok{};
};
thread_local AdoptWalk* adopt_walk = nullptr;

// Keeps only the xattr an unpacked snapshot can have: an opaque folder's mark. The layer
// carries no xattrs, and overlay's own (origin, impure) describe a mount that is gone.
Status StripXattrs(const char* path) {
  std::vector<char> names(4096);
  ssize_t n = llistxattr(path, names.data(), names.size());
  if (n < 0 && errno == ERANGE) {
    n = llistxattr(path, nullptr, 0);
    if (n > 0) {
      names.resize(static_cast<size_t>(n));
      n = llistxattr(path, names.data(), names.size());
    }
  }
  if (n < 0) {
    if (errno == ENOTSUP) return Ok{};
    return ErrnoError(std::string("listing xattrs of ") + path, errno);
  }
  for (size_t at = 0; at < static_cast<size_t>(n);) {
    std::string name(names.data() + at);
    at += name.size() + 1;
    if (name == kOpaqueXattr) {
      char value[2];
      ssize_t len = lgetxattr(path, kOpaqueXattr, value, sizeof value);
      if (len == 1 && value[0] == 'y') continue;
    }
    if (lremovexattr(path, name.c_str()) != 0 && errno != ENODATA)
      return ErrnoError(std::string("removing xattr ") + name + " of " + path, errno);
  }
  return Ok{};
}

int AdoptOne(const char* path, const struct stat*, int type, FTW*) {
  AdoptWalk& walk = *adopt_walk;
  if (path == walk.root) return 0;
  if (type == FTW_NS || type == FTW_DNR) {
    walk.status = IoError(std::string("reading ") + path + " in the step's upper folder");
    return 1;
  }
  struct stat st;  // now: after its contents (FTW_DEPTH) were changed
  if (lstat(path, &st) != 0) {
    walk.status = ErrnoError(std::string("inspecting ") + path, errno);
    return 1;
  }
  if (S_ISSOCK(st.st_mode)) {  // not in the layer (see upper_layer.h): not in the snapshot
    if (unlink(path) != 0) {
      walk.status = ErrnoError(std::string("removing the socket ") + path, errno);
      return 1;
    }
    return 0;
  }
  if (Status stripped = StripXattrs(path); !stripped) {
    walk.status = stripped;
    return 1;
  }
  // As layer::NormalizeEntry clamps a member's mtime; the extractor sets atime = mtime.
  int64_t mtime = std::min<int64_t>(st.st_mtim.tv_sec, walk.timestamp);
  timespec times[2] = {{mtime, 0}, {mtime, 0}};
  if (utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW) != 0) {
    walk.status = ErrnoError(std::string("setting times of ") + path, errno);
    return 1;
  }
  return 0;
}

}  // namespace

SnapshotStore::SnapshotStore(const oci::LayoutStore& store)
    : store_(store),
      root_(store.dir() + "/plinth/snapshots"),
      steps_root_(store.dir() + "/plinth/steps-run") {}

Status SnapshotStore::Prepare(const std::string& dir) {
  PLINTH_CHECK(MakeDirs(store_.dir() + "/plinth"));
  return PrivateDir(dir);
}

bool SnapshotStore::IsStepRoot(const std::string& dir) const {
  if (!dir.starts_with(steps_root_ + "/")) return false;
  std::string_view name = std::string_view(dir).substr(steps_root_.size() + 1);
  return !name.empty() && name.find('/') == std::string_view::npos && name != "." && name != "..";
}

Result<std::string> SnapshotStore::Publish(const std::string& temp, const oci::Digest& diff_id) {
  std::string dir = root_ + "/" + diff_id.hex();
  if (rename(temp.c_str(), dir.c_str()) != 0) {
    // Another thread or process made the same snapshot first: use theirs.
    int err = errno;
    (void)RemoveTree(temp);
    if (!IsDirectory(dir + "/fs")) return ErrnoError("publishing " + dir, err);
  }
  return dir + "/fs";
}

Result<std::string> SnapshotStore::Unpack(const oci::Descriptor& blob, const oci::Digest& diff_id) {
  std::string temp = root_ + "/" + std::string(kTempPrefix) + Unique() + "-" + diff_id.hex();
  if (mkdir(temp.c_str(), 0700) != 0) return ErrnoError("creating " + temp, errno);
  auto fail = [&](const Error& e) -> Error {
    (void)RemoveTree(temp);
    return e.Context("unpacking layer " + blob.digest.str() + " as a snapshot");
  };
  std::string fs = temp + "/fs";
  if (mkdir(fs.c_str(), 0755) != 0) return fail(ErrnoError("creating " + fs, errno));
  auto limit = layer::UnpackLimit(static_cast<uint64_t>(std::max<int64_t>(blob.size, 0)));
  if (!limit) return fail(limit.error());
  auto source = store_.OpenBlob(blob);
  if (!source) return fail(source.error());
  layer::ExtractOptions options{.ownership = layer::OwnershipPolicy::kPreserve,
                                .digest = blob.digest,
                                .diff_id = diff_id,
                                .max_unpacked_bytes = *limit,
                                .whiteouts = layer::WhiteoutMode::kOverlay};
  auto stats = layer::ExtractLayer(*source, fs, options);
  if (!stats) return fail(stats.error());
  if (Status root = NormalizeRoot(fs); !root) return fail(root.error());
  return Publish(temp, diff_id);
}

Result<std::vector<std::string>> SnapshotStore::Lowers(const oci::Image& image) {
  const auto& diff_ids = image.config.diff_ids;
  if (diff_ids.size() != image.layers.size())
    return IntegrityError("the image has " + std::to_string(image.layers.size()) +
                          " layers but its config " + std::to_string(diff_ids.size()) +
                          " diff_ids");
  PLINTH_CHECK(Prepare(root_));
  std::vector<std::string> lowers;
  for (size_t i = 0; i < diff_ids.size(); ++i) {
    std::string fs = root_ + "/" + diff_ids[i].hex() + "/fs";
    if (IsDirectory(fs)) {
      lowers.push_back(fs);
      continue;
    }
    std::shared_ptr<std::mutex> mu = SnapshotMutex(fs);
    std::lock_guard lock(*mu);
    if (IsDirectory(fs)) {
      lowers.push_back(fs);
      continue;
    }
    PLINTH_TRY(std::string made, Unpack(image.layers[i], diff_ids[i]));
    lowers.push_back(made);
  }
  return lowers;
}

Result<StepDirs> SnapshotStore::NewStep() {
  PLINTH_CHECK(Prepare(steps_root_));
  StepDirs dirs;
  for (;;) {
    dirs.root = steps_root_ + "/" + Unique();
    if (mkdir(dirs.root.c_str(), 0700) == 0) break;
    // A folder of an earlier process with the same pid, not yet removed: take the next number.
    if (errno != EEXIST) return ErrnoError("creating " + dirs.root, errno);
  }
  dirs.upper = dirs.root + "/upper";
  dirs.work = dirs.root + "/work";
  dirs.rootfs = dirs.root + "/rootfs";
  dirs.bundle = dirs.root + "/bundle";
  // The overlay's "/" is the upper's own folder: root's, 0755, as docker gives it.
  for (const auto& [path, mode] : {std::pair{dirs.upper, 0755}, std::pair{dirs.work, 0700},
                                   std::pair{dirs.rootfs, 0755}, std::pair{dirs.bundle, 0700}}) {
    if (mkdir(path.c_str(), mode) != 0 || chmod(path.c_str(), mode) != 0) {
      int err = errno;
      (void)RemoveTree(dirs.root);
      return ErrnoError("creating " + path, err);
    }
  }
  return dirs;
}

Status SnapshotStore::Release(const StepDirs& dirs) {
  if (!IsStepRoot(dirs.root))
    return InvalidInput("'" + dirs.root + "' is not a step folder of " + steps_root_);
  return RemoveTree(dirs.root);
}

Status SnapshotStore::Adopt(const StepDirs& dirs, const oci::Digest& diff_id, int64_t timestamp) {
  if (!IsStepRoot(dirs.root) || dirs.upper != dirs.root + "/upper")
    return InvalidInput("'" + dirs.root + "' is not a step folder of " + steps_root_);
  auto fail = [&](const Error& e) -> Error {
    (void)Release(dirs);  // the layer is written; only its snapshot is lost, made again if needed
    return e.Context("keeping the upper folder " + dirs.upper + " as snapshot " + diff_id.str());
  };
  if (Status prepared = Prepare(root_); !prepared) return fail(prepared.error());
  if (IsDirectory(root_ + "/" + diff_id.hex() + "/fs")) return Release(dirs);
  AdoptWalk walk{.timestamp = timestamp, .root = dirs.upper};
  adopt_walk = &walk;
  int walked = nftw(dirs.upper.c_str(), AdoptOne, 16, FTW_DEPTH | FTW_PHYS);
  adopt_walk = nullptr;
  if (!walk.status) return fail(walk.status.error());
  if (walked != 0) return fail(ErrnoError("walking " + dirs.upper, errno));
  if (Status root = NormalizeRoot(dirs.upper); !root) return fail(root.error());
  std::string temp = root_ + "/" + std::string(kTempPrefix) + Unique() + "-" + diff_id.hex();
  if (mkdir(temp.c_str(), 0700) != 0) return fail(ErrnoError("creating " + temp, errno));
  if (rename(dirs.upper.c_str(), (temp + "/fs").c_str()) != 0) {
    int err = errno;
    (void)RemoveTree(temp);
    return fail(ErrnoError("moving " + dirs.upper + " into " + temp, err));
  }
  auto published = Publish(temp, diff_id);
  if (!published) return fail(published.error());
  return Release(dirs);
}

Result<int> SnapshotStore::RemoveStale() {
  int removed = 0;
  PLINTH_TRY(std::vector<std::string> steps, List(steps_root_));
  for (const std::string& name : steps) {
    auto pid = PidOf(name);
    if (!pid || Alive(*pid)) continue;
    PLINTH_CHECK(RemoveTree(steps_root_ + "/" + name));
    ++removed;
  }
  PLINTH_TRY(std::vector<std::string> snapshots, List(root_));
  for (const std::string& name : snapshots) {
    if (!name.starts_with(kTempPrefix)) continue;
    auto pid = PidOf(std::string_view(name).substr(kTempPrefix.size()));
    if (!pid || Alive(*pid)) continue;
    PLINTH_CHECK(RemoveTree(root_ + "/" + name));
    ++removed;
  }
  return removed;
}

}  // namespace plinth::run
