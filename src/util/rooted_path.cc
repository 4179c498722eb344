#include "util/rooted_path.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <vector>

#include "util/fs.h"
#include "util/safe_path.h"

namespace plinth {
namespace {

std::deque<std::string> Split(std::string_view path) {
  auto parts = PathComponents(path);
  return {parts.begin(), parts.end()};
}

std::string JoinParts(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out.empty() ? "." : out;
}

std::string OnDisk(const std::string& root, const std::string& rel) {
  return rel == "." ? root : root + "/" + rel;
}

// lstat of a path whose folders hold no symlink (so the kernel follows none of root's).
Result<std::optional<struct stat>> LstatResolved(const std::string& root, const std::string& rel) {
  struct stat st;
  if (lstat(OnDisk(root, rel).c_str(), &st) == 0) return std::optional<struct stat>(st);
  if (errno == ENOENT || errno == ENOTDIR) return std::optional<struct stat>();
  return ErrnoError("reading " + OnDisk(root, rel), errno);
}

Result<std::string> ReadLink(const std::string& path) {
  std::string target(4096, '\0');
  ssize_t n = readlink(path.c_str(), target.data(), target.size());
  if (n < 0) return ErrnoError("reading link " + path, errno);
  target.resize(static_cast<size_t>(n));
  return target;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

constexpr int kOpenFlags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;

// openat2(RESOLVE_IN_ROOT): the kernel resolves every component inside `root_fd`, with no
// window between a check and the open. -1 with errno ENOSYS where the kernel (or a seccomp
// filter) does not have it.
int OpenAt2InRoot(int root_fd, const std::string& rel) {
  struct open_how how{};
  how.flags = kOpenFlags;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0;; ++attempt) {
    long fd = syscall(SYS_openat2, root_fd, rel.c_str(), &how, sizeof how);
    // EAGAIN: a rename raced the walk; the kernel asks for another try.
    if (fd < 0 && errno == EAGAIN && attempt < 16) continue;
    if (fd < 0 && errno == EPERM) errno = ENOSYS;  // seccomp filters answer EPERM
    return static_cast<int>(fd);
  }
}

}  // namespace

Result<std::string> ResolveInRoot(const std::string& root, std::string_view rel, bool follow_last) {
  std::deque<std::string> todo = Split(rel);
  std::vector<std::string> done;  // the real path so far: no symlink in it
  int links = 0;
  while (!todo.empty()) {
    std::string c = std::move(todo.front());
    todo.pop_front();
    if (c == ".") continue;
    if (c == "..") {
      if (!done.empty()) done.pop_back();  // the root is its own parent
      continue;
    }
    bool last = todo.empty();
    done.push_back(std::move(c));
    if (last && !follow_last) break;
    std::string so_far = JoinParts(done);
    PLINTH_TRY(std::optional<struct stat> st, LstatResolved(root, so_far));
    if (!st) {
      if (last) break;
      return NotFound("'" + std::string(rel) + "' does not exist in " + root + " (no " + so_far +
                      ")");
    }
    if (S_ISLNK(st->st_mode)) {
      if (++links > kMaxSymlinksInPath)
        return InvalidInput("'" + std::string(rel) + "' in " + root + ": more than " +
                            std::to_string(kMaxSymlinksInPath) + " symbolic links");
      PLINTH_TRY(std::string target, ReadLink(OnDisk(root, so_far)));
      done.pop_back();
      if (!target.empty() && target[0] == '/') done.clear();  // absolute: from the root
      auto parts = Split(target);
      todo.insert(todo.begin(), parts.begin(), parts.end());
      continue;
    }
    if (!last && !S_ISDIR(st->st_mode))
      return NotFound("'" + std::string(rel) + "' does not exist in " + root + " (" + so_far +
                      " is not a folder)");
  }
  return JoinParts(done);
}

namespace {

Result<std::optional<struct stat>> StatResolvedInRoot(const std::string& root, std::string_view rel,
                                                      bool follow_last) {
  auto resolved = ResolveInRoot(root, rel, follow_last);
  if (!resolved && resolved.error().kind() == ErrorKind::kNotFound)
    return std::optional<struct stat>();
  if (!resolved) return resolved.error();
  return LstatResolved(root, *resolved);
}

}  // namespace

Result<std::optional<struct stat>> LstatInRoot(const std::string& root, std::string_view rel) {
  return StatResolvedInRoot(root, rel, /*follow_last=*/false);
}

Result<std::optional<struct stat>> StatInRoot(const std::string& root, std::string_view rel) {
  return StatResolvedInRoot(root, rel, /*follow_last=*/true);
}

Result<FileSource> OpenInRoot(const std::string& root, std::string_view rel) {
  std::string name = std::string(rel);
  std::string shown = root + "/" + name;
  Fd root_fd(open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (root_fd.get() < 0) return ErrnoError("opening " + root, errno);
  int fd = OpenAt2InRoot(root_fd.get(), name.empty() ? "." : name);
  if (fd < 0 && errno == ENOSYS) {
    PLINTH_TRY(std::string resolved, ResolveInRoot(root, name, /*follow_last=*/true));
    // The folders on the way hold no link (as just read); the last component must not be one.
    fd = openat(root_fd.get(), resolved.c_str(), kOpenFlags | O_NOFOLLOW);
  }
  if (fd < 0) {
    if (errno == ELOOP)
      return InvalidInput("opening " + shown + ": too many symbolic links (or one that loops)");
    return ErrnoError("opening " + shown, errno);
  }
  return FileSource::AdoptRegular(fd, shown);
}

Result<std::string> ReadFileInRoot(const std::string& root, std::string_view rel,
                                   uint64_t max_bytes) {
  PLINTH_TRY(FileSource file, OpenInRoot(root, rel));
  return ReadAtMost(file, max_bytes, root + "/" + std::string(rel));
}

}  // namespace plinth
