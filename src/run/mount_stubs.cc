#include "run/mount_stubs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>

#include "run/lower_lookup.h"

namespace plinth::run {
namespace {

std::vector<std::string> Components(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string part = path.substr(start, slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  return parts;
}

bool IsOpaqueAt(int dir, const std::string& name) {
  int fd = openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return true;  // not a folder we can look into: leave it
  char value[2] = {};
  ssize_t n = fgetxattr(fd, "trusted.overlay.opaque", value, sizeof(value));
  close(fd);
  return n == 1 && value[0] == 'y';
}

std::string Join(const std::string& rel, const std::string& name) {
  return rel.empty() ? name : rel + "/" + name;
}

// Removes `rel` under the folder `upper_fd` when it is an empty file or folder, never following
// a symlink on the way.
// A `parent` (a copied-up folder of the lowers) is removed only when its owner and mode are
// still the lowers' and it is not opaque.
Status RemoveIfEmpty(int upper_fd, const std::string& upper, const std::string& rel,
                     const MountStubs::Parent* parent) {
  std::vector<std::string> parts = Components(rel);
  if (parts.empty()) return Ok{};
  int dir = dup(upper_fd);
  if (dir < 0) return ErrnoError("opening " + upper, errno);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    int next = openat(dir, parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    close(dir);
    if (next < 0) {
      if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) return Ok{};  // not a stub now
      return ErrnoError("opening " + upper + "/" + rel, errno);
    }
    dir = next;
  }
  const std::string& name = parts.back();
  struct stat st;
  Status status = Ok{};
  if (fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (parent) {
      if (st.st_mode == parent->mode && st.st_uid == parent->uid && st.st_gid == parent->gid &&
          !IsOpaqueAt(dir, name) && unlinkat(dir, name.c_str(), AT_REMOVEDIR) != 0 &&
          errno != ENOTEMPTY && errno != EEXIST && errno != ENOENT) {
        status = ErrnoError("removing the copied-up folder " + upper + "/" + rel, errno);
      }
    } else if (S_ISREG(st.st_mode) && st.st_size == 0) {
      if (unlinkat(dir, name.c_str(), 0) != 0 && errno != ENOENT) {
        status = ErrnoError("removing the mount stub " + upper + "/" + rel, errno);
      }
    } else if (S_ISDIR(st.st_mode)) {
      if (unlinkat(dir, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOTEMPTY && errno != EEXIST &&
          errno != ENOENT) {
        status = ErrnoError("removing the mount stub " + upper + "/" + rel, errno);
      }
    }
  } else if (errno != ENOENT) {
    status = ErrnoError("looking at " + upper + "/" + rel, errno);
  }
  close(dir);
  return status;
}

}  // namespace

Result<MountStubs> FindMountStubs(const std::vector<std::string>& lowers,
                                  const std::vector<std::string>& targets) {
  MountStubs stubs;
  std::set<std::string> seen;
  for (const std::string& target : targets) {
    // Where the runtime makes the mount point: the target with the lowers' symlinks resolved.
    PLINTH_TRY(std::string resolved, ResolveInLowers(lowers, target));
    std::vector<std::string> parts = Components(resolved);
    std::vector<std::pair<std::string, std::string>> existing;  // path, host path
    std::string prefix;
    for (size_t i = 0; i < parts.size(); ++i) {
      prefix = Join(prefix, parts[i]);
      PLINTH_TRY(auto found, FindInLowers(lowers, prefix, /*follow_last=*/false));
      if (found) {
        existing.emplace_back(prefix, *found);
        continue;
      }
      // Missing: the runtime makes it and everything beneath it on the way to the target.
      for (size_t j = i; j < parts.size(); ++j) {
        if (j > i) prefix = Join(prefix, parts[j]);
        if (seen.insert(prefix).second) stubs.made.push_back(prefix);
      }
      // The folders above it, copied up to hold it.
      for (const auto& [path, host] : existing) {
        struct stat st;
        if (lstat(host.c_str(), &st) != 0) return ErrnoError("looking at " + host, errno);
        if (seen.insert(path).second) {
          stubs.parents.push_back({path, st.st_mode, st.st_uid, st.st_gid});
        }
      }
      break;
    }
  }
  return stubs;
}

Status RemoveMountStubs(const std::string& upper, const MountStubs& stubs) {
  if (stubs.made.empty()) return Ok{};
  auto depth = [](const std::string& path) { return std::count(path.begin(), path.end(), '/'); };
  std::vector<std::string> made = stubs.made;
  // Deeper paths first: a folder is empty only once the stubs in it are gone.
  std::stable_sort(made.begin(), made.end(),
                   [&](const std::string& a, const std::string& b) { return depth(a) > depth(b); });
  std::vector<MountStubs::Parent> parents = stubs.parents;
  std::stable_sort(parents.begin(), parents.end(),
                   [&](const MountStubs::Parent& a, const MountStubs::Parent& b) {
                     return depth(a.path) > depth(b.path);
                   });
  int upper_fd = open(upper.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (upper_fd < 0) return ErrnoError("opening the upper folder " + upper, errno);
  Status status = Ok{};
  for (const std::string& stub : made) {
    status = RemoveIfEmpty(upper_fd, upper, stub, nullptr);
    if (!status) break;
  }
  for (size_t i = 0; status && i < parents.size(); ++i) {
    status = RemoveIfEmpty(upper_fd, upper, parents[i].path, &parents[i]);
  }
  close(upper_fd);
  return status;
}

}  // namespace plinth::run
